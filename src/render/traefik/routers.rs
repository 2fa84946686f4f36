//! One router per hostname × route × entrypoint group.
//!
//! The LAN group is every entrypoint without `tunnel=#true`, the tunnel group
//! every one with it. A lan-only route gets a router on the LAN group only,
//! behind the `lan-allow` IP allow-list; a public route gets one router per
//! group, so together they cover every entrypoint while the tunnel router can
//! differ: it never carries TLS (cloudflared speaks plain http to the tunnel
//! entrypoint; Cloudflare's edge terminated TLS), the LAN router uses the cert
//! resolver when one is set.

use super::names::{Namer, host_slug, path_slug};
use super::rules::{ROOT_PRIORITY, host_rule, priority, route_rule};
use super::version::Gate;
use super::view::RouterView;
use crate::model::{Auth, Exposure, Proxy, Topology};

pub const LAN_ALLOW: &str = "lan-allow";
pub const FORWARD_AUTH: &str = "forward-auth";

/// A set of entrypoints that routers attach to together.
struct Group {
    names: Vec<String>,
    tunnel: bool,
}

fn groups(proxy: &Proxy, exposure: Exposure) -> Vec<Group> {
    let lan = Group {
        names: proxy.lan_entrypoints().map(|e| e.name.clone()).collect(),
        tunnel: false,
    };
    let tunnel = Group {
        names: proxy.tunnel_entrypoints().map(|e| e.name.clone()).collect(),
        tunnel: true,
    };
    let wanted = if exposure.is_public() {
        vec![lan, tunnel]
    } else {
        vec![lan]
    };
    wanted.into_iter().filter(|g| !g.names.is_empty()).collect()
}

/// What the routers of one route share; [`Routers::add`] fans it out per group.
struct Spec {
    /// Readable name before the group suffix.
    base: String,
    rule: String,
    priority: u64,
    exposure: Exposure,
    auth: Auth,
    service: String,
}

struct Routers<'a> {
    proxy: &'a Proxy,
    /// Keeps the groups' routers of one route paired: `x-2`, `x-2-tunnel`.
    bases: Namer,
    namer: Namer,
    out: Vec<RouterView>,
}

impl Routers<'_> {
    fn add(&mut self, spec: Spec) {
        let base = self.bases.claim(&spec.base);
        for group in groups(self.proxy, spec.exposure) {
            let mut middlewares = Vec::new();
            if spec.exposure == Exposure::LanOnly {
                middlewares.push(format!("{LAN_ALLOW}@file"));
            }
            if spec.auth == Auth::ForwardAuth {
                middlewares.push(format!("{FORWARD_AUTH}@file"));
            }
            let wanted = if group.tunnel {
                format!("{base}-tunnel")
            } else {
                base.clone()
            };
            self.out.push(RouterView {
                name: self.namer.claim(&wanted),
                rule: spec.rule.clone(),
                entry_points: group.names,
                middlewares,
                service: format!("{}@file", spec.service),
                priority: spec.priority,
                cert_resolver: if group.tunnel {
                    None
                } else {
                    self.proxy.cert_resolver.as_ref().map(|c| c.name.clone())
                },
            });
        }
    }
}

/// Every router of the topology. `identity_service` and `service_names`
/// (parallel to `t.services`) are the Traefik service names.
pub fn build(
    t: &Topology,
    identity_service: Option<&str>,
    service_names: &[String],
) -> Vec<RouterView> {
    let mut routers = Routers {
        proxy: &t.proxy,
        bases: Namer::default(),
        namer: Namer::default(),
        out: Vec::new(),
    };
    if let (Some(identity), Some(service)) = (&t.identity, identity_service) {
        // The identity provider is never behind forward-auth: it is what forward-auth asks.
        routers.add(Spec {
            base: identity.name.clone(),
            rule: host_rule(identity.issuer_host()),
            priority: ROOT_PRIORITY,
            exposure: identity.exposure,
            auth: Auth::None,
            service: service.to_string(),
        });
    }
    for (service, service_name) in t.services.iter().zip(service_names) {
        let guard_dot_dot =
            service.mixes_classes() && !Gate::SanitizedPaths.open_for(t.proxy.version);
        for (i, hostname) in service.hostnames.iter().enumerate() {
            for route in &service.routes {
                let mut base = service.name.clone();
                if i > 0 {
                    base = format!("{base}-{}", host_slug(hostname.as_str()));
                }
                if let Some(slug) = path_slug(&route.path) {
                    base = format!("{base}-{slug}");
                }
                routers.add(Spec {
                    base,
                    rule: route_rule(service, hostname.as_str(), &route.path, guard_dot_dot),
                    priority: priority(&route.path),
                    exposure: route.exposure,
                    auth: route.auth,
                    service: service_name.clone(),
                });
            }
        }
    }
    routers.out
}
