//! `topo.lock`: committed next to the topology. It records the argon2id hash of
//! every OIDC client secret, so a rebuild renders the same hash (no churn in
//! `out/`) and a fresh clone without the secrets store renders identical files.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{SecretsError, fs};

pub const LOCK_FILE: &str = "topo.lock";
const FORMAT_VERSION: u32 = 1;

const HEADER: &str = "\
# topo.lock: written by `topo build` and `topo secrets rotate`; commit it.
# It holds argon2id hashes of OIDC client secrets (never the secrets: those
# live in .topo-secrets/, which is not committed), so rebuilds reuse them and
# the generated files do not change.
";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Lock {
    #[serde(default = "format_version")]
    pub version: u32,
    /// By client id (the service name).
    #[serde(default)]
    pub oidc_clients: BTreeMap<String, LockedClient>,
    /// Sections written by a newer topo: kept as they are.
    #[serde(flatten)]
    pub other: BTreeMap<String, toml::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LockedClient {
    /// `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`.
    pub client_secret_hash: String,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

impl Default for Lock {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            oidc_clients: BTreeMap::new(),
            other: BTreeMap::new(),
        }
    }
}

impl Lock {
    /// Reads `path`; a missing file is an empty lock.
    pub fn read(path: &Path) -> Result<Option<Self>, SecretsError> {
        let Some(text) = fs::read_optional(path)? else {
            return Ok(None);
        };
        Self::parse(&text)
            .map(Some)
            .map_err(|message| SecretsError::Lock {
                path: path.to_path_buf(),
                message,
            })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let lock: Lock = toml::from_str(text).map_err(|e| e.to_string())?;
        if lock.version > FORMAT_VERSION {
            return Err(format!(
                "lock format version {} is newer than this topo understands ({FORMAT_VERSION}); upgrade topo",
                lock.version
            ));
        }
        Ok(lock)
    }

    pub fn hash_of(&self, client: &str) -> Option<&str> {
        self.oidc_clients
            .get(client)
            .map(|c| c.client_secret_hash.as_str())
    }

    /// The file's text: a fixed header, then sorted TOML.
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).expect("a lock always serializes");
        format!("{HEADER}\n{body}")
    }

    /// Writes `path` when its text changes.
    pub fn write(&self, path: &Path) -> Result<bool, SecretsError> {
        fs::write_if_changed(path, self.to_text().as_bytes(), 0o644)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHC: &str = "$argon2id$v=19$m=65536,t=3,p=4$AAECAwQFBgcICQoLDA0ODw$B0mpg0LMF1bHh6JST3S+wssSppUigJ/4vRVxS5nKbTE";

    #[test]
    fn round_trips_and_keeps_unknown_sections() {
        let mut lock = Lock::default();
        lock.oidc_clients.insert(
            "litellm".into(),
            LockedClient {
                client_secret_hash: PHC.into(),
            },
        );
        let mut text = lock.to_text();
        text.push_str("\n[future]\nkey = \"kept\"\n");
        let back = Lock::parse(&text).unwrap();
        assert_eq!(back.hash_of("litellm"), Some(PHC));
        assert!(back.to_text().contains("[future]"));
        assert_eq!(Lock::parse(&back.to_text()).unwrap(), back);
    }

    #[test]
    fn a_newer_format_is_refused() {
        assert!(Lock::parse("version = 99\n").is_err());
    }
}
