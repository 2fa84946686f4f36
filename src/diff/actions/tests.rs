//! Deploy actions read from file diffs, independent of which targets exist.

use std::collections::BTreeSet;

use super::{ActionKind, Component, FileChange, component_of, plan};
use crate::model::Topology;

fn model() -> Topology {
    let text = r#"
network "lan" "192.168.1.0/24"
host "docker1" address="192.168.1.30" docker=#true
proxy "traefik" host="docker1" { entrypoint "websecure" address=":443"; entrypoint "tunnel" address=":8443" tunnel=#true; trusted-ips "172.18.0.0/16"; }
tunnel "cf" host="docker1" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cf.json"
dns "lan" format="unbound"
service "app" host="docker1" upstream="http://app:80" { hostname "app.example.com"; exposure "public-app"; auth "app"; }
"#;
    crate::compile::test_topology(text)
}

fn actions_for(
    path: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Vec<(String, ActionKind, Option<String>)> {
    let t = model();
    let rendered: BTreeSet<String> = [path.to_string()].into();
    plan(&[FileChange { path, old, new }], &rendered, Some(&t), &t)
        .into_iter()
        .map(|a| (a.component, a.kind, a.command))
        .collect()
}

#[test]
fn paths_map_to_components() {
    assert_eq!(
        component_of("traefik/dynamic/topo.yml"),
        Component::TraefikDynamic
    );
    assert_eq!(
        component_of("traefik/traefik.yml"),
        Component::TraefikStatic
    );
    assert_eq!(
        component_of("compose/docker1/compose.topo.yml"),
        Component::Compose("docker1".into())
    );
    assert_eq!(
        component_of("dns/lan-zone.zone"),
        Component::Dns("lan-zone".into())
    );
    assert_eq!(component_of("ROUTES.md"), Component::Docs);
    assert_eq!(component_of("weird/file"), Component::Other);
}

#[test]
fn a_compose_override_recreates_exactly_the_services_that_changed() {
    let old = "services:\n  app:\n    environment:\n      A: \"1\"\n  same:\n    environment: {}\n  gone:\n    extra_hosts: []\n";
    let new = "services:\n  app:\n    environment:\n      A: \"2\"\n  same:\n    environment: {}\n  fresh:\n    environment: {}\n";
    let got = actions_for("compose/docker1/compose.topo.yml", Some(old), Some(new));
    let cmd = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        vec![
            (
                "container app".into(),
                ActionKind::Recreate,
                cmd("docker compose up -d --force-recreate app")
            ),
            (
                "container fresh".into(),
                ActionKind::Start,
                cmd("docker compose up -d fresh")
            ),
            (
                "container gone".into(),
                ActionKind::Recreate,
                cmd("docker compose up -d --force-recreate gone")
            ),
        ]
    );
}

#[test]
fn each_component_gets_its_own_action() {
    let one = |path: &str| actions_for(path, Some("a\n"), Some("b\n")).remove(0);
    assert_eq!(one("traefik/dynamic/topo.yml").1, ActionKind::None);
    assert_eq!(
        one("traefik/traefik.yml").2.as_deref(),
        Some("docker compose restart traefik")
    );
    assert_eq!(
        one("dns/lan.conf").2.as_deref(),
        Some("unbound-control reload")
    );
    assert_eq!(
        one("cloudflared/config.yml").2.as_deref(),
        Some("docker compose restart cloudflared")
    );
    assert_eq!(one("weird/file").1, ActionKind::Review);
    assert!(actions_for("ROUTES.md", Some("a"), Some("b")).is_empty());
}

#[test]
fn public_dns_names_are_routed_by_hand() {
    let old = "; comment IN CNAME x\napp.example.com. IN CNAME t.cfargotunnel.com.\n";
    let new = "www.example.com. IN CNAME t.cfargotunnel.com.\n";
    let got = actions_for("dns/public.zone", Some(old), Some(new));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got[1].2.as_deref(),
        Some("cloudflared tunnel route dns 6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e www.example.com")
    );
    assert!(got.iter().all(|a| a.1 == ActionKind::Manual));
}
