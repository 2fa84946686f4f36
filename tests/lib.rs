//! One integration-test binary (faster to link than one per file); each
//! module is one feature, driven through the real `topo` binary.

mod support;

mod atomic;
mod build;
mod errors;
mod fuzz;
mod lints;
mod smoke;
mod secrets;
mod authelia;
mod compose;
