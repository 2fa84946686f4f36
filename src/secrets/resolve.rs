//! Turning the topology, `topo.lock` and the secrets store into the
//! [`Credentials`] renderers use, plus the new lock, store and env files.
//!
//! The rules (see `plan`): an unchanged secret whose hash is locked costs
//! nothing; a changed secret is hashed anew; a client without a secret gets a
//! generated one; with no store (a fresh clone) the lock's hash is rendered as
//! it is, so `out/` is byte-identical. `build --check` never generates,
//! hashes or writes: what would need it is reported as pending.

use std::collections::BTreeMap;

use super::env_file::env_file_text;
use super::hash::{self, has_authelia_params, in_parallel};
use super::lock::{Lock, LockedClient};
use super::plan::{self, Mismatch, Step};
use super::store::{Store, StoredClient};
use super::{Credential, Credentials, Secret, SecretPaths, SecretsError, fs};
use crate::model::Topology;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode<'a> {
    /// `topo build`: generate and hash what is missing; persist before out/.
    Build,
    /// `topo build --check` (and in-memory renders): read only.
    Check,
    /// `topo secrets rotate CLIENT`: a new secret for CLIENT, the rest as a build.
    Rotate(&'a str),
}

/// What resolution did, for the summary line and for tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub clients: usize,
    /// New secrets made.
    pub generated: usize,
    /// argon2id hashes computed (new PHC strings).
    pub hashed: usize,
    /// Locked hashes checked against a stored secret.
    pub verified: usize,
    /// Locked hashes used as they are (with or without the secret at hand).
    pub reused: usize,
}

pub struct Resolution {
    pub credentials: Credentials,
    pub stats: Stats,
    /// Said to the user on stderr; never contains plaintext.
    pub warnings: Vec<String>,
    /// Check mode: why a build would change out/.
    pub pending: Vec<String>,
    /// Per client, in topology order: what happened to its secret (for
    /// `build --verbose`; names and outcomes only, never a secret).
    pub outcomes: Vec<(String, &'static str)>,
    read_only: bool,
    lock: Lock,
    lock_existed: bool,
    store: Store,
    store_existed: bool,
    /// Docker host → env file text (`None`: no secret to put there).
    env_files: BTreeMap<String, Option<String>>,
}

/// An OIDC client: one per service with an `oidc` block.
struct Client<'t> {
    id: &'t str,
    host: &'t str,
    docker: bool,
}

fn clients(topology: &Topology) -> Vec<Client<'_>> {
    topology
        .services
        .iter()
        .filter(|s| s.oidc.is_some())
        .map(|s| Client {
            id: &s.name,
            host: &s.host,
            docker: topology.hosts.iter().any(|h| h.name == s.host && h.docker),
        })
        .collect()
}

