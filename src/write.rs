//! Writing the built site to disk without ever leaving half a site.
//!
//! Rendering writes every file into a [`Staging`] folder beside the target as soon
//! as it is done; the folder is flushed to disk and then swapped in with one rename
//! (an atomic exchange on Linux). A failure at any point before the swap removes
//! only the staging folder: the previous output stays exactly as it was. Nothing
//! outside the staging folder and the target is touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Sink;

/// Environment variable for tests: fail after writing this many files, as a full
/// disk would, to prove the previous output survives a late failure.
pub const FAIL_AFTER_ENV: &str = "WEGWIJS_TEST_FAIL_WRITE_AFTER";

/// Refuse an output folder whose replacement would destroy the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into `{}`: {why}",
            output.display()
        ))
        .with_help("the output folder is replaced on every build; choose a folder of its own, such as `public`"))
    };
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for input in ["content", "themes", "static", "templates"] {
        if out.starts_with(root.join(input)) {
            return refuse(&format!("it is inside the site's `{input}` folder"));
        }
    }
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    // Replacing a folder deletes what is in it: only an empty folder, or one that
    // holds a site built before (it has an index.html or a 404.html), may go.
    if let Ok(mut entries) = std::fs::read_dir(&out) {
        let built_before = out.join("index.html").is_file() || out.join("404.html").is_file();
        if entries.next().is_some() && !built_before {
            return refuse("it already holds files that are not a built site");
        }
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

/// A staging folder beside the output folder that a build writes into. Nothing
/// else sees it until [`Staging::commit`] swaps it in; dropped without a commit
/// (a render error, a full disk), it removes itself and the previous output stays
/// exactly as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    files: AtomicUsize,
    fail_after: Option<usize>,
    committed: bool,
}

impl Staging {
    /// Create an empty staging folder for `target` (which need not exist yet).
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
        let dir = parent.join(format!(".{name}.wegwijs-staging-{}", std::process::id()));
        if dir.exists() {
            remove(&dir)?;
        }
        fs::create_dir(&dir)
            .map_err(|e| io_error(&dir, &e.to_string(), "check the permissions of the folder"))?;
        Ok(Staging {
            dir,
            target,
            files: AtomicUsize::new(0),
            fail_after: std::env::var(FAIL_AFTER_ENV)
                .ok()
                .and_then(|n| n.parse::<usize>().ok()),
            committed: false,
        })
    }

    /// How many files have been written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Flush everything to disk and put it in the place of the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        sync(&self.dir)?;
        swap(&self.dir, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let n = self.files.fetch_add(1, Ordering::Relaxed);
        let file = self.dir.join(path);
        if self.fail_after.is_some_and(|max| n >= max) {
            return Err(io_error(
                &file,
                "simulated write failure",
                "this failure was requested by the test hook",
            ));
        }
        // Nearly every page has a folder of its own (`thema/gamen/index.html`):
        // make it first, and the file is written in one go.
        let written = match file.parent().map(fs::create_dir) {
            Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                file.parent().map_or(Err(e), fs::create_dir_all)
            }
            Some(Err(e)) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
        .and_then(|()| fs::write(&file, &bytes));
        written.map_err(|e| {
            io_error(
                &file,
                &e.to_string(),
                "check the free disk space and the permissions",
            )
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.dir.exists() {
            // Only our own staging folder is removed; the target is untouched.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Flush the staging folder to disk before it becomes the output.
#[cfg(target_os = "linux")]
fn sync(staging: &Path) -> Result<(), Diagnostic> {
    // One syncfs instead of thousands of fsyncs: the same guarantee for our files.
    fs::File::open(staging)
        .and_then(|dir| rustix::fs::syncfs(&dir).map_err(std::io::Error::from))
        .map_err(|e| io_error(staging, &e.to_string(), "check the disk"))
}

#[cfg(not(target_os = "linux"))]
fn sync(staging: &Path) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(staging) {
        let entry = entry.map_err(|e| io_error(staging, &e.to_string(), "check the disk"))?;
        if entry.file_type().is_file() {
            fs::File::open(entry.path())
                .and_then(|f| f.sync_all())
                .map_err(|e| io_error(entry.path(), &e.to_string(), "check the disk"))?;
        }
    }
    Ok(())
}

/// Put `staging` in the place of `target`, then remove the old output.
fn swap(staging: &Path, target: &Path) -> Result<(), Diagnostic> {
    if !target.exists() {
        return fs::rename(staging, target)
            .map_err(|e| io_error(target, &e.to_string(), "check the permissions"));
    }
    if exchange(staging, target).is_ok() {
        // `staging` now holds the previous output.
        return remove(staging);
    }
    let old = staging.with_extension("old");
    fs::rename(target, &old).map_err(|e| {
        io_error(
            target,
            &e.to_string(),
            "close programs that use the output folder",
        )
    })?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(io_error(
            target,
            &e.to_string(),
            "close programs that use the output folder",
        ));
    }
    remove(&old)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(files: &[(&str, &str)], target: &Path) -> Result<(), Diagnostic> {
        let staging = Staging::create(target)?;
        for (path, text) in files {
            staging.put(path, text.as_bytes().to_vec())?;
        }
        staging.commit()
    }

    #[test]
    fn replaces_the_previous_output_completely() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("a/index.html", "1"), ("old.txt", "x")], &target).map_err(|d| d.to_string())?;
        write(&[("a/b/c/index.html", "2")], &target).map_err(|d| d.to_string())?;
        assert_eq!(fs::read_to_string(target.join("a/b/c/index.html"))?, "2");
        assert!(!target.join("a/index.html").exists());
        assert!(!target.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())?.collect();
        assert_eq!(leftovers.len(), 1, "only the output folder remains");
        Ok(())
    }

    #[test]
    fn a_staging_folder_dropped_without_commit_leaves_the_output_alone()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&[("index.html", "oud")], &target).map_err(|d| d.to_string())?;
        {
            let staging = Staging::create(&target).map_err(|d| d.to_string())?;
            staging
                .put("index.html", b"nieuw".to_vec())
                .map_err(|d| d.to_string())?;
        }
        assert_eq!(fs::read_to_string(target.join("index.html"))?, "oud");
        let leftovers: Vec<_> = fs::read_dir(dir.path())?.collect();
        assert_eq!(leftovers.len(), 1, "the staging folder is gone");
        Ok(())
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
}
