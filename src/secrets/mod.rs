//! OIDC client secrets: plaintext only in the gitignored secrets store, the
//! argon2id hash in `topo.lock` and in `out/`.

mod credentials;

pub use credentials::{Credential, Credentials};
