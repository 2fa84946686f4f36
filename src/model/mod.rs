//! The typed model: what `topology.kdl` means once every reference is resolved.
//!
//! Renderers, lints and `diff` only ever see this model, never KDL. Collections
//! are sorted by name so that everything derived from them is deterministic.

mod auth;
mod deploy;
mod exposure;
mod hostname;
mod network;
mod node;
mod route;
mod service;
mod span;
mod topology;
mod version;

pub use auth::{Auth, Policy};
pub use deploy::{Deploy, DeployPath};
pub use exposure::Exposure;
pub use hostname::Hostname;
pub use network::Network;
pub use node::{
    Acme, AcmeChallenge, CertResolver, DnsFormat, DnsOutput, Entrypoint, Host, Identity, Oidc,
    Proxy, Tunnel,
};
pub use route::{Route, RoutePath};
pub use service::Service;
pub use span::{Span, Spanned};
pub use topology::Topology;
pub use version::TraefikVersion;
