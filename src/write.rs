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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::output::Sink;

/// The manifest in the output folder: what wegwijs wrote there, and the proof that
/// it did. Deploys may leave it out (`rsync --exclude .wegwijs-manifest`); it
/// holds only paths and hashes of public files.
pub const MANIFEST: &str = ".wegwijs-manifest";
/// The staged files, in the staging folder.
const FILES: &str = "files";
/// The committed journal, in the staging folder.
const JOURNAL: &str = "journal";

/// Refuse an output folder whose replacement would destroy the site itself or
/// files wegwijs did not write.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: &str, help: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into `{}`: {why}",
            output.display()
        ))
        .with_help(help))
    };
    let own_folder = "the output folder is replaced on every build; choose a folder of its own, such as `public`";
    if out == root {
        return refuse("it is the site root", own_folder);
    }
    if root.starts_with(&out) {
        return refuse("it contains the site", own_folder);
    }
    for input in ["content", "themes", "static", "templates"] {
        if out.starts_with(root.join(input)) {
            return refuse(
                &format!("it is inside the site's `{input}` folder"),
                own_folder,
            );
        }
    }
    if out.parent().is_none() {
        return refuse("it is the root of the file system", own_folder);
    }
    if out.is_file() {
        return refuse("it is a file", own_folder);
    }
    // Only an empty folder, or one that wegwijs built (it has the manifest), may
    // be written into: anything else may be someone's web root.
    if let Ok(mut entries) = fs::read_dir(&out)
        && entries.next().is_some()
        && !out.join(MANIFEST).is_file()
    {
        return refuse(
            &format!(
                "it already holds files that are not a built site (there is no `{MANIFEST}` from an earlier build)"
            ),
            "choose an empty or new folder; a folder built by a wegwijs older than the manifest can be deleted once by hand",
        );
    }
    Ok(())
}

/// An absolute, normalised path: `.` and `..` resolved first (so a missing folder
/// in the path cannot hide where it leads), then links in the part that exists.
fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

/// What the manifest knows of one file: content hash, size, modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp(u64, u64, u64, u64, u32);

impl Stamp {
    fn new(hash: u128, metadata: &fs::Metadata) -> Stamp {
        let (secs, nanos) = mtime(metadata);
        // Two u64 halves: JSON numbers beyond 64 bits are not portable.
        Stamp(
            (hash >> 64) as u64,
            hash as u64,
            metadata.len(),
            secs,
            nanos,
        )
    }

    fn hash(&self) -> u128 {
        (u128::from(self.0) << 64) | u128::from(self.1)
    }

    /// The file on disk is still the one this stamp describes (nobody replaced or
    /// edited it since wegwijs wrote it).
    fn matches_disk(&self, file: &Path) -> bool {
        fs::symlink_metadata(file)
            .is_ok_and(|m| m.is_file() && m.len() == self.2 && mtime(&m) == (self.3, self.4))
    }
}

fn mtime(metadata: &fs::Metadata) -> (u64, u32) {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()))
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    files: BTreeMap<String, Stamp>,
}

/// The renames and deletions that turn the output into the new tree.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    delete: Vec<String>,
    /// Staged files to move in, the manifest last.
    put: Vec<String>,
}

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
            mode: read_manifest(&target).map_or(Mode::Fresh, Mode::Update),
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
                write_manifest(&files, &stamps)?;
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
                write_manifest(&files, &stamps)?;
                sync(&files)?;
                self.hooks.point("staged");
                delete.sort_unstable();
                put.sort_unstable();
                put.push(MANIFEST.to_string());
                let journal = Journal { delete, put };
                write_journal(&self.dir, &journal)?;
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
            && old.2 == bytes.len() as u64
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

fn read_manifest(target: &Path) -> Option<HashMap<String, Stamp>> {
    let bytes = fs::read(target.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
    (manifest.version == 1).then(|| manifest.files.into_iter().collect())
}

fn write_manifest(files: &Path, stamps: &[(String, Stamp, bool)]) -> Result<(), Diagnostic> {
    let manifest = Manifest {
        version: 1,
        files: stamps.iter().map(|(p, s, _)| (p.clone(), *s)).collect(),
    };
    let file = files.join(MANIFEST);
    serde_json::to_vec(&manifest)
        .map_err(std::io::Error::other)
        .and_then(|bytes| fs::write(&file, bytes))
        .map_err(|e| io_error(&file, &e.to_string(), "check the free disk space"))
}

/// Commit the journal: written aside, flushed, then renamed into place.
fn write_journal(dir: &Path, journal: &Journal) -> Result<(), Diagnostic> {
    let tmp = dir.join("journal.tmp");
    serde_json::to_vec(journal)
        .map_err(std::io::Error::other)
        .and_then(|bytes| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, dir.join(JOURNAL)))
        .and_then(|()| fs::File::open(dir)?.sync_all())
        .map_err(|e| io_error(dir, &e.to_string(), "check the free disk space"))
}

