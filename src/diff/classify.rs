//! Which generated files differ from the deployed ones, and how: new,
//! changed, drifted (edited by hand since generated), deleted (generated
//! before, no longer), or unmanaged (a file topo did not write sits where
//! it would write one).

use super::deployed::OldSide;
use super::file_diff::{self, FileDiff};
use super::redact::{Secrets, redact};
use crate::output::OutputTree;
use crate::render::header::is_generated;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not deployed yet.
    New,
    /// Deployed as topo generated it; the new output differs.
    Changed,
    /// Deployed with topo's header but not as the baseline generated it:
    /// edited by hand (or deployed from another revision). A deploy overwrites it.
    Drift,
    /// Carries topo's header but is no longer generated: a deploy removes it.
    Deleted,
    /// Sits where topo writes a file but has no topo header: a deploy overwrites it.
    Unmanaged,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Changed => "changed",
            Status::Drift => "drift",
            Status::Deleted => "deleted",
            Status::Unmanaged => "unmanaged",
        }
    }

    /// One line for the reader: what a deploy does to this file.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::New => "created by the deploy",
            Status::Changed => "updated by the deploy",
            Status::Drift => {
                "edited by hand since it was generated; the deploy overwrites the edit"
            }
            Status::Deleted => "no longer generated; the deploy removes it",
            Status::Unmanaged => "not written by topo; the deploy overwrites it",
        }
    }
}

/// One differing file with both raw versions (never printed as they are).
pub struct Entry {
    pub path: String,
    pub location: Option<String>,
    pub status: Status,
    pub old: Option<Vec<u8>>,
    pub new: Option<String>,
}

impl Entry {
    pub fn old_text(&self) -> Option<&str> {
        self.old
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The redacted unified diff.
    pub fn diff(&self, secrets: &Secrets, context: usize) -> FileDiff {
        let old = match &self.old {
            None => Some(""),
            Some(bytes) => std::str::from_utf8(bytes).ok(),
        };
        let new = self.new.as_deref().unwrap_or("");
        let Some(old) = old else {
            return file_diff::binary();
        };
        let before = redact(&self.path, old, secrets, None);
        let after = redact(&self.path, new, secrets, Some(&before.slots));
        file_diff::diff_lines(&before.lines, &after.lines, context)
    }
}

/// Compares `new` with the old side. `baseline`: what the deployed files were
/// generated from, when known; a deployed file that is neither that nor the
/// new output was edited after generation.
pub fn classify(
    new: &OutputTree,
    old: &OldSide,
    baseline: Option<&OutputTree>,
) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (path, contents) in new.iter() {
        let Some(location) = old.location(path) else {
            continue;
        };
        let status = match old.read(path)? {
            None => Some((Status::New, None)),
            Some(bytes) if bytes == contents.as_bytes() => None,
            Some(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let status = if !is_generated(&text) {
                    Status::Unmanaged
                } else if baseline
                    .is_some_and(|b| b.get(path).map(str::as_bytes) != Some(bytes.as_slice()))
                {
                    Status::Drift
                } else {
                    Status::Changed
                };
                Some((status, Some(bytes)))
            }
        };
        if let Some((status, old_bytes)) = status {
            entries.push(Entry {
                path: path.to_string(),
                location: Some(location),
                status,
                old: old_bytes,
                new: Some(contents.to_string()),
            });
        }
    }
    for path in old.owned_files()? {
        if new.get(&path).is_some() {
            continue;
        }
        let bytes = old.read(&path)?;
        entries.push(Entry {
            location: old.location(&path),
            path,
            status: Status::Deleted,
            old: bytes,
            new: None,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}
