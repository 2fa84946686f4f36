//! One integration-test binary (faster to link than one per file); each
//! module is one feature, driven through the real `topo` binary.

mod support;

mod atomic;
mod build;
mod diff;
mod diff_markdown;
mod diff_redaction;
mod diff_review;
mod errors;
mod fuzz;
mod lints;
mod smoke;
