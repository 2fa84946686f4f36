//! The Traefik target: generated files against the upstream JSON schemas, and
//! the real Traefik binary serving them (see `support::traefik_harness`).

mod e2e_acme;
mod e2e_example;
mod e2e_hosts;
mod e2e_mixed;
mod e2e_upstream_path;
mod schema;
mod snapshot;

use std::net::IpAddr;

use crate::support::repo_root;

/// A topology under `tests/fixtures/traefik/`.
fn fixture(name: &str) -> String {
    let path = repo_root()
        .join("tests/fixtures/traefik")
        .join(format!("{name}.kdl"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example topology of the repository.
fn example() -> String {
    std::fs::read_to_string(repo_root().join("topology.kdl")).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}
