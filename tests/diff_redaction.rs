//! Plaintext secrets never reach any `topo diff` format; a rotated one shows
//! as `(secret changed)`.

use crate::diff::{HEADER, deployed_project, json, write};
use crate::support::{Project, repo_root, snapshot};

const STORE_SECRET: &str = "store-secret-Qm9vb2Jvb2Jv";
const ENV_SECRET: &str = "deployed-env-secret-8c1f0a";
const AUTHELIA_SECRET: &str = "authelia-plaintext-7d2e9b";
const PEM_BODY: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";

fn assert_clean(output: &str, what: &str) {
    for secret in [
        STORE_SECRET,
        ENV_SECRET,
        AUTHELIA_SECRET,
        PEM_BODY,
        "short-plain-value",
    ] {
        assert!(!output.contains(secret), "{what} leaks {secret}:\n{output}");
    }
}

#[test]
fn secrets_in_a_deployed_env_and_authelia_file_appear_in_no_format() {
    let (project, _) = deployed_project("homelab.kdl");
    let project = project.file(
        ".topo-secrets/litellm.env",
        &format!("LITELLM_OIDC_SECRET={STORE_SECRET}\n"),
    );
    let deployed = project.join("deployed");
    // Generated earlier, so they carry the header: a deploy would remove or rewrite them.
    write(
        &deployed.join("compose/docker1/.env"),
        &format!("{HEADER}GENERIC_CLIENT_SECRET={ENV_SECRET}\nUI_MODE=short-plain-value\n"),
    );
    write(
        &deployed.join("authelia/configuration.topo.yml"),
        &format!(
            "{HEADER}identity_providers:\n  oidc:\n    clients:\n      - client_id: litellm\n        client_secret: '{AUTHELIA_SECRET}'\n        \
             description: copied from {STORE_SECRET} by hand\n    jwks:\n      - key: |\n          -----BEGIN PRIVATE KEY-----\n          {PEM_BODY}\n          -----END PRIVATE KEY-----\n"
        ),
    );
    // The secret also sits in a line with no secret-looking key: the global mask catches it.
    write(
        &deployed.join("notes.yml"),
        &format!("{HEADER}copied: {ENV_SECRET}\n"),
    );
    for format in ["text", "markdown", "json"] {
        let run = project.run(&["diff", "--against", "deployed", "--format", format]);
        run.assert_code(1);
        assert_clean(&run.stdout, format);
        assert_clean(&run.stderr, format);
        assert!(
            run.stdout.contains("(secret)"),
            "{format}: redacted, not dropped:\n{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("authelia/configuration.topo.yml"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains(".env"), "{}", run.stdout);
    }
    let doc = json(&project.run(&["diff", "--against", "deployed", "--format", "json"]));
    let text = doc.to_string();
    assert!(text.contains("client_secret: '(secret)'"), "{text}");
    assert!(text.contains("GENERIC_CLIENT_SECRET=(secret)"), "{text}");
    assert!(
        text.contains("-----BEGIN PRIVATE KEY-----"),
        "the PEM frame stays, its body goes: {text}"
    );
}

/// A rotated secret in a file that exists on both sides: `(secret changed)`.
/// The file comes from a template override (any target's), so this does not
/// depend on which targets exist.
#[test]
fn a_rotated_secret_shows_as_secret_changed() {
    let project = Project::with_topology(&crate::diff::fixture("homelab.kdl"));
    let template = pick_template();
    let body =
        "marker-for-diff-test\nGENERIC_CLIENT_SECRET=new-secret-value-AAAA1111\nplain: line\n";
    let project = project.file(&format!("tpl/{template}"), body);
    project.run(&["build", "--templates", "tpl"]).assert_code(0);
    let (path, _) = snapshot(&project.join("out"))
        .into_iter()
        .find(|(_, bytes)| String::from_utf8_lossy(bytes).contains("marker-for-diff-test"))
        .expect("the overridden template's output");
    crate::diff::copy_dir(&project.join("out"), &project.join("deployed"));
    let deployed_file = project.join("deployed").join(&path);
    let text = std::fs::read_to_string(&deployed_file)
        .unwrap()
        .replace("AAAA1111", "BBBB2222");
    std::fs::write(&deployed_file, text).unwrap();
    for format in ["text", "markdown", "json"] {
        let run = project.run(&[
            "diff",
            "--against",
            "deployed",
            "--templates",
            "tpl",
            "--format",
            format,
        ]);
        run.assert_code(1);
        assert!(
            !run.stdout.contains("AAAA1111") && !run.stdout.contains("BBBB2222"),
            "{format}: {}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("GENERIC_CLIENT_SECRET=(secret changed)"),
            "{format}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("GENERIC_CLIENT_SECRET=(secret)"),
            "{format}: {}",
            run.stdout
        );
    }
}

/// A template to override: ROUTES.md's when it exists (plain Markdown, no
/// target parses it back), else the first one.
fn pick_template() -> String {
    let dir = repo_root().join("templates");
    let all: Vec<String> = snapshot(&dir).into_keys().collect();
    all.iter()
        .find(|t| t.ends_with("ROUTES.md.j2"))
        .or(all.first())
        .expect("templates exist")
        .clone()
}
