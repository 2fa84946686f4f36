//! `mixed-paths.kdl` on the real Traefik: hostnames whose paths mix public and
//! lan-only, nested. The LAN network is 127.0.0.2/32: requests from 127.0.0.1
//! are a client outside every network (and cloudflared, trusted for forwarded
//! headers), requests from 127.0.0.2 a LAN client.

use super::{fixture, ip};
use crate::support::traefik_harness::{ALLOW_HEADER, ALLOW_VALUE, REMOTE_USER, TraefikHarness};

const GW: &str = "gateway.mix.test";
const WIKI: &str = "wiki.mix.test";

#[test]
fn mixed_paths_keep_lan_only_paths_off_the_tunnel() {
    let Some(h) = TraefikHarness::start("traefik::e2e_mixed", &fixture("mixed-paths")) else {
        return;
    };
    h.assert_config_clean();
    let lan_client = Some(ip("127.0.0.2"));

    // Tunnel: /v1 and below is public, except /v1/admin; the root and
    // look-alike prefixes are lan-only and do not exist here.
    for path in [
        "/v1",
        "/v1/",
        "/v1/models",
        "/v1/administrator",
        "/v1/adminx",
    ] {
        let r = h.get("tunnel", GW, path, None);
        assert_eq!(
            (r.status, r.served_by().as_deref()),
            (200, Some("gateway")),
            "tunnel {path}"
        );
    }
    for path in [
        "/",
        "/v1admin",
        "/v2",
        "/v1/admin",
        "/v1/admin/",
        "/v1/admin/keys",
        "/docsx",
        "/v1/x/../admin",
    ] {
        assert_eq!(h.get("tunnel", GW, path, None).status, 404, "tunnel {path}");
    }
    assert_eq!(
        h.get("tunnel", GW, "/docs", None).status,
        401,
        "public-app /docs asks forward-auth"
    );
    // cloudflared (127.0.0.1) is trusted: Cloudflare's scheme reaches the app.
    let r = h
        .request("tunnel", GW, "/docs/intro")
        .header(ALLOW_HEADER, ALLOW_VALUE)
        .header("X-Forwarded-Proto", "https")
        .send();
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("gateway")));
    assert_eq!(r.backend_saw("X-Forwarded-Proto").as_deref(), Some("https"));

    for path in ["/", "/page/admin", "/administrator"] {
        let r = h
            .request("tunnel", WIKI, path)
            .header(ALLOW_HEADER, ALLOW_VALUE)
            .send();
        assert_eq!(
            (r.status, r.served_by().as_deref()),
            (200, Some("wiki")),
            "tunnel wiki {path}"
        );
    }
    for path in ["/admin", "/admin/users"] {
        let r = h
            .request("tunnel", WIKI, path)
            .header(ALLOW_HEADER, ALLOW_VALUE)
            .send();
        assert_eq!(r.status, 404, "lan-only wiki {path} on the tunnel");
    }

    // LAN entrypoint, client outside the network: public paths only.
    let r = h.get("websecure", GW, "/v1/models", None);
    assert_eq!((r.status, r.served_by().as_deref()), (200, Some("gateway")));
    for (host, path) in [
        (GW, "/"),
        (GW, "/v1admin"),
        (GW, "/v1/admin/keys"),
        (WIKI, "/admin"),
    ] {
        let r = h
            .request("websecure", host, path)
            .header(ALLOW_HEADER, ALLOW_VALUE)
            .send();
        assert_eq!(r.status, 403, "{host}{path} from outside every network");
    }

    // LAN entrypoint, client inside: lan-only paths pass the allow-list, then forward-auth.
    assert_eq!(h.get("websecure", GW, "/", lan_client).status, 401);
    for (host, path) in [
        (GW, "/"),
        (GW, "/v1admin"),
        (GW, "/v1/admin/keys"),
        (WIKI, "/admin"),
    ] {
        let r = h
            .request("websecure", host, path)
            .client_ip(ip("127.0.0.2"))
            .header(ALLOW_HEADER, ALLOW_VALUE)
            .send();
        assert_eq!(r.status, 200, "{host}{path} from inside");
        assert_eq!(r.backend_saw("Remote-User").as_deref(), Some(REMOTE_USER));
        assert_eq!(r.backend_path().as_deref(), Some(path));
    }
    // LAN clients are not trusted for forwarded headers.
    let r = h
        .request("websecure", GW, "/v1/models")
        .client_ip(ip("127.0.0.2"))
        .header("X-Forwarded-Proto", "http")
        .send();
    assert_eq!(r.backend_saw("X-Forwarded-Proto").as_deref(), Some("https"));

    // The longest prefix has the highest priority in the running config.
    let raw = h.rawdata();
    let priority = |name: &str| {
        raw["routers"][format!("{name}@file")]["priority"]
            .as_i64()
            .unwrap()
    };
    assert!(
        priority("gateway") < priority("gateway-v1")
            && priority("gateway-v1") < priority("gateway-v1-admin")
    );
    assert_eq!(priority("gateway-v1-tunnel"), priority("gateway-v1"));
}
