//! The summary's judgements on small topology edits.

use super::{Effect, compare};
use crate::model::Topology;

const BASE: &str = r#"
network "lan" "192.168.1.0/24"
host "docker1" address="192.168.1.30" docker=#true
proxy "traefik" host="docker1" {
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
}
tunnel "cf" host="docker1" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cf.json"
identity "authelia" host="docker1" issuer="https://auth.example.com" upstream="http://authelia:9091"
dns "lan" format="dnsmasq"
service "app" host="docker1" upstream="http://app:80" {
    hostname "app.example.com"
    exposure "lan-only"
    auth "forward-auth" policy="two_factor"
    route "/api" exposure="public-api" auth="app"
}
"#;

fn model(text: &str) -> Topology {
    crate::compile::test_topology(text)
}

fn changes(edit: impl Fn(&str) -> String) -> Vec<(String, Effect)> {
    compare(&model(BASE), &model(&edit(BASE)))
        .into_iter()
        .map(|c| (c.text, c.effect))
        .collect()
}

#[test]
fn identical_models_have_no_changes() {
    assert!(changes(|t| t.to_string()).is_empty());
}

#[test]
fn removing_a_public_route_narrows_the_path_it_served() {
    let got = changes(|t| {
        t.replace(
            "    route \"/api\" exposure=\"public-api\" auth=\"app\"\n",
            "",
        )
    });
    assert!(
        got.contains(&("app /api: public-api → lan-only".into(), Effect::Narrowing)),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "app /api: auth app → forward-auth (two_factor)".into(),
            Effect::Narrowing
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "tunnel publishes app.example.com removed".into(),
            Effect::Narrowing
        )),
        "{got:?}"
    );
}

#[test]
fn weaker_auth_and_more_lan_addresses_are_widening() {
    let got = changes(|t| t.replace("policy=\"two_factor\"", "policy=\"one_factor\""));
    assert_eq!(
        got,
        vec![(
            "app /: auth forward-auth (two_factor) → forward-auth (one_factor)".into(),
            Effect::Widening
        )]
    );
    let got = changes(|t| t.replace("\"192.168.1.0/24\"", "\"192.168.1.0/24\" \"10.0.0.0/8\""));
    assert_eq!(
        got,
        vec![(
            "lan network 10.0.0.0/8 (lan) added".into(),
            Effect::Widening
        )]
    );
}

#[test]
fn hostnames_and_dns_records() {
    let got = changes(|t| {
        t.replace(
            "hostname \"app.example.com\"",
            "hostname \"app.example.com\" \"www.example.com\"",
        )
    });
    assert!(
        got.contains(&(
            "hostname www.example.com added: app".into(),
            Effect::Widening
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "dns lan (dnsmasq): www.example.com A 192.168.1.30 added".into(),
            Effect::Neutral
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "tunnel publishes www.example.com added".into(),
            Effect::Widening
        )),
        "{got:?}"
    );
}

#[test]
fn env_values_are_never_shown() {
    let with = |v: &str| {
        BASE.replace(
            "    route \"/api\"",
            &format!("    env \"API_TOKEN\" \"{v}\"\n    route \"/api\""),
        )
    };
    let got: Vec<String> = compare(&model(&with("old-value")), &model(&with("new-value")))
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(got, vec!["app env API_TOKEN changed".to_string()]);
}
