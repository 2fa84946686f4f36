//! `topo diff`: what a deploy of the current topology would change, safe to
//! paste into a pull request.
//!
//! The new side is always the topology compiled in memory. The old side
//! ([`OldSide`]) is the deployed files, or the output of another revision.
//! A *baseline* (the model and output the deployed files were generated
//! from, when known) adds the semantic summary and tells hand edits (drift)
//! from ordinary changes. Every line passes through [`redact`] before any
//! format sees it.

pub mod actions;
mod assign;
pub mod base;
mod classify;
pub mod deployed;
pub mod file_diff;
pub mod format_json;
pub mod format_markdown;
pub mod format_text;
pub mod redact;
pub mod semantic;

use std::collections::BTreeSet;

pub use classify::Status;
pub use deployed::OldSide;
pub use redact::Secrets;

use crate::model::Topology;
use crate::output::OutputTree;
use actions::{Action, FileChange};
use file_diff::FileDiff;
use semantic::Change;

/// The model and output the deployed files came from.
pub struct Baseline {
    pub model: Topology,
    pub tree: OutputTree,
    /// `HEAD:topology.kdl`, `main`, `/srv/deployed/topology.kdl`.
    pub label: String,
}

pub struct Inputs<'a> {
    pub new_model: &'a Topology,
    pub new_tree: &'a OutputTree,
    pub new_label: String,
    pub old: &'a OldSide,
    pub baseline: Option<&'a Baseline>,
    /// Why there is no baseline, shown where the summary would be.
    pub no_baseline_note: Option<String>,
    pub secrets: Secrets,
    /// Lines of context around each change.
    pub context: usize,
}

/// One file that a deploy would create, change or remove.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileReport {
    /// Relative to `out/`.
    pub path: String,
    /// Where it is deployed, when that is not simply the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub status: Status,
    pub diff: FileDiff,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    /// `None`: no baseline model to compare with (see `note`).
    pub changes: Option<Vec<Change>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub summary: Summary,
    pub actions: Vec<Action>,
    pub files: Vec<FileReport>,
    /// Every secret seen, for the last guard over a formatted report.
    #[serde(skip)]
    pub secrets: Secrets,
}

impl Report {
    pub fn has_changes(&self) -> bool {
        !self.files.is_empty()
    }

    /// Counts per status, insertions, deletions.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for f in &self.files {
            t.files += 1;
            t.insertions += f.diff.insertions;
            t.deletions += f.diff.deletions;
            match f.status {
                Status::New => t.new += 1,
                Status::Changed => t.changed += 1,
                Status::Drift => t.drift += 1,
                Status::Deleted => t.deleted += 1,
                Status::Unmanaged => t.unmanaged += 1,
            }
        }
        t
    }

    /// Masks any secret that slipped into a formatted report.
    pub fn guard(&self, text: String) -> String {
        self.secrets.mask(&text)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub files: usize,
    pub new: usize,
    pub changed: usize,
    pub drift: usize,
    pub deleted: usize,
    pub unmanaged: usize,
    pub insertions: usize,
    pub deletions: usize,
}

impl Totals {
    /// `3 files: 1 new, 1 changed, 1 deleted; +10 -2`
    pub fn line(&self) -> String {
        let parts: Vec<String> = [
            (self.new, "new"),
            (self.changed, "changed"),
            (self.drift, "drifted"),
            (self.deleted, "deleted"),
            (self.unmanaged, "unmanaged"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
        let files = if self.files == 1 { "file" } else { "files" };
        format!(
            "{} {files}: {}; +{} -{}",
            self.files,
            parts.join(", "),
            self.insertions,
            self.deletions
        )
    }
}

/// Compares, redacts and summarises. `Err` is an I/O problem with the old side.
pub fn compare(mut inputs: Inputs<'_>) -> Result<Report, String> {
    let drift_reference = match inputs.old {
        OldSide::Tree { .. } => None,
        _ => inputs.baseline.map(|b| &b.tree),
    };
    let entries = classify::classify(inputs.new_tree, inputs.old, drift_reference)?;
    for entry in &entries {
        if let Some(old) = entry.old_text() {
            inputs.secrets.learn(&entry.path, old);
        }
        if let Some(new) = &entry.new {
            inputs.secrets.learn(&entry.path, new);
        }
    }
    let files: Vec<FileReport> = entries
        .iter()
        .map(|e| FileReport {
            path: e.path.clone(),
            // Only the deploy node moves files away from their out/ path.
            location: matches!(inputs.old, OldSide::Mapped { .. })
                .then(|| e.location.clone())
                .flatten(),
            status: e.status,
            diff: e.diff(&inputs.secrets, inputs.context),
        })
        .collect();
    let changes: Vec<FileChange<'_>> = entries
        .iter()
        .map(|e| FileChange {
            path: &e.path,
            old: e.old_text(),
            new: e.new.as_deref(),
        })
        .collect();
    let mut rendered: BTreeSet<String> = inputs.new_tree.paths().map(str::to_string).collect();
    rendered.extend(entries.iter().map(|e| e.path.clone()));
    let old_model = inputs.baseline.map(|b| &b.model);
    let actions = actions::plan(&changes, &rendered, old_model, inputs.new_model);
    let summary = match inputs.baseline {
        Some(b) => Summary {
            changes: Some(semantic::compare(&b.model, inputs.new_model)),
            baseline: Some(b.label.clone()),
            note: None,
        },
        None => Summary {
            changes: None,
            baseline: None,
            note: inputs.no_baseline_note.clone(),
        },
    };
    Ok(Report {
        old: inputs.old.label(),
        new: inputs.new_label.clone(),
        summary,
        actions,
        files,
        secrets: inputs.secrets,
    })
}
