//! `topo diff --base REV` for pull requests: the semantic summary, deploy
//! actions and drift, against a real temporary git repository.

use std::path::Path;
use std::process::Command;

use crate::diff::{copy_dir, fixture, json};
use crate::support::Project;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.email=test@example.com",
            "-c",
            "user.name=test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository whose HEAD has homelab.kdl; the working tree has `working`.
fn repo(working: &str) -> Project {
    let project = Project::with_topology(&fixture("homelab.kdl"));
    git(project.path(), &["init", "-q", "-b", "main"]);
    git(project.path(), &["add", "topology.kdl"]);
    git(project.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("topology.kdl"), fixture(working)).unwrap();
    project
}

#[test]
fn publishing_the_admin_ui_is_flagged_as_widening_with_its_deploy_actions() {
    let project = repo("homelab-public-ui.kdl");
    let run = project.run(&["diff", "--base", "HEAD", "--color", "never"]);
    run.assert_code(1);
    let out = &run.stdout;
    assert!(
        out.contains("! litellm /ui: lan-only → public-app (widening)"),
        "{out}"
    );
    assert!(
        out.contains("client litellm policy: one_factor → two_factor (narrowing)"),
        "{out}"
    );
    assert!(out.contains("litellm env UI_ORIGIN added"), "{out}");
    // The container gets new env: a restart would keep the old one.
    assert!(
        out.contains(
            "container litellm on docker1: recreate: docker compose up -d --force-recreate litellm"
        ),
        "{out}"
    );
    assert!(
        out.contains("authelia on docker1: restart: docker compose restart authelia"),
        "{out}"
    );
    assert!(
        out.contains("traefik on docker1: none (hot reload)"),
        "{out}"
    );
    // The summary comes before the file diffs.
    assert!(
        out.find("Summary").unwrap() < out.find("@@").unwrap_or(usize::MAX),
        "{out}"
    );

    let doc = json(&project.run(&["diff", "--base", "HEAD", "--format", "json"]));
    let changes = doc["summary"]["changes"].as_array().unwrap();
    let ui = changes
        .iter()
        .find(|c| c["subject"] == "litellm /ui" && c["aspect"] == "exposure")
        .unwrap();
    assert_eq!(
        (
            ui["from"].as_str(),
            ui["to"].as_str(),
            ui["effect"].as_str()
        ),
        (Some("lan-only"), Some("public-app"), Some("widening"))
    );
    // Unchanged paths are not mentioned.
    assert!(
        !changes.iter().any(|c| c["subject"] == "litellm /v1"),
        "{changes:?}"
    );
    let actions = doc["actions"].as_array().unwrap();
    let recreate = actions
        .iter()
        .find(|a| a["component"] == "container litellm")
        .unwrap();
    assert_eq!(recreate["kind"], "recreate");
    assert!(
        actions
            .iter()
            .any(|a| a["component"] == "authelia" && a["kind"] == "restart"),
        "{actions:?}"
    );

    let md = project
        .run(&["diff", "--base", "HEAD", "--format", "markdown"])
        .stdout;
    assert!(
        md.contains("⚠️ **widening**: litellm /ui: lan-only → public-app"),
        "{md}"
    );
}

#[test]
fn the_same_revision_has_no_changes() {
    let project = repo("homelab.kdl");
    let run = project.run(&["diff", "--base", "HEAD"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_bad_revision_is_an_error_with_nothing_on_stdout() {
    let project = repo("homelab.kdl");
    for rev in ["no-such-branch", "--help", "HEAD:topology.kdl"] {
        let run = project.run(&["diff", &format!("--base={rev}")]);
        run.assert_code(2);
        assert_eq!(run.stdout, "", "{rev}");
    }
    let outside = Project::with_topology(&fixture("homelab.kdl"));
    outside.run(&["diff", "--base", "HEAD"]).assert_code(2);
}

#[test]
fn committed_out_is_compared_with_the_committed_topology() {
    // out/ committed with HEAD's topology; the working tree changes the topology.
    let project = repo("homelab.kdl");
    project.run(&["build"]).assert_code(0);
    std::fs::write(
        project.join("topology.kdl"),
        fixture("homelab-public-ui.kdl"),
    )
    .unwrap();
    let run = project.run(&["diff", "--color", "never"]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("Summary (HEAD:topology.kdl → topology.kdl)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("! litellm /ui: lan-only → public-app (widening)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_hand_edit_of_a_deployed_file_is_drift() {
    let project = repo("homelab.kdl");
    project.run(&["build"]).assert_code(0);
    let elsewhere = tempfile::tempdir().unwrap();
    let deployed = elsewhere.path().join("deployed");
    copy_dir(&project.join("out"), &deployed);
    let against = deployed.to_str().unwrap();
    let (rel, _) = crate::support::snapshot(&deployed)
        .into_iter()
        .next()
        .unwrap();
    let path = deployed.join(&rel);
    let edited = std::fs::read_to_string(&path).unwrap() + "a line added on the host\n";
    std::fs::write(&path, edited).unwrap();

    let doc = json(&project.run(&[
        "diff",
        "--against",
        against,
        "--base",
        "HEAD",
        "--format",
        "json",
    ]));
    assert_eq!(doc["files"][0]["path"], rel.as_str());
    assert_eq!(doc["files"][0]["status"], "drift");
    // Without a baseline (no topology beside that tree, no --base) it is simply changed.
    let doc = json(&project.run(&["diff", "--against", against, "--format", "json"]));
    assert_eq!(doc["files"][0]["status"], "changed");
    assert!(
        doc["summary"]["note"].as_str().unwrap().contains("--base"),
        "{doc}"
    );
    // The project's own out/ has a baseline: the committed topology.
    std::fs::write(
        project.join("out").join(&rel),
        std::fs::read(&path).unwrap(),
    )
    .unwrap();
    let doc = json(&project.run(&["diff", "--format", "json"]));
    assert_eq!(doc["files"][0]["status"], "drift", "{doc}");
    assert_eq!(doc["summary"]["baseline"], "HEAD:topology.kdl");

    // A topology change on top of an untouched deployed file is a change, not drift.
    copy_dir(&project.join("out"), &deployed);
    project.run(&["build"]).assert_code(0);
    copy_dir(&project.join("out"), &deployed);
    std::fs::write(
        project.join("topology.kdl"),
        fixture("homelab-public-ui.kdl"),
    )
    .unwrap();
    let doc = json(&project.run(&[
        "diff",
        "--against",
        against,
        "--base",
        "HEAD",
        "--format",
        "json",
    ]));
    let statuses: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        !statuses.is_empty() && statuses.iter().all(|s| *s == "changed"),
        "{doc}"
    );
}
