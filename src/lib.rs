//! wegwijs: a static-site generator for parent-awareness websites in the style of
//! Jouwkindonline.nl.
//!
//! One pipeline, one direction:
//!
//! ```text
//! load (site.yaml, content/, theme)  →  check  →  render  →  write (atomic swap)
//! ```
//!
//! Render hands each finished file to an [`output::Sink`]: [`build`] writes it
//! into a [`write::Staging`] folder that is swapped in at the end; `serve` (later)
//! keeps the files in an in-memory [`output::Output`] instead. Every stage reports
//! problems as [`diagnostics::Diagnostic`]s, all at once, with file, line and a hint.

pub mod assets;
pub mod campaign;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod output;
pub mod redirects;
pub mod render;
pub mod rules;
pub mod site;
pub mod theme;
pub mod timings;
pub mod write;
pub mod yaml;

use std::path::PathBuf;

use diagnostics::{Diagnostic, has_errors};
pub use site::BuildOptions;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages and sections built from content.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Where they were written.
    pub output: PathBuf,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took.
    pub timings: timings::Timings,
}

/// Load, check, render and write the site. On any error nothing is written and
/// every problem found is returned (warnings included).
pub fn build(
    options: &BuildOptions,
    output_dir: &std::path::Path,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut timings = timings::Timings::default();
    write::check_output_dir(&options.root, output_dir).map_err(|d| vec![d])?;
    let site = timings.time("load", || site::load(options))?;
    let mut problems = site.problems.clone();
    problems.extend(timings.time("check", || check::check(&site)));
    if has_errors(&problems) {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let staging = write::Staging::create(output_dir).map_err(|d| vec![d])?;
    if let Err(mut render_problems) = render::render(&site, &staging, &mut timings) {
        // Dropping the staging folder removes it: the previous output stays.
        problems.append(&mut render_problems);
        return Err(problems);
    }
    let files = staging.files();
    timings.time("write", || staging.commit()).map_err(|d| {
        let mut all = problems.clone();
        all.push(d);
        all
    })?;
    diagnostics::sort(&mut problems);
    Ok(BuildReport {
        pages: site.pages.len(),
        files,
        output: output_dir.to_path_buf(),
        warnings: problems,
        timings,
    })
}