pub fn resolve(
    topology: &Topology,
    paths: &SecretPaths,
    mode: Mode<'_>,
) -> Result<Resolution, SecretsError> {
    let clients = clients(topology);
    if let Mode::Rotate(target) = mode
        && !clients.iter().any(|c| c.id == target)
    {
        return Err(SecretsError::NotAClient(target.to_string()));
    }
    let old_lock = Lock::read(&paths.lock)?;
    let old_store = Store::read(paths)?;
    let (lock_existed, store_existed) = (old_lock.is_some(), old_store.is_some());
    let old_lock = old_lock.unwrap_or_default();
    let old_store = old_store.unwrap_or_default();
    let mut warnings = Vec::new();

    let steps: Vec<Step> = clients
        .iter()
        .map(|c| {
            let locked = old_lock.hash_of(c.id).filter(|h| {
                let ok = has_authelia_params(h);
                if !ok {
                    warnings.push(format!(
                        "topo.lock's hash for `{}` is not argon2id with Authelia's parameters: it is made again",
                        c.id
                    ));
                }
                ok
            });
            let step = plan::plan(c.id, old_store.clients.get(c.id), locked, mode == Mode::Rotate(c.id));
            if mode == Mode::Check { plan::read_only(c.id, step) } else { step }
        })
        .collect();

    let mut stats = Stats {
        clients: clients.len(),
        ..Stats::default()
    };
    let decided = verify_locked(&clients, steps, &mut stats, mode == Mode::Check);
    let finals = hash_needed(decided, &mut stats)?;

    let mut lock = Lock {
        oidc_clients: BTreeMap::new(),
        ..old_lock.clone()
    };
    let mut store = Store::default();
    let mut credentials = Credentials::new();
    let mut pending = Vec::new();
    let mut usable: BTreeMap<&str, Secret> = BTreeMap::new();
    let mut outcomes = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    for (client, outcome) in clients.iter().zip(finals) {
        let id = client.id;
        outcomes.push((id.to_string(), outcome.describe()));
        let hash = match outcome {
            Final::Reused { hash } => {
                stats.reused += 1;
                if let Some(s) = old_store.clients.get(id) {
                    store.clients.insert(
                        id.to_string(),
                        StoredClient::hashed(s.secret.clone(), hash.clone()),
                    );
                    usable.insert(id, s.secret.clone());
                }
                hash
            }
            Final::Hashed { secret, hash } => {
                store.clients.insert(
                    id.to_string(),
                    StoredClient::hashed(secret.clone(), hash.clone()),
                );
                usable.insert(id, secret);
                hash
            }
            Final::LockOnly { hash, warning } => {
                stats.reused += 1;
                match old_store.clients.get(id) {
                    // Said once for all such clients, below.
                    None => missing.push(id),
                    Some(_) => warnings.push(warning),
                }
                // A stale secret stays in the store for the user to sort out, but out of the env file.
                if let Some(s) = old_store.clients.get(id) {
                    store.clients.insert(id.to_string(), s.clone());
                }
                hash
            }
            Final::Pending { reason } => {
                pending.push(reason);
                continue;
            }
        };
        lock.oidc_clients.insert(
            id.to_string(),
            LockedClient {
                client_secret_hash: hash.clone(),
            },
        );
        credentials.insert(id, Credential::new(id, hash));
    }
    warnings.extend(plan::missing_secrets(&missing));
    let env_files = env_files(&clients, &usable);
    Ok(Resolution {
        credentials,
        stats,
        warnings,
        pending,
        outcomes,
        read_only: mode == Mode::Check,
        lock,
        lock_existed,
        store,
        store_existed,
        env_files,
    })
}

/// A step once the locked hash has been checked: nothing left to verify.
enum Decided {
    Reuse { hash: String },
    Hash { secret: Secret, generated: bool },
    LockOnly { hash: String, warning: String },
    Pending { reason: String },
}

/// A step once every hash is computed.
enum Final {
    Reused { hash: String },
    Hashed { secret: Secret, hash: String },
    LockOnly { hash: String, warning: String },
    Pending { reason: String },
}

impl Final {
    fn describe(&self) -> &'static str {
        match self {
            Final::Reused { .. } => "locked hash reused (no argon2 work)",
            Final::Hashed { .. } => "secret hashed (argon2id)",
            Final::LockOnly { .. } => "locked hash rendered; no usable secret in the store",
            Final::Pending { .. } => "a build would hash it again",
        }
    }
}

/// Runs every `Verify` step (in parallel) and decides the rest.
fn verify_locked(
    clients: &[Client<'_>],
    steps: Vec<Step>,
    stats: &mut Stats,
    read_only: bool,
) -> Vec<Decided> {
    let checks: Vec<(&Secret, &str)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Verify { secret, hash, .. } => Some((secret, hash.as_str())),
            _ => None,
        })
        .collect();
    let mut matches = in_parallel(&checks, "checking client secrets", |(secret, hash)| {
        hash::verify(secret, hash)
    })
    .into_iter();
    stats.verified += checks.len();
    steps
        .into_iter()
        .zip(clients)
        .map(|(step, client)| match step {
            Step::Reuse { hash } => Decided::Reuse { hash },
            Step::Hash { secret, generated } => Decided::Hash { secret, generated },
            Step::LockOnly { hash, warning } => Decided::LockOnly { hash, warning },
            Step::Pending { reason } => Decided::Pending { reason },
            Step::Verify {
                secret,
                hash,
                on_mismatch,
            } => match (matches.next().unwrap_or(false), on_mismatch) {
                (true, _) => Decided::Reuse { hash },
                (false, Mismatch::KeepLock) => Decided::LockOnly {
                    hash,
                    warning: plan::lock_changed(client.id),
                },
                (false, Mismatch::Rehash) if read_only => Decided::Pending {
                    reason: plan::changed_secret(client.id),
                },
                (false, Mismatch::Rehash) => Decided::Hash {
                    secret,
                    generated: false,
                },
            },
        })
        .collect()
}

