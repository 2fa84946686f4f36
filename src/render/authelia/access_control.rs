//! `access_control` rules for every `forward-auth` route. Authelia takes the
//! first rule that matches, so on each hostname the longest path comes first
//! and the hostname-wide rule (the root route) last; anything else is denied.

use serde::Serialize;

use crate::model::{Auth, Identity, RoutePath, Topology};

#[derive(Serialize)]
pub struct RuleView {
    /// Why the rule exists, as a YAML comment.
    pub comment: String,
    pub domains: Vec<String>,
    /// Go regexes on path and query; empty means the whole hostname.
    pub resources: Vec<String>,
    pub policy: String,
}

pub fn rules(t: &Topology, identity: &Identity) -> Vec<RuleView> {
    // The portal itself must stay reachable to log in; it also keeps the rule
    // list non-empty, which `default_policy: deny` requires.
    let mut rules = vec![RuleView {
        comment: format!(
            "the identity provider `{}`: its portal is where users log in",
            identity.name
        ),
        domains: vec![identity.issuer_host().to_string()],
        resources: Vec::new(),
        policy: "bypass".into(),
    }];
    for s in &t.services {
        let mut routes: Vec<_> = s
            .routes
            .iter()
            .filter(|r| r.auth == Auth::ForwardAuth)
            .collect();
        routes.sort_by(|a, b| {
            b.path
                .depth()
                .cmp(&a.path.depth())
                .then_with(|| a.path.cmp(&b.path))
        });
        for route in routes {
            rules.push(RuleView {
                comment: one_line(&format!(
                    "service `{}`, route {} ({})",
                    s.name, route.path, route.exposure
                )),
                domains: s.hostnames.iter().map(|h| h.to_string()).collect(),
                resources: match &route.path {
                    RoutePath::Root => Vec::new(),
                    RoutePath::Prefix(p) => vec![resource_regex(p)],
                },
                policy: route.policy.keyword().to_string(),
            });
        }
    }
    rules
}

/// A YAML comment must stay on its line.
fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// `/v1` → `^/v1([/?].*)?$`: the path itself, anything under it and a query,
/// never `/v1admin` (the same boundary as the Traefik router).
pub fn resource_regex(prefix: &str) -> String {
    let mut escaped = String::new();
    for c in prefix.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    format!("^{escaped}([/?].*)?$")
}

#[cfg(test)]
mod tests {
    use super::resource_regex;

    #[test]
    fn resources_match_the_route_boundary() {
        assert_eq!(resource_regex("/v1"), "^/v1([/?].*)?$");
        assert_eq!(resource_regex("/a.b+c"), "^/a\\.b\\+c([/?].*)?$");
    }
}
