//! Router rules and priorities. Each router matches exactly the requests its
//! route serves: its host, its path prefix segment-wise (`/v1` and `/v1/…`,
//! never `/v1admin`), minus every longer route under it. A public router on
//! the tunnel entrypoint therefore cannot cover a lan-only path even though no
//! lan-only router sits there to outrank it. Priorities make the longest
//! prefix win on top of that, whatever the rules' lengths.

use crate::model::{RoutePath, Service};

/// Priority of a root router; a prefix router adds its length in bytes, so a
/// longer prefix always outranks a shorter one and the root (a route under
/// another is strictly longer). High enough to beat Traefik's default
/// priority (the rule's length) of routers other providers add for the same
/// host.
pub const ROOT_PRIORITY: u64 = 1000;

pub fn priority(path: &RoutePath) -> u64 {
    match path {
        RoutePath::Root => ROOT_PRIORITY,
        RoutePath::Prefix(p) => ROOT_PRIORITY + p.len() as u64,
    }
}

/// ``Path(`/v1`) || PathPrefix(`/v1/`)``, parenthesised; `None` for the root.
fn path_match(path: &RoutePath) -> Option<String> {
    match path {
        RoutePath::Root => None,
        RoutePath::Prefix(p) => Some(format!("(Path(`{p}`) || PathPrefix(`{p}/`))")),
    }
}

/// The routes of `service` directly under `path`: the longer prefixes it must
/// leave to their own routers (a route under one of those is excluded with it).
fn carve_outs<'a>(service: &'a Service, path: &RoutePath) -> Vec<&'a RoutePath> {
    let under: Vec<&RoutePath> = service
        .routes
        .iter()
        .map(|r| &r.path)
        .filter(|p| p.is_under(path))
        .collect();
    under
        .iter()
        .copied()
        .filter(|p| !under.iter().any(|other| p.is_under(other)))
        .collect()
}

/// Refuses a `..` segment (Traefik matches the decoded path, so `%2e%2e` too).
/// Traefik before 3.3.6 matched `/v1/../admin` against `/v1` and forwarded it
/// unsanitized: a public router would hand the app a path it resolves into a
/// lan-only one.
pub const DOT_DOT_GUARD: &str = r"!PathRegexp(`(^|/)\.\.(/|$)`)";

/// The rule for `path` of `service` on `hostname`; `guard_dot_dot` adds
/// [`DOT_DOT_GUARD`].
pub fn route_rule(
    service: &Service,
    hostname: &str,
    path: &RoutePath,
    guard_dot_dot: bool,
) -> String {
    let mut parts = vec![format!("Host(`{hostname}`)")];
    parts.extend(path_match(path));
    parts.extend(
        carve_outs(service, path)
            .into_iter()
            .filter_map(path_match)
            .map(|m| format!("!{m}")),
    );
    if guard_dot_dot {
        parts.push(DOT_DOT_GUARD.to_string());
    }
    parts.join(" && ")
}

/// The rule for a whole host (the identity provider).
pub fn host_rule(hostname: &str) -> String {
    format!("Host(`{hostname}`)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::traefik::test_topology;

    const MIXED: &str = r#"
network "lan" "192.168.1.0/24"
host "d" address="192.168.1.30"
proxy "traefik" host="d" {
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
    trusted-ips "172.18.0.0/16"
}
service "gw" host="d" upstream="http://gw:4000" {
    hostname "gw.example.com"
    exposure "lan-only"
    auth "app"
    route "/v1" exposure="public-api" auth="app"
    route "/v1/admin" exposure="lan-only"
    route "/v1/admin/keys" exposure="lan-only"
    route "/docs" exposure="public-app"
}
"#;

    #[test]
    fn each_rule_leaves_longer_routes_to_their_routers() {
        let t = test_topology(MIXED);
        let gw = &t.services[0];
        let rule = |p: &str| {
            let path = if p == "/" {
                RoutePath::Root
            } else {
                RoutePath::Prefix(p.into())
            };
            route_rule(gw, "gw.example.com", &path, false)
        };
        assert_eq!(
            rule("/"),
            "Host(`gw.example.com`) && !(Path(`/docs`) || PathPrefix(`/docs/`)) && !(Path(`/v1`) || PathPrefix(`/v1/`))"
        );
        assert_eq!(
            rule("/v1"),
            "Host(`gw.example.com`) && (Path(`/v1`) || PathPrefix(`/v1/`)) && !(Path(`/v1/admin`) || PathPrefix(`/v1/admin/`))"
        );
        assert_eq!(
            rule("/docs"),
            "Host(`gw.example.com`) && (Path(`/docs`) || PathPrefix(`/docs/`))"
        );
    }

    #[test]
    fn rules_partition_the_paths_like_the_model() {
        use crate::explain::traefik_rule;
        let t = test_topology(MIXED);
        let gw = &t.services[0];
        for request in [
            "/",
            "/v1",
            "/v1/",
            "/v1admin",
            "/v1/models",
            "/v1/admin",
            "/v1/adminx",
            "/v1/admin/keys/1",
            "/docs",
            "/docsx",
        ] {
            let matching: Vec<&RoutePath> = gw
                .routes
                .iter()
                .map(|r| &r.path)
                .filter(|p| {
                    traefik_rule::parse(&route_rule(gw, "gw.example.com", p, false))
                        .unwrap()
                        .matches("gw.example.com", request)
                })
                .collect();
            assert_eq!(matching, vec![&gw.route_for(request).path], "{request}");
        }
    }

    #[test]
    fn the_dot_dot_guard_refuses_traversal_only() {
        use crate::explain::traefik_rule;
        let t = test_topology(MIXED);
        let v1 = RoutePath::Prefix("/v1".into());
        let rule =
            traefik_rule::parse(&route_rule(&t.services[0], "gw.example.com", &v1, true)).unwrap();
        assert!(rule.matches("gw.example.com", "/v1/models"));
        assert!(rule.matches("gw.example.com", "/v1/..models"));
        assert!(!rule.matches("gw.example.com", "/v1/../admin"));
        assert!(!rule.matches("gw.example.com", "/v1/x/.."));
    }

    #[test]
    fn the_longest_prefix_has_the_highest_priority_whatever_the_rule_length() {
        let root = priority(&RoutePath::Root);
        let docs = priority(&RoutePath::Prefix("/docs".into()));
        let v1 = priority(&RoutePath::Prefix("/v1".into()));
        let v1_admin = priority(&RoutePath::Prefix("/v1/admin".into()));
        assert!(root < v1 && v1 < v1_admin && root < docs);
        // Traefik's default (the rule's length) would rank the root above /docs.
        let t = test_topology(MIXED);
        let gw = &t.services[0];
        let root_rule = route_rule(gw, "gw.example.com", &RoutePath::Root, false);
        let docs_rule = route_rule(
            gw,
            "gw.example.com",
            &RoutePath::Prefix("/docs".into()),
            false,
        );
        assert!(root_rule.len() > docs_rule.len());
    }
}