/// Carry out a committed journal; safe to repeat after a crash at any point.
fn apply(dir: &Path, target: &Path, journal: &Journal, hooks: &Hooks) -> Result<(), Diagnostic> {
    let help = "fix this, then build again: the next build completes the update";
    let mut done = 0;
    for path in &journal.delete {
        let file = target.join(path);
        match fs::remove_file(&file) {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(io_error(&file, &e.to_string(), help));
            }
            _ => {}
        }
        // Remove the folders this leaves empty (a page that is gone); a folder
        // that still holds something stays.
        let mut folder = file.parent();
        while let Some(f) = folder.filter(|f| f.starts_with(target) && *f != target) {
            if fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
        done += 1;
        hooks.point(&format!("apply-{done}"));
    }
    let files = dir.join(FILES);
    for path in &journal.put {
        let from = files.join(path);
        if fs::symlink_metadata(&from).is_err() {
            // Moved in before a crash.
            continue;
        }
        let to = target.join(path);
        to.parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::rename(&from, &to))
            .map_err(|e| io_error(&to, &e.to_string(), help))?;
        done += 1;
        hooks.point(&format!("apply-{done}"));
    }
    Ok(())
}

/// Before a build does anything else: complete the committed journal of an
/// earlier build into `output` that died, and remove the staging folders of
/// builds that failed. Nothing to do (the usual case) costs one `read_dir` of the
/// folder that holds the output.
pub fn recover(output: &Path) -> Result<(), Diagnostic> {
    let target = absolute(output);
    match (target.parent(), target.file_name()) {
        (Some(parent), Some(name)) if parent.is_dir() => {
            recover_in(parent, &name.to_string_lossy(), &target)
        }
        _ => Ok(()),
    }
}

fn recover_in(parent: &Path, name: &str, target: &Path) -> Result<(), Diagnostic> {
    let prefix = format!(".{name}.wegwijs-staging-");
    let entries = fs::read_dir(parent).map_err(|e| {
        io_error(
            parent,
            &e.to_string(),
            "check the permissions of the folder",
        )
    })?;
    for entry in entries.filter_map(Result::ok) {
        if !entry.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let dir = entry.path();
        let _lock = lock(&dir).map_err(|e| {
            if e.kind() == ErrorKind::WouldBlock {
                Diagnostic::error(format!(
                    "another wegwijs build is writing into `{}` right now",
                    target.display()
                ))
                .with_help("wait for it to finish, then build again")
            } else {
                io_error(&dir, &e.to_string(), "remove this folder by hand")
            }
        })?;
        let journal = dir.join(JOURNAL);
        if journal.is_file() {
            let journal: Journal = fs::read(&journal)
                .map_err(|e| e.to_string())
                .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
                .map_err(|e| io_error(&journal, &e, "remove the staging folder by hand and delete the output folder; the next build writes it anew"))?;
            apply(&dir, target, &journal, &Hooks::default())?;
            sync(target)?;
        } else if !target.exists() && dir.join("old").is_dir() {
            // The fallback swap died between its two renames: put the old back.
            fs::rename(dir.join("old"), target)
                .map_err(|e| io_error(target, &e.to_string(), "check the permissions"))?;
        }
        remove(&dir)?;
    }
    Ok(())
}

/// Take the build's lock on its staging folder (Linux: `flock`, released when
/// the process ends, however it ends).
#[cfg(target_os = "linux")]
fn lock(dir: &Path) -> std::io::Result<Option<fs::File>> {
    use rustix::fs::{FlockOperation, flock};
    let file = fs::File::open(dir)?;
    flock(&file, FlockOperation::NonBlockingLockExclusive)?;
    Ok(Some(file))
}

#[cfg(not(target_os = "linux"))]
fn lock(_: &Path) -> std::io::Result<Option<fs::File>> {
    Ok(None)
}

