//! Unit tests of the view: names, entryPoints per class, middlewares,
//! priorities, TLS per entrypoint group, version gates, escaping.

use super::rules::DOT_DOT_GUARD;
use super::view::{DynamicView, RouterView, dynamic_view};
use super::{DYNAMIC_FILE, STATIC_FILE, Traefik, static_config::static_view, test_topology};
use crate::output::OutputTree;
use crate::render::{RenderInput, Target, Templates};
use crate::secrets::Credentials;

const EXAMPLE: &str = include_str!("../../../topology.kdl");

fn router<'a>(view: &'a DynamicView, name: &str) -> &'a RouterView {
    view.routers
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no router {name}"))
}

/// The rendered (static, dynamic) files of `kdl`.
fn render(kdl: &str) -> (String, String) {
    let topology = test_topology(kdl);
    let templates = Templates::new(None);
    let credentials = Credentials::new();
    let input = RenderInput {
        topology: &topology,
        credentials: &credentials,
        templates: &templates,
    };
    let mut out = OutputTree::new();
    Traefik.render(&input, &mut out).unwrap();
    (
        out.get(STATIC_FILE).unwrap().to_string(),
        out.get(DYNAMIC_FILE).unwrap().to_string(),
    )
}

fn with_version(version: &str) -> String {
    EXAMPLE.replace("version=\"3.7\"", &format!("version=\"{version}\""))
}

#[test]
fn example_routers_by_class() {
    let view = dynamic_view(&test_topology(EXAMPLE));
    let names: Vec<&str> = view.routers.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "authelia",
            "coder",
            "hermes",
            "litellm",
            "litellm-health",
            "litellm-health-tunnel",
            "litellm-v1",
            "litellm-v1-tunnel"
        ]
    );
    // lan-only: LAN entrypoints only, behind the allow-list (then forward-auth).
    let hermes = router(&view, "hermes");
    assert_eq!(hermes.entry_points, ["websecure"]);
    assert_eq!(hermes.middlewares, ["lan-allow@file", "forward-auth@file"]);
    let litellm = router(&view, "litellm");
    assert_eq!(
        litellm.middlewares,
        ["lan-allow@file"],
        "oidc: no auth middleware"
    );
    // public: one router per entrypoint group, no allow-list, app auth adds nothing.
    for name in ["litellm-v1", "litellm-v1-tunnel"] {
        assert!(router(&view, name).middlewares.is_empty(), "{name}");
    }
    assert_eq!(router(&view, "litellm-v1").entry_points, ["websecure"]);
    assert_eq!(router(&view, "litellm-v1-tunnel").entry_points, ["tunnel"]);
    // TLS on the LAN, plain http from cloudflared.
    assert_eq!(
        router(&view, "litellm-v1").cert_resolver.as_deref(),
        Some("letsencrypt")
    );
    assert_eq!(router(&view, "litellm-v1-tunnel").cert_resolver, None);
    // Every router names its entrypoints; no lan-only router touches the tunnel.
    for r in &view.routers {
        assert!(!r.entry_points.is_empty(), "{}", r.name);
        if r.middlewares.iter().any(|m| m == "lan-allow@file") {
            assert!(!r.entry_points.iter().any(|e| e == "tunnel"), "{}", r.name);
        }
    }
    assert_eq!(
        view.lan_allow.as_ref().unwrap().source_range,
        ["192.168.1.0/24", "10.8.0.0/24"]
    );
}

#[test]
fn example_priorities_make_the_longest_prefix_win() {
    let view = dynamic_view(&test_topology(EXAMPLE));
    let p = |name: &str| router(&view, name).priority;
    assert!(p("litellm") < p("litellm-v1") && p("litellm") < p("litellm-health"));
    assert_eq!(p("litellm-v1"), p("litellm-v1-tunnel"));
    assert!(
        router(&view, "litellm")
            .rule
            .contains("!(Path(`/v1`) || PathPrefix(`/v1/`))")
    );
}

#[test]
fn the_identity_provider_has_its_own_router_and_no_forward_auth() {
    let view = dynamic_view(&test_topology(EXAMPLE));
    let authelia = router(&view, "authelia");
    assert_eq!(authelia.rule, "Host(`auth.umi4.life`)");
    assert_eq!(authelia.middlewares, ["lan-allow@file"]);
    assert_eq!(authelia.service, "authelia@file");
    let fa = view.forward_auth.as_ref().unwrap();
    assert_eq!(fa.address, "http://authelia:9091/api/authz/forward-auth");
    assert_eq!(
        fa.response_headers,
        [
            "Remote-User",
            "Remote-Groups",
            "Remote-Email",
            "Remote-Name"
        ]
    );

    let public = EXAMPLE.replace(
        "upstream=\"http://authelia:9091\"",
        "upstream=\"http://authelia:9091/sso/\" exposure=\"public-app\"",
    );
    let view = dynamic_view(&test_topology(&public));
    assert!(router(&view, "authelia").middlewares.is_empty());
    assert_eq!(router(&view, "authelia-tunnel").entry_points, ["tunnel"]);
    assert_eq!(
        view.forward_auth.unwrap().address,
        "http://authelia:9091/sso/api/authz/forward-auth"
    );
}

