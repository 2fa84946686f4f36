//! `out/authelia/configuration.topo.yml`: merged with a minimal main
//! configuration it validates against Authelia's JSON schema; every client
//! secret hash verifies with argon2-cffi and has Authelia's parameters; the
//! clients and access-control rules say what the topology means.

use std::process::Command;

use serde_yaml::{Mapping, Value};

use crate::secrets::{apps_project, stored_secrets};
use crate::support::{Project, repo_root, require_shared, require_tool};

const FRAGMENT: &str = "out/authelia/configuration.topo.yml";

fn built() -> Project {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    project
}

fn fragment(project: &Project) -> Value {
    serde_yaml::from_str(&project.read(FRAGMENT)).unwrap()
}

/// Authelia's merge of several `--config` files: maps merge key by key, the
/// later file wins for everything else (lists are replaced, not appended).
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn client<'a>(doc: &'a Value, id: &str) -> &'a Mapping {
    doc["identity_providers"]["oidc"]["clients"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == id)
        .unwrap_or_else(|| panic!("no client {id}"))
        .as_mapping()
        .unwrap()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_sequence()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// Validates `doc` against the Authelia schema; returns (success, output).
fn validate(schema: &std::path::Path, checker: &std::path::Path, doc: &Value) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("configuration.yml");
    std::fs::write(&file, serde_yaml::to_string(doc).unwrap()).unwrap();
    let out = Command::new(checker)
        .args(["--regex-variant", "nonunicode", "--schemafile"])
        .arg(schema)
        .arg(&file)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn fragment_merged_with_a_main_configuration_validates_against_the_schema() {
    let test = "fragment_merged_with_a_main_configuration_validates_against_the_schema";
    let Some(schema) = require_shared(test, "schemas/authelia/configuration.json") else {
        return;
    };
    let Some(checker) = require_tool(test, "check-jsonschema") else {
        return;
    };
    let project = built();
    let main_text =
        std::fs::read_to_string(repo_root().join("tests/fixtures/authelia/main.yml")).unwrap();
    let mut merged: Value = serde_yaml::from_str(&main_text).unwrap();
    merge(&mut merged, fragment(&project));
    // The main configuration's keys survive the merge next to topo's clients.
    assert!(merged["identity_providers"]["oidc"]["jwks"].is_sequence());
    assert_eq!(
        merged["identity_providers"]["oidc"]["clients"]
            .as_sequence()
            .unwrap()
            .len(),
        7
    );

    let (ok, output) = validate(&schema, &checker, &merged);
    assert!(ok, "schema rejected the merged configuration:\n{output}");
    // Only keys 4.38 knows too: the same file works on both release lines.
    let v438 = schema.parent().unwrap().join("v4.38/configuration.json");
    let (ok, output) = validate(&v438, &checker, &merged);
    assert!(
        ok,
        "the v4.38 schema rejected the merged configuration:\n{output}"
    );

    // The validator is live: a deprecated client key is rejected.
    let mut broken = merged.clone();
    let first = &mut broken["identity_providers"]["oidc"]["clients"][0];
    let id = first["client_id"].clone();
    first.as_mapping_mut().unwrap().remove("client_id");
    first.as_mapping_mut().unwrap().insert("id".into(), id);
    let (ok, output) = validate(&schema, &checker, &broken);
    assert!(!ok, "a deprecated `id` key must fail validation:\n{output}");
}

