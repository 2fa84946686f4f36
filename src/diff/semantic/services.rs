//! Per service: what every path gets (exposure, auth), hostnames, and the
//! service's own settings.

use std::collections::BTreeSet;

use super::{Change, Effect};
use crate::model::{Auth, Policy, Route, RoutePath, Service, Topology};

pub(super) fn services(old: &Topology, new: &Topology, out: &mut Vec<Change>) {
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
