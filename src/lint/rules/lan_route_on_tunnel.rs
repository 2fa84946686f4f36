use crate::diagnostic::{Diagnostic, Severity};
use crate::explain::traefik_rule;
use crate::lint::{Finding, LintContext, Rule};
use crate::model::{Exposure, Topology};

pub const RULE: Rule = Rule {
    code: "TOPO004",
    name: "lan-route-on-tunnel",
    level: Severity::Error,
    summary: "a lan-only route is reachable through the tunnel in the rendered output",
    doc: r#"## What it does
Reads the *rendered* Traefik routers and cloudflared ingress and asks, for a
probe request to every lan-only hostname and path, whether a router attached to
a tunnel entrypoint or an ingress rule would serve it. It also flags routers
without `entryPoints` (Traefik attaches those to every entrypoint).

## Why is this bad?
A lan-only route is a private control plane. If any router on the tunnel
entrypoint matches it — a host-wide public router, a `PathPrefix(/v1)` that
also matches `/v1admin`, a template edit — the admin UI is on the internet.
topo's renderers are built so this cannot happen; this rule proves it on the
actual output, including output from your `--templates` overrides.

## Example
```yaml
routers:
  litellm:
    rule: Host(`litellm.umi4.life`)
    entryPoints: [websecure, tunnel]   # the lan-only /ui is now public
```
Use instead: one router per class, the lan-only one on LAN entrypoints only.
"#,
    check,
};

/// A request that must never be served through the tunnel.
pub struct Probe {
    pub service: Option<String>,
    pub host: String,
    pub path: String,
}

/// Probe paths for every lan-only part of every hostname: the root, each
/// route prefix, a path under it, and a look-alike next to it (`/v1topo-probe`
/// belongs to the root, not to `/v1`, and catches a bare `PathPrefix(/v1)`).
pub fn lan_probes(t: &Topology) -> Vec<Probe> {
    let mut probes = Vec::new();
    for s in &t.services {
        let mut candidates = vec!["/".to_string(), "/topo-probe".to_string()];
        for route in s.routes.iter().skip(1) {
            let p = route.path.as_str();
            candidates.extend([
                p.to_string(),
                format!("{p}/topo-probe"),
                format!("{p}topo-probe"),
            ]);
        }
        candidates.sort();
        candidates.dedup();
        for hostname in &s.hostnames {
            for path in candidates
                .iter()
                .filter(|p| s.route_for(p).exposure == Exposure::LanOnly)
            {
                probes.push(Probe {
                    service: Some(s.name.clone()),
                    host: hostname.to_string(),
                    path: path.clone(),
                });
            }
        }
    }
    if let Some(identity) = t
        .identity
        .as_ref()
        .filter(|i| i.exposure == Exposure::LanOnly)
    {
        probes.push(Probe {
            service: None,
            host: identity.issuer_host().to_string(),
            path: "/".into(),
        });
    }
    probes
}

fn finding(probe: &Probe, message: String) -> Finding {
    let diagnostic = Diagnostic::error(message)
        .help("this is a renderer or template bug: the lan-only route must stay off the tunnel");
    Finding {
        service: probe.service.clone(),
        diagnostic,
    }
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some(output) = cx.output else { return };
    let t = cx.topology;
    let tunnel_eps: Vec<&str> = t
        .proxy
        .tunnel_entrypoints()
        .map(|e| e.name.as_str())
        .collect();
    let probes = lan_probes(t);
    for (path, text) in output
        .iter()
        .filter(|(p, _)| p.starts_with("traefik/dynamic/") && p.ends_with(".yml"))
    {
        let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
            continue;
        };
        let Some(routers) = doc
            .get("http")
            .and_then(|h| h.get("routers"))
            .and_then(|r| r.as_mapping())
        else {
            continue;
        };
        for (name, router) in routers {
            let name = name.as_str().unwrap_or_default();
            let Some(eps) = router.get("entryPoints").and_then(|e| e.as_sequence()) else {
                out.push(Finding::global(
                    Diagnostic::error(format!("{path}: router `{name}` has no entryPoints, so Traefik attaches it to every entrypoint"))
                        .help("every router must list its entrypoints"),
                ));
                continue;
            };
            if !eps
                .iter()
                .filter_map(|e| e.as_str())
                .any(|e| tunnel_eps.contains(&e))
            {
                continue;
            }
            let Some(rule) = router
                .get("rule")
                .and_then(|r| r.as_str())
                .and_then(|r| traefik_rule::parse(r).ok())
            else {
                continue;
            };
            for probe in probes.iter().filter(|p| rule.matches(&p.host, &p.path)) {
                out.push(finding(
                    probe,
                    format!(
                        "{path}: router `{name}` on the tunnel entrypoint serves lan-only {}{}",
                        probe.host, probe.path
                    ),
                ));
            }
        }
    }
    if let Some(text) = output.get("cloudflared/config.yml") {
        let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
            return;
        };
        let rules = doc
            .get("ingress")
            .and_then(|i| i.as_sequence())
            .cloned()
            .unwrap_or_default();
        for probe in &probes {
            let first = rules.iter().find(|r| {
                let host_ok = match r.get("hostname").and_then(|h| h.as_str()) {
                    None => true,
                    Some(h) => {
                        h.strip_prefix("*.")
                            .map_or(h.eq_ignore_ascii_case(&probe.host), |suffix| {
                                probe
                                    .host
                                    .to_ascii_lowercase()
                                    .ends_with(&format!(".{}", suffix.to_ascii_lowercase()))
                            })
                    }
                };
                let path_ok = r
                    .get("path")
                    .and_then(|p| p.as_str())
                    .is_none_or(|p| regex::Regex::new(p).is_ok_and(|re| re.is_match(&probe.path)));
                host_ok && path_ok
            });
            let service = first
                .and_then(|r| r.get("service"))
                .and_then(|s| s.as_str())
                .unwrap_or("");
            if first.is_some() && !service.starts_with("http_status:") {
                out.push(finding(
                    probe,
                    format!(
                        "cloudflared/config.yml: an ingress rule publishes lan-only {}{}",
                        probe.host, probe.path
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_cover_look_alike_prefixes_of_public_carve_outs() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/topology.kdl")).unwrap();
        let source = crate::source::SourceFile::new(std::path::Path::new("topology.kdl"), text);
        let compilation = crate::compile::compile_source(
            source,
            &crate::profiles::Catalog::builtin(),
            Default::default(),
        )
        .ok()
        .unwrap();
        let probes = lan_probes(&compilation.topology);
        let paths: Vec<&str> = probes
            .iter()
            .filter(|p| p.host == "litellm.umi4.life")
            .map(|p| p.path.as_str())
            .collect();
        assert!(paths.contains(&"/v1topo-probe"), "{paths:?}");
        assert!(paths.contains(&"/"));
        assert!(
            !paths.contains(&"/v1"),
            "public /v1 is not a lan-only probe"
        );
        assert!(probes.iter().any(|p| p.host == "auth.umi4.life"));
    }
}
