//! The two middlewares topo's routers use: the LAN IP allow-list and the
//! forward-auth call to the identity provider.

use serde::Serialize;

use super::version::Gate;
use crate::model::{Identity, Topology};

/// What Authelia answers a granted forward-auth request with, copied onto the
/// request to the app (a client-sent `Remote-User` is overwritten).
pub const AUTH_RESPONSE_HEADERS: [&str; 4] = [
    "Remote-User",
    "Remote-Groups",
    "Remote-Email",
    "Remote-Name",
];

/// Authelia's answers are a few hundred bytes; 1 MiB bounds what Traefik reads.
pub const MAX_RESPONSE_BODY_SIZE: u64 = 1 << 20;

/// `ipAllowList` of every `network` CIDR, judged on the TCP peer address
/// (Traefik's default strategy), so a forged `X-Forwarded-For` cannot pass it.
#[derive(Serialize, Debug)]
pub struct LanAllow {
    pub name: String,
    pub source_range: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct ForwardAuth {
    pub name: String,
    pub address: String,
    pub response_headers: Vec<String>,
    /// Emitted only for a Traefik that knows the key.
    pub max_response_body_size: Option<u64>,
}

pub fn lan_allow(t: &Topology, name: &str) -> LanAllow {
    LanAllow {
        name: name.to_string(),
        source_range: t.lan_cidrs().iter().map(ToString::to_string).collect(),
    }
}

/// Authelia's forward-auth endpoint (4.38+) under the identity's upstream:
/// Traefik calls it directly, not through the issuer's public name.
pub fn forward_auth_address(identity: &Identity) -> String {
    let mut url = identity.upstream.clone();
    url.set_query(None);
    url.set_fragment(None);
    let base = url.as_str().trim_end_matches('/').to_string();
    format!("{base}/api/authz/forward-auth")
}

pub fn forward_auth(t: &Topology, identity: &Identity, name: &str) -> ForwardAuth {
    let gate = Gate::ForwardAuthMaxResponseBodySize;
    ForwardAuth {
        name: name.to_string(),
        address: forward_auth_address(identity),
        response_headers: AUTH_RESPONSE_HEADERS
            .iter()
            .map(ToString::to_string)
            .collect(),
        max_response_body_size: gate
            .open_for(t.proxy.version)
            .then_some(MAX_RESPONSE_BODY_SIZE),
    }
}
