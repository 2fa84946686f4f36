//! Checks across nodes, once everything is read: references resolve,
//! hostnames are unique and under `domain`, and the shapes the spec forbids
//! (oidc without identity, lan-only without a LAN entrypoint, loopback across
//! hosts) are reported.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Auth, Exposure, Span, Topology};
use crate::source::SourceFile;

pub fn run(t: &Topology, source: &SourceFile, declared_hosts: &[String], diags: &mut Diagnostics) {
    let references_ok = host_references(t, declared_hosts, diags);
    unique_hostnames(t, source, diags);
    hostnames_under_domain(t, diags);
    identity_needed(t, diags);
    lan_routes_servable(t, diags);
    tunnel_has_entrypoint(t, diags);
    if references_ok {
        loopback_across_hosts(t, diags);
    }
}

/// Every `host=` names a `host` node.
fn host_references(t: &Topology, declared: &[String], diags: &mut Diagnostics) -> bool {
    let names: Vec<&str> = declared.iter().map(String::as_str).collect();
    let known: std::collections::HashSet<&str> = names.iter().copied().collect();
    let valid = t.hosts.len() == declared.len();
    let mut ok = true;
    let mut check = |kind: &str, owner: &str, host: &str, span: Span| {
        if known.contains(host) {
            return;
        }
        ok = false;
        let d = Diagnostic::error(format!(
            "{kind} `{owner}` runs on host `{host}`, which is not defined"
        ))
        .at(span)
        .label("no such host");
        diags.push(match did_you_mean(host, names.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if names.is_empty() => d.help(format!(
                "define it: host \"{host}\" address=\"192.168.1.30\""
            )),
            None => d.help(format!("defined hosts: {}", names.join(", "))),
        });
    };
    check("proxy", &t.proxy.name, &t.proxy.host, t.proxy.host_span);
    if let Some(tunnel) = &t.tunnel {
        check("tunnel", &tunnel.name, &tunnel.host, tunnel.host_span);
    }
    if let Some(identity) = &t.identity {
        check(
            "identity",
            &identity.name,
            &identity.host,
            identity.host_span,
        );
    }
    for s in &t.services {
        check("service", &s.name, &s.host, s.host_span);
    }
    ok && valid
}

/// One hostname, one owner: two routers for one Host() would fight.
fn unique_hostnames(t: &Topology, source: &SourceFile, diags: &mut Diagnostics) {
    let mut owners: BTreeMap<&str, (String, Span)> = BTreeMap::new();
    if let Some(identity) = &t.identity {
        owners.insert(
            identity.issuer_host(),
            (
                format!("identity `{}`", identity.name),
                identity.issuer_span,
            ),
        );
    }
    for s in &t.services {
        for h in &s.hostnames {
            if let Some((owner, first)) = owners.get(h.as_str()) {
                let (line, _) = source.line_col(first.offset);
                diags.push(
                    Diagnostic::error(format!("hostname `{h}` is already used by {owner}"))
                        .at(h.span)
                        .label("duplicate hostname")
                        .help(format!(
                            "a hostname belongs to one service (first use on line {line}); route paths with `route` instead"
                        )),
                );
            } else {
                owners.insert(h.as_str(), (format!("service `{}`", s.name), h.span));
            }
        }
    }
}

fn hostnames_under_domain(t: &Topology, diags: &mut Diagnostics) {
    let Some(domain) = &t.domain else { return };
    let outside = |name: &str| !(name == domain || name.ends_with(&format!(".{domain}")));
    for s in &t.services {
        for h in s.hostnames.iter().filter(|h| outside(h.as_str())) {
            diags.push(
                Diagnostic::error(format!("hostname `{h}` is outside the domain `{domain}`"))
                    .at(h.span)
                    .label("not under the domain")
                    .help(format!(
                        "use a name under {domain}, e.g. {}.{domain}, or change `domain`",
                        s.name
                    )),
            );
        }
    }
    if let Some(identity) = &t.identity
        && outside(identity.issuer_host())
    {
        diags.push(
            Diagnostic::error(format!(
                "issuer host `{}` is outside the domain `{domain}`",
                identity.issuer_host()
            ))
            .at(identity.issuer_span)
            .help(format!(
                "use an issuer under {domain}, e.g. https://auth.{domain}"
            )),
        );
    }
}

