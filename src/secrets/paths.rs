//! Where the lock and the secrets store live: next to the topology file.

use std::path::{Path, PathBuf};

use super::lock::LOCK_FILE;

/// The secrets store directory (gitignored, mode 0700).
pub const STORE_DIR: &str = ".topo-secrets";
/// The plaintext client secrets inside it (mode 0600).
pub const STORE_FILE: &str = "oidc-clients.toml";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretPaths {
    pub lock: PathBuf,
    pub store_dir: PathBuf,
}

impl SecretPaths {
    /// The lock and store beside `topology_file`.
    pub fn beside(topology_file: &Path) -> Self {
        let dir = crate::source::dir_of(topology_file);
        Self {
            lock: dir.join(LOCK_FILE),
            store_dir: dir.join(STORE_DIR),
        }
    }

    pub fn store_file(&self) -> PathBuf {
        self.store_dir.join(STORE_FILE)
    }

    pub fn compose_dir(&self) -> PathBuf {
        self.store_dir.join("compose")
    }

    /// `.topo-secrets/compose/<host>.env`: what Compose reads for `${VAR}`.
    pub fn env_file(&self, host: &str) -> PathBuf {
        self.compose_dir().join(format!("{host}.env"))
    }
}

/// The env file's path relative to the topology directory, as generated files
/// and messages name it (never an absolute, machine-specific path).
pub fn env_file_display(host: &str) -> String {
    format!("{STORE_DIR}/compose/{host}.env")
}
