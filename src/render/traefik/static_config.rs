//! `traefik.yml`, the static (install) configuration: the entrypoints, whom
//! each trusts forwarded headers from, the file provider and the ACME
//! certificate resolver the LAN routers name. Traefik exits on an unknown
//! static key, so only keys every supported version knows appear.

use serde::Serialize;

use crate::model::{AcmeChallenge, Proxy};

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

/// `certificatesResolvers.<name>.acme`.
#[derive(Serialize, Debug)]
pub struct ResolverView {
    pub name: String,
    pub email: Option<String>,
    pub storage: String,
    pub ca_server: Option<String>,
    /// `dns`, `tls` or `http`.
    pub challenge: &'static str,
    pub dns_provider: Option<String>,
    pub http_entrypoint: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct StaticView {
    pub entrypoints: Vec<EntrypointView>,
    pub dynamic_dir: &'static str,
    /// Only when the topology says how certificates are obtained.
    pub resolver: Option<ResolverView>,
}

fn resolver_view(proxy: &Proxy) -> Option<ResolverView> {
    let resolver = proxy.cert_resolver.as_ref()?;
    let acme = resolver.acme.as_ref()?;
    let (challenge, dns_provider, http_entrypoint) = match &acme.challenge {
        AcmeChallenge::Dns { provider } => ("dns", Some(provider.clone()), None),
        AcmeChallenge::Tls => ("tls", None, None),
        AcmeChallenge::Http { entrypoint } => ("http", None, Some(entrypoint.clone())),
    };
    Some(ResolverView {
        name: resolver.name.clone(),
        email: acme.email.clone(),
        storage: acme.storage.clone(),
        ca_server: acme.ca_server.clone(),
        challenge,
        dns_provider,
        http_entrypoint,
    })
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
        resolver: resolver_view(proxy),
    }
}
