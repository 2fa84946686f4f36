//! The tunnel's ingress, checked the way cloudflared reads it: the first rule
//! whose hostname matches and whose `path` regex (unanchored, as cloudflared's
//! Go regexp) matches the URL path wins. For every route of a topology mixing
//! classes, public paths reach the proxy's tunnel entrypoint and lan-only
//! hostnames and paths reach no rule that would serve them.

use regex::Regex;
use serde_yaml::Value;

use crate::support::{Project, repo_root};

const ORIGIN: &str = "http://192.168.1.30:8443";
const NOT_FOUND: &str = "http_status:404";

struct Rule {
    hostname: Option<String>,
    path: Option<Regex>,
    service: String,
    host_header: Option<String>,
}

fn build(fixture: &str) -> (Project, Vec<Rule>, Value) {
    let path = repo_root()
        .join("tests/fixtures/dns")
        .join(format!("{fixture}.kdl"));
    let project = Project::with_topology(&std::fs::read_to_string(path).unwrap());
    project.run(&["build"]).assert_code(0);
    let doc: Value = serde_yaml::from_str(&project.read("out/cloudflared/config.yml")).unwrap();
    let rules = doc["ingress"]
        .as_sequence()
        .expect("ingress is a list")
        .iter()
        .map(|r| Rule {
            hostname: r["hostname"].as_str().map(str::to_owned),
            path: r["path"]
                .as_str()
                .map(|p| Regex::new(p).expect("a valid regex")),
            service: r["service"]
                .as_str()
                .expect("every rule has a service")
                .to_owned(),
            host_header: r["originRequest"]["httpHostHeader"]
                .as_str()
                .map(str::to_owned),
        })
        .collect();
    (project, rules, doc)
}

/// cloudflared's matching: exact hostname or `*.suffix`, then the unanchored path regex.
fn serve<'a>(rules: &'a [Rule], host: &str, path: &str) -> &'a str {
    rules
        .iter()
        .find(|r| {
            let host_ok = match &r.hostname {
                None => true,
                Some(h) if h == "*" => true,
                Some(h) => match h.strip_prefix("*.") {
                    Some(suffix) => host.ends_with(&format!(".{suffix}")),
                    None => h.eq_ignore_ascii_case(host),
                },
            };
            host_ok && r.path.as_ref().is_none_or(|re| re.is_match(path))
        })
        .map_or("(no rule)", |r| r.service.as_str())
}

#[test]
fn the_config_is_well_formed_and_the_catch_all_is_last() {
    let (_, rules, doc) = build("mixed-tunnel");
    assert_eq!(
        doc["tunnel"].as_str(),
        Some("6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e")
    );
    assert_eq!(
        doc["credentials-file"].as_str(),
        Some("/etc/cloudflared/6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e.json")
    );
    let (last, rest) = rules.split_last().unwrap();
    assert!(
        last.hostname.is_none() && last.path.is_none(),
        "the last rule matches everything"
    );
    assert_eq!(last.service, NOT_FOUND);
    for rule in rest {
        // cloudflared rejects a catch-all before the last rule.
        assert!(
            rule.hostname.as_deref().is_some_and(|h| h != "*"),
            "an early catch-all"
        );
        assert!(
            rule.service == ORIGIN || rule.service == NOT_FOUND,
            "{}",
            rule.service
        );
        if rule.service == ORIGIN {
            assert_eq!(
                rule.host_header, rule.hostname,
                "Host header pinned to the rule's hostname"
            );
        }
    }
}

