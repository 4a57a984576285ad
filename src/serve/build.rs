//! A build for the preview: the same load → check → render as `wegwijs build`,
//! into memory instead of a folder.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::site::BuildOptions;

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
    let built = crate::render_in_memory(options)?;
    Ok(Built {
        files: built.output.into_files(),
        pages: built.pages,
        warnings: built.warnings,
    })
}
