//! `several-hosts.kdl` on the real Traefik: services on three hosts, one with
//! two hostnames, two LAN entrypoints without TLS, a public identity provider,
//! a Traefik 3.0 target. Its network is 127.0.0.0/8, so the test client is
//! inside it: lan-only routes let it through to forward-auth.

use super::fixture;
use crate::support::traefik_harness::{ALLOW_HEADER, ALLOW_VALUE, REMOTE_USER, TraefikHarness};

#[test]
fn several_hosts_are_served_as_the_topology_says() {
    let Some(h) = TraefikHarness::start("traefik::e2e_hosts", &fixture("several-hosts")) else {
        return;
    };
    h.assert_config_clean();

    for ep in ["web", "vpn"] {
        for host in ["grafana.home.test", "metrics.home.test"] {
            // Inside the network: the allow-list passes, forward-auth decides.
            let denied = h.get(ep, host, "/d/home", None);
            assert_eq!(
                denied.status, 401,
                "{ep} {host} without credentials: {}",
                denied.body
            );
            assert_eq!(denied.served_by(), None);
            let r = h
                .request(ep, host, "/d/home")
                .header(ALLOW_HEADER, ALLOW_VALUE)
                .header("Remote-User", "mallory")
                .send();
            assert_eq!(
                (r.status, r.served_by().as_deref()),
                (200, Some("grafana")),
                "{ep} {host}"
            );
            assert_eq!(
                r.backend_saw("Remote-User").as_deref(),
                Some(REMOTE_USER),
                "auth answer overwrites a forged user"
            );
            assert_eq!(r.backend_saw("Remote-Groups").as_deref(), Some("admins"));
            assert_eq!(
                r.backend_saw("X-Not-Copied"),
                None,
                "only the listed auth headers are copied"
            );
        }
        let r = h.get(ep, "ollama.home.test", "/api/tags", None);
        assert_eq!(
            (r.status, r.served_by().as_deref()),
            (200, Some("ollama")),
            "{ep}: public-api with app auth"
        );
    }

    // Tunnel: lan-only hostnames do not exist, public ones do.
    for host in ["grafana.home.test", "metrics.home.test"] {
        assert_eq!(
            h.get("edge", host, "/", None).status,
            404,
            "lan-only {host} on the tunnel"
        );
    }
    assert_eq!(h.get("edge", "photos.home.test", "/", None).status, 401);
    let r = h
        .request("edge", "photos.home.test", "/album/1")
        .header(ALLOW_HEADER, ALLOW_VALUE)
        .send();
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("photos")));
    assert_eq!(r.backend_saw("Remote-User").as_deref(), Some(REMOTE_USER));
    let r = h.get("edge", "ollama.home.test", "/api/tags", None);
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("ollama")));

    // The identity provider is never behind forward-auth, on any entrypoint.
    let before = h.auth_requests().len();
    for ep in ["web", "vpn", "edge"] {
        let r = h.get(ep, "sso.home.test", "/api/oidc/authorization", None);
        assert_eq!(
            (r.status, r.served_by().as_deref()),
            (200, Some("sso")),
            "{ep}"
        );
    }
    assert_eq!(
        h.auth_requests().len(),
        before,
        "the identity provider asked itself"
    );

    // Traefik called the generated forward-auth path with the original request's host.
    let asked = h.auth_requests();
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|s| s.path == "/api/authz/forward-auth"),
        "{asked:?}"
    );
    assert!(asked.iter().any(|s| {
        s.headers
            .get("x-forwarded-host")
            .is_some_and(|v| v.starts_with("photos.home.test"))
    }));
}
