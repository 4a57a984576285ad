//! Watching the site for changes an editor makes, with notify's full debouncer
//! (it pairs the two halves of a rename and drops duplicate events).
//!
//! Watched: `content/`, `themes/`, `templates/` and `static/` recursively, and the
//! site root itself (not recursively) for `netlify.toml` and for those folders
//! being deleted, created or renamed, after which they are watched again: a
//! deleted folder takes its watch with it.
//!
//! Ignored: reads (every build opens every file, which must not start another),
//! editor temp and backup files, hidden files (the build skips them too).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::headers;
use crate::diagnostics::Diagnostic;

/// The folders whose contents go into a build.
pub const FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

/// How long the debouncer waits for more events: long enough to see both halves
/// of an atomic save, short enough not to be noticed.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// A running watch on a site.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
}

/// What a batch of events changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Changed files and folders, relative to the root, `/`-separated.
    pub paths: BTreeSet<String>,
    /// A watched folder itself appeared, disappeared or moved: watch again.
    pub rearm: bool,
    /// Problems the watcher reported.
    pub errors: Vec<String>,
}

impl Watcher {
    /// Start watching `root`; debounced batches arrive on the receiver.
    pub fn start(root: &Path) -> Result<(Watcher, Receiver<DebounceEventResult>), Diagnostic> {
        // Events name absolute paths; the root must be one too to compare them.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, rx) = channel();
        let debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|err| {
            Diagnostic::error(format!("cannot watch the site for changes: {err}")).with_help(
                "on Linux, raise fs.inotify.max_user_instances or max_user_watches with sysctl",
            )
        })?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|err| {
                Diagnostic::error(format!("cannot watch {}: {err}", root.display()))
                    .with_help("check that the site folder exists and that you may read it")
            })?;
        let problems = watcher.arm();
        if let Some(problem) = problems.into_iter().next() {
            return Err(Diagnostic::error(problem).with_help(
                "on Linux, raise fs.inotify.max_user_watches with sysctl if there are many folders",
            ));
        }
        Ok((watcher, rx))
    }

    /// Watch each folder of [`FOLDERS`] that exists, afresh. Returns problems.
    pub fn arm(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        for folder in FOLDERS {
            let path = self.root.join(folder);
            // Not watched (or already gone) is fine: this only clears a stale watch.
            let _ = self.debouncer.unwatch(&path);
            if path.is_dir()
                && let Err(err) = self.debouncer.watch(&path, RecursiveMode::Recursive)
            {
                problems.push(format!("cannot watch {folder}/: {err}"));
            }
        }
        problems
    }

    /// What `batch` changed that a build reads.
    pub fn changes(&self, batch: DebounceEventResult) -> Changes {
        let mut changes = Changes::default();
        match batch {
            Ok(events) => {
                for event in events {
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    for path in &event.paths {
                        let Some(relative) = relevant(&self.root, path) else {
                            continue;
                        };
                        if FOLDERS.contains(&relative.as_str()) {
                            changes.rearm = true;
                        }
                        changes.paths.insert(relative);
                    }
                }
            }
            Err(errors) => changes.errors = errors.iter().map(ToString::to_string).collect(),
        }
        changes
    }
}

/// `path` relative to `root`, if a build reads it: inside one of [`FOLDERS`] (or
/// one of them), or `netlify.toml`, and not an editor's temp file.
pub fn relevant(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    if parts.len() == 1 && first != headers::FILE && !FOLDERS.contains(&first.as_str()) {
        return None;
    }
    if parts.len() > 1 && !FOLDERS.contains(&first.as_str()) {
        return None;
    }
    if parts.iter().any(|p| p.starts_with('.')) || parts.last().is_some_and(|p| is_temp(p)) {
        return None;
    }
    Some(parts.join("/"))
}

/// Files editors write beside the real one: vim's swap files, its write test
/// `4913` and backups `name~`, Emacs' lock `.#name`, JetBrains' safe-write copies,
/// gedit's and others' temp files.
fn is_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.starts_with(".#")
        || name.starts_with(".goutputstream-")
        || (name.starts_with('#') && name.ends_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_build_reads_counts() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, &root.join(p));
        assert_eq!(rel("content/a.md").as_deref(), Some("content/a.md"));
        assert_eq!(rel("content").as_deref(), Some("content"));
        assert_eq!(
            rel("themes/x/css/main.css").as_deref(),
            Some("themes/x/css/main.css")
        );
        assert_eq!(rel("netlify.toml").as_deref(), Some("netlify.toml"));
        for ignored in [
            "public/index.html",
            "target/debug/x",
            "README.md",
            "content/.a.md.swp",
            "content/a.md.swp",
            "content/a.md~",
            "content/4913",
            "content/.#a.md",
            "content/#a.md#",
            "content/a.md___jb_tmp___",
            "content/.git/index",
            "content/.hidden/x.md",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
        assert_eq!(relevant(root, Path::new("/elsewhere/content/a.md")), None);
    }
}
