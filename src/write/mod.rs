//! Writing the built site to disk: only what changed, and never half a site.
//!
//! Every build writes into a staging folder beside the output,
//! `.<output>.wegwijs-staging-<pid>/`, which holds the files (`files/`) and, once
//! committed, a journal (`journal`). The output holds a manifest,
//! `.wegwijs-manifest`: for every file wegwijs wrote, its content hash (XXH3-128),
//! size and modification time. The manifest also marks the folder as wegwijs's own:
//! `--output` refuses a folder with files but no manifest.
//!
//! **First build** (output missing or empty, or its manifest unreadable): every file
//! goes into `files/`, the manifest too; one `syncfs`, then `files/` takes the place
//! of the output in one atomic rename (`RENAME_EXCHANGE` on Linux). A crash at any
//! moment leaves the old output or the new one, nothing in between.
//!
//! **Rebuild** (the output has a manifest): a file whose hash and size equal the
//! manifest's, and whose size and modification time on disk are still the ones the
//! manifest recorded, is not written at all (so it keeps its mtime and inode, and a
//! rebuild with nothing changed writes no file). Every other file is written into
//! `files/`. Then, in this order:
//!
//! 1. `syncfs`: the staged files and the new manifest are on disk.
//! 2. The journal (the files to delete, then the files to move in, the manifest
//!    last) is written as `journal.tmp`, fsynced and renamed to `journal`; the
//!    staging folder is fsynced. This rename is the commit point.
//! 3. Files gone from the site are deleted (and folders they leave empty), then each
//!    staged file is renamed over its old version (rename is atomic per file, so a
//!    reader sees a file's old or new bytes, never a part), then `syncfs`.
//! 4. The staging folder is removed.
//!
//! **The guarantee.** A build that fails or dies before the commit point (any
//! template or disk error, a full disk, SIGKILL, power loss) leaves the output
//! byte-identical to what it was: it only ever wrote into its staging folder. A
//! build that dies after the commit point may leave the output holding some new
//! files and some old ones; the next `wegwijs build` into that output finds the
//! journal before it does anything else and completes it (every step is
//! idempotent: a staged file that is no longer there was already moved), so the
//! output is the new tree, and then builds as usual. Between such a crash and the
//! next build the mix is on disk: deploy only after a build that succeeded. Files
//! in the output that the manifest does not list (put there by hand) are left
//! alone. A build holds a lock (`flock`) on its staging folder, so a second build
//! into the same output stops with an error instead of interfering.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::diagnostics::Diagnostic;
use crate::output::Sink;

mod disk;
mod journal;
mod manifest;
mod output_dir;

use disk::{lock, remove, swap, sync};
pub use journal::recover;
use journal::{Journal, apply, recover_in};
use manifest::Stamp;
use output_dir::absolute;
pub use output_dir::check_output_dir;

/// The manifest in the output folder: what wegwijs wrote there, and the proof that
/// it did. Deploys may leave it out (`rsync --exclude .wegwijs-manifest`); it
/// holds only paths and hashes of public files.
pub const MANIFEST: &str = ".wegwijs-manifest";
/// The staged files, in the staging folder.
const FILES: &str = "files";

#[derive(Debug)]
enum Mode {
    /// Everything is written and swapped in at once.
    Fresh,
    /// Only changed files are written, from this manifest of the output.
    Update(HashMap<String, Stamp>),
}

/// A build's staging folder beside the output folder. Dropped without a commit (a
/// render error, a full disk), it removes itself and the output stays exactly as
/// it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    mode: Mode,
    /// Every file of the new tree with its stamp, and whether it was written.
    stamps: Mutex<Vec<(String, Stamp, bool)>>,
    files: AtomicUsize,
    hooks: Hooks,
    /// Held while the build runs: a second build into the same output sees it.
    _lock: Option<fs::File>,
    /// Once the journal is committed, the folder must stay until it is applied.
    keep: bool,
}

