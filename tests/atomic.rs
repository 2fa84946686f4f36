//! `out/` is replaced all at once: an injected write failure or a kill at any
//! moment leaves it fully old or fully new, and staging debris is cleaned up.

use std::time::{Duration, Instant};

use crate::support::{Project, snapshot};

/// The example, and the example with one more lan-only service: two
/// different complete trees.
fn old_and_new() -> (Project, String) {
    let project = Project::example();
    let new = project.read("topology.kdl").replace(
        "service \"coder\"",
        "service \"wiki\" host=\"docker1\" upstream=\"http://wiki:3000\" {\n    hostname \"wiki.umi4.life\"\n    exposure \"lan-only\"\n    auth \"forward-auth\"\n}\n\nservice \"coder\"",
    );
    (project, new)
}

fn staging_dirs(project: &Project) -> Vec<String> {
    std::fs::read_dir(project.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".topo-staging-"))
        .collect()
}

#[test]
fn an_injected_write_failure_leaves_out_as_it_was() {
    let (project, new) = old_and_new();
    project.run(&["build"]).assert_code(0);
    let old = snapshot(&project.join("out"));
    std::fs::write(project.join("topology.kdl"), &new).unwrap();
    for fail_after in 0..old.len().min(4) {
        let out = project
            .command(&["build"])
            .env("TOPO_TEST_FAIL_AFTER", fail_after.to_string())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("left as it was"), "{stderr}");
        assert_eq!(
            old,
            snapshot(&project.join("out")),
            "out/ changed after a failure before file {fail_after}"
        );
    }
    project.run(&["build"]).assert_code(0);
    assert_ne!(old, snapshot(&project.join("out")));
    assert!(
        staging_dirs(&project).is_empty(),
        "staging left behind: {:?}",
        staging_dirs(&project)
    );
}

#[test]
fn a_kill_mid_write_leaves_out_fully_old_or_fully_new() {
    let (project, new_text) = old_and_new();
    let old_text = project.read("topology.kdl");
    project.run(&["build"]).assert_code(0);
    let old = snapshot(&project.join("out"));
    std::fs::write(project.join("topology.kdl"), &new_text).unwrap();
    project.run(&["build", "-o", "expected-new"]).assert_code(0);
    let new = snapshot(&project.join("expected-new"));
    assert_ne!(old, new);

    let mut saw_old = false;
    let mut saw_new = false;
    for attempt in 0..12u64 {
        // Alternate the starting tree so both directions are exercised.
        let start_text = if attempt % 2 == 0 {
            &old_text
        } else {
            &new_text
        };
        let target_text = if attempt % 2 == 0 {
            &new_text
        } else {
            &old_text
        };
        std::fs::write(project.join("topology.kdl"), start_text).unwrap();
        project.run(&["build"]).assert_code(0);
        std::fs::write(project.join("topology.kdl"), target_text).unwrap();
        let mut child = project
            .command(&["build"])
            .env("TOPO_TEST_WRITE_DELAY_MS", "15")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_millis(5 + attempt * 9);
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&project.join("out"));
        if now == old {
            saw_old = true;
        } else if now == new {
            saw_new = true;
        } else {
            panic!(
                "attempt {attempt}: out/ is neither the old nor the new tree: {:?}",
                now.keys().collect::<Vec<_>>()
            );
        }
    }
    assert!(saw_old || saw_new);
    // The next build cleans staging directories a kill left behind.
    project.run(&["build"]).assert_code(0);
    assert!(
        staging_dirs(&project).is_empty(),
        "staging left behind: {:?}",
        staging_dirs(&project)
    );
}
