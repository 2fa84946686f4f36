//! What a successful build leaves in the cache, and how it is read back.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fingerprint::{entries, stamp};
use crate::diagnostic::Diagnostic;

/// One recorded build.
#[derive(Serialize, Deserialize)]
pub struct Record {
    /// [`super::Fingerprint::key`] of the inputs the build read.
    pub key: String,
    /// `out/` as the build left it: every entry's path and stamp (hex).
    pub out: Vec<(String, String)>,
    pub replay: Replay,
}

/// What the build printed, to print again.
#[derive(Serialize, Deserialize)]
pub struct Replay {
    /// The secret summary and warnings, as printed.
    pub secret_lines: Vec<String>,
    /// `--verbose`: each client's outcome.
    pub outcomes: Vec<String>,
    /// Compile warnings and lint findings (none is an error: the build succeeded).
    pub diagnostics: Vec<Diagnostic>,
    /// How many files topo generates into `out/`.
    pub files: usize,
}

/// `out/` now: each entry's path and stamp.
pub fn out_state(out: &Path) -> io::Result<Vec<(String, String)>> {
    Ok(entries(out)?
        .into_iter()
        .map(|(rel, meta)| {
            let stamp: String = stamp(&meta).iter().map(|b| format!("{b:02x}")).collect();
            (rel, stamp)
        })
        .collect())
}

impl Record {
    /// The record at `path`, if there is a readable one.
    pub fn load(path: &Path) -> Option<Record> {
        let bytes = std::fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether a build with inputs `key` would find nothing to do.
    pub fn matches(&self, key: &str, out: &Path) -> bool {
        self.key == key && out_state(out).is_ok_and(|state| state == self.out)
    }

    /// Writes the record atomically; creates the cache directory with a
    /// `.gitignore` (and a CACHEDIR.TAG for backup tools) the first time.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        if !dir.is_dir() {
            std::fs::create_dir_all(dir)?;
            std::fs::write(
                dir.join(".gitignore"),
                "# Created by topo: a build cache, never committed.\n*\n",
            )?;
            std::fs::write(
                dir.join("CACHEDIR.TAG"),
                "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by topo.\n",
            )?;
        }
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut file, self)?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes the record for a build that did not finish as an unchanged one.
    pub fn forget(path: &Path) {
        let _ = std::fs::remove_file(path);
    }
}
