//! Beyond services: OIDC clients, the identity provider, LAN networks, the
//! proxy's entrypoints and trusted IPs, what the tunnel publishes, split DNS.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Effect};
use crate::model::{Exposure, Topology};

/// OIDC clients by service: redirect URI, scopes, policy, PKCE.
pub(super) fn clients(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let facts = |t: &Topology| -> BTreeMap<String, BTreeMap<&'static str, String>> {
        t.services
            .iter()
            .filter_map(|s| {
                let o = s.oidc.as_ref()?;
                let mut f = BTreeMap::new();
                f.insert("redirect", format!("{}{}", s.base_url(), o.callback_path()));
                f.insert("scopes", o.scopes().join(" "));
                f.insert("policy", o.policy.to_string());
                f.insert("pkce", o.pkce().to_string());
                f.insert("profile", o.profile.name.clone());
                Some((s.name.clone(), f))
            })
            .collect()
    };
    let (a, b) = (facts(old), facts(new));
    let ids: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for id in ids {
        let subject = format!("client {id}");
        match (a.get(id), b.get(id)) {
            (None, Some(f)) => out.push(Change::new(
                "client",
                subject,
                None,
                Some(f["redirect"].clone()),
                Effect::Neutral,
            )),
            (Some(f), None) => out.push(Change::new(
                "client",
                subject,
                Some(f["redirect"].clone()),
                None,
                Effect::Neutral,
            )),
            (Some(x), Some(y)) => {
                for (field, old_value) in x {
                    let new_value = &y[field];
                    if old_value != new_value {
                        let effect = match *field {
                            "policy" if new_value == "one_factor" => Effect::Widening,
                            "policy" => Effect::Narrowing,
                            _ => Effect::Neutral,
                        };
                        let subject = format!("{subject} {field}");
                        out.push(Change::new(
                            "client",
                            subject,
                            Some(old_value.clone()),
                            Some(new_value.clone()),
                            effect,
                        ));
                    }
                }
            }
            (None, None) => {}
        }
    }
}

pub(super) fn identity(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    match (&old.identity, &new.identity) {
        (None, Some(i)) => out.push(Change::new(
            "identity",
            format!("identity {}", i.name),
            None,
            Some(i.issuer_base()),
            Effect::Neutral,
        )),
        (Some(i), None) => out.push(Change::new(
            "identity",
            format!("identity {}", i.name),
            Some(i.issuer_base()),
            None,
            Effect::Neutral,
        )),
        (Some(a), Some(b)) => {
            let subject = format!("identity {}", b.name);
            if a.exposure != b.exposure {
                let effect = exposure_effect(a.exposure, b.exposure);
                out.push(Change::new(
                    "exposure",
                    subject.clone(),
                    Some(a.exposure.to_string()),
                    Some(b.exposure.to_string()),
                    effect,
                ));
            }
            if a.issuer_base() != b.issuer_base() {
                out.push(Change::new(
                    "issuer",
                    subject,
                    Some(a.issuer_base()),
                    Some(b.issuer_base()),
                    Effect::Neutral,
                ));
            }
        }
        (None, None) => {}
    }
}

fn exposure_effect(a: Exposure, b: Exposure) -> Effect {
    match (a.is_public(), b.is_public()) {
        (false, true) => Effect::Widening,
        (true, false) => Effect::Narrowing,
        _ => Effect::Neutral,
    }
}

/// LAN networks: a CIDR added lets more clients reach every lan-only route.
pub(super) fn networks(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let cidrs = |t: &Topology| -> BTreeSet<String> {
        t.networks
            .iter()
            .flat_map(|n| n.cidrs.iter().map(move |c| format!("{c} ({})", n.name)))
            .collect()
    };
    let (a, b) = (cidrs(old), cidrs(new));
    for c in b.difference(&a) {
        out.push(Change::new(
            "network",
            format!("lan network {c}"),
            None,
            Some(String::new()),
            Effect::Widening,
        ));
    }
    for c in a.difference(&b) {
        out.push(Change::new(
            "network",
            format!("lan network {c}"),
            Some(String::new()),
            None,
            Effect::Narrowing,
        ));
    }
}

