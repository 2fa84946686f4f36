//! The summary a reviewer reads first: what changed in who can reach what
//! and who checks identity, computed from two compiled models (not files).
//! Changes that let more people in, or check them less, are *widening*.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Auth, Exposure, Policy, Route, RoutePath, Service, Topology};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Reachable by more clients, or checked less.
    Widening,
    /// Reachable by fewer clients, or checked more.
    Narrowing,
    Neutral,
}

/// One reviewer-facing change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// `exposure`, `auth`, `service`, `hostname`, `client`, `dns`, `tunnel`, …
    pub aspect: &'static str,
    /// What changed: `litellm /ui`, `hostname api.example.com`, `client litellm`.
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub effect: Effect,
    /// The whole line, e.g. `litellm /ui: lan-only → public-app`.
    pub text: String,
}

impl Change {
    fn new(
        aspect: &'static str,
        subject: impl Into<String>,
        from: Option<String>,
        to: Option<String>,
        effect: Effect,
    ) -> Self {
        let subject = subject.into();
        // Subjects like `litellm /ui` need the aspect said; `client litellm policy` does not.
        let prefix = match aspect {
            "auth" | "host" | "upstream" | "container" | "listen" | "issuer" => {
                format!("{aspect} ")
            }
            _ => String::new(),
        };
        let text = match (&from, &to) {
            (Some(f), Some(t)) => format!("{subject}: {prefix}{f} → {t}"),
            (None, Some(t)) if t.is_empty() => format!("{subject} added"),
            (None, Some(t)) => format!("{subject} added: {t}"),
            (Some(f), None) if f.is_empty() => format!("{subject} removed"),
            (Some(f), None) => format!("{subject} removed: {f}"),
            (None, None) => format!("{subject} changed"),
        };
        Self {
            aspect,
            subject,
            from,
            to,
            effect,
            text,
        }
    }
}

/// Every change from `old` to `new`, in a stable order.
pub fn compare(old: &Topology, new: &Topology) -> Vec<Change> {
    let mut out = Vec::new();
    services(old, new, &mut out);
    clients(old, new, &mut out);
    identity(old, new, &mut out);
    networks(old, new, &mut out);
    proxy(old, new, &mut out);
    tunnel(old, new, &mut out);
    dns(old, new, &mut out);
    out
}

fn services(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
    let names: BTreeSet<&str> = old
        .services
        .iter()
        .chain(&new.services)
        .map(|s| s.name.as_str())
        .collect();
    for name in names {
        match (old.service(name), new.service(name)) {
            (None, Some(s)) => {
                let effect = if s.routes.iter().any(|r| r.exposure.is_public()) {
                    Effect::Widening
                } else {
                    Effect::Neutral
                };
                out.push(Change::new(
                    "service",
                    format!("service {name}"),
                    None,
                    Some(describe(s)),
                    effect,
                ));
            }
            (Some(s), None) => {
                let effect = if s.routes.iter().any(|r| r.exposure.is_public()) {
                    Effect::Narrowing
                } else {
                    Effect::Neutral
                };
                out.push(Change::new(
                    "service",
                    format!("service {name}"),
                    Some(describe(s)),
                    None,
                    effect,
                ));
            }
            (Some(a), Some(b)) => service(a, b, out),
            (None, None) => {}
        }
    }
}

/// `litellm.example.com: / lan-only oidc, /v1 public-api app`
fn describe(s: &Service) -> String {
    let hosts: Vec<&str> = s.hostnames.iter().map(|h| h.as_str()).collect();
    let routes: Vec<String> = s
        .routes
        .iter()
        .map(|r| format!("{} {} {}", r.path, r.exposure, auth_text(r)))
        .collect();
    format!("{}: {}", hosts.join(", "), routes.join(", "))
}

