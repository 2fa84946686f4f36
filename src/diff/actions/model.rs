//! Actions predicted from the change of the topology, for components whose
//! files are not in the output being compared (no renderer for them yet, or
//! not deployed on this machine). Each fingerprint holds exactly the model
//! facts the spec says that component's configuration is made of.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    ActionKind, Component, ORDER_AUTHELIA, ORDER_CONTAINER, ORDER_DNS, ORDER_TRAEFIK, ORDER_TUNNEL,
    Plan,
};
use crate::model::{Auth, Service, Topology};

pub(super) fn actions(
    old: &Topology,
    new: &Topology,
    covered: &BTreeSet<Component>,
    plan: &mut Plan,
) {
    let why = "the topology changed";
    if !covered.contains(&Component::TraefikStatic) && traefik_static(old) != traefik_static(new) {
        plan.add(
            ORDER_TRAEFIK,
            super::traefik(
                new,
                ActionKind::Restart,
                format!("{why}: entrypoints or trusted IPs"),
            ),
        );
    }
    if !covered.contains(&Component::TraefikDynamic) && traefik_dynamic(old) != traefik_dynamic(new)
    {
        plan.add(
            ORDER_TRAEFIK,
            super::traefik(new, ActionKind::None, format!("{why}: routes")),
        );
    }
    if !covered.contains(&Component::Authelia) && authelia(old) != authelia(new) {
        plan.add(
            ORDER_AUTHELIA,
            super::authelia(new, format!("{why}: OIDC clients or access rules")),
        );
    }
    containers(old, new, covered, plan);
    if !covered.contains(&Component::Cloudflared) && tunnel(old) != tunnel(new) {
        plan.add(
            ORDER_TUNNEL,
            super::cloudflared(new, format!("{why}: public hostnames or paths")),
        );
    }
    let (records_old, records_new) = (records(old), records(new));
    for d in &new.dns {
        let existed = old
            .dns
            .iter()
            .any(|o| o.name == d.name && o.format == d.format);
        if !covered.contains(&Component::Dns(d.name.clone()))
            && (!existed || records_old != records_new)
        {
            plan.add(
                ORDER_DNS,
                super::dns(&d.name, Some(d.format), format!("{why}: split-DNS records")),
            );
        }
    }
}

/// Containers whose environment or extra_hosts the change touches.
fn containers(old: &Topology, new: &Topology, covered: &BTreeSet<Component>, plan: &mut Plan) {
    let docker = |t: &Topology, s: &Service| t.hosts.iter().any(|h| h.name == s.host && h.docker);
    let fingerprints = |t: &Topology| -> BTreeMap<(String, String), String> {
        t.services
            .iter()
            .filter(|s| docker(t, s))
            .map(|s| ((s.host.clone(), s.container.clone()), container(t, s)))
            .collect()
    };
    let (a, b) = (fingerprints(old), fingerprints(new));
    let keys: BTreeSet<&(String, String)> = a.keys().chain(b.keys()).collect();
    for key @ (host, name) in keys {
        if covered.contains(&Component::Compose(host.clone())) {
            continue;
        }
        let (kind, why) = match (a.get(key), b.get(key)) {
            (None, Some(_)) => (ActionKind::Start, format!("{name} is new on {host}")),
            (Some(_), None) => (
                ActionKind::Recreate,
                format!("{name} no longer gets topo's environment"),
            ),
            (Some(x), Some(y)) if x != y => (
                ActionKind::Recreate,
                format!("{name}: environment or extra_hosts change"),
            ),
            _ => continue,
        };
        plan.add(ORDER_CONTAINER, super::container(host, name, kind, why));
    }
}

/// What the Compose override of one service is made of: its env, its OIDC
/// client settings and public URL, and (for OIDC) the issuer it must resolve.
fn container(t: &Topology, s: &Service) -> String {
    let oidc = s.oidc.as_ref().map(|o| {
        let issuer = t
            .identity
            .as_ref()
            .map(|i| format!("{}|{}", i.issuer_base(), i.exposure))
            .unwrap_or_default();
        format!(
            "{:?}|{}|{:?}|{}|{}|{issuer}|{}",
            o.profile,
            o.callback_path(),
            o.scopes(),
            o.pkce(),
            s.base_url(),
            t.proxy_host().address
        )
    });
    format!("{:?}|{oidc:?}", s.env)
}

fn traefik_static(t: &Topology) -> String {
    let eps: Vec<String> = t
        .proxy
        .entrypoints
        .iter()
        .map(|e| format!("{}|{}|{}", e.name, e.address, e.tunnel))
        .collect();
    // The resolver without its span: moving a line is not a change.
    let resolver = t.proxy.cert_resolver.as_ref().map(|c| (&c.name, &c.acme));
    format!(
        "{eps:?}|{:?}|{resolver:?}|{}",
        t.proxy.trusted_ips, t.proxy.version
    )
}

fn traefik_dynamic(t: &Topology) -> String {
    let services: Vec<String> = t
        .services
        .iter()
        .map(|s| {
            format!(
                "{}|{:?}|{}|{}",
                s.name,
                hostnames(s),
                routes(s),
                s.upstream.as_str()
            )
        })
        .collect();
    let identity = t
        .identity
        .as_ref()
        .map(|i| format!("{}|{}|{}", i.issuer_base(), i.upstream, i.exposure));
    format!(
        "{services:?}|{:?}|{identity:?}|{:?}",
        t.lan_cidrs(),
        t.proxy.cert_resolver.as_ref().map(|c| &c.name)
    )
}

fn authelia(t: &Topology) -> String {
    let identity = t
        .identity
        .as_ref()
        .map(|i| format!("{}|{}|{}", i.issuer_base(), i.upstream, i.exposure));
    let clients: Vec<String> = t
        .services
        .iter()
        .filter_map(|s| {
            let o = s.oidc.as_ref()?;
            Some(format!(
                "{}|{:?}|{}|{}{}|{:?}",
                s.name,
                o.profile,
                o.policy,
                s.base_url(),
                o.callback_path(),
                o.scopes()
            ))
        })
        .collect();
    let rules: Vec<String> = t
        .services
        .iter()
        .filter(|s| s.has_auth(Auth::ForwardAuth))
        .map(|s| format!("{}|{:?}|{}", s.name, hostnames(s), routes(s)))
        .collect();
    format!("{identity:?}|{clients:?}|{rules:?}|{:?}", t.lan_cidrs())
}

fn tunnel(t: &Topology) -> String {
    let Some(tunnel) = &t.tunnel else {
        return String::new();
    };
    let public: Vec<String> = t
        .services
        .iter()
        .filter(|s| s.routes.iter().any(|r| r.exposure.is_public()))
        .map(|s| format!("{:?}|{}", hostnames(s), routes(s)))
        .collect();
    let ports: Vec<u16> = t.proxy.tunnel_entrypoints().map(|e| e.port).collect();
    format!(
        "{}|{}|{}|{public:?}|{ports:?}",
        tunnel.id, tunnel.credentials_file, tunnel.host
    )
}

fn records(t: &Topology) -> String {
    let host = t.proxy_host();
    format!(
        "{:?}|{:?}|{:?}",
        t.all_hostnames(),
        host.ipv4(),
        host.ipv6()
    )
}

fn hostnames(s: &Service) -> Vec<&str> {
    s.hostnames.iter().map(|h| h.as_str()).collect()
}

fn routes(s: &Service) -> String {
    s.routes
        .iter()
        .map(|r| format!("{}:{}:{}:{}", r.path, r.exposure, r.auth, r.policy))
        .collect::<Vec<_>>()
        .join(",")
}
