//! Which rebuild a set of changed paths needs. Conservative by design: only an
//! edit that leaves a loaded page's front matter byte for byte as it was counts
//! as a body edit; whatever this module cannot prove harmless is a full build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::content::{self, Page, Selection};
use crate::site::Site;

/// What to rebuild.
#[derive(Debug)]
pub enum Plan {
    /// Nothing a build reads changed.
    Nothing,
    /// These pages (index in `site.pages`, re-read from disk) changed only below
    /// their front matter.
    Bodies(Vec<(usize, Page)>),
    /// Anything else.
    Full,
}

/// The plan for `changed` (paths from `root`, `/`-separated) against the site as
/// last built.
pub fn plan(site: &Site, root: &Path, selection: Selection, changed: &BTreeSet<String>) -> Plan {
    let mut reloaded = Vec::new();
    for path in changed {
        let is_page = path.starts_with("content/") && path.ends_with(".md") && path != CONFIG_FILE;
        let index = is_page
            .then(|| site.pages.iter().position(|p| slashed(&p.file) == *path))
            .flatten();
        match index {
            Some(i) => match body_edit(&site.pages[i], root, path, selection) {
                Some(page) => reloaded.push((i, page)),
                None => return Plan::Full,
            },
            None if gone_unread(site, root, path) => {}
            None => return Plan::Full,
        }
    }
    if reloaded.is_empty() {
        Plan::Nothing
    } else {
        Plan::Bodies(reloaded)
    }
}

/// The page at `path` re-read, if it is still a plain file, still loads without
/// problems, is still built, and its front matter is the same text as `old`'s.
fn body_edit(old: &Page, root: &Path, path: &str, selection: Selection) -> Option<Page> {
    let in_content = Path::new(path).strip_prefix("content").ok()?;
    let full = root.join(path);
    // A link may point outside the site: the full load decides whether to read it.
    if !full.symlink_metadata().ok()?.file_type().is_file() {
        return None;
    }
    let content::Loaded::Page(page) =
        content::load_page(&full, PathBuf::from(path), in_content, selection).ok()?
    else {
        return None;
    };
    let same_front = page.source.get(..page.body_start) == old.source.get(..old.body_start);
    (same_front && page.url == old.url && page.file == old.file).then_some(*page)
}

/// Whether `path` no longer exists and no file the last build read was there or
/// below it (an editor's scratch file that came and went).
fn gone_unread(site: &Site, root: &Path, path: &str) -> bool {
    if !path.starts_with("content/") || root.join(path).symlink_metadata().is_ok() {
        return false;
    }
    let within =
        |file: &str| file == path || file.strip_prefix(path).is_some_and(|r| r.starts_with('/'));
    let read = site.pages.iter().map(|p| slashed(&p.file)).chain(
        site.content_files
            .iter()
            .map(|f| format!("content/{}", f.out)),
    );
    let mut read = read.chain(site.tools.iter().map(|t| slashed(&t.file)));
    !read.any(|file| within(&file))
}

/// A relative path with `/` between its parts, as the watcher names changes.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
