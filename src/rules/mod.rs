//! Decision tools: YAML rule files checked at build time, evaluated in Rust, and
//! compiled to client data and no-JS pages.
//!
//! `parse` (the file as written, with positions) → `check` (every finding, or a
//! resolved `tree::Tree`) → `eval` (the one evaluator). The JS data and the pages
//! are made from the tree by `render`.

pub mod check;
pub mod eval;
pub mod parse;
pub mod tree;

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Embedding};
pub use tree::Tree;

/// The file name ending of rule files.
pub const SUFFIX: &str = ".rules.yaml";

/// A checked decision tool and where it came from.
#[derive(Debug)]
pub struct Tool {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The checked tree.
    pub tree: Tree,
}

/// The tool's name from its file name: `ontheffing.rules.yaml` → `ontheffing`.
pub fn name_of(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.strip_suffix(SUFFIX).unwrap_or(&file).to_string()
}

/// Read, parse and check one rule file. `shown` is the path used in diagnostics;
/// `is_page` tells whether an outcome link is a page of the site. Returns the tool
/// and its warnings, or every problem found.
pub fn load(
    path: &Path,
    shown: &Path,
    is_page: &dyn Fn(&str) -> bool,
) -> Result<(Tool, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = std::fs::read_to_string(path).map_err(|err| {
        vec![
            Diagnostic::error(format!("cannot read this rule file: {err}"))
                .in_file(shown)
                .with_help("check that the file exists, is UTF-8 text, and that you may read it"),
        ]
    })?;
    let embedding = Embedding {
        file_source: &source,
        line_offset: 0,
    };
    let rules: parse::RuleFile = yaml::parse(&source, shown, embedding).map_err(|d| vec![d])?;
    let name = name_of(path);
    let (tree, warnings) = check::check(&name, shown, &source, &rules, is_page)?;
    Ok((
        Tool {
            file: shown.to_path_buf(),
            tree,
        },
        warnings,
    ))
}
