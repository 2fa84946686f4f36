//! What differs between a tree we would write and a directory on disk.

use std::path::Path;

use super::walk::{WalkOptions, files};

use super::OutputTree;
use crate::render::header::is_generated;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Would be created.
    New,
    /// Exists with other contents.
    Changed,
    /// Generated earlier, no longer produced: a build removes it.
    Deleted,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
}

/// Lists the files of `dir` that differ from `tree`. Files in `dir` without
/// topo's header are not ours and never count.
pub fn compare(tree: &OutputTree, dir: &Path) -> std::io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (path, contents) in tree.iter() {
        match std::fs::read(dir.join(path)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => changes.push(Change {
                path: path.to_string(),
                kind: ChangeKind::Changed,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.push(Change {
                path: path.to_string(),
                kind: ChangeKind::New,
            }),
            Err(e) => return Err(e),
        }
    }
    for path in generated_files(dir)? {
        if tree.get(&path).is_none() {
            changes.push(Change {
                path,
                kind: ChangeKind::Deleted,
            });
        }
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// Relative paths of every file under `dir` that carries topo's header.
pub fn generated_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    if dir.is_dir() {
        for (rel, path) in files(dir, "", WalkOptions::default())? {
            if let Ok(text) = std::fs::read_to_string(&path)
                && is_generated(&text)
            {
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}
