//! The tunnel's ingress rules: only public routes, first match wins.
//!
//! cloudflared takes the first rule whose hostname matches and whose `path`
//! regex (unanchored) matches the URL path. For each hostname, rules are
//! ordered most specific path first, so the first match is the route Traefik
//! picks (longest prefix). A route gets a rule only where its class differs
//! from the route enclosing it: a public prefix under a lan-only root forwards,
//! a lan-only prefix under a public route answers `http_status:404`, a public
//! root forwards the rest of the hostname. A lan-only root gets nothing and
//! falls through to the final catch-all 404, so a lan-only hostname never
//! appears at all. Paths are anchored `^/v1(/|$)`: `/v1`, `/v1/...`, never
//! `/v1admin` or `/x/v1`.

use std::collections::BTreeMap;

use crate::model::{RoutePath, Topology};

/// One ingress rule before the catch-all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub hostname: String,
    /// An anchored regex, or none for the whole hostname.
    pub path: Option<String>,
    /// True: forward to the proxy's tunnel entrypoint; false: `http_status:404`.
    pub forward: bool,
    /// Why the rule exists, for a comment.
    pub note: String,
}

/// A path of a hostname and whether it is public.
struct Part {
    path: RoutePath,
    public: bool,
    what: String,
}

/// `^/v1(/|$)`: the prefix itself or anything below it, regex metacharacters escaped.
pub fn path_regex(prefix: &str) -> String {
    format!("^{}(/|$)", regex::escape(prefix))
}

/// Hostname → its routes; the identity provider counts as one root route.
fn hostnames(t: &Topology) -> BTreeMap<String, Vec<Part>> {
    let mut hosts: BTreeMap<String, Vec<Part>> = BTreeMap::new();
    for s in &t.services {
        for hostname in &s.hostnames {
            let parts = s
                .routes
                .iter()
                .map(|r| Part {
                    path: r.path.clone(),
                    public: r.exposure.is_public(),
                    what: format!(
                        "{} {} (service {})",
                        r.exposure,
                        printable(r.path.as_str()),
                        s.name
                    ),
                })
                .collect();
            hosts
                .entry(hostname.as_str().to_ascii_lowercase())
                .or_insert(parts);
        }
    }
    if let Some(identity) = &t.identity
        && let Some(url::Host::Domain(domain)) = identity.issuer.host()
    {
        hosts.entry(domain.to_ascii_lowercase()).or_insert_with(|| {
            vec![Part {
                path: RoutePath::Root,
                public: identity.exposure.is_public(),
                what: format!("{} / (identity {})", identity.exposure, identity.name),
            }]
        });
    }
    hosts
}

/// Every rule before the catch-all, hostnames sorted, deepest path first.
pub fn rules(t: &Topology) -> Vec<Rule> {
    let mut rules = Vec::new();
    for (hostname, mut parts) in hostnames(t) {
        parts.sort_by(|a, b| {
            b.path
                .depth()
                .cmp(&a.path.depth())
                .then_with(|| a.path.cmp(&b.path))
        });
        for part in &parts {
            // The route that would answer this path if this one had no rule.
            let enclosing = parts
                .iter()
                .filter(|p| part.path.is_under(&p.path))
                .max_by_key(|p| p.path.depth())
                .map(|p| p.public);
            // A root with no rule falls through to the catch-all 404: "not public".
            if part.public == enclosing.unwrap_or(false) {
                continue;
            }
            rules.push(Rule {
                hostname: hostname.clone(),
                path: match &part.path {
                    RoutePath::Root => None,
                    RoutePath::Prefix(p) => Some(path_regex(p)),
                },
                forward: part.public,
                note: if part.public {
                    part.what.clone()
                } else {
                    format!("{}: not published, 404", part.what)
                },
            });
        }
    }
    rules
}

/// Comments must stay on one line whatever a path contains.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::dns::test_topology;

    const MIXED: &str = r#"
domain "example.com"
network "lan" "192.168.1.0/24"
host "edge" address="192.168.1.30"
proxy "traefik" host="edge" {
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
}
tunnel "cf" host="edge" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cloudflared/x.json"
identity "authelia" host="edge" issuer="https://auth.example.com" upstream="http://authelia:9091"
service "llm" host="edge" upstream="http://llm:80" {
    hostname "llm.example.com"
    exposure "lan-only"
    auth "forward-auth"
    route "/v1" exposure="public-api" auth="app"
    route "/v1/admin" exposure="lan-only" auth="forward-auth"
}
service "wiki" host="edge" upstream="http://wiki:80" {
    hostname "wiki.example.com"
    exposure "public-app"
    auth "forward-auth"
    route "/admin" exposure="lan-only"
}
service "nas" host="edge" upstream="http://nas:80" {
    hostname "nas.example.com"
    exposure "lan-only"
    auth "forward-auth"
}
"#;

    fn summary(t: &str) -> Vec<(String, Option<String>, bool)> {
        rules(&test_topology(t))
            .into_iter()
            .map(|r| (r.hostname, r.path, r.forward))
            .collect()
    }

    #[test]
    fn only_differences_from_the_enclosing_route_get_rules_deepest_first() {
        let s = |h: &str, p: Option<&str>, f| (h.to_string(), p.map(str::to_string), f);
        assert_eq!(
            summary(MIXED),
            [
                s("llm.example.com", Some("^/v1/admin(/|$)"), false),
                s("llm.example.com", Some("^/v1(/|$)"), true),
                s("wiki.example.com", Some("^/admin(/|$)"), false),
                s("wiki.example.com", None, true),
            ]
        );
    }

    #[test]
    fn the_identity_gets_a_rule_only_when_public() {
        let public = MIXED.replace(
            "upstream=\"http://authelia:9091\"",
            "upstream=\"http://authelia:9091\" exposure=\"public-app\"",
        );
        assert!(summary(&public).contains(&("auth.example.com".to_string(), None, true)));
        assert!(!summary(MIXED).iter().any(|r| r.0 == "auth.example.com"));
    }

    #[test]
    fn regex_metacharacters_are_escaped_and_the_prefix_is_anchored() {
        let re = regex::Regex::new(&path_regex("/a.b+c")).unwrap();
        assert!(re.is_match("/a.b+c") && re.is_match("/a.b+c/x"));
        assert!(!re.is_match("/axbbc") && !re.is_match("/a.b+cd") && !re.is_match("/x/a.b+c"));
    }
}
