//! The old side of a diff: where the deployed files are and how to read them.
//!
//! Three shapes: a directory laid out like `out/` (`--against DIR`, or `./out`),
//! the `deploy` node's per-path locations, or another render held in memory
//! (`--base REV`). Each maps an `out/`-relative path to where it is deployed.

use std::path::{Path, PathBuf};

use crate::model::Deploy;
use crate::output::OutputTree;
use crate::render::header::is_generated;

pub enum OldSide {
    /// A tree laid out like `out/`.
    Dir(PathBuf),
    /// The topology's `deploy` node; relative locations are relative to `base_dir`.
    Mapped { deploy: Deploy, base_dir: PathBuf },
    /// The output of another topology, e.g. at a git revision.
    Tree { tree: OutputTree, label: String },
}

impl OldSide {
    /// What the old side is, for headers and reports.
    pub fn label(&self) -> String {
        match self {
            OldSide::Dir(dir) => dir.display().to_string(),
            OldSide::Mapped { .. } => "the deploy locations of the topology".to_string(),
            OldSide::Tree { label, .. } => label.clone(),
        }
    }

    /// Where `rel` is deployed, shown to the reader; `None`: it is not deployed.
    pub fn location(&self, rel: &str) -> Option<String> {
        match self {
            OldSide::Dir(dir) => Some(dir.join(rel).display().to_string()),
            OldSide::Mapped { deploy, base_dir } => deploy
                .location(rel)
                .map(|l| base_dir.join(l).display().to_string()),
            OldSide::Tree { label, .. } => Some(format!("{label}:{rel}")),
        }
    }

    /// The deployed bytes of `rel`; `None` when absent.
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, String> {
        match self {
            OldSide::Tree { tree, .. } => Ok(tree.get(rel).map(|t| t.as_bytes().to_vec())),
            _ => {
                let Some(location) = self.location(rel) else {
                    return Ok(None);
                };
                match std::fs::read(&location) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(format!("cannot read {location}: {e}")),
                }
            }
        }
    }

    /// `out/`-relative paths of every deployed file that carries topo's
    /// header and sits where topo deploys it: the candidates for "deleted".
    pub fn owned_files(&self) -> Result<Vec<String>, String> {
        let mut found = Vec::new();
        match self {
            OldSide::Tree { tree, .. } => found.extend(tree.paths().map(str::to_string)),
            OldSide::Dir(dir) => {
                for (rel, path) in list(dir, "")? {
                    if carries_header(&path) {
                        found.push(rel);
                    }
                }
            }
            OldSide::Mapped { deploy, base_dir } => {
                let mut roots: Vec<(String, PathBuf)> = Vec::new();
                if let Some(root) = &deploy.root {
                    roots.push((String::new(), base_dir.join(root)));
                }
                for p in &deploy.paths {
                    roots.push((p.source.clone(), base_dir.join(&p.target)));
                }
                for (prefix, target) in roots {
                    let files = if target.is_dir() {
                        list(&target, &prefix)?
                    } else if target.is_file() {
                        vec![(prefix, target)]
                    } else {
                        continue;
                    };
                    for (rel, path) in files {
                        // Only where topo would put it: a file under `root` that a
                        // longer `path` maps elsewhere is not topo's to delete.
                        let home = self.location(&rel).map(PathBuf::from);
                        if home.as_deref() == Some(path.as_path()) && carries_header(&path) {
                            found.push(rel);
                        }
                    }
                }
            }
        }
        found.sort();
        found.dedup();
        Ok(found)
    }
}

/// The header sits in the first lines: read only the start of each file, so
/// walking a large deploy root stays cheap.
fn carries_header(path: &Path) -> bool {
    use std::io::Read as _;
    let mut start = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut start))
        .is_ok_and(|_| is_generated(&String::from_utf8_lossy(&start)))
}

fn list(dir: &Path, prefix: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let mut files = Vec::new();
    if dir.is_dir() {
        walk_files(dir, prefix, &mut files)
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    }
    Ok(files)
}

/// Every regular file under `dir` as (`prefix`/relative path, path), sorted.
/// Symlinks to files count; symlinked directories are not followed (no loops);
/// a checkout's `.git` is never deployed config.
pub fn walk_files(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    let options = crate::output::WalkOptions {
        follow_file_symlinks: true,
        skip_git: true,
    };
    out.extend(crate::output::files(dir, prefix, options)?);
    Ok(())
}