#[test]
fn every_client_secret_hash_verifies_with_argon2_cffi() {
    let Some(python) = require_tool(
        "every_client_secret_hash_verifies_with_argon2_cffi",
        "python",
    ) else {
        return;
    };
    let project = built();
    let doc = fragment(&project);
    let secrets = stored_secrets(&project);
    let pairs: Vec<(String, String)> = doc["identity_providers"]["oidc"]["clients"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["client_id"].as_str().unwrap();
            (
                c["client_secret"].as_str().unwrap().to_string(),
                secrets[id].clone(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 7);
    // The pairs go through a 0600 file, not argv.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pairs.json");
    std::fs::write(&input, serde_json::to_string(&pairs).unwrap()).unwrap();
    let script = r#"
import json, re, sys, argon2
ph = argon2.PasswordHasher()
pairs = json.load(open(sys.argv[1]))
for phc, secret in pairs:
    assert ph.verify(phc, secret)
    try:
        ph.verify(phc, secret + "x")
        raise SystemExit("a wrong secret verified")
    except argon2.exceptions.VerifyMismatchError:
        pass
    p = argon2.extract_parameters(phc)
    assert (p.type, p.version, p.memory_cost, p.time_cost, p.parallelism, p.salt_len, p.hash_len) == \
        (argon2.Type.ID, 19, 65536, 3, 4, 16, 32), p
    assert re.fullmatch(r'\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}', phc), phc
print("verified", len(pairs))
"#;
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.trim(), "verified 7");
}

#[test]
fn clients_follow_their_profiles_with_current_key_names() {
    let project = built();
    let doc = fragment(&project);
    let litellm = client(&doc, "litellm");
    // The story's working client, key by key.
    let expect = [
        ("client_name", Value::from("LiteLLM Proxy")),
        ("public", Value::from(false)),
        ("authorization_policy", Value::from("one_factor")),
        ("consent_mode", Value::from("implicit")),
        (
            "token_endpoint_auth_method",
            Value::from("client_secret_basic"),
        ),
        ("userinfo_signed_response_alg", Value::from("none")),
        ("require_pkce", Value::from(false)),
    ];
    for (key, value) in expect {
        assert_eq!(litellm[key], value, "litellm {key}");
    }
    assert_eq!(
        strings(&litellm["redirect_uris"]),
        ["https://litellm.umi4.life/sso/callback"]
    );
    assert_eq!(strings(&litellm["scopes"]), ["openid", "profile", "email"]);
    assert_eq!(strings(&litellm["grant_types"]), ["authorization_code"]);
    assert_eq!(strings(&litellm["response_types"]), ["code"]);
    assert!(litellm.get("pkce_challenge_method").is_none());

    let grafana = client(&doc, "grafana");
    assert_eq!(grafana["authorization_policy"], "two_factor");
    assert_eq!(
        (&grafana["require_pkce"], &grafana["pkce_challenge_method"]),
        (&Value::from(true), &Value::from("S256"))
    );
    assert_eq!(
        strings(&grafana["redirect_uris"]),
        ["https://grafana.umi4.life/login/generic_oauth"],
        "first hostname"
    );
    assert_eq!(
        client(&doc, "outline")["token_endpoint_auth_method"],
        "client_secret_post"
    );
    assert_eq!(
        strings(&client(&doc, "vaultwarden")["grant_types"]),
        ["authorization_code", "refresh_token"]
    );
    let wiki = client(&doc, "wiki");
    assert_eq!(
        strings(&wiki["redirect_uris"]),
        ["https://wiki.umi4.life/auth/callback"],
        "redirect-path override"
    );
    assert_eq!(wiki["pkce_challenge_method"], "S256", "pkce=#true override");
    assert_eq!(
        strings(&client(&doc, "myapp")["redirect_uris"]),
        ["https://myapp.umi4.life/oidc/callback"],
        "user profile"
    );

    let text = project.read(FRAGMENT);
    for deprecated in [
        "\n      - id:",
        " secret:",
        "description:",
        "issuer_private_key",
        "userinfo_signing_algorithm",
    ] {
        assert!(!text.contains(deprecated), "deprecated key {deprecated:?}");
    }
}

#[test]
fn access_control_denies_by_default_and_puts_longer_paths_first() {
    let project = built();
    let doc = fragment(&project);
    let ac = &doc["access_control"];
    assert_eq!(ac["default_policy"], "deny");
    let rules: Vec<(Vec<&str>, Vec<&str>, &str)> = ac["rules"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| {
            let resources = r.get("resources").map(strings).unwrap_or_default();
            (
                strings(&r["domain"]),
                resources,
                r["policy"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            (vec!["auth.umi4.life"], vec![], "bypass"),
            (
                vec!["docs.umi4.life"],
                vec!["^/private([/?].*)?$"],
                "two_factor"
            ),
            (
                vec!["hermes.umi4.life"],
                vec!["^/admin([/?].*)?$"],
                "two_factor"
            ),
            (vec!["hermes.umi4.life"], vec![], "one_factor"),
        ],
        "oidc apps get no rule (Authelia's access_control does not apply to OIDC)"
    );
}

#[test]
fn resource_regexes_keep_the_route_boundary() {
    let Some(python) = require_tool("resource_regexes_keep_the_route_boundary", "python") else {
        return;
    };
    let project = built();
    let regex = fragment(&project)["access_control"]["rules"][1]["resources"][0]
        .as_str()
        .unwrap()
        .to_string();
    // Python's re agrees with Go's RE2 on this subset (anchors, groups, classes).
    let script = r#"
import re, sys
r = re.compile(sys.argv[1])
ok = ["/private", "/private/", "/private/a/b", "/private?x=1"]
no = ["/privatex", "/", "/x/private", "/Private"]
bad = [p for p in ok if not r.fullmatch(p)] + [p for p in no if r.fullmatch(p)]
print("bad:", bad) if bad else print("ok")
"#;
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&regex)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok", "{regex}");
}

#[test]
fn without_oidc_services_there_is_no_clients_section() {
    let project = Project::with_topology(
        r#"
network "lan" "192.168.1.0/24"
host "h" address="192.168.1.30" docker=#true
proxy "traefik" host="h" { entrypoint "websecure" address=":443"; }
identity "authelia" host="h" issuer="https://auth.example.com" upstream="http://authelia:9091"
service "app" host="h" upstream="http://app:80" {
    hostname "app.example.com"
    exposure "lan-only"
    auth "forward-auth" policy="two_factor"
}
"#,
    );
    project.run(&["build"]).assert_code(0);
    let doc = fragment(&project);
    assert!(
        doc.get("identity_providers").is_none(),
        "Authelia rejects an empty client list"
    );
    assert_eq!(
        doc["access_control"]["rules"].as_sequence().unwrap().len(),
        2
    );
    assert!(!project.join("topo.lock").exists(), "no clients, no lock");
    assert!(
        !project.join("out/compose").exists(),
        "nothing for Compose to do"
    );
}
