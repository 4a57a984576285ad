//! Which folders a build may replace: never the site itself, a folder inside its
//! sources, or a folder of files wegwijs did not write.

use std::fs;
use std::path::{Path, PathBuf};

use super::MANIFEST;
use crate::diagnostics::Diagnostic;

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
pub(super) fn absolute(path: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        super::super::tests::write(&[("index.html", "ons")], &dir.path().join("public"))?;
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
        Ok(())
    }
}