#[test]
fn version_gates_across_3_0_3_6_9_and_3_7() {
    let (_, newest) = render(EXAMPLE);
    for (version, max_body, guard) in [
        ("3.0", false, true),
        ("3.3.5", false, true),
        ("3.3.6", false, false),
        ("3.6.8", false, false),
        ("3.6.9", true, false),
        ("3.7", true, false),
    ] {
        let (_, dynamic) = render(&with_version(version));
        assert_eq!(
            dynamic.contains("maxResponseBodySize: 1048576"),
            max_body,
            "version {version}"
        );
        // Unsanitized paths: litellm mixes classes, so its routers refuse `..`; hermes does not.
        let doc: serde_yaml::Value = serde_yaml::from_str(&dynamic).unwrap();
        let rule = |name: &str| {
            doc["http"]["routers"][name]["rule"]
                .as_str()
                .unwrap()
                .to_string()
        };
        for name in ["litellm", "litellm-v1", "litellm-v1-tunnel"] {
            assert_eq!(
                rule(name).ends_with(DOT_DOT_GUARD),
                guard,
                "version {version} {name}"
            );
        }
        assert!(!rule("hermes").contains("PathRegexp"));
        // Nothing else depends on the version.
        let strip = |t: &str| {
            t.lines()
                .filter(|l| !l.contains("maxResponseBodySize"))
                .map(|l| l.replace(&format!(" && {}", DOT_DOT_GUARD.replace('\\', "\\\\")), ""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&dynamic), strip(&newest), "version {version}");
    }
}

#[test]
fn rendered_dynamic_file_is_the_view() {
    let (_, dynamic) = render(EXAMPLE);
    let doc: serde_yaml::Value = serde_yaml::from_str(&dynamic).unwrap();
    let view = dynamic_view(&test_topology(EXAMPLE));
    for r in &view.routers {
        let y = &doc["http"]["routers"][r.name.as_str()];
        assert_eq!(y["rule"].as_str(), Some(r.rule.as_str()));
        assert_eq!(y["priority"].as_u64(), Some(r.priority));
        let eps: Vec<&str> = y["entryPoints"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|e| e.as_str())
            .collect();
        assert_eq!(eps, r.entry_points);
        assert_eq!(
            y["tls"]["certResolver"].as_str(),
            r.cert_resolver.as_deref()
        );
    }
    assert_eq!(
        doc["http"]["services"]["litellm"]["loadBalancer"]["servers"][0]["url"].as_str(),
        Some("http://litellm:4000")
    );
    assert_eq!(
        doc["http"]["services"]["litellm"]["loadBalancer"]["passHostHeader"].as_bool(),
        Some(true)
    );
    assert_eq!(
        doc["http"]["middlewares"]["forward-auth"]["forwardAuth"]["trustForwardHeader"].as_bool(),
        Some(true)
    );
    assert!(!dynamic.contains("{{"));
}

const CLASHES: &str = r#"
network "lan" "192.168.1.0/24"
host "d" address="192.168.1.30"
proxy "traefik" host="d" {
    entrypoint "web" address=":80"
    entrypoint "edge" address=":8443" tunnel=#true
    trusted-ips "172.18.0.0/16"
}
identity "sso" host="d" issuer="https://sso.example.com" upstream="http://sso:9091"
service "sso" host="d" upstream="http://sso-app:80" {
    hostname "app.example.com"
    exposure "public-api"
    auth "app"
}
service "a" host="d" upstream="http://a:8080/?q={{x}}" {
    hostname "a.example.com" "b.example.com"
    exposure "lan-only"
    auth "forward-auth"
    route "/b" exposure="public-api" auth="app"
    route "/B" exposure="public-api" auth="app"
    route "/b-c" exposure="public-api" auth="app"
    route "/b/c" exposure="public-api" auth="app"
}
service "a-b" host="d" upstream="http://ab:80" {
    hostname "ab.example.com"
    exposure "lan-only"
    auth "forward-auth"
}
"#;

#[test]
fn names_never_collide() {
    let view = dynamic_view(&test_topology(CLASHES));
    let mut names: Vec<&str> = view.routers.iter().map(|r| r.name.as_str()).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "{names:?}");
    // lan-only identity + public sso (2 groups) + a: 2 hostnames × (root + 4 public × 2 groups) + a-b.
    assert_eq!(count, 1 + 2 + 2 * (1 + 4 * 2) + 1);
    let services: Vec<&str> = view.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(services, ["sso", "a", "a-b", "sso-2"]);
    assert_eq!(
        router(&view, "sso").service,
        "sso@file",
        "the identity keeps its name"
    );
    assert_eq!(router(&view, "sso-2").service, "sso-2@file");
    assert_eq!(
        router(&view, "a-b-example-com-b-c-tunnel")
            .rule
            .matches("b.example.com")
            .count(),
        1
    );
    // The query holding `{{` is not part of a server URL, so nothing reaches the Go-template step.
    assert_eq!(view.services[1].url, "http://a:8080");
    assert!(!render(CLASHES).1.contains("{{"));
}

#[test]
fn trusted_ips_apply_to_the_tunnel_entrypoints() {
    let view = static_view(&test_topology(EXAMPLE).proxy);
    let tunnel = view
        .entrypoints
        .iter()
        .find(|e| e.name == "tunnel")
        .unwrap();
    let websecure = view
        .entrypoints
        .iter()
        .find(|e| e.name == "websecure")
        .unwrap();
    assert_eq!(tunnel.trusted_ips, ["172.18.0.0/16"]);
    assert!(
        websecure.trusted_ips.is_empty(),
        "LAN clients may not forge forwarded headers"
    );

    let no_tunnel = EXAMPLE
        .replace("entrypoint \"tunnel\" address=\":8443\" tunnel=#true", "")
        .replace("tunnel \"cloudflare\"", "// tunnel");
    let view = static_view(&test_topology(&no_tunnel).proxy);
    assert_eq!(view.entrypoints.len(), 1);
    assert_eq!(
        view.entrypoints[0].trusted_ips,
        ["172.18.0.0/16"],
        "a relay in front of the only entrypoint"
    );

    let (static_text, _) = render(EXAMPLE);
    assert!(static_text.contains("address: \":443\""));
    assert!(static_text.contains("directory: /etc/traefik/dynamic"));
}
