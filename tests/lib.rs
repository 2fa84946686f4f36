//! One integration-test binary (faster to link than one per file); each
//! module is one feature, driven through the real `topo` binary.

mod support;

mod atomic;
mod authelia;
mod build;
mod build_cache;
mod cloudflared;
mod compose;
mod diff;
mod diff_markdown;
mod diff_redaction;
mod diff_review;
mod dns;
mod dns_files;
mod dns_snapshots;
mod dns_zones;
mod errors;
mod explain;
mod fuzz;
mod lints;
mod secrets;
mod smoke;
mod traefik;
