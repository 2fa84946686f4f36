//! `traefik.yml`, the static (install) configuration: the entrypoints, whom
//! each trusts forwarded headers from, and the file provider. Traefik exits on
//! an unknown static key, so only keys every supported version knows appear.

use serde::Serialize;

use crate::model::Proxy;

/// Where the dynamic directory is in the proxy's container: `out/traefik/`
/// mounted at Traefik's default `/etc/traefik` (the static file is then found
/// without flags). A directory, not a file: fsnotify loses a bind-mounted
/// file that is replaced.
pub const DYNAMIC_DIR: &str = "/etc/traefik/dynamic";

#[derive(Serialize, Debug)]
pub struct EntrypointView {
    pub name: String,
    pub address: String,
    /// `forwardedHeaders.trustedIPs`; empty: trust nobody (Traefik's default).
    pub trusted_ips: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct StaticView {
    pub entrypoints: Vec<EntrypointView>,
    pub dynamic_dir: &'static str,
}

/// `trusted-ips` names the relay in front of the proxy: the tunnel connector,
/// whose `X-Forwarded-Proto: https` must survive. It applies to the tunnel
/// entrypoints; LAN clients connect directly and may not forge forwarded
/// headers. Without a tunnel entrypoint the relay can only sit in front of
/// the others, so there it applies to every entrypoint.
fn trusts_relay(proxy: &Proxy, tunnel: bool) -> bool {
    tunnel || proxy.tunnel_entrypoints().next().is_none()
}

pub fn static_view(proxy: &Proxy) -> StaticView {
    let entrypoints = proxy
        .entrypoints
        .iter()
        .map(|e| EntrypointView {
            name: e.name.clone(),
            address: e.address.clone(),
            trusted_ips: if trusts_relay(proxy, e.tunnel) {
                proxy.trusted_ips.iter().map(ToString::to_string).collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    StaticView {
        entrypoints,
        dynamic_dir: DYNAMIC_DIR,
    }
}
