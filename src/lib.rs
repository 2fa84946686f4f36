//! `topo`: a declarative topology compiler for self-hosted stacks.
//!
//! The pipeline is shaped like a compiler:
//! `syntax` (KDL → nodes with spans) → `lower` (→ the typed [`model`], every
//! reference resolved, every value checked) → `lint` → `render` (one module per
//! target: model → view → template) → `output` (write `out/` atomically, or
//! compare it). `diagnostic` and `report` carry errors as data with spans.

pub mod cache;
pub mod cli;
pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod explain;
pub mod lint;
pub mod lower;
pub mod model;
pub mod output;
pub mod profiles;
pub mod render;
pub mod report;
pub mod secrets;
pub mod source;
pub mod syntax;