pub(super) fn proxy(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let eps = |t: &Topology| -> BTreeSet<String> {
        t.proxy
            .entrypoints
            .iter()
            .map(|e| {
                format!(
                    "{} {}{}",
                    e.name,
                    e.address,
                    if e.tunnel { " (tunnel)" } else { "" }
                )
            })
            .collect()
    };
    set_diff(
        "entrypoint",
        "entrypoint",
        &eps(old),
        &eps(new),
        Effect::Neutral,
        Effect::Neutral,
        out,
    );
    // A trusted source may set X-Forwarded-For: trusting more is widening.
    let trusted = |t: &Topology| -> BTreeSet<String> {
        t.proxy.trusted_ips.iter().map(|c| c.to_string()).collect()
    };
    set_diff(
        "trusted-ips",
        "trusted proxy",
        &trusted(old),
        &trusted(new),
        Effect::Widening,
        Effect::Narrowing,
        out,
    );
}

/// Hostnames the tunnel publishes to the internet.
pub(super) fn tunnel(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let published = |t: &Topology| -> BTreeSet<String> {
        if t.tunnel.is_none() {
            return BTreeSet::new();
        }
        let mut names: BTreeSet<String> = t
            .services
            .iter()
            .filter(|s| s.routes.iter().any(|r| r.exposure.is_public()))
            .flat_map(|s| s.hostnames.iter().map(|h| h.name.clone()))
            .collect();
        names.extend(
            t.identity
                .iter()
                .filter(|i| i.exposure.is_public())
                .map(|i| i.issuer_host().to_string()),
        );
        names
    };
    match (&old.tunnel, &new.tunnel) {
        (None, Some(t)) => out.push(Change::new(
            "tunnel",
            format!("tunnel {}", t.name),
            None,
            Some(String::new()),
            Effect::Widening,
        )),
        (Some(t), None) => out.push(Change::new(
            "tunnel",
            format!("tunnel {}", t.name),
            Some(String::new()),
            None,
            Effect::Narrowing,
        )),
        _ => {}
    }
    set_diff(
        "tunnel",
        "tunnel publishes",
        &published(old),
        &published(new),
        Effect::Widening,
        Effect::Narrowing,
        out,
    );
}

/// Split-DNS records: every hostname → the proxy host's addresses, per output.
pub(super) fn dns(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let records = |t: &Topology| -> BTreeMap<String, BTreeSet<String>> {
        let host = t.proxy_host();
        let mut rr = BTreeSet::new();
        for name in t.all_hostnames() {
            if let Some(v4) = host.ipv4() {
                rr.insert(format!("{name} A {v4}"));
            }
            if let Some(v6) = host.ipv6() {
                rr.insert(format!("{name} AAAA {v6}"));
            }
        }
        t.dns
            .iter()
            .map(|d| (format!("{} ({})", d.name, d.format.keyword()), rr.clone()))
            .collect()
    };
    let (a, b) = (records(old), records(new));
    let outputs: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for output in outputs {
        match (a.get(output), b.get(output)) {
            (None, Some(r)) => out.push(Change::new(
                "dns",
                format!("dns {output}"),
                None,
                Some(format!("{} records", r.len())),
                Effect::Neutral,
            )),
            (Some(r), None) => out.push(Change::new(
                "dns",
                format!("dns {output}"),
                Some(format!("{} records", r.len())),
                None,
                Effect::Neutral,
            )),
            (Some(x), Some(y)) => set_diff(
                "dns",
                &format!("dns {output}:"),
                x,
                y,
                Effect::Neutral,
                Effect::Neutral,
                out,
            ),
            (None, None) => {}
        }
    }
}

/// One change per item only in `b` (added) or only in `a` (removed).
fn set_diff(
    aspect: &'static str,
    label: &str,
    a: &BTreeSet<String>,
    b: &BTreeSet<String>,
    added: Effect,
    removed: Effect,
    out: &mut Vec<Change>,
) {
    for item in b.difference(a) {
        out.push(Change::new(
            aspect,
            format!("{label} {item}"),
            None,
            Some(String::new()),
            added,
        ));
    }
    for item in a.difference(b) {
        out.push(Change::new(
            aspect,
            format!("{label} {item}"),
            Some(String::new()),
            None,
            removed,
        ));
    }
}
