//! The journal: after the staged files are on disk, the list of deletions and
//! renames that turn the output into the new tree, committed by one rename and
//! carried out again by the next build if this one dies (see the parent module).

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::disk::{lock, remove, sync};
use super::output_dir::absolute;
use super::{FILES, Hooks, io_error};
use crate::diagnostics::Diagnostic;

/// The committed journal, in the staging folder.
pub(super) const JOURNAL: &str = "journal";

/// The renames and deletions that turn the output into the new tree.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Journal {
    /// Files gone from the site.
    pub(super) delete: Vec<String>,
    /// Staged files to move in, the manifest last.
    pub(super) put: Vec<String>,
}

/// Commit the journal: written aside, flushed, then renamed into place.
pub(super) fn commit(dir: &Path, journal: &Journal) -> Result<(), Diagnostic> {
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
pub(super) fn apply(
    dir: &Path,
    target: &Path,
    journal: &Journal,
    hooks: &Hooks,
) -> Result<(), Diagnostic> {
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

pub(super) fn recover_in(parent: &Path, name: &str, target: &Path) -> Result<(), Diagnostic> {
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

#[cfg(test)]
mod tests {
    use super::super::Staging;
    use super::super::tests::{only_the_output_remains, write};
    use super::*;

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
}
