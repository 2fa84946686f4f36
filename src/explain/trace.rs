//! `topo explain URL`: follow one request through the compiled topology and
//! the *rendered* configuration — DNS answer, tunnel ingress, entrypoint,
//! router, middlewares — to its result. Reading the rendered files (not the
//! model) is what lets tests hold it against the real Traefik.

use std::net::IpAddr;

use serde::Serialize;

use super::traefik_rule;
use super::verdict::Outcome;
use crate::model::{Exposure, Topology};
use crate::output::OutputTree;

/// Where the request starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum From {
    Internet,
    /// A client at this address; `None`: any address inside the first network.
    Lan(Option<IpAddr>),
    /// A client at this address (`None`: inside the first network) that
    /// connects straight to this entrypoint (a port forward, a test).
    Direct {
        entrypoint: String,
        ip: Option<IpAddr>,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub what: &'static str,
    pub detail: String,
}

/// Where a client with this address stands: inside a `network` or not.
fn client_step(t: &Topology, ip: &IpAddr) -> Step {
    let inside = t.lan_cidrs().iter().any(|n| n.contains(ip));
    let place = if inside {
        "inside a network"
    } else {
        "outside every network"
    };
    Step {
        what: "client",
        detail: format!("{ip} ({place})"),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Trace {
    pub url: String,
    pub steps: Vec<Step>,
    /// `None` when the name does not resolve at all.
    pub outcome: Option<Outcome>,
    pub result: String,
}

struct Router<'a> {
    name: String,
    value: &'a serde_yaml::Value,
    priority: i64,
}

fn dynamic_routers(output: &OutputTree) -> Vec<(String, serde_yaml::Value)> {
    let mut docs = Vec::new();
    for (path, text) in output
        .iter()
        .filter(|(p, _)| p.starts_with("traefik/dynamic/") && p.ends_with(".yml"))
    {
        if let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            docs.push((path.to_string(), doc));
        }
    }
    docs
}

