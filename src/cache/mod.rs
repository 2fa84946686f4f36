//! The build cache: an unchanged rebuild replays the last build's report
//! instead of compiling again.
//!
//! A build that succeeded without touching the secret state (no secret
//! generated, hashed or written) records, in `.topo-cache/` beside the
//! topology, a [`Fingerprint`] of everything the build read and the state of
//! `out/` it left. The next `topo build` recomputes the fingerprint and looks
//! at `out/`; when both match, a build would compile the same model, render
//! the same files and find `out/` already holding them, so it prints the
//! recorded report (secret summary, warnings, "up to date") and exits.
//!
//! What the fingerprint covers (anything else changes nothing):
//! - the `topo` binary itself (path, size, inode, times): a new build of
//!   topo may render differently, and the templates and built-in profiles are
//!   inside it;
//! - the options that change the output or the report (`--out`,
//!   `--templates`, `--deny`, `--format`);
//! - the bytes of the topology, `topo.lock`, every file of `profiles/` and of
//!   the `--templates` directory;
//! - the secrets store by metadata only (name, size, inode, times): a
//!   digest of a secret's bytes does not belong on disk.
//!
//! `out/` is compared by every entry's name, kind, size, inode and times, so a
//! hand edit, a deleted or an added file means a real build. `--check`,
//! `--prune` and `--no-cache` never use the cache.

mod fingerprint;
mod record;

pub use fingerprint::{Fingerprint, OutputOptions, secret_state};
pub use record::{Record, Replay, out_state};

use std::path::{Path, PathBuf};

/// The cache directory beside the topology file.
pub const CACHE_DIR: &str = ".topo-cache";

/// Where the record for building `topology` into `out` lives: one record per
/// output directory, so two builds into different directories do not evict
/// each other.
pub fn record_path(topology: &Path, out: &Path) -> PathBuf {
    use sha2::{Digest, Sha256};
    let dir = crate::source::dir_of(topology);
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let digest = Sha256::digest(out.as_os_str().as_encoded_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    dir.join(CACHE_DIR).join(format!("build-{name}.json"))
}
