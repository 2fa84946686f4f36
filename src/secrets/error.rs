use std::path::PathBuf;

use super::hash::HashError;

/// Why secrets could not be read, resolved or saved. No variant carries a
/// plaintext secret: store parse errors give only the line.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {message}")]
    Lock { path: PathBuf, message: String },
    #[error(
        "cannot read the secrets store {path} (near line {line}); it is written by topo: fix the line or restore it from a backup"
    )]
    Store { path: PathBuf, line: usize },
    #[error(
        "the secret of OIDC client `{client}` in {path} is not usable: use only A-Z, a-z, 0-9 and -._~"
    )]
    MalformedSecret { client: String, path: PathBuf },
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("service `{0}` is not an OIDC client (it needs auth \"oidc\" and an `oidc` block)")]
    NotAClient(String),
}

impl SecretsError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> SecretsError + '_ {
        move |source| SecretsError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