fn service(a: &Service, b: &Service, out: &mut Vec<Change>) {
    let name = &b.name;
    // Compare what every path gets, so a new `/ui` route shows as the change
    // it makes to `/ui` (served by the root before), not as "route added".
    let paths: BTreeSet<&RoutePath> = a.routes.iter().chain(&b.routes).map(|r| &r.path).collect();
    for path in paths {
        let (ra, rb) = (a.route_for(path.as_str()), b.route_for(path.as_str()));
        let subject = format!("{name} {path}");
        if ra.exposure != rb.exposure {
            let effect = match (ra.exposure.is_public(), rb.exposure.is_public()) {
                (false, true) => Effect::Widening,
                (true, false) => Effect::Narrowing,
                _ => Effect::Neutral,
            };
            out.push(Change::new(
                "exposure",
                subject.clone(),
                Some(ra.exposure.to_string()),
                Some(rb.exposure.to_string()),
                effect,
            ));
        }
        if auth_text(ra) != auth_text(rb) {
            let effect = match auth_strength(rb).cmp(&auth_strength(ra)) {
                std::cmp::Ordering::Less => Effect::Widening,
                std::cmp::Ordering::Greater => Effect::Narrowing,
                std::cmp::Ordering::Equal => Effect::Neutral,
            };
            out.push(Change::new(
                "auth",
                subject,
                Some(auth_text(ra)),
                Some(auth_text(rb)),
                effect,
            ));
        }
    }
    let public = b.routes.iter().any(|r| r.exposure.is_public());
    let (ha, hb) = (names(&a.hostnames), names(&b.hostnames));
    for h in hb.difference(&ha) {
        let effect = if public {
            Effect::Widening
        } else {
            Effect::Neutral
        };
        out.push(Change::new(
            "hostname",
            format!("hostname {h}"),
            None,
            Some(name.clone()),
            effect,
        ));
    }
    for h in ha.difference(&hb) {
        out.push(Change::new(
            "hostname",
            format!("hostname {h}"),
            Some(name.clone()),
            None,
            Effect::Neutral,
        ));
    }
    let mut attribute = |aspect: &'static str, x: String, y: String| {
        if x != y {
            out.push(Change::new(
                aspect,
                name.clone(),
                Some(x),
                Some(y),
                Effect::Neutral,
            ));
        }
    };
    attribute("host", a.host.clone(), b.host.clone());
    attribute("upstream", a.upstream.to_string(), b.upstream.to_string());
    attribute("container", a.container.clone(), b.container.clone());
    let listen = |s: &Service| s.listen.as_ref().map_or("-".to_string(), |l| l.to_string());
    attribute("listen", listen(a), listen(b));
    // Values may be secrets: say which keys changed, never what they hold.
    let keys: BTreeSet<&String> = a.env.keys().chain(b.env.keys()).collect();
    for key in keys {
        let subject = format!("{name} env {key}");
        match (a.env.get(key), b.env.get(key)) {
            (None, Some(_)) => out.push(Change::new(
                "env",
                subject,
                None,
                Some(String::new()),
                Effect::Neutral,
            )),
            (Some(_), None) => out.push(Change::new(
                "env",
                subject,
                Some(String::new()),
                None,
                Effect::Neutral,
            )),
            (Some(x), Some(y)) if x != y => {
                out.push(Change::new("env", subject, None, None, Effect::Neutral))
            }
            _ => {}
        }
    }
}

fn names(hostnames: &[crate::model::Hostname]) -> BTreeSet<String> {
    hostnames.iter().map(|h| h.name.clone()).collect()
}

/// `forward-auth (two_factor)`, `oidc`, `none`.
fn auth_text(r: &Route) -> String {
    match r.auth {
        Auth::ForwardAuth => format!("{} ({})", r.auth, r.policy),
        other => other.to_string(),
    }
}

/// Who is checked how hard: nobody, the app, the identity provider, with two factors.
fn auth_strength(r: &Route) -> u8 {
    match (r.auth, r.policy) {
        (Auth::None, _) => 0,
        (Auth::App, _) => 1,
        (Auth::Oidc, _) | (Auth::ForwardAuth, Policy::OneFactor) => 2,
        (Auth::ForwardAuth, Policy::TwoFactor) => 3,
    }
}

/// OIDC clients by service: redirect URI, scopes, policy, PKCE.
fn clients(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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

fn identity(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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
fn networks(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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

fn proxy(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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
fn tunnel(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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
fn dns(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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
