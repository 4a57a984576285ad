//! Where rendered files go. Rendering hands every finished file to a [`Sink`]:
//! `build` writes it straight into a staging folder (see [`crate::write`]), so the
//! whole site never has to sit in memory; tests and a dev server keep it in an
//! in-memory [`Output`] instead.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crate::diagnostics::Diagnostic;

/// Receives the files of a build, from many threads at once.
pub trait Sink: Sync {
    /// Store the file at output path `path` (`/`-separated, relative to the
    /// output root, such as `thema/gamen/index.html`).
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;

    /// What `path` held in the output this build replaces, if the sink writes
    /// over one and the file is as that build left it: for files that cost more
    /// to make than to read (social images). `None` unless a sink knows better.
    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        let _ = path;
        None
    }
}

/// A file copied as it is (theme static files, `static/`, files beside pages).
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated, relative to the output root (`img/logo.svg`).
    pub out: String,
    /// Where to read it.
    pub src: PathBuf,
}

/// A whole built site in memory, keyed by output path (`thema/gamen/index.html`).
#[derive(Debug, Default)]
pub struct Output {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    /// Files of the build this one replaces that cost more to make than to keep
    /// (`serve` hands over its social images), answered by [`Sink::previous`].
    previous: BTreeMap<String, Arc<[u8]>>,
}

impl Output {
    /// An empty output that knows these files of the build it replaces.
    pub fn with_previous(previous: BTreeMap<String, Arc<[u8]>>) -> Output {
        Output {
            files: Mutex::default(),
            previous,
        }
    }

    fn files(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of a file's bytes.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.files().get(path).cloned()
    }

    /// Every output path, in order.
    pub fn paths(&self) -> Vec<String> {
        self.files().keys().cloned().collect()
    }

    /// All files, by output path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.files().insert(path.to_string(), bytes);
        Ok(())
    }

    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        self.previous.get(path).map(|bytes| bytes.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_sink_keeps_the_last_version_of_each_file() {
        let output = Output::default();
        for (path, text) in [("b.txt", "1"), ("a/index.html", "2"), ("b.txt", "3")] {
            assert!(output.put(path, text.as_bytes().to_vec()).is_ok());
        }
        assert_eq!(output.paths(), ["a/index.html", "b.txt"]);
        assert_eq!(output.get("b.txt").as_deref(), Some(&b"3"[..]));
        assert_eq!(output.get("c.txt"), None);
        assert_eq!(output.previous("b.txt"), None);
    }

    #[test]
    fn the_memory_sink_answers_for_the_files_it_was_handed() {
        let old: Arc<[u8]> = Arc::from(&b"png"[..]);
        let output = Output::with_previous([("social/a.png".to_string(), old)].into());
        assert_eq!(
            output.previous("social/a.png").as_deref(),
            Some(&b"png"[..])
        );
        assert_eq!(output.previous("index.html"), None);
        assert_eq!(output.paths(), Vec::<String>::new());
    }
}
