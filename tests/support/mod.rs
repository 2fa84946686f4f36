//! Shared test helpers: a temp project builder that runs the real binary, tool
//! discovery with the skip/fail policy, and small utilities.
#![allow(dead_code)]

mod project;
pub mod resolvers;
mod tools;
pub mod traefik_harness;

#[allow(unused_imports)]
pub use project::{Project, Run, snapshot};
#[allow(unused_imports)]
pub use tools::{free_port, repo_root, require_shared, require_tool, shared_dir};
