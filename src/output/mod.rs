//! The generated files as data, and the only code that touches `out/`.

mod compare;
mod tree;
mod walk;
mod write;

pub use compare::{Change, ChangeKind, compare};
pub use tree::OutputTree;
pub use walk::{WalkOptions, files};
pub use write::{Unowned, WriteError, WriteReport, write_atomically, write_tree};
