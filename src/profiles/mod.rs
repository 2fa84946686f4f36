//! App profiles: how an application consumes OIDC. Built-in profiles are data
//! files in `builtin/`, embedded in the binary; users add their own as
//! `profiles/NAME.toml` next to the topology. Format: [`Profile`] and
//! `docs/profiles.md`.

mod catalog;
mod profile;
mod vars;

pub use catalog::Catalog;
pub use profile::{Delivery, KNOWN_SCOPES, Profile, is_env_name};
pub use vars::ProfileVars;
