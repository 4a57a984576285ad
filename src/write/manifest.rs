//! The manifest in the output folder (`.wegwijs-manifest`): for every file
//! wegwijs wrote, its content hash, size and modification time.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::{MANIFEST, io_error};
use crate::diagnostics::Diagnostic;

/// What the manifest knows of one file: content hash, size, modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp(u64, u64, u64, u64, u32);

impl Stamp {
    pub(super) fn new(hash: u128, metadata: &fs::Metadata) -> Stamp {
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

    pub(super) fn hash(&self) -> u128 {
        (u128::from(self.0) << 64) | u128::from(self.1)
    }

    /// The file's size in bytes.
    pub(super) fn len(&self) -> u64 {
        self.2
    }

    /// The file on disk is still the one this stamp describes (nobody replaced or
    /// edited it since wegwijs wrote it).
    pub(super) fn matches_disk(&self, file: &Path) -> bool {
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

/// The manifest of the output `target`, if it has a readable one.
pub(super) fn read(target: &Path) -> Option<HashMap<String, Stamp>> {
    let bytes = fs::read(target.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
    (manifest.version == 1).then(|| manifest.files.into_iter().collect())
}

/// Write the manifest of the new tree into the staged `files`.
pub(super) fn write(files: &Path, stamps: &[(String, Stamp, bool)]) -> Result<(), Diagnostic> {
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
