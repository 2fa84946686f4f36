//! The certificate resolver on the real Traefik: topo defines the resolver the
//! LAN routers name, so Traefik tries the CA for their names instead of
//! reporting a missing resolver. The test instance's CA is a closed
//! 127.0.0.1 port (`support::traefik_harness::config`): nothing leaves loopback.

use crate::support::traefik_harness::{ACME_UNREACHABLE, TraefikHarness};

fn topology(resolver: &str) -> String {
    format!(
        r#"domain "example.com"
network "lan" "192.168.1.0/24"
host "docker1" address="192.168.1.30" docker=#true
proxy "traefik" host="docker1" {{
    entrypoint "websecure" address=":443"
    {resolver}
}}
service "grafana" host="docker1" upstream="http://grafana:3000" {{
    hostname "grafana.example.com"
    exposure "lan-only"
    auth "app"
}}
"#
    )
}

/// Log entries at error level, as (message, error) pairs.
fn errors(log: &str) -> Vec<(String, String)> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["level"] == "error")
        .map(|e| {
            (
                e["message"].as_str().unwrap_or_default().to_string(),
                e["error"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_defined_resolver_is_used_for_the_lan_names() {
    let resolver =
        r#"cert-resolver "letsencrypt" email="admin@example.com" dns-provider="cloudflare""#;
    let Some(h) = TraefikHarness::start("traefik::e2e_acme", &topology(resolver)) else {
        return;
    };
    // Every router loads; the only errors are the unreachable test CA's.
    h.assert_config_clean();
    let routers = h.rawdata()["routers"].clone();
    assert_eq!(
        routers["grafana@file"]["tls"]["certResolver"], "letsencrypt",
        "{routers}"
    );
    // Traefik asked the (closed, loopback) CA for the LAN name: the resolver
    // exists and its DNS challenge was set up. ACME runs in the background.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let log = h.log();
        let tried = errors(&log)
            .iter()
            .any(|(message, error)| message == ACME_UNREACHABLE && error.contains("127.0.0.1"))
            && log.contains("grafana.example.com");
        if tried {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Traefik never tried the resolver for grafana.example.com\n--- log\n{log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(!h.log().contains("nonexistent certificate resolver"));
}

#[test]
fn a_bare_resolver_is_what_traefik_calls_nonexistent() {
    // What TOPO017 warns about, seen on the real binary.
    let Some(h) = TraefikHarness::start(
        "traefik::e2e_acme",
        &topology(r#"cert-resolver "letsencrypt""#),
    ) else {
        return;
    };
    h.assert_config_clean();
    let log = h.log();
    assert!(
        errors(&log)
            .iter()
            .any(|(m, _)| m.contains("nonexistent certificate resolver")
                || m.contains("non-existent certificate resolver")),
        "{log}"
    );
}

#[test]
fn tls_and_http_challenges_load_on_traefik() {
    for resolver in [
        r#"cert-resolver "le" challenge="tls""#,
        r#"cert-resolver "le" email="a@example.com" challenge="http" entrypoint="web""#,
    ] {
        // Reachable names only (TOPO018): public, no tunnel; port 80 for http.
        let text = topology(resolver)
            .replace(
                r#"entrypoint "websecure" address=":443""#,
                "entrypoint \"web\" address=\":80\"\n    entrypoint \"websecure\" address=\":443\"",
            )
            .replace(r#"exposure "lan-only""#, r#"exposure "public-app""#);
        let Some(h) = TraefikHarness::start("traefik::e2e_acme", &text) else {
            return;
        };
        h.assert_config_clean();
        let routers = h.rawdata()["routers"].clone();
        assert_eq!(
            routers["grafana@file"]["tls"]["certResolver"], "le",
            "{resolver}: {routers}"
        );
    }
}
