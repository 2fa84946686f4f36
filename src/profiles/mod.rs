//! App profiles: how an application consumes OIDC. Built-in profiles are data
//! files in `builtin/`, embedded in the binary; users add their own as
//! `profiles/NAME.toml` next to the topology.

mod catalog;
mod profile;

pub use catalog::Catalog;
pub use profile::{Delivery, Profile};
