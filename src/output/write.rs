//! Writing `out/` all at once or not at all.
//!
//! The new tree is written into a sibling temporary directory, then swapped
//! with `out/` in one `renameat2(RENAME_EXCHANGE)`: a crash at any moment
//! leaves either the old or the new tree under the name `out/`, never a mix.
//! Files in `out/` that topo did not generate are carried over untouched.

use std::ffi::CString;
use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use super::compare::compare;
use super::walk::{WalkOptions, files};
use super::{ChangeKind, OutputTree};
use crate::render::header::is_generated;

/// Name prefix of the staging directories next to `out/`.
const STAGING_PREFIX: &str = ".topo-staging-";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} exists and is not a directory")]
    NotADirectory { path: PathBuf },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub deleted: Vec<String>,
    /// Files without topo's header removed by `--prune`.
    pub pruned: Vec<String>,
}

impl WriteReport {
    pub fn is_unchanged(&self) -> bool {
        self.created.is_empty()
            && self.changed.is_empty()
            && self.deleted.is_empty()
            && self.pruned.is_empty()
    }
}

/// What to do with files in `out/` that topo did not generate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unowned {
    /// Carry them over untouched (the default).
    #[default]
    Keep,
    /// Remove them (`build --prune`).
    Prune,
}

/// Makes `out_dir` hold exactly `tree` plus the files topo does not own.
pub fn write_atomically(tree: &OutputTree, out_dir: &Path) -> Result<WriteReport, WriteError> {
    write_tree(tree, out_dir, Unowned::Keep)
}

/// Like [`write_atomically`], choosing what happens to files topo does not own.
pub fn write_tree(
    tree: &OutputTree,
    out_dir: &Path,
    unowned: Unowned,
) -> Result<WriteReport, WriteError> {
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(WriteError::NotADirectory {
            path: out_dir.to_path_buf(),
        });
    }
    let changes = compare(tree, out_dir).map_err(io(out_dir))?;
    let mut report = WriteReport::default();
    for change in &changes {
        let list = match change.kind {
            ChangeKind::New => &mut report.created,
            ChangeKind::Changed => &mut report.changed,
            ChangeKind::Deleted => &mut report.deleted,
        };
        list.push(change.path.clone());
    }
    if unowned == Unowned::Prune && out_dir.is_dir() {
        let generated = super::compare::generated_files(out_dir).map_err(io(out_dir))?;
        let all = files(out_dir, "", WalkOptions::default()).map_err(io(out_dir))?;
        report.pruned = all
            .into_iter()
            .map(|(rel, _)| rel)
            .filter(|p| !generated.contains(p))
            .collect();
    }
    if report.is_unchanged() {
        return Ok(report);
    }

    let parent = parent_of(out_dir);
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    remove_stale_staging(&parent, out_dir);
    let staging = tempfile::Builder::new()
        .prefix(&staging_prefix(out_dir))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let staging_path = staging.path().to_path_buf();

    if out_dir.is_dir() {
        if unowned == Unowned::Keep {
            carry_over_unowned(out_dir, &staging_path)?;
        }
        let mode = std::fs::metadata(out_dir)
            .map_err(io(out_dir))?
            .permissions();
        std::fs::set_permissions(&staging_path, mode).map_err(io(&staging_path))?;
    } else {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&staging_path, std::fs::Permissions::from_mode(0o755))
            .map_err(io(&staging_path))?;
    }
    let fault = TestFault::from_env();
    for (index, (rel, contents)) in tree.iter().enumerate() {
        fault
            .before_file(index)
            .map_err(io(&staging_path.join(rel)))?;
        write_file(&staging_path.join(rel), contents.as_bytes())?;
    }

    // Keep the staging directory on disk: from here on it is renamed, not dropped.
    let staging_path = staging.keep();
    if out_dir.exists() {
        exchange(&staging_path, out_dir)?;
        // `staging_path` now holds the old tree.
        std::fs::remove_dir_all(&staging_path).map_err(io(&staging_path))?;
    } else {
        std::fs::rename(&staging_path, out_dir).map_err(io(out_dir))?;
    }
    sync_dir(&parent);
    Ok(report)
}

fn parent_of(out_dir: &Path) -> PathBuf {
    crate::source::dir_of(out_dir).to_path_buf()
}

fn staging_prefix(out_dir: &Path) -> String {
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{STAGING_PREFIX}{name}-")
}

/// A crash between staging and swap leaves a staging directory behind; it is
/// never the live tree, so it is safe to drop on the next build.
fn remove_stale_staging(parent: &Path, out_dir: &Path) {
    let prefix = staging_prefix(out_dir);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies every file of `out_dir` without topo's header into `staging`.
fn carry_over_unowned(out_dir: &Path, staging: &Path) -> Result<(), WriteError> {
    for (rel, path) in files(out_dir, "", WalkOptions::default()).map_err(io(out_dir))? {
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let owned = std::str::from_utf8(&bytes)
            .map(is_generated)
            .unwrap_or(false);
        if !owned {
            write_file(&staging.join(&rel), &bytes)?;
            let mode = std::fs::metadata(&path).map_err(io(&path))?.permissions();
            std::fs::set_permissions(staging.join(&rel), mode).map_err(io(&path))?;
        }
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut file = std::fs::File::create(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))?;
    if path.extension().is_some_and(|e| e == "sh") {
        // Generated scripts are meant to be run.
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o755))
            .map_err(io(path))?;
    }
    file.sync_all().map_err(io(path))
}

/// Atomically swaps two directory entries (Linux `renameat2`), falling back to
/// two renames on file systems that cannot exchange.
fn exchange(a: &Path, b: &Path) -> Result<(), WriteError> {
    let ca = CString::new(a.as_os_str().as_bytes()).expect("paths have no NUL");
    let cb = CString::new(b.as_os_str().as_bytes()).expect("paths have no NUL");
    // SAFETY: both pointers are valid NUL-terminated strings for the call's duration.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => {
            // No atomic exchange here: move the old tree aside, then the new one in.
            let aside = a.with_extension("old");
            std::fs::rename(b, &aside).map_err(io(b))?;
            std::fs::rename(a, b).map_err(io(b))?;
            std::fs::rename(&aside, a).map_err(io(a))
        }
        _ => Err(WriteError::Io {
            path: b.to_path_buf(),
            source: err,
        }),
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(file) = std::fs::File::open(dir) {
        let _ = file.sync_all();
    }
}

/// Test hooks to prove atomicity: `TOPO_TEST_FAIL_AFTER=N` fails before the
/// N-th file, `TOPO_TEST_WRITE_DELAY_MS=M` sleeps before each file so a test
/// can kill the process mid-write. Unset in normal use.
struct TestFault {
    fail_after: Option<usize>,
    delay: Option<std::time::Duration>,
}

impl TestFault {
    fn from_env() -> Self {
        let num = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
        Self {
            fail_after: num("TOPO_TEST_FAIL_AFTER").map(|n| n as usize),
            delay: num("TOPO_TEST_WRITE_DELAY_MS").map(std::time::Duration::from_millis),
        }
    }

    fn before_file(&self, index: usize) -> std::io::Result<()> {
        if let Some(delay) = self.delay {
            std::thread::sleep(delay);
        }
        if self.fail_after == Some(index) {
            return Err(std::io::Error::other(
                "injected write failure (TOPO_TEST_FAIL_AFTER)",
            ));
        }
        Ok(())
    }
}
