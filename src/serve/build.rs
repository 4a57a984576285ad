//! A build for the preview: the same load → check → render as `wegwijs build`,
//! into memory instead of a folder.

use std::collections::BTreeMap;

use crate::diagnostics::{self, Diagnostic, has_errors};
use crate::output::Output;
use crate::site::{self, BuildOptions};
use crate::{check, render, timings};

/// A successful build.
#[derive(Debug)]
pub struct Built {
    /// Output path → bytes, exactly what `wegwijs build` would write.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Pages and sections built from content.
    pub pages: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Build the site in memory. On errors, every problem found (warnings included).
pub fn full(options: &BuildOptions) -> Result<Built, Vec<Diagnostic>> {
    let mut timings = timings::Timings::default();
    let site = site::load(options)?;
    let mut problems = site.problems.clone();
    problems.extend(check::check(&site));
    if has_errors(&problems) {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let output = Output::default();
    if let Err(mut render_problems) = render::render(&site, &output, &mut timings) {
        problems.append(&mut render_problems);
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    diagnostics::sort(&mut problems);
    Ok(Built {
        files: output.into_files(),
        pages: site.pages.len(),
        warnings: problems,
    })
}
