//! Every lint rule has a fixture that triggers it and one that does not
//! (`tests/fixtures/lints/TOPOnnn/{trigger,clean}/`, each a small project:
//! `topology.kdl`, optionally `profiles/` and `templates/`).

use std::path::Path;

use crate::support::{Project, repo_root};

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `topo check --format json` on a fixture; returns the codes reported.
fn codes(fixture: &Path) -> (i32, Vec<String>, String) {
    let project = Project::new();
    copy_dir(fixture, project.path());
    let mut args = vec!["check", "--format", "json"];
    if fixture.join("templates").is_dir() {
        args.extend(["--templates", "templates"]);
    }
    let run = project.run(&args);
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{}: {e}\n{}\n{}", fixture.display(), run.stdout, run.stderr));
    let codes = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect();
    (run.code, codes, run.stdout)
}

#[test]
fn every_rule_triggers_on_its_fixture_and_not_on_the_clean_one() {
    let root = repo_root().join("tests/fixtures/lints");
    for rule in topo::lint::RULES {
        let dir = root.join(rule.code);
        assert!(
            dir.join("trigger").is_dir() && dir.join("clean").is_dir(),
            "{} has no fixtures in {}",
            rule.code,
            dir.display()
        );
        let (code, found, out) = codes(&dir.join("trigger"));
        assert!(
            found.iter().any(|c| c == rule.code),
            "{} did not fire on its trigger fixture:\n{out}",
            rule.code
        );
        let expected_exit = if rule.level == topo::diagnostic::Severity::Error {
            2
        } else {
            0
        };
        assert_eq!(
            code, expected_exit,
            "{}: exit code for a {:?}-level finding\n{out}",
            rule.code, rule.level
        );
        let (_, found, out) = codes(&dir.join("clean"));
        assert!(
            !found.iter().any(|c| c == rule.code),
            "{} fired on its clean fixture:\n{out}",
            rule.code
        );
    }
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_2() {
    let fixture = repo_root().join("tests/fixtures/lints/TOPO002/trigger");
    let project = Project::new();
    copy_dir(&fixture, project.path());
    project.run(&["check"]).assert_code(0);
    let run = project.run(&["check", "--deny", "warnings", "--format", "plain"]);
    run.assert_code(2);
    assert!(run.stderr.contains("[TOPO002]"), "{}", run.stderr);
}

#[test]
fn a_lint_error_stops_the_build_and_writes_nothing() {
    let fixture = repo_root().join("tests/fixtures/lints/TOPO015/trigger");
    let project = Project::new();
    copy_dir(&fixture, project.path());
    project.run(&["build"]).assert_code(2);
    assert!(!project.join("out").exists());
}

#[test]
fn the_example_topology_is_lint_clean() {
    let run = Project::example().run(&["check", "--deny", "warnings"]);
    run.assert_code(0);
}
