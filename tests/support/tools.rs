//! Finding the real systems the tests drive. On a developer machine a missing
//! tool skips the test with a message saying why; under CI (`CI=true`) it fails.

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Reports a missing prerequisite: `None` (skip) locally, a panic under CI.
fn missing(test: &str, what: &str, how: &str) -> Option<PathBuf> {
    if under_ci() {
        panic!("{test}: {what} is required under CI ({how})");
    }
    eprintln!("SKIPPED {test}: {what} not found ({how})");
    None
}

/// The path of an executable: the repo's `.venv/bin` first (where `.ci/run`
/// installs Python-shipped tools), then `PATH`, then `/usr/sbin`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let venv = repo_root().join(".venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A tool the test cannot run without. `test` names the test for the skip line.
pub fn require_tool(test: &str, name: &str) -> Option<PathBuf> {
    find_tool(name).or_else(|| missing(test, name, "run .ci/run to install every test tool"))
}

/// `../shared` (schemas, research), or `TOPO_SHARED` when set.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TOPO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"));
    dir.is_dir().then_some(dir)
}

/// A file under `../shared` the test needs (e.g. `schemas/traefik/traefik-v3.json`).
pub fn require_shared(test: &str, rel: &str) -> Option<PathBuf> {
    match shared_dir().map(|d| d.join(rel)) {
        Some(p) if p.exists() => Some(p),
        _ => missing(
            test,
            &format!("../shared/{rel}"),
            "the shared folder sits beside the repo; or set TOPO_SHARED",
        ),
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