impl Staging {
    /// Prepare to write into `target` (which need not exist yet): complete or
    /// discard what an earlier build left behind, then create the staging folder.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let target = absolute(target);
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(io_error(
                &target,
                "cannot write here",
                "choose another output folder",
            ));
        };
        fs::create_dir_all(parent).map_err(|e| {
            io_error(
                parent,
                &e.to_string(),
                "create the folder or choose another",
            )
        })?;
        let name = name.to_string_lossy();
        recover_in(parent, &name, &target)?;
        let dir = parent.join(format!(".{name}.wegwijs-staging-{}", std::process::id()));
        let lock = fs::create_dir(&dir)
            .and_then(|()| lock(&dir))
            .and_then(|lock| fs::create_dir(dir.join(FILES)).map(|()| lock))
            .map_err(|e| io_error(&dir, &e.to_string(), "check the permissions of the folder"))?;
        Ok(Staging {
            mode: manifest::read(&target).map_or(Mode::Fresh, Mode::Update),
            dir,
            target,
            stamps: Mutex::default(),
            files: AtomicUsize::new(0),
            hooks: Hooks::from_env(),
            _lock: lock,
            keep: false,
        })
    }

    /// How many files the build produced (written or already up to date).
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Put the new tree in place of the output (see the module documentation).
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let stamps = std::mem::take(
            &mut *self
                .stamps
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let files = self.dir.join(FILES);
        match &self.mode {
            Mode::Fresh => {
                manifest::write(&files, &stamps)?;
                sync(&files)?;
                self.hooks.point("staged");
                swap(&files, &self.target)?;
                self.hooks.point("swapped");
            }
            Mode::Update(previous) => {
                let new: HashSet<&str> = stamps.iter().map(|(p, ..)| p.as_str()).collect();
                let mut delete: Vec<String> = previous
                    .keys()
                    .filter(|p| !new.contains(p.as_str()))
                    .cloned()
                    .collect();
                let mut put: Vec<String> = stamps
                    .iter()
                    .filter(|(.., written)| *written)
                    .map(|(p, ..)| p.clone())
                    .collect();
                if delete.is_empty() && put.is_empty() {
                    // Nothing changed: the output and its manifest stay as they are.
                    return remove(&self.dir);
                }
                manifest::write(&files, &stamps)?;
                sync(&files)?;
                self.hooks.point("staged");
                delete.sort_unstable();
                put.sort_unstable();
                put.push(MANIFEST.to_string());
                let journal = Journal { delete, put };
                journal::commit(&self.dir, &journal)?;
                self.keep = true;
                self.hooks.point("journal");
                apply(&self.dir, &self.target, &journal, &self.hooks)?;
                sync(&self.target)?;
                self.hooks.point("applied");
            }
        }
        self.keep = true;
        remove(&self.dir)
    }

    fn record(&self, path: &str, stamp: Stamp, written: bool) {
        self.stamps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((path.to_string(), stamp, written));
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let n = self.files.fetch_add(1, Ordering::Relaxed);
        let staged = self.dir.join(FILES).join(path);
        if self.hooks.fail_after.is_some_and(|max| n >= max) {
            return Err(io_error(
                &staged,
                "simulated write failure",
                "this failure was requested by the test hook",
            ));
        }
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        if let Mode::Update(previous) = &self.mode
            && let Some(old) = previous.get(path)
            && old.hash() == hash
            && old.len() == bytes.len() as u64
            && old.matches_disk(&self.target.join(path))
        {
            self.record(path, *old, false);
            return Ok(());
        }
        let metadata = write_file(&staged, &bytes).map_err(|e| {
            io_error(
                &staged,
                &e.to_string(),
                "check the free disk space and the permissions",
            )
        })?;
        self.record(path, Stamp::new(hash, &metadata), true);
        Ok(())
    }

    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        let Mode::Update(previous) = &self.mode else {
            return None;
        };
        let old = previous.get(path)?;
        let file = self.target.join(path);
        if !old.matches_disk(&file) {
            return None;
        }
        let bytes = fs::read(&file).ok()?;
        // Changed between the stamp check and the read: not the previous file.
        (xxhash_rust::xxh3::xxh3_128(&bytes) == old.hash()).then_some(bytes)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep && self.dir.exists() {
            // Only our own staging folder is removed; the output is untouched.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write `bytes` to `file`, making its folder first if needed; the file's
/// metadata after writing (for its stamp).
fn write_file(file: &Path, bytes: &[u8]) -> std::io::Result<fs::Metadata> {
    // Nearly every page has a folder of its own (`thema/gamen/index.html`): make it
    // first, and the file is written in one go.
    match file.parent().map(fs::create_dir) {
        Some(Err(e)) if e.kind() == ErrorKind::NotFound => {
            file.parent().map_or(Err(e), fs::create_dir_all)?;
        }
        Some(Err(e)) if e.kind() != ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    let mut f = fs::File::create(file)?;
    f.write_all(bytes)?;
    f.metadata()
}

fn io_error(path: &Path, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{}`: {what}", path.display())).with_help(help)
}

/// Fault injection for the crash tests. Compiled into debug builds only (what
/// `cargo test` runs the binary as), so a release build never reads these
/// variables: `WEGWIJS_TEST_FAIL_WRITE_AFTER=N` fails every file after the first
/// N, as a full disk would; `WEGWIJS_TEST_PAUSE_AT=POINT` stops the build at a
/// point of the commit (`staged`, `swapped`, `journal`, `apply-N`, `applied`) and
/// waits there to be killed.
#[derive(Debug, Default)]
struct Hooks {
    fail_after: Option<usize>,
    pause_at: Option<String>,
}

impl Hooks {
    #[cfg(debug_assertions)]
    fn from_env() -> Hooks {
        Hooks {
            fail_after: std::env::var("WEGWIJS_TEST_FAIL_WRITE_AFTER")
                .ok()
                .and_then(|n| n.parse().ok()),
            pause_at: std::env::var("WEGWIJS_TEST_PAUSE_AT").ok(),
        }
    }

    #[cfg(not(debug_assertions))]
    fn from_env() -> Hooks {
        Hooks::default()
    }

    fn point(&self, name: &str) {
        if self.pause_at.as_deref() == Some(name) {
            eprintln!("wegwijs test hook: paused at {name}");
            loop {
                std::thread::park();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    pub(crate) fn write(files: &[(&str, &str)], target: &Path) -> Result<(), String> {
        let staging = Staging::create(target).map_err(|d| d.to_string())?;
        for (path, text) in files {
            staging
                .put(path, text.as_bytes().to_vec())
                .map_err(|d| d.to_string())?;
        }
        staging.commit().map_err(|d| d.to_string())
    }

    pub(crate) fn only_the_output_remains(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let leftovers: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        assert_eq!(leftovers.len(), 1, "only the output folder remains");
        Ok(())
    }

    #[test]
    fn replaces_the_previous_output_completely() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("a/index.html", "1"), ("old.txt", "x")], &target)?;
        write(&[("a/b/c/index.html", "2")], &target)?;
        assert_eq!(fs::read_to_string(target.join("a/b/c/index.html"))?, "2");
        assert!(!target.join("a/index.html").exists());
        assert!(!target.join("old.txt").exists());
        only_the_output_remains(dir.path())
    }

    #[test]
    fn a_file_and_a_folder_may_trade_places() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("a", "file"), ("b/index.html", "page")], &target)?;
        write(&[("a/index.html", "page"), ("b", "file")], &target)?;
        assert_eq!(fs::read_to_string(target.join("a/index.html"))?, "page");
        assert_eq!(fs::read_to_string(target.join("b"))?, "file");
        only_the_output_remains(dir.path())
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_not_written_again() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        let site = [("index.html", "home"), ("a/index.html", "a")];
        write(&site, &target)?;
        let inode = |p: &str| fs::metadata(target.join(p)).map(|m| (m.ino(), m.mtime_nsec()));
        let before = [
            inode("index.html")?,
            inode("a/index.html")?,
            inode(MANIFEST)?,
        ];
        write(&site, &target)?;
        let after = [
            inode("index.html")?,
            inode("a/index.html")?,
            inode(MANIFEST)?,
        ];
        assert_eq!(
            before, after,
            "a rebuild with nothing changed writes no file"
        );
        write(&[("index.html", "home"), ("a/index.html", "A")], &target)?;
        assert_eq!(inode("index.html")?, before[0]);
        assert_ne!(inode("a/index.html")?, before[1]);
        assert_eq!(fs::read_to_string(target.join("a/index.html"))?, "A");
        only_the_output_remains(dir.path())
    }

    #[test]
    fn a_file_edited_in_the_output_is_written_again() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("index.html", "home")], &target)?;
        // Same size; a different time even where the clock is coarse.
        fs::write(target.join("index.html"), "h0me")?;
        fs::File::options()
            .write(true)
            .open(target.join("index.html"))?
            .set_modified(UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))?;
        write(&[("index.html", "home")], &target)?;
        assert_eq!(fs::read_to_string(target.join("index.html"))?, "home");
        Ok(())
    }

    #[test]
    fn a_staging_folder_dropped_without_commit_leaves_the_output_alone()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("index.html", "oud")], &target)?;
        {
            let staging = Staging::create(&target).map_err(|d| d.to_string())?;
            staging
                .put("index.html", b"nieuw".to_vec())
                .map_err(|d| d.to_string())?;
        }
        assert_eq!(fs::read_to_string(target.join("index.html"))?, "oud");
        only_the_output_remains(dir.path())
    }
}