#[test]
fn every_route_is_served_exactly_when_it_is_public() {
    let (project, rules, _) = build("mixed-tunnel");
    let t = topo::compile::compile_file(&project.join("topology.kdl"))
        .unwrap_or_else(|_| panic!())
        .topology;
    let mut probes = 0;
    for service in &t.services {
        for host in &service.hostnames {
            for route in &service.routes {
                let base = route.path.as_str().trim_end_matches('/');
                for path in [
                    format!("{base}/"),
                    format!("{base}/deep/er"),
                    format!("{}admin", if base.is_empty() { "/z" } else { base }),
                    if base.is_empty() {
                        "/".to_string()
                    } else {
                        base.to_string()
                    },
                ] {
                    // The oracle: the model's longest-prefix route for the path.
                    let public = service.route_for(&path).exposure.is_public();
                    let want = if public { ORIGIN } else { NOT_FOUND };
                    assert_eq!(serve(&rules, host.as_str(), &path), want, "{host}{path}");
                    probes += 1;
                }
            }
        }
    }
    assert!(probes > 30);
}

#[test]
fn lan_only_paths_and_hostnames_are_never_served() {
    let (_, rules, _) = build("mixed-tunnel");
    for host in ["llm.example.com", "ai.example.com"] {
        assert_eq!(serve(&rules, host, "/v1"), ORIGIN);
        assert_eq!(serve(&rules, host, "/v1/models"), ORIGIN);
        assert_eq!(
            serve(&rules, host, "/v1admin"),
            NOT_FOUND,
            "/v1 must not match /v1admin"
        );
        assert_eq!(
            serve(&rules, host, "/x/v1"),
            NOT_FOUND,
            "the regex is anchored"
        );
        assert_eq!(serve(&rules, host, "/v1/admin"), NOT_FOUND);
        assert_eq!(serve(&rules, host, "/v1/admin/keys"), NOT_FOUND);
        assert_eq!(serve(&rules, host, "/v1/admin/status"), ORIGIN);
        assert_eq!(serve(&rules, host, "/"), NOT_FOUND);
        assert_eq!(serve(&rules, host, "/ui"), NOT_FOUND);
    }
    // A public root with lan-only sub-routes: those stay unpublished.
    assert_eq!(serve(&rules, "wiki.example.com", "/"), ORIGIN);
    assert_eq!(serve(&rules, "wiki.example.com", "/administrator"), ORIGIN);
    assert_eq!(serve(&rules, "wiki.example.com", "/admin"), NOT_FOUND);
    assert_eq!(serve(&rules, "wiki.example.com", "/admin/users"), NOT_FOUND);
    assert_eq!(serve(&rules, "wiki.example.com", "/a.b+c/x"), NOT_FOUND);
    assert_eq!(
        serve(&rules, "wiki.example.com", "/aXb+c"),
        ORIGIN,
        "a `.` in a path is literal"
    );
    // The public identity provider is published; a lan-only hostname has no rule at all.
    assert_eq!(
        serve(&rules, "auth.example.com", "/api/oidc/authorization"),
        ORIGIN
    );
    assert_eq!(serve(&rules, "nas.example.com", "/"), NOT_FOUND);
    assert!(
        !rules
            .iter()
            .any(|r| r.hostname.as_deref() == Some("nas.example.com"))
    );
    assert_eq!(serve(&rules, "unknown.example.com", "/"), NOT_FOUND);
}

#[test]
fn the_example_publishes_only_the_litellm_api() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    let doc: Value = serde_yaml::from_str(&project.read("out/cloudflared/config.yml")).unwrap();
    let hostnames: Vec<&str> = doc["ingress"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|r| r["hostname"].as_str())
        .collect();
    assert!(
        hostnames.iter().all(|h| *h == "litellm.umi4.life"),
        "{hostnames:?}"
    );
    let paths: Vec<&str> = doc["ingress"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(paths, ["^/health(/|$)", "^/v1(/|$)"]);
}

#[test]
fn no_tunnel_no_config() {
    let text = std::fs::read_to_string(repo_root().join("topology.kdl")).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("tunnel "))
        .map(|l| format!("{l}\n"))
        .collect();
    let project = Project::with_topology(&text);
    project.run(&["build"]).assert_code(0);
    assert!(!project.join("out/cloudflared/config.yml").exists());
    assert!(!project.join("out/dns/public.zone").exists());
}
