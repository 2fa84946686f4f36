//! `out/compose/<host>/compose.topo.yml` merged with the user's own compose
//! file by the real Compose binary: the story's LiteLLM environment comes out
//! exactly, the secret arrives through topo's env file, a stale hand-written
//! issuer entry in `extra_hosts` cannot win, and the merged file passes the
//! compose-spec schema.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::secrets::{apps_project, stored_secrets};
use crate::support::{Project, repo_root, require_shared, require_tool};

const OVERRIDE: &str = "out/compose/docker1/compose.topo.yml";

fn with_base() -> Project {
    let base =
        std::fs::read_to_string(repo_root().join("tests/fixtures/authelia/compose-base.yml"))
            .unwrap();
    let project = apps_project().file("stack/compose.yaml", &base);
    project.run(&["build"]).assert_code(0);
    project
}

/// `docker-compose [--env-file F] -f stack/compose.yaml -f OVERRIDE config ARGS`.
fn compose_config(
    compose: &Path,
    project: &Project,
    env_file: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = Command::new(compose);
    cmd.current_dir(project.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin");
    if let Some(f) = env_file {
        cmd.args(["--env-file", f]);
    }
    cmd.args(["-f", "stack/compose.yaml", "-f", OVERRIDE, "config"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_override_gives_litellm_the_storys_working_environment() {
    let Some(compose) = require_tool(
        "the_override_gives_litellm_the_storys_working_environment",
        "docker-compose",
    ) else {
        return;
    };
    let project = with_base();
    let out = compose_config(
        &compose,
        &project,
        Some(".topo-secrets/compose/docker1.env"),
        &["--format", "json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    let litellm = &merged["services"]["litellm"];
    let secret = &stored_secrets(&project)["litellm"];
    let story = [
        ("SSO_ENABLED", "true"),
        ("AUTO_REDIRECT_UI_LOGIN_TO_SSO", "true"),
        ("DISABLE_ADMIN_UI_AUTH", "false"),
        ("GENERIC_CLIENT_ID", "litellm"),
        ("GENERIC_CLIENT_SECRET", secret.as_str()),
        (
            "GENERIC_AUTHORIZATION_ENDPOINT",
            "https://auth.umi4.life/api/oidc/authorization",
        ),
        (
            "GENERIC_TOKEN_ENDPOINT",
            "https://auth.umi4.life/api/oidc/token",
        ),
        (
            "GENERIC_USERINFO_ENDPOINT",
            "https://auth.umi4.life/api/oidc/userinfo",
        ),
        ("PROXY_BASE_URL", "https://litellm.umi4.life"),
        ("FORWARDED_ALLOW_IPS", "*"),
        // Not in the story, but what LiteLLM defaults to; the topology's scopes reach the app.
        ("GENERIC_SCOPE", "openid profile email"),
        // The base file's own settings survive the merge.
        ("DATABASE_URL", "postgresql://litellm@db/litellm"),
    ];
    let env = litellm["environment"].as_object().unwrap();
    let got: Vec<(&str, &str)> = env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    let mut want = story.to_vec();
    want.sort();
    assert_eq!(got, want, "exactly the story's shape");
    assert_eq!(
        litellm["extra_hosts"],
        serde_json::json!(["auth.umi4.life=192.168.1.30"]),
        "the stale base entry auth.umi4.life:10.0.0.1 must not survive"
    );
    // A manual-delivery app still gets the issuer mapping; it has no env.
    assert_eq!(
        merged["services"]["portainer"]["extra_hosts"],
        serde_json::json!(["auth.umi4.life=192.168.1.30"])
    );
    assert!(merged["services"]["portainer"].get("environment").is_none());
    // Literal `$` in a service's env stays literal (Compose prints it as `$$`), not interpolated.
    assert_eq!(
        merged["services"]["grafana-app"]["environment"]["GF_SECURITY_SECRET_KEY"],
        "pa$$word"
    );
}

#[test]
fn the_merged_file_passes_the_compose_spec_schema() {
    let test = "the_merged_file_passes_the_compose_spec_schema";
    let Some(compose) = require_tool(test, "docker-compose") else {
        return;
    };
    let Some(checker) = require_tool(test, "check-jsonschema") else {
        return;
    };
    let Some(schema) = require_shared(test, "schemas/compose/compose-spec.json") else {
        return;
    };
    let project = with_base();
    let out = compose_config(
        &compose,
        &project,
        Some(".topo-secrets/compose/docker1.env"),
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = project.join("merged.yml");
    std::fs::write(&merged, &out.stdout).unwrap();
    let check = Command::new(checker)
        .arg("--schemafile")
        .arg(schema)
        .arg(&merged)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn without_topos_env_file_compose_stops_with_a_hint() {
    let Some(compose) = require_tool(
        "without_topos_env_file_compose_stops_with_a_hint",
        "docker-compose",
    ) else {
        return;
    };
    let project = with_base();
    let out = compose_config(&compose, &project, None, &["-q"]);
    assert!(
        !out.status.success(),
        "a missing secret must not become an empty one"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("run topo build, then pass --env-file .topo-secrets/compose/docker1.env"),
        "{stderr}"
    );
}

#[test]
fn the_override_holds_no_secret_and_quotes_every_trap() {
    let project = with_base();
    let text = project.read(OVERRIDE);
    assert!(
        text.contains("      FORWARDED_ALLOW_IPS: \"*\"\n"),
        "{text}"
    );
    assert!(
        text.contains("      GENERIC_CLIENT_SECRET: \"${LITELLM_OIDC_CLIENT_SECRET:?"),
        "{text}"
    );
    assert!(
        text.contains("    extra_hosts: !override\n      - \"auth.umi4.life=192.168.1.30\"\n"),
        "{text}"
    );
    assert!(
        project
            .read("out/compose/docker2/compose.topo.yml")
            .contains("      DOCS_TITLE: \"yes\"\n")
    );
    for secret in stored_secrets(&project).values() {
        assert!(!text.contains(secret.as_str()));
    }
    // Only Docker hosts get an override; the VM's apps are configured by hand or split DNS.
    assert!(!project.join("out/compose/vm").exists());
}

#[test]
fn the_example_topology_wires_litellm() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    let text = project.read(OVERRIDE);
    assert!(
        text.contains("GENERIC_USERINFO_ENDPOINT: \"https://auth.umi4.life/api/oidc/userinfo\""),
        "{text}"
    );
    assert!(
        text.contains("PROXY_BASE_URL: \"https://litellm.umi4.life\""),
        "{text}"
    );
    // hermes runs on a VM, coder uses forward-auth: neither needs anything from Compose.
    assert!(
        !text.contains("hermes") && !text.contains("coder:"),
        "{text}"
    );
}