/// Flush the staged files to disk.
#[cfg(target_os = "linux")]
fn sync(dir: &Path) -> Result<(), Diagnostic> {
    // One syncfs instead of thousands of fsyncs: the same guarantee for our files.
    fs::File::open(dir)
        .and_then(|dir| rustix::fs::syncfs(&dir).map_err(std::io::Error::from))
        .map_err(|e| io_error(dir, &e.to_string(), "check the disk"))
}

#[cfg(not(target_os = "linux"))]
fn sync(dir: &Path) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| io_error(dir, &e.to_string(), "check the disk"))?;
        if entry.file_type().is_file() {
            fs::File::open(entry.path())
                .and_then(|f| f.sync_all())
                .map_err(|e| io_error(entry.path(), &e.to_string(), "check the disk"))?;
        }
    }
    Ok(())
}

/// Put `staged` in the place of `target`; the old output ends up in the staging
/// folder, which the caller removes.
fn swap(staged: &Path, target: &Path) -> Result<(), Diagnostic> {
    if !target.exists() {
        return fs::rename(staged, target)
            .map_err(|e| io_error(target, &e.to_string(), "check the permissions"));
    }
    if exchange(staged, target).is_ok() {
        return Ok(());
    }
    let old = staged.with_file_name("old");
    let help = "close programs that use the output folder";
    fs::rename(target, &old).map_err(|e| io_error(target, &e.to_string(), help))?;
    if let Err(e) = fs::rename(staged, target) {
        let _ = fs::rename(&old, target);
        return Err(io_error(target, &e.to_string(), help));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange on this system"))
}

/// Remove a folder and everything in it, its top-level entries in parallel.
fn remove(dir: &Path) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| io_error(dir, &e.to_string(), "remove this folder by hand");
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)
        .and_then(|entries| entries.collect())
        .map_err(fail)?;
    entries
        .par_iter()
        .try_for_each(|entry| match entry.file_type()? {
            t if t.is_dir() => fs::remove_dir_all(entry.path()),
            _ => fs::remove_file(entry.path()),
        })
        .and_then(|()| fs::remove_dir(dir))
        .map_err(fail)
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
    use super::*;

    fn write(files: &[(&str, &str)], target: &Path) -> Result<(), String> {
        let staging = Staging::create(target).map_err(|d| d.to_string())?;
        for (path, text) in files {
            staging
                .put(path, text.as_bytes().to_vec())
                .map_err(|d| d.to_string())?;
        }
        staging.commit().map_err(|d| d.to_string())
    }

    fn only_the_output_remains(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
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

    #[test]
    fn a_committed_journal_is_completed_by_the_next_build() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("index.html", "oud"), ("weg.txt", "x")], &target)?;
        // A build that died right after its commit point, before any rename.
        let staging = dir.path().join(".public.wegwijs-staging-1");
        fs::create_dir_all(staging.join("files/nieuw"))?;
        fs::write(staging.join("files/index.html"), "nieuw")?;
        fs::write(staging.join("files/nieuw/index.html"), "ook nieuw")?;
        let journal = Journal {
            delete: vec!["weg.txt".into()],
            put: vec!["index.html".into(), "nieuw/index.html".into()],
        };
        fs::write(staging.join(JOURNAL), serde_json::to_vec(&journal)?)?;
        // A build that failed before its commit point.
        fs::create_dir_all(dir.path().join(".public.wegwijs-staging-2/files"))?;
        fs::write(
            dir.path()
                .join(".public.wegwijs-staging-2/files/index.html"),
            "kapot",
        )?;
        drop(Staging::create(&target).map_err(|d| d.to_string())?);
        assert_eq!(fs::read_to_string(target.join("index.html"))?, "nieuw");
        assert_eq!(
            fs::read_to_string(target.join("nieuw/index.html"))?,
            "ook nieuw"
        );
        assert!(!target.join("weg.txt").exists());
        only_the_output_remains(dir.path())
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let root = Path::new("/tmp/site");
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, Path::new("/tmp")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/content/public")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/elders")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/site/nergens/../content")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp/site/nergens/../../site")).is_err());
    }

    #[test]
    fn refuses_a_web_root_that_wegwijs_did_not_build() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let www = dir.path().join("www");
        fs::create_dir(&www)?;
        fs::write(www.join("index.html"), "someone else's site")?;
        let err = check_output_dir(dir.path(), &www)
            .err()
            .map(|d| d.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("not a built site")),
            "{err:?}"
        );
        write(&[("index.html", "ons")], &dir.path().join("public"))?;
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
        Ok(())
    }
}
