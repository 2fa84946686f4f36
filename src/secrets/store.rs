//! The secrets store: `.topo-secrets/oidc-clients.toml` next to the topology,
//! gitignored, directory 0700 and file 0600. It holds each client's plaintext
//! secret, and next to it the SHA-256 of that secret and the hash it was
//! turned into, so an unchanged secret is never hashed again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Secret, SecretPaths, SecretsError, fs};

const HEADER: &str = "\
# topo secrets store: plaintext OIDC client secrets. NEVER commit this directory.
# To use your own secret, replace `secret` (A-Z a-z 0-9 -._~ only) and run
# `topo build`: a changed secret is hashed again. `topo secrets rotate SERVICE`
# makes a new one.
";

/// One client's entry. `Debug` is safe: [`Secret`] redacts itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredClient {
    pub secret: Secret,
    /// SHA-256 (hex) of `secret` when `hash` was made from it.
    pub secret_sha256: Option<String>,
    /// The argon2id hash made from the secret with that SHA-256.
    pub hash: Option<String>,
}

impl StoredClient {
    /// A secret together with the hash just made from it.
    pub fn hashed(secret: Secret, hash: String) -> Self {
        Self {
            secret_sha256: Some(secret.sha256_hex()),
            secret,
            hash: Some(hash),
        }
    }

    /// True when the secret is the one `hash` was made from.
    pub fn is_unchanged(&self) -> bool {
        self.secret_sha256.as_deref() == Some(self.secret.sha256_hex().as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Store {
    /// By client id (the service name).
    pub clients: BTreeMap<String, StoredClient>,
}

/// The on-disk shape; private and without `Debug`, because it holds plaintext.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct StoreFile {
    #[serde(default)]
    oidc_clients: BTreeMap<String, ClientFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ClientFile {
    secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
}

impl Store {
    /// Reads the store; `None` when there is no store file (a fresh clone).
    pub fn read(paths: &SecretPaths) -> Result<Option<Self>, SecretsError> {
        let path = paths.store_file();
        let Some(text) = fs::read_optional(&path)? else {
            return Ok(None);
        };
        let file: StoreFile = toml::from_str(&text).map_err(|e| {
            // toml's message can quote the offending value: report the line only.
            let offset = e.span().map_or(0, |s| s.start);
            SecretsError::Store {
                path: path.clone(),
                line: line_of(&text, offset),
            }
        })?;
        let mut clients = BTreeMap::new();
        for (name, c) in file.oidc_clients {
            let secret = Secret::new(c.secret);
            if !secret.is_well_formed() {
                return Err(SecretsError::MalformedSecret { client: name, path });
            }
            clients.insert(
                name,
                StoredClient {
                    secret,
                    secret_sha256: c.secret_sha256,
                    hash: c.hash,
                },
            );
        }
        Ok(Some(Self { clients }))
    }

    pub fn to_text(&self) -> String {
        let file = StoreFile {
            oidc_clients: self
                .clients
                .iter()
                .map(|(name, c)| {
                    let entry = ClientFile {
                        secret: c.secret.expose().to_string(),
                        secret_sha256: c.secret_sha256.clone(),
                        hash: c.hash.clone(),
                    };
                    (name.clone(), entry)
                })
                .collect(),
        };
        let body = toml::to_string(&file).expect("a store always serializes");
        format!("{HEADER}\n{body}")
    }

    /// Writes the store (directory 0700, file 0600) when its text changes.
    pub fn write(&self, paths: &SecretPaths) -> Result<bool, SecretsError> {
        fs::private_dir(&paths.store_dir)?;
        fs::write_if_changed(&paths.store_file(), self.to_text().as_bytes(), 0o600)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;
    use std::path::Path;

    #[test]
    fn writes_private_files_and_reads_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let paths = SecretPaths::beside(&dir.path().join("topology.kdl"));
        assert_eq!(Store::read(&paths).unwrap(), None);
        let mut store = Store::default();
        store.clients.insert(
            "litellm".into(),
            StoredClient::hashed(Secret::new("abc".into()), "$h".into()),
        );
        assert!(store.write(&paths).unwrap());
        assert!(
            !store.write(&paths).unwrap(),
            "unchanged text is not rewritten"
        );
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&paths.store_dir), 0o700);
        assert_eq!(mode(&paths.store_file()), 0o600);
        let back = Store::read(&paths).unwrap().unwrap();
        assert_eq!(back, store);
        assert!(back.clients["litellm"].is_unchanged());
    }

    #[test]
    fn parse_errors_never_quote_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths = SecretPaths::beside(&dir.path().join("topology.kdl"));
        std::fs::create_dir_all(&paths.store_dir).unwrap();
        std::fs::write(
            paths.store_file(),
            "[oidc-clients.x]\nsecret = 12345678901234\n",
        )
        .unwrap();
        let message = Store::read(&paths).unwrap_err().to_string();
        assert!(!message.contains("12345678901234"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }
}
