//! The baseline: the topology the deployed files were generated from.
//!
//! `--base REV` reads it from git (`topology.kdl`, `topo.lock` and
//! `profiles/` as they were at REV, put in a temporary directory so they
//! compile exactly as they would in a checkout). Without it, a snapshot
//! beside a deployed tree is used: `DIR/topology.kdl` or `DIR/../topology.kdl`;
//! when that is the working file itself (DIR is this project's own `out/`),
//! its committed version (`HEAD`) is.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::secrets::LOCK_FILE;
use crate::source::dir_of;

/// A topology (and what it compiles with) written out for compiling.
pub struct Materialized {
    /// Keeps the files alive while they are compiled and rendered.
    pub dir: tempfile::TempDir,
    pub topology: PathBuf,
}

/// Writes the topology as it was at git revision `rev`.
pub fn at_revision(topology: &Path, rev: &str) -> Result<Materialized, String> {
    if rev.is_empty()
        || rev.starts_with('-')
        || rev.contains(':')
        || rev.chars().any(char::is_whitespace)
    {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let dir = dir_of(topology).to_path_buf();
    let name = file_name(topology)?;
    let commit = git(
        &dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        format!(
            "`{rev}` is not a commit of the git repository at {}: {e}",
            dir.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let text = git(&dir, &["show", &format!("{commit}:./{name}")])
        .map_err(|e| format!("{name} does not exist at {rev}: {e}"))?;
    let out = tempfile::Builder::new()
        .prefix("topo-base-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let write = |rel: &str, bytes: &[u8]| -> Result<(), String> {
        let path = out.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&name, &text)?;
    // The lock keeps secret hashes stable: without it every hash would differ.
    // A revision from before the lock was committed borrows the working one,
    // whose hashes are what a build from it would have written.
    let lock = git(&dir, &["show", &format!("{commit}:./topo.lock")])
        .ok()
        .or_else(|| std::fs::read(dir.join(LOCK_FILE)).ok());
    if let Some(lock) = lock {
        write(LOCK_FILE, &lock)?;
    }
    if let Ok(list) = git(
        &dir,
        &["ls-tree", "-r", "--name-only", &commit, "--", "profiles"],
    ) {
        for rel in String::from_utf8_lossy(&list)
            .lines()
            .filter(|l| is_safe_relative(l))
        {
            let bytes = git(&dir, &["show", &format!("{commit}:./{rel}")])?;
            write(rel, &bytes)?;
        }
    }
    let topology = out.path().join(&name);
    Ok(Materialized { dir: out, topology })
}

/// What lies beside a deployed tree.
pub enum Snapshot {
    /// `DIR/topology.kdl` or `DIR/../topology.kdl`.
    Found(PathBuf),
    /// The snapshot is the working file itself: use its committed version.
    WorkingFile,
    None,
}

/// The topology snapshot beside the deployed tree `tree`.
pub fn snapshot_beside(tree: &Path, working: &Path) -> Snapshot {
    let Ok(name) = file_name(working) else {
        return Snapshot::None;
    };
    let working = std::fs::canonicalize(working).ok();
    for candidate in [tree.join(&name), tree.join("..").join(&name)] {
        if !candidate.is_file() {
            continue;
        }
        if std::fs::canonicalize(&candidate).ok() == working {
            return Snapshot::WorkingFile;
        }
        return Snapshot::Found(candidate);
    }
    Snapshot::None
}

/// True when git tracks `topology` (so `HEAD` has a version of it).
pub fn is_tracked(topology: &Path) -> bool {
    let Ok(name) = file_name(topology) else {
        return false;
    };
    git(
        dir_of(topology),
        &["ls-files", "--error-unmatch", "--", &name],
    )
    .is_ok()
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} is not a file", path.display()))
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Runs git in `dir`; stdout on success, stderr's first line otherwise.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").to_string())
    }
}
