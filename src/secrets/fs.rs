//! Small file helpers for the lock and the secrets store: write only when the
//! bytes change, atomically (temp file + rename), with the mode given.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;

use super::SecretsError;

/// Creates `dir` (and parents) and makes `dir` itself mode 0700.
pub fn private_dir(dir: &Path) -> Result<(), SecretsError> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(SecretsError::io(dir))?;
    ensure_mode(dir, 0o700)
}

/// Sets the permission bits of `path` to `mode` unless they are already
/// that: an unchanged build touches nothing (not even a ctime), which is
/// what lets the build cache recognise it.
fn ensure_mode(path: &Path, mode: u32) -> Result<(), SecretsError> {
    let current = std::fs::metadata(path)
        .map_err(SecretsError::io(path))?
        .permissions()
        .mode();
    if current & 0o7777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(SecretsError::io(path))
}

/// Replaces `path` with `bytes` unless it already holds them; either way the
/// file ends up with `mode`. Returns whether it was written.
pub fn write_if_changed(path: &Path, bytes: &[u8], mode: u32) -> Result<bool, SecretsError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        ensure_mode(path, mode)?;
        return Ok(false);
    }
    let dir = crate::source::dir_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.topo-tmp"));
    let _ = std::fs::remove_file(&temp);
    let result = (|| {
        // The mode is set at creation: a secret is never readable by others, not even briefly.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(mode))?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(SecretsError::io(path))?;
    Ok(true)
}

/// Removes `path` when present. Returns whether it existed.
pub fn remove_if_present(path: &Path) -> Result<bool, SecretsError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(SecretsError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Reads `path` as text; `None` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>, SecretsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SecretsError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}
