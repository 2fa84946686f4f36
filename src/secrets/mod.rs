//! OIDC client secrets: plaintext only in the gitignored secrets store
//! (`.topo-secrets/`, 0700/0600), the argon2id hash in `topo.lock` (committed)
//! and in `out/`.
//!
//! - [`Secret`]: the plaintext, generated from the OS CSPRNG; redacted `Debug`.
//! - [`hash`]: argon2id with Authelia's parameters, parallel with a progress bar.
//! - [`Lock`] / [`Store`]: the two files, next to the topology ([`SecretPaths`]).
//! - [`resolve`]: decides per client what to reuse, verify, hash or generate,
//!   and yields the [`Credentials`] renderers see, then [`Resolution::persist`].

mod credentials;
mod env_file;
mod error;
mod fs;
pub mod hash;
mod lock;
mod paths;
mod plan;
mod resolve;
mod secret;
mod store;

pub use credentials::{Credential, Credentials};
pub use error::SecretsError;
pub use lock::{LOCK_FILE, Lock, LockedClient};
pub use paths::{STORE_DIR, STORE_FILE, SecretPaths, env_file_display};
pub use resolve::{Mode, Persisted, Resolution, Stats, resolve};
pub use secret::{SECRET_LEN, Secret};
pub use store::{Store, StoredClient};
