use std::fmt;

use crate::model::{Auth, Exposure, Route, Service, Topology};

/// Where a request comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Origin {
    /// Through public DNS and the tunnel, arriving at the tunnel entrypoint.
    Internet,
    /// A client inside a `network`, via split DNS, at a LAN entrypoint.
    Lan,
    /// A client outside every `network` that reaches a LAN entrypoint directly
    /// (a port forward, a misrouted VPN).
    Outside,
}

/// The class of answer, what tests and the smoke script check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The request reaches the upstream (which may check credentials itself).
    Reaches,
    /// The proxy's forward-auth sends an anonymous client to log in (302/401).
    Login,
    /// The IP allow-list rejects the client (403).
    Forbidden,
    /// No route serves it on this path (404 by design).
    NotFound,
}

impl Outcome {
    /// The HTTP status an anonymous request gets (a 2xx/3xx from the app is `Reaches`).
    pub fn status(self) -> Option<u16> {
        match self {
            Outcome::Reaches => None,
            Outcome::Login => Some(302),
            Outcome::Forbidden => Some(403),
            Outcome::NotFound => Some(404),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// One line a person reads: "404 by design: lan-only control plane".
    pub text: String,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn upstream_of(service: &Service) -> String {
    let url = &service.upstream.value;
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        _ => url.to_string(),
    }
}

/// What an anonymous request to `route` of `service` gets from `origin`.
pub fn route_verdict(t: &Topology, service: &Service, route: &Route, origin: Origin) -> Verdict {
    let lan_only = route.exposure == Exposure::LanOnly;
    match origin {
        Origin::Internet if lan_only => Verdict {
            outcome: Outcome::NotFound,
            text: "404 by design: lan-only control plane (no public DNS, no tunnel ingress)".into(),
        },
        Origin::Internet if t.tunnel.is_none() || t.proxy.tunnel_entrypoints().next().is_none() => {
            Verdict {
                outcome: Outcome::NotFound,
                text: "not published: the topology has no tunnel".into(),
            }
        }
        Origin::Outside if lan_only => Verdict {
            outcome: Outcome::Forbidden,
            text: "403: the client is outside every `network` (IP allow-list)".into(),
        },
        _ => authenticated(t, service, route),
    }
}

fn authenticated(t: &Topology, service: &Service, route: &Route) -> Verdict {
    let upstream = upstream_of(service);
    let issuer = t
        .identity
        .as_ref()
        .map(|i| i.issuer_base())
        .unwrap_or_default();
    match route.auth {
        Auth::None => Verdict {
            outcome: Outcome::Reaches,
            text: format!("reaches {upstream} (no authentication)"),
        },
        Auth::App => Verdict {
            outcome: Outcome::Reaches,
            text: format!(
                "reaches {upstream}; the app checks credentials (API key or its own login)"
            ),
        },
        Auth::ForwardAuth => Verdict {
            outcome: Outcome::Login,
            text: format!(
                "302 to {issuer} to log in ({}), then reaches {upstream}",
                route.policy
            ),
        },
        Auth::Oidc => Verdict {
            outcome: Outcome::Reaches,
            text: format!(
                "reaches {upstream}; the app sends the browser to {issuer} for OIDC login"
            ),
        },
    }
}
