//! What a request gets: the expected behaviour of every route from the
//! internet and from the LAN, derived from the model alone. ROUTES.md, the
//! smoke script and `topo explain` all read it, so they cannot disagree.

pub mod graph;
pub mod trace;
pub mod traefik_rule;
mod verdict;

pub use verdict::{Origin, Outcome, Verdict, route_verdict};