/// Hashes the secret of every `Hash` step, in parallel.
fn hash_needed(decided: Vec<Decided>, stats: &mut Stats) -> Result<Vec<Final>, SecretsError> {
    let work: Vec<&Secret> = decided
        .iter()
        .filter_map(|d| match d {
            Decided::Hash { secret, generated } => {
                stats.generated += usize::from(*generated);
                Some(secret)
            }
            _ => None,
        })
        .collect();
    let hashed = in_parallel(&work, "hashing client secrets (argon2id)", |secret| {
        hash::hash(secret)
    });
    stats.hashed += hashed.len();
    let mut hashed = hashed.into_iter();
    decided
        .into_iter()
        .map(|d| {
            Ok(match d {
                Decided::Reuse { hash } => Final::Reused { hash },
                Decided::LockOnly { hash, warning } => Final::LockOnly { hash, warning },
                Decided::Pending { reason } => Final::Pending { reason },
                Decided::Hash { secret, .. } => match hashed.next() {
                    Some(result) => Final::Hashed {
                        secret,
                        hash: result?,
                    },
                    None => return Err(SecretsError::Hash(hash::HashError::missing())),
                },
            })
        })
        .collect()
}

/// One env file per Docker host that runs OIDC clients.
fn env_files(
    clients: &[Client<'_>],
    usable: &BTreeMap<&str, Secret>,
) -> BTreeMap<String, Option<String>> {
    let mut by_host: BTreeMap<&str, Vec<(String, &Secret)>> = BTreeMap::new();
    for c in clients.iter().filter(|c| c.docker) {
        let entries = by_host.entry(c.host).or_default();
        if let Some(secret) = usable.get(c.id) {
            entries.push((Credential::secret_var_for(c.id), secret));
        }
    }
    by_host
        .into_iter()
        .map(|(host, entries)| {
            let text = (!entries.is_empty()).then(|| env_file_text(host, &entries));
            (host.to_string(), text)
        })
        .collect()
}

/// What `persist` changed on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Persisted {
    pub lock: bool,
    pub store: bool,
    pub env_files: usize,
}

impl Resolution {
    /// The plaintext a build would use for `client` (for `secrets show`).
    pub fn stored_secret(&self, client: &str) -> Option<&Secret> {
        self.store.clients.get(client).map(|c| &c.secret)
    }

    /// Writes the store, the lock and the env files (each only when it
    /// changes). Run it before `out/` is written, so `out/` never holds a hash
    /// the lock does not. A read-only resolution writes nothing.
    pub fn persist(&self, paths: &SecretPaths) -> Result<Persisted, SecretsError> {
        let mut done = Persisted::default();
        if self.read_only {
            return Ok(done);
        }
        if !self.store.clients.is_empty() || self.store_existed {
            done.store = self.store.write(paths)?;
        }
        if !self.lock.oidc_clients.is_empty() || !self.lock.other.is_empty() || self.lock_existed {
            done.lock = self.lock.write(&paths.lock)?;
        }
        let dir = paths.compose_dir();
        for (host, text) in &self.env_files {
            let path = paths.env_file(host);
            let changed = match text {
                Some(text) => {
                    fs::private_dir(&dir)?;
                    fs::write_if_changed(&path, text.as_bytes(), 0o600)?
                }
                None => fs::remove_if_present(&path)?,
            };
            done.env_files += usize::from(changed);
        }
        // Env files of hosts that no longer run OIDC clients hold stale secrets.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let host = name.strip_suffix(".env");
                if host.is_some_and(|h| !self.env_files.contains_key(h)) {
                    done.env_files += usize::from(fs::remove_if_present(&entry.path())?);
                }
            }
        }
        Ok(done)
    }
}
