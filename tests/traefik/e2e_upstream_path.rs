//! What TOPO019 says, on the real Traefik: the path of an upstream URL is
//! ignored, so a request keeps its own path.

use crate::support::traefik_harness::TraefikHarness;

const TOPOLOGY: &str = r#"domain "example.com"
network "lan" "127.0.0.0/8"
host "docker1" address="192.168.1.30" docker=#true
proxy "traefik" host="docker1" {
    entrypoint "websecure" address=":443"
}
service "wiki" host="docker1" upstream="http://wiki:3000/wiki" {
    hostname "wiki.example.com"
    exposure "lan-only"
    auth "app"
    allow "TOPO019"     // built anyway, to watch what Traefik does with it
}
"#;

#[test]
fn the_path_of_an_upstream_url_is_not_sent() {
    let Some(h) = TraefikHarness::start("traefik::e2e_upstream_path", TOPOLOGY) else {
        return;
    };
    h.assert_config_clean();
    let url = h.rawdata()["services"]["wiki@file"]["loadBalancer"]["servers"][0]["url"].clone();
    assert!(
        url.as_str().unwrap().ends_with("/wiki"),
        "the test instance keeps the path: {url}"
    );
    let r = h.get("websecure", "wiki.example.com", "/login", None);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.backend_path().as_deref(),
        Some("/login"),
        "not /wiki/login"
    );
}
