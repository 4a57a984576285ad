//! Incremental rebuilds for `wegwijs serve`: the loaded site, the render's state
//! and every output file stay in memory between saves, and a save redoes only
//! what it touches.
//!
//! ```text
//! changed paths ──plan──▶ Nothing | Bodies(pages re-read) | Full
//!                              │            │                  │
//!                              │   check + render::rerender_bodies
//!                              ▼            ▼                  ▼
//!                         Update { scope, files with new bytes, files removed }
//! ```
//!
//! Only a change that provably touches page bodies alone is done in part: each
//! changed file is one loaded page, re-read and re-parsed on its own, with its
//! front matter byte for byte what it was (so its URL, title, lists, taxonomies,
//! feeds and dates cannot have changed). Anything else (a front-matter edit, a
//! page added, deleted or renamed, `site.yaml`, templates, the theme, `static/`,
//! files beside the pages) is a full build, as is any error (so the diagnostics
//! are exactly those of a full build). The result equals a full build of the same
//! files byte for byte (`tests/incremental.rs` holds that contract).

mod plan;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diagnostics::{self, Diagnostic, has_errors};
use crate::site::BuildOptions;

/// How much an update rebuilt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Nothing a build reads changed (a file gone that no build had read).
    Nothing,
    /// Only the bodies of this many pages changed: they and the files that show
    /// them were rendered again.
    Bodies(usize),
    /// Everything was loaded and rendered again.
    Full,
}

/// What one update changed in the output.
#[derive(Debug)]
pub struct Update {
    /// How much was rebuilt.
    pub scope: Scope,
    /// Files with new bytes; after a [`Scope::Full`] build, every file.
    pub files: Vec<(String, Arc<[u8]>)>,
    /// Files that no longer exist (after a full build: none; it lists all files).
    pub removed: Vec<String>,
    /// Pages and sections built from content.
    pub pages: usize,
    /// Problems that did not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
}

/// A site kept built in memory, updated save by save.
#[derive(Debug)]
pub struct Preview {
    options: BuildOptions,
    kept: Option<Kept>,
    /// What the last good build left for the next full one, while builds fail.
    reuse: Option<crate::Reuse>,
}

/// The state of the last successful build.
struct Kept {
    site: crate::site::Site,
    rendered: crate::render::Rendered,
    files: BTreeMap<String, Arc<[u8]>>,
    warnings: Vec<Diagnostic>,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("pages", &self.site.pages.len())
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

impl Preview {
    /// A preview of the site `options` describes; nothing is built yet.
    pub fn new(options: BuildOptions) -> Preview {
        Preview {
            options,
            kept: None,
            reuse: None,
        }
    }

    /// Build everything afresh.
    pub fn build(&mut self) -> Result<Update, Vec<Diagnostic>> {
        self.full()
    }

    /// Bring the output up to date after `changed` (paths relative to the site
    /// root, `/`-separated, as the watcher reports them). On errors the output of
    /// the last successful build stays as it was, and the next update is a full
    /// build.
    pub fn update(&mut self, changed: &BTreeSet<String>) -> Result<Update, Vec<Diagnostic>> {
        let Some(kept) = &mut self.kept else {
            return self.full();
        };
        let selection = crate::content::Selection {
            drafts: self.options.drafts,
            now: self.options.now,
        };
        match plan::plan(&kept.site, &self.options.root, selection, changed) {
            plan::Plan::Full => self.full(),
            plan::Plan::Nothing => Ok(Update {
                scope: Scope::Nothing,
                files: Vec::new(),
                removed: Vec::new(),
                pages: kept.site.pages.len(),
                warnings: kept.warnings.clone(),
            }),
            plan::Plan::Bodies(reloaded) => match bodies(kept, reloaded) {
                Some(update) => Ok(update),
                // An error: a full build reports it exactly as `build` would.
                None => self.full(),
            },
        }
    }

    /// Every output file of the last successful build.
    pub fn files(&self) -> Option<&BTreeMap<String, Arc<[u8]>>> {
        self.kept.as_ref().map(|kept| &kept.files)
    }

    fn full(&mut self) -> Result<Update, Vec<Diagnostic>> {
        // The old state goes first (two whole sites need not fit in memory),
        // but for what the next full render reuses: the search counts and the
        // social images.
        if let Some(kept) = self.kept.take() {
            let images = kept
                .rendered
                .social_paths()
                .filter_map(|path| Some((path.to_string(), Arc::clone(kept.files.get(path)?))))
                .collect();
            self.reuse = Some(crate::Reuse {
                known: kept.rendered.into_known(),
                images,
            });
        }
        let built = crate::render_kept(&self.options, &mut self.reuse)?;
        let files: BTreeMap<String, Arc<[u8]>> = built
            .output
            .into_files()
            .into_iter()
            .map(|(path, bytes)| (path, Arc::from(bytes)))
            .collect();
        let update = Update {
            scope: Scope::Full,
            files: files
                .iter()
                .map(|(path, bytes)| (path.clone(), Arc::clone(bytes)))
                .collect(),
            removed: Vec::new(),
            pages: built.site.pages.len(),
            warnings: built.warnings.clone(),
        };
        self.kept = Some(Kept {
            site: built.site,
            rendered: built.rendered,
            files,
            warnings: built.warnings,
        });
        Ok(update)
    }
}

/// Put the re-read pages in place, check the site and render what shows their
/// bodies. `None` on any error, or when the theme lets any file show any body.
fn bodies(kept: &mut Kept, reloaded: Vec<(usize, crate::content::Page)>) -> Option<Update> {
    if !kept.rendered.can_rerender_bodies() {
        return None;
    }
    let indexes: Vec<usize> = reloaded.iter().map(|(i, _)| *i).collect();
    for (i, page) in reloaded {
        kept.site.pages[i] = page;
    }
    // Loading problems are about files that did not change (a page that loads
    // has none); the checks read bodies (shortcodes, links), so all run again.
    let mut problems = kept.site.problems.clone();
    problems.extend(crate::check::check(&kept.site));
    if has_errors(&problems) {
        return None;
    }
    let output = crate::output::Output::default();
    let removed =
        crate::render::rerender_bodies(&kept.site, &mut kept.rendered, &indexes, &output).ok()?;
    let mut files = Vec::new();
    for (path, bytes) in output.into_files() {
        let bytes: Arc<[u8]> = Arc::from(bytes);
        kept.files.insert(path.clone(), Arc::clone(&bytes));
        files.push((path, bytes));
    }
    for path in &removed {
        kept.files.remove(path);
    }
    diagnostics::sort(&mut problems);
    kept.warnings = problems.clone();
    Some(Update {
        scope: Scope::Bodies(indexes.len()),
        files,
        removed,
        pages: kept.site.pages.len(),
        warnings: problems,
    })
}
