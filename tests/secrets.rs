//! OIDC client secrets end to end: the store and the lock next to the
//! topology, reuse of locked hashes (zero argon2 work on an unchanged
//! rebuild), a fresh clone with only topo.lock, rotation, `build --check`
//! writing nothing, permissions, and no plaintext anywhere in out/ or output.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;

use crate::support::{Project, Run, repo_root, snapshot};

/// The many-apps fixture with its user profile.
pub fn apps_project() -> Project {
    let dir = repo_root().join("tests/fixtures/authelia");
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).unwrap();
    Project::with_topology(&read("apps.kdl"))
        .file("profiles/myapp.toml", &read("profiles/myapp.toml"))
}

/// Client id → plaintext secret, read from the secrets store.
pub fn stored_secrets(project: &Project) -> BTreeMap<String, String> {
    let text = project.read(".topo-secrets/oidc-clients.toml");
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["oidc-clients"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["secret"].as_str().unwrap().to_string()))
        .collect()
}

/// Client id → argon2id hash, read from topo.lock.
pub fn locked_hashes(project: &Project) -> BTreeMap<String, String> {
    let value: toml::Value = toml::from_str(&project.read("topo.lock")).unwrap();
    value["oidc-clients"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v["client-secret-hash"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A number from the build's summary line, e.g. `stat(&run, "hashed")`.
fn stat(run: &Run, name: &str) -> usize {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("OIDC clients:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let after = line
        .split(&format!("{name}: "))
        .nth(1)
        .unwrap_or_else(|| panic!("{name} in {line}"));
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn assert_no_plaintext(project: &Project, secrets: &BTreeMap<String, String>, texts: &[&str]) {
    for (path, bytes) in snapshot(&project.join("out")) {
        let text = String::from_utf8_lossy(&bytes);
        for (client, secret) in secrets {
            assert!(
                !text.contains(secret.as_str()),
                "plaintext of {client} in out/{path}"
            );
        }
    }
    for text in texts {
        for (client, secret) in secrets {
            assert!(
                !text.contains(secret.as_str()),
                "plaintext of {client} printed"
            );
        }
    }
}

#[test]
fn an_unchanged_rebuild_computes_no_hash_and_changes_nothing() {
    let project = apps_project();
    let first = project.run(&["build"]);
    first.assert_code(0);
    assert_eq!(
        (stat(&first, "generated"), stat(&first, "hashed")),
        (7, 7),
        "{}",
        first.stderr
    );
    let out = snapshot(&project.join("out"));
    let lock = project.read("topo.lock");
    let store = project.read(".topo-secrets/oidc-clients.toml");

    let second = project.run(&["build"]);
    second.assert_code(0);
    assert_eq!(stat(&second, "hashed"), 0, "{}", second.stderr);
    assert_eq!(stat(&second, "generated"), 0);
    assert_eq!(stat(&second, "reused from topo.lock"), 7);
    assert_eq!(out, snapshot(&project.join("out")));
    assert_eq!(lock, project.read("topo.lock"));
    assert_eq!(store, project.read(".topo-secrets/oidc-clients.toml"));
    project.run(&["build", "--check"]).assert_code(0);

    let secrets = stored_secrets(&project);
    assert_eq!(secrets.len(), 7);
    assert!(
        secrets
            .values()
            .all(|s| s.len() >= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric()))
    );
    assert_no_plaintext(
        &project,
        &secrets,
        &[&first.stdout, &first.stderr, &second.stdout, &second.stderr],
    );
    // The hashes in out/ are the locked ones.
    let fragment = project.read("out/authelia/configuration.topo.yml");
    for hash in locked_hashes(&project).values() {
        assert!(fragment.contains(hash.as_str()));
    }
}

#[test]
fn a_fresh_clone_with_only_the_lock_renders_identical_files() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let out = snapshot(&project.join("out"));
    std::fs::remove_dir_all(project.join(".topo-secrets")).unwrap();

    let run = project.run(&["build"]);
    run.assert_code(0);
    assert_eq!(
        out,
        snapshot(&project.join("out")),
        "out/ must be byte-identical"
    );
    assert_eq!(stat(&run, "hashed"), 0);
    assert_eq!(
        stat(&run, "generated"),
        0,
        "no secret is generated when the lock has the hash"
    );
    // Several clients lack their secret: one warning names them all at once.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: no secret"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("`litellm`"), "{}", warnings[0]);
    assert!(
        warnings[0].contains("Compose env files cannot contain the secrets"),
        "{}",
        warnings[0]
    );
    assert!(
        !project.join(".topo-secrets").exists(),
        "nothing to store without secrets"
    );
    project.run(&["build", "--check"]).assert_code(0);
}

#[test]
fn rotate_changes_exactly_that_clients_hash_and_not_out() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let (hashes, secrets) = (locked_hashes(&project), stored_secrets(&project));
    let out = snapshot(&project.join("out"));
    let env_before = project.read(".topo-secrets/compose/docker1.env");

    let run = project.run(&["secrets", "rotate", "litellm"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("topo build"),
        "tells the user what to do next: {}",
        run.stderr
    );
    assert_eq!(
        out,
        snapshot(&project.join("out")),
        "rotate does not write out/"
    );
    let (new_hashes, new_secrets) = (locked_hashes(&project), stored_secrets(&project));
    for client in hashes.keys() {
        let changed = client == "litellm";
        assert_eq!(
            hashes[client] != new_hashes[client],
            changed,
            "hash of {client}"
        );
        assert_eq!(
            secrets[client] != new_secrets[client],
            changed,
            "secret of {client}"
        );
    }
    let env_after = project.read(".topo-secrets/compose/docker1.env");
    assert!(env_after.contains(&format!(
        "LITELLM_OIDC_CLIENT_SECRET={}\n",
        new_secrets["litellm"]
    )));
    assert!(env_after.contains(&format!(
        "GRAFANA_OIDC_CLIENT_SECRET={}\n",
        secrets["grafana"]
    )));
    assert_ne!(env_before, env_after);

    let build = project.run(&["build"]);
    build.assert_code(0);
    assert_eq!(stat(&build, "hashed"), 0, "rotate already hashed it");
    let changed: Vec<String> = snapshot(&project.join("out"))
        .into_iter()
        .filter(|(path, bytes)| out.get(path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert_eq!(changed, ["authelia/configuration.topo.yml"]);
    let fragment = project.read("out/authelia/configuration.topo.yml");
    assert!(fragment.contains(&new_hashes["litellm"]) && !fragment.contains(&hashes["litellm"]));
    assert_no_plaintext(&project, &new_secrets, &[&run.stdout, &run.stderr]);
}

#[test]
fn rotate_refuses_a_service_that_is_not_an_oidc_client() {
    let project = apps_project();
    let run = project.run(&["secrets", "rotate", "hermes"]);
    run.assert_code(2);
    assert!(run.stderr.contains("not an OIDC client"), "{}", run.stderr);
    assert!(!project.join("topo.lock").exists());
}

#[test]
fn build_check_never_generates_or_writes() {
    let project = apps_project();
    let run = project.run(&["build", "--check"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("no hash in topo.lock"),
        "{}",
        run.stdout
    );
    assert!(!project.join("topo.lock").exists());
    assert!(!project.join(".topo-secrets").exists());
    assert!(!project.join("out").exists());
}

#[test]
fn an_edited_secret_is_hashed_again_and_only_its_hash_changes() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let hashes = locked_hashes(&project);
    let store = project.read(".topo-secrets/oidc-clients.toml");
    let old = stored_secrets(&project)["outline"].clone();
    let mine = "MyOwnOutlineSecretThatIsLongEnough0123456789abcdefghijklmnopqrstu";
    std::fs::write(
        project.join(".topo-secrets/oidc-clients.toml"),
        store.replace(&old, mine),
    )
    .unwrap();

    project.run(&["build", "--check"]).assert_code(1);
    let run = project.run(&["build"]);
    run.assert_code(0);
    assert_eq!(stat(&run, "hashed"), 1, "{}", run.stderr);
    let new_hashes = locked_hashes(&project);
    for client in hashes.keys() {
        assert_eq!(
            hashes[client] != new_hashes[client],
            client == "outline",
            "{client}"
        );
    }
    assert_eq!(stored_secrets(&project)["outline"], mine);
    assert!(
        project
            .read(".topo-secrets/compose/docker2.env")
            .contains(&format!("OUTLINE_OIDC_CLIENT_SECRET={mine}\n"))
    );
}

#[test]
fn a_lock_rotated_elsewhere_wins_over_a_stale_local_secret() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let other = apps_project();
    other.run(&["build"]).assert_code(0);
    // A teammate rotated: their topo.lock arrives, our store still has the old secrets.
    std::fs::copy(other.join("topo.lock"), project.join("topo.lock")).unwrap();
    let theirs = locked_hashes(&other);

    let run = project.run(&["build"]);
    run.assert_code(0);
    assert_eq!(stat(&run, "hashed"), 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("does not match topo.lock"),
        "{}",
        run.stderr
    );
    assert_eq!(
        locked_hashes(&project),
        theirs,
        "the committed lock is kept"
    );
    assert!(
        !project.join(".topo-secrets/compose/docker1.env").exists(),
        "stale secrets are not offered to Compose"
    );
}

#[test]
fn the_store_is_private() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let mode = |rel: &str| {
        std::fs::metadata(project.join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(".topo-secrets"), 0o700);
    assert_eq!(mode(".topo-secrets/compose"), 0o700);
    assert_eq!(mode(".topo-secrets/oidc-clients.toml"), 0o600);
    assert_eq!(mode(".topo-secrets/compose/docker1.env"), 0o600);
    assert_eq!(mode(".topo-secrets/compose/docker2.env"), 0o600);
    assert!(
        !project.join(".topo-secrets/compose/vm.env").exists(),
        "vm runs no Compose"
    );
}

#[test]
fn secrets_show_prints_one_secret_and_list_prints_none() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let secrets = stored_secrets(&project);
    let show = project.run(&["secrets", "show", "portainer"]);
    show.assert_code(0);
    assert_eq!(show.stdout, format!("{}\n", secrets["portainer"]));
    let list = project.run(&["secrets", "list"]);
    list.assert_code(0);
    assert!(
        list.stdout
            .contains("litellm\tdocker1\tLITELLM_OIDC_CLIENT_SECRET\tyes\tyes"),
        "{}",
        list.stdout
    );
    assert_no_plaintext(&project, &secrets, &[&list.stdout, &list.stderr]);
    project.run(&["secrets", "show", "hermes"]).assert_code(2);
}

#[test]
fn verbose_build_says_what_happened_to_each_client_and_file_without_secrets() {
    let project = apps_project();
    let first = project.run(&["build", "--verbose"]);
    first.assert_code(0);
    let secrets = stored_secrets(&project);
    for client in secrets.keys() {
        assert!(
            first
                .stderr
                .contains(&format!("client {client}: secret hashed (argon2id)")),
            "{}",
            first.stderr
        );
    }
    assert!(
        first
            .stderr
            .contains("new\tout/authelia/configuration.topo.yml"),
        "{}",
        first.stderr
    );
    // An edited secret is hashed again; the rest are reused.
    let (edited, _) = secrets.iter().next().unwrap();
    let store = project.read(".topo-secrets/oidc-clients.toml");
    let old = &secrets[edited];
    let replacement: String = old.chars().rev().collect();
    std::fs::write(
        project.join(".topo-secrets/oidc-clients.toml"),
        store.replace(old.as_str(), &replacement),
    )
    .unwrap();
    let second = project.run(&["build", "-v"]);
    second.assert_code(0);
    assert!(
        second
            .stderr
            .contains(&format!("client {edited}: secret hashed (argon2id)")),
        "{}",
        second.stderr
    );
    assert_eq!(
        second.stderr.matches("locked hash reused").count(),
        secrets.len() - 1,
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("changed\tout/authelia/configuration.topo.yml")
    );
    let mut all = secrets.clone();
    all.insert(format!("{edited} (edited)"), replacement);
    assert_no_plaintext(
        &project,
        &all,
        &[&first.stdout, &first.stderr, &second.stdout, &second.stderr],
    );
}

#[test]
fn a_broken_store_is_an_error_that_never_quotes_a_secret() {
    let project = apps_project();
    project.run(&["build"]).assert_code(0);
    let secrets = stored_secrets(&project);
    let out = snapshot(&project.join("out"));
    let store = project.read(".topo-secrets/oidc-clients.toml");
    // A stray token right after a secret: the TOML parser's own message would quote the line.
    let (_, first) = secrets.iter().next().unwrap();
    std::fs::write(
        project.join(".topo-secrets/oidc-clients.toml"),
        store.replacen(&format!("\"{first}\""), &format!("\"{first}\" oops"), 1),
    )
    .unwrap();
    let mut texts = Vec::new();
    for args in [
        &["build"][..],
        &["build", "--check"],
        &["diff"],
        &["secrets", "list"],
    ] {
        let run = project.run(args);
        assert_ne!(run.code, 0, "{args:?}");
        texts.push(run.stdout + &run.stderr);
    }
    assert!(texts[0].contains("oidc-clients.toml"), "{}", texts[0]);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_no_plaintext(&project, &secrets, &refs);
    assert_eq!(out, snapshot(&project.join("out")), "out/ untouched");
}
