//! File-system calls the writer needs beyond `std::fs`: a lock, `syncfs`, an
//! atomic exchange of two folders, and a parallel remove.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::io_error;
use crate::diagnostics::Diagnostic;

/// Take the build's lock on its staging folder (Linux: `flock`, released when
/// the process ends, however it ends).
#[cfg(target_os = "linux")]
pub(super) fn lock(dir: &Path) -> std::io::Result<Option<fs::File>> {
    use rustix::fs::{FlockOperation, flock};
    let file = fs::File::open(dir)?;
    flock(&file, FlockOperation::NonBlockingLockExclusive)?;
    Ok(Some(file))
}

#[cfg(not(target_os = "linux"))]
pub(super) fn lock(_: &Path) -> std::io::Result<Option<fs::File>> {
    Ok(None)
}

/// Flush the staged files to disk.
#[cfg(target_os = "linux")]
pub(super) fn sync(dir: &Path) -> Result<(), Diagnostic> {
    // One syncfs instead of thousands of fsyncs: the same guarantee for our files.
    fs::File::open(dir)
        .and_then(|dir| rustix::fs::syncfs(&dir).map_err(std::io::Error::from))
        .map_err(|e| io_error(dir, &e.to_string(), "check the disk"))
}

#[cfg(not(target_os = "linux"))]
pub(super) fn sync(dir: &Path) -> Result<(), Diagnostic> {
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
pub(super) fn swap(staged: &Path, target: &Path) -> Result<(), Diagnostic> {
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
pub(super) fn remove(dir: &Path) -> Result<(), Diagnostic> {
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