/// Follows `url` from `from`. `output` is the rendered tree of the same topology.
pub fn trace(t: &Topology, output: &OutputTree, url: &url::Url, from: From) -> Trace {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    let mut steps = Vec::new();
    let finish = |steps: Vec<Step>, outcome: Option<Outcome>, result: String| Trace {
        url: url.to_string(),
        steps,
        outcome,
        result,
    };

    let service = t
        .services
        .iter()
        .find(|s| s.hostnames.iter().any(|h| h.as_str() == host));
    let identity = t.identity.as_ref().filter(|i| i.issuer_host() == host);
    let known = service.is_some() || identity.is_some();
    let public = service.is_some_and(|s| s.routes.iter().any(|r| r.exposure.is_public()))
        || identity.is_some_and(|i| i.exposure.is_public());

    let entrypoint = match &from {
        From::Direct { entrypoint, ip } => {
            steps.extend(ip.as_ref().map(|ip| client_step(t, ip)));
            t.proxy
                .entrypoints
                .iter()
                .find(|e| &e.name == entrypoint)
                .map(|e| e.name.clone())
        }
        From::Internet => {
            let Some(tunnel) = &t.tunnel else {
                steps.push(Step {
                    what: "dns",
                    detail: format!("{host}: no public record (the topology has no tunnel)"),
                });
                return finish(
                    steps,
                    None,
                    "unreachable from the internet: nothing is published".into(),
                );
            };
            if !public {
                steps.push(Step {
                    what: "dns",
                    detail: format!("{host}: no public record"),
                });
                let why = if known {
                    "by design: lan-only control plane"
                } else {
                    "not part of this topology"
                };
                return finish(steps, None, format!("NXDOMAIN from the internet, {why}"));
            }
            steps.push(Step {
                what: "dns",
                detail: format!("{host} CNAME {}.cfargotunnel.com", tunnel.id),
            });
            match ingress(output, &host, path) {
                Some(service) if service.starts_with("http_status:") => {
                    steps.push(Step {
                        what: "tunnel",
                        detail: format!("cloudflared ingress answers {service}"),
                    });
                    let code = service.trim_start_matches("http_status:").to_string();
                    return finish(
                        steps,
                        Some(Outcome::NotFound),
                        format!(
                            "{code} by design: {host}{path} is not published (lan-only control plane)"
                        ),
                    );
                }
                Some(service) => steps.push(Step {
                    what: "tunnel",
                    detail: format!("cloudflared ingress → {service}"),
                }),
                None => steps.push(Step {
                    what: "tunnel",
                    detail: "no cloudflared config rendered; assuming it forwards".into(),
                }),
            }
            t.proxy.tunnel_entrypoints().next().map(|e| e.name.clone())
        }
        From::Lan(ip) => {
            if !known {
                steps.push(Step {
                    what: "dns",
                    detail: format!("{host}: not in split DNS"),
                });
                return finish(
                    steps,
                    None,
                    "NXDOMAIN on the LAN: not part of this topology".into(),
                );
            }
            steps.push(Step {
                what: "dns",
                detail: format!("{host} A {} (split DNS)", t.proxy_host_address()),
            });
            steps.extend(ip.as_ref().map(|ip| client_step(t, ip)));
            t.proxy.lan_entrypoints().next().map(|e| e.name.clone())
        }
    };
    let Some(entrypoint) = entrypoint else {
        return finish(
            steps,
            Some(Outcome::NotFound),
            "no entrypoint serves this origin".into(),
        );
    };
    steps.push(Step {
        what: "entrypoint",
        detail: entrypoint.clone(),
    });

    let docs = dynamic_routers(output);
    let mut candidates: Vec<Router<'_>> = Vec::new();
    for (_, doc) in &docs {
        let Some(routers) = doc
            .get("http")
            .and_then(|h| h.get("routers"))
            .and_then(|r| r.as_mapping())
        else {
            continue;
        };
        for (name, router) in routers {
            let on_ep = router
                .get("entryPoints")
                .and_then(|e| e.as_sequence())
                .is_none_or(|eps| eps.iter().any(|e| e.as_str() == Some(entrypoint.as_str())));
            let rule_text = router
                .get("rule")
                .and_then(|r| r.as_str())
                .unwrap_or_default();
            let matches = traefik_rule::parse(rule_text).is_ok_and(|r| r.matches(&host, path));
            if on_ep && matches {
                // Traefik: an explicit priority, else the rule's length.
                let priority = router
                    .get("priority")
                    .and_then(|p| p.as_i64())
                    .unwrap_or(rule_text.len() as i64);
                candidates.push(Router {
                    name: name.as_str().unwrap_or_default().to_string(),
                    value: router,
                    priority,
                });
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then_with(|| a.name.cmp(&b.name))
    });
    let Some(router) = candidates.first() else {
        steps.push(Step {
            what: "router",
            detail: "none matches".into(),
        });
        let why = match service.map(|s| s.route_for(path).exposure) {
            Some(Exposure::LanOnly) if matches!(from, From::Internet) => {
                "by design: lan-only control plane"
            }
            _ => "no route for this path",
        };
        return finish(steps, Some(Outcome::NotFound), format!("404 {why}"));
    };
    steps.push(Step {
        what: "router",
        detail: format!("{} (priority {})", router.name, router.priority),
    });

    let middlewares: Vec<String> = router
        .value
        .get("middlewares")
        .and_then(|m| m.as_sequence())
        .map(|m| {
            m.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let client_ip = match &from {
        From::Internet => None,
        From::Lan(Some(ip)) | From::Direct { ip: Some(ip), .. } => Some(*ip),
        From::Lan(None) | From::Direct { ip: None, .. } => {
            t.lan_cidrs().first().map(|n| n.network())
        }
    };
    for name in &middlewares {
        let bare = name.split('@').next().unwrap_or(name);
        let definition = docs
            .iter()
            .find_map(|(_, d)| d.get("http")?.get("middlewares")?.get(bare));
        let Some(definition) = definition else {
            steps.push(Step {
                what: "middleware",
                detail: format!("{name} (not defined in topo's files)"),
            });
            continue;
        };
        if let Some(allow) = definition.get("ipAllowList") {
            let ranges: Vec<ipnet::IpNet> = allow
                .get("sourceRange")
                .and_then(|r| r.as_sequence())
                .map(|r| r.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
                .unwrap_or_default();
            let allowed = client_ip.is_some_and(|ip| ranges.iter().any(|n| n.contains(&ip)));
            steps.push(Step {
                what: "middleware",
                detail: format!(
                    "{name}: ipAllowList {}",
                    if allowed { "passes" } else { "rejects" }
                ),
            });
            if !allowed {
                return finish(
                    steps,
                    Some(Outcome::Forbidden),
                    "403: the client is outside every `network` (IP allow-list)".into(),
                );
            }
        } else if definition.get("forwardAuth").is_some() {
            let issuer = t
                .identity
                .as_ref()
                .map(|i| i.issuer_base())
                .unwrap_or_default();
            steps.push(Step {
                what: "middleware",
                detail: format!("{name}: forwardAuth asks {issuer}"),
            });
            return finish(
                steps,
                Some(Outcome::Login),
                format!("302 to {issuer} to log in; after login the request reaches the upstream"),
            );
        } else {
            steps.push(Step {
                what: "middleware",
                detail: name.clone(),
            });
        }
    }
    let service_name = router
        .value
        .get("service")
        .and_then(|s| s.as_str())
        .unwrap_or_default();
    let upstream = docs
        .iter()
        .find_map(|(_, d)| {
            d.get("http")?
                .get("services")?
                .get(service_name.split('@').next()?)?
                .get("loadBalancer")?
                .get("servers")?
                .get(0)?
                .get("url")?
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| service_name.to_string());
    finish(steps, Some(Outcome::Reaches), format!("reaches {upstream}"))
}

/// The first cloudflared ingress rule that matches, as its `service`.
fn ingress(output: &OutputTree, host: &str, path: &str) -> Option<String> {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(output.get("cloudflared/config.yml")?).ok()?;
    for rule in doc.get("ingress")?.as_sequence()? {
        let host_ok = match rule.get("hostname").and_then(|h| h.as_str()) {
            None => true,
            Some(h) => h
                .strip_prefix("*.")
                .map_or(h.eq_ignore_ascii_case(host), |s| {
                    host.ends_with(&format!(".{s}"))
                }),
        };
        let path_ok = rule
            .get("path")
            .and_then(|p| p.as_str())
            .is_none_or(|p| regex::Regex::new(p).is_ok_and(|r| r.is_match(path)));
        if host_ok && path_ok {
            return rule
                .get("service")
                .and_then(|s| s.as_str())
                .map(str::to_owned);
        }
    }
    None
}