/// `oidc` and `forward-auth` need an identity provider.
fn identity_needed(t: &Topology, diags: &mut Diagnostics) {
    for s in &t.services {
        for route in &s.routes {
            if matches!(route.auth, Auth::Oidc | Auth::ForwardAuth) && t.identity.is_none() {
                diags.push(
                    Diagnostic::error(format!(
                        "service `{}` uses auth `{}` but the topology has no `identity`",
                        s.name, route.auth
                    ))
                    .at(route.span)
                    .help("add the identity provider: identity \"authelia\" host=\"docker1\" issuer=\"https://auth.example.com\" upstream=\"http://authelia:9091\""),
                );
                break;
            }
        }
    }
}

/// A lan-only route needs an entrypoint that is not the tunnel's, and networks
/// to allow.
fn lan_routes_servable(t: &Topology, diags: &mut Diagnostics) {
    let has_lan_entrypoint = t.proxy.lan_entrypoints().next().is_some();
    let has_networks = t.networks.iter().any(|n| !n.cidrs.is_empty());
    let lan_routes = t.services.iter().flat_map(|s| {
        s.routes
            .iter()
            .filter(|r| r.exposure == Exposure::LanOnly)
            .map(move |r| (s, r))
    });
    let identity_lan = t.lan_only_identity();
    let mut first: Option<(String, Span)> =
        identity_lan.map(|i| (format!("identity `{}`", i.name), i.span));
    for (s, r) in lan_routes {
        first.get_or_insert((format!("service `{}` route `{}`", s.name, r.path), r.span));
    }
    let Some((what, span)) = first else { return };
    if !has_lan_entrypoint && !t.proxy.entrypoints.is_empty() {
        diags.push(
            Diagnostic::error(format!(
                "{what} is lan-only, but every proxy entrypoint is a tunnel entrypoint"
            ))
            .at(span)
            .label("nothing can serve this")
            .help("add an entrypoint LAN clients reach: entrypoint \"websecure\" address=\":443\""),
        );
    }
    if !has_networks {
        diags.push(
            Diagnostic::error(format!(
                "{what} is lan-only, but no `network` says which clients are LAN"
            ))
            .at(span)
            .help("declare the LAN/VPN ranges: network \"lan\" \"192.168.1.0/24\""),
        );
    }
}

fn tunnel_has_entrypoint(t: &Topology, diags: &mut Diagnostics) {
    if let Some(tunnel) = &t.tunnel
        && t.proxy.tunnel_entrypoints().next().is_none()
        && !t.proxy.entrypoints.is_empty()
    {
        diags.push(
                Diagnostic::error(format!("tunnel `{}` has no proxy entrypoint to deliver to", tunnel.name))
                    .at(tunnel.span)
                    .help("mark the entrypoint the connector targets: entrypoint \"tunnel\" address=\":8443\" tunnel=#true"),
            );
    }
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// In a VM, localhost means the VM: a loopback listener or upstream on another
/// host than the proxy's is unreachable (the story's 127.0.0.1:9119).
fn loopback_across_hosts(t: &Topology, diags: &mut Diagnostics) {
    let proxy_host = &t.proxy.host;
    for s in t.services.iter().filter(|s| &s.host != proxy_host) {
        if let Some(listen) = &s.listen
            && listen.value.ip().is_loopback()
        {
            diags.push(
                Diagnostic::error(format!(
                    "service `{}` listens on {} on host `{}`, but the proxy runs on `{proxy_host}`",
                    s.name, listen.value, s.host
                ))
                .at(listen.span)
                .label("loopback: only reachable from inside this host")
                .help(format!(
                    "listen on all interfaces: listen=\"0.0.0.0:{}\"",
                    listen.value.port()
                )),
            );
        }
        if s.upstream.value.host_str().is_some_and(is_loopback_host) {
            let address = t
                .hosts
                .iter()
                .find(|h| h.name == s.host)
                .map(|h| h.address.to_string());
            let port = s.upstream.value.port_or_known_default().unwrap_or(80);
            diags.push(
                Diagnostic::error(format!(
                    "service `{}` has a loopback upstream on host `{}`, but the proxy runs on `{proxy_host}`",
                    s.name, s.host
                ))
                .at(s.upstream.span)
                .label("the proxy's localhost is not this host")
                .help(match address {
                    Some(a) => format!("point at the host's address: upstream=\"http://{a}:{port}\""),
                    None => "point at an address the proxy host can reach".to_string(),
                }),
            );
        }
    }
}
