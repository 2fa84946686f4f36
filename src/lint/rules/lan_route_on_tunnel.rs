use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::explain::traefik_rule;
use crate::lint::rendered_yaml::{self, RenderedIngress};
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
    if let Some(identity) = t.lan_only_identity() {
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
    let probes = lan_probes(cx.topology);
    // Probes by host, so each router or ingress rule meets only the probes it
    // could match: linear in routes, not routes × routes.
    let mut by_host: HashMap<String, Vec<&Probe>> = HashMap::new();
    for probe in &probes {
        by_host
            .entry(probe.host.to_ascii_lowercase())
            .or_default()
            .push(probe);
    }
    let (mut routers, ingress) = rayon::join(
        || check_routers(cx, output, &probes, &by_host),
        || check_ingress(output, &probes),
    );
    out.append(&mut routers);
    out.extend(ingress);
}

/// Routers attached to a tunnel entrypoint that match a lan-only probe.
fn check_routers(
    cx: &LintContext<'_>,
    output: &crate::output::OutputTree,
    probes: &[Probe],
    by_host: &HashMap<String, Vec<&Probe>>,
) -> Vec<Finding> {
    let tunnel_eps: Vec<&str> = cx
        .topology
        .proxy
        .tunnel_entrypoints()
        .map(|e| e.name.as_str())
        .collect();
    let mut out = Vec::new();
    for (path, text) in output
        .iter()
        .filter(|(p, _)| p.starts_with("traefik/dynamic/") && p.ends_with(".yml"))
    {
        let Some(routers) = rendered_yaml::routers(text) else {
            continue;
        };
        for router in &routers {
            let name = &router.name;
            let Some(eps) = &router.entry_points else {
                out.push(Finding::global(
                    Diagnostic::error(format!("{path}: router `{name}` has no entryPoints, so Traefik attaches it to every entrypoint"))
                        .help("every router must list its entrypoints"),
                ));
                continue;
            };
            if !eps.iter().any(|e| tunnel_eps.contains(&e.as_str())) {
                continue;
            }
            let Some(rule) = router
                .rule
                .as_deref()
                .and_then(|r| traefik_rule::parse(r).ok())
            else {
                continue;
            };
            let candidates: Vec<&Probe> = match rule.required_hosts() {
                Some(hosts) => hosts
                    .iter()
                    .filter_map(|h| by_host.get(h))
                    .flatten()
                    .copied()
                    .collect(),
                None => probes.iter().collect(),
            };
            for probe in candidates
                .into_iter()
                .filter(|p| rule.matches(&p.host, &p.path))
            {
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
    out
}

/// cloudflared ingress rules that publish a lan-only probe (the first
/// matching rule wins, as in cloudflared).
fn check_ingress(output: &crate::output::OutputTree, probes: &[Probe]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(text) = output.get("cloudflared/config.yml") else {
        return out;
    };
    let Some(mut rules) = rendered_yaml::ingress(text) else {
        return out;
    };
    for rule in &mut rules {
        rule.hostname = rule.hostname.as_deref().map(str::to_ascii_lowercase);
    }
    // Rules for one exact hostname, and those that may match any (a
    // wildcard, no hostname): a probe meets only these, in file order.
    let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut general = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        match &rule.hostname {
            Some(h) if !h.starts_with("*.") => exact.entry(h.as_str()).or_default().push(i),
            _ => general.push(i),
        }
    }
    let mut regexes = Regexes::new();
    for probe in probes {
        let host = probe.host.to_ascii_lowercase();
        let mut order: Vec<usize> = exact.get(host.as_str()).cloned().unwrap_or_default();
        order.extend(&general);
        order.sort_unstable();
        let first = order
            .into_iter()
            .map(|i| &rules[i])
            .find(|r| ingress_matches(r, &host, &probe.path, &mut regexes));
        if first.is_some_and(|r| !r.service.starts_with("http_status:")) {
            out.push(finding(
                probe,
                format!(
                    "cloudflared/config.yml: an ingress rule publishes lan-only {}{}",
                    probe.host, probe.path
                ),
            ));
        }
    }
    out
}

/// Pattern → compiled regex (`None`: invalid, matches nothing). Compiled on
/// first use and shared: generated configs repeat a handful of path patterns
/// (`^/v1(/|$)`) across thousands of rules.
type Regexes = HashMap<String, Option<regex::Regex>>;

/// Whether cloudflared would route `host` (lower-case) and `path` by `rule`
/// (its hostname lower-cased).
fn ingress_matches(rule: &RenderedIngress, host: &str, path: &str, regexes: &mut Regexes) -> bool {
    let host_ok = match &rule.hostname {
        None => true,
        Some(h) => h
            .strip_prefix("*.")
            .map_or(h == host, |suffix| host.ends_with(&format!(".{suffix}"))),
    };
    host_ok
        && match &rule.path {
            None => true,
            Some(pattern) => regexes
                .entry(pattern.clone())
                .or_insert_with(|| regex::Regex::new(pattern).ok())
                .as_ref()
                .is_some_and(|re| re.is_match(path)),
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_cover_look_alike_prefixes_of_public_carve_outs() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/topology.kdl")).unwrap();
        let probes = lan_probes(&crate::compile::test_topology(&text));
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
