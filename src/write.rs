//! Writing the built site to disk without ever leaving half a site.
//!
//! Everything is written into a staging folder beside the target, flushed to disk,
//! and then swapped in with one rename (an atomic exchange on Linux). A failure at any
//! point before the swap removes only the staging folder: the previous output stays
//! exactly as it was. Nothing outside the staging folder and the target is touched.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::Output;

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

/// Write `output` to `target` atomically (see the module docs).
pub fn write(output: &Output, target: &Path) -> Result<(), Diagnostic> {
    let fail_after = std::env::var(FAIL_AFTER_ENV)
        .ok()
        .and_then(|n| n.parse::<usize>().ok());
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
    let staging = parent.join(format!(".{name}.wegwijs-staging-{}", std::process::id()));
    if staging.exists() {
        remove(&staging)?;
    }
    let result = fill(&staging, output, fail_after).and_then(|()| swap(&staging, &target));
    if result.is_err() && staging.exists() {
        // Only our own staging folder is removed; the target is untouched.
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, output: &Output, fail_after: Option<usize>) -> Result<(), Diagnostic> {
    fs::create_dir(staging).map_err(|e| {
        io_error(
            staging,
            &e.to_string(),
            "check the permissions of the folder",
        )
    })?;
    let dirs: BTreeSet<PathBuf> = output
        .iter()
        .filter_map(|(path, _)| Path::new(path).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for dir in &dirs {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir)
            .map_err(|e| io_error(&dir, &e.to_string(), "check the free disk space"))?;
    }
    let files: Vec<(usize, (&str, &[u8]))> = output.iter().enumerate().collect();
    files.par_iter().try_for_each(|(i, (path, bytes))| {
        let file = staging.join(path);
        if fail_after.is_some_and(|n| *i >= n) {
            return Err(io_error(
                &file,
                "simulated write failure",
                "this failure was requested by the test hook",
            ));
        }
        fs::File::create(&file)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| {
                io_error(
                    &file,
                    &e.to_string(),
                    "check the free disk space and the permissions",
                )
            })
    })?;
    sync(staging)
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

fn remove(dir: &Path) -> Result<(), Diagnostic> {
    fs::remove_dir_all(dir).map_err(|e| io_error(dir, &e.to_string(), "remove this folder by hand"))
}

fn io_error(path: &Path, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{}`: {what}", path.display())).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut out = Output::default();
        for (p, b) in files {
            out.insert(*p, b.as_bytes().to_vec());
        }
        out
    }

    #[test]
    fn replaces_the_previous_output_completely() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("public");
        write(&output(&[("a/index.html", "1"), ("old.txt", "x")]), &target)
            .map_err(|d| d.to_string())?;
        write(&output(&[("a/index.html", "2")]), &target).map_err(|d| d.to_string())?;
        assert_eq!(fs::read_to_string(target.join("a/index.html"))?, "2");
        assert!(!target.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())?.collect();
        assert_eq!(leftovers.len(), 1, "only the output folder remains");
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
