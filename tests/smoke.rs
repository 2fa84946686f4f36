//! The generated smoke script: valid shell, executable, and saying for every
//! route what the topology promises.

use crate::support::{Project, require_tool};

#[test]
fn smoke_script_passes_shellcheck_and_is_executable() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    let script = project.join("out/smoke.sh");
    use std::os::unix::fs::PermissionsExt as _;
    assert!(
        std::fs::metadata(&script).unwrap().permissions().mode() & 0o111 != 0,
        "smoke.sh is executable"
    );
    let Some(shellcheck) = require_tool("smoke_script_passes_shellcheck", "shellcheck") else {
        return;
    };
    let out = std::process::Command::new(shellcheck)
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn smoke_script_encodes_the_expected_failure_modes() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    let script = project.read("out/smoke.sh");
    // The admin UI is lan-only: 404 from the internet, reachable from the LAN.
    assert!(
        script.contains("probe internet 'litellm.umi4.life' '/' not-found"),
        "{script}"
    );
    assert!(script.contains("probe lan 'litellm.umi4.life' '/' reaches"));
    // The API is public from both sides.
    assert!(script.contains("probe internet 'litellm.umi4.life' '/v1' reaches"));
    // forward-auth asks for a login; the callback of the OIDC app exists on the LAN.
    assert!(script.contains("probe lan 'hermes.umi4.life' '/' login"));
    assert!(script.contains("probe lan 'litellm.umi4.life' '/sso/callback' reaches"));
}

#[test]
fn smoke_script_rejects_a_missing_origin() {
    let project = Project::example();
    project.run(&["build"]).assert_code(0);
    let out = std::process::Command::new("bash")
        .arg(project.join("out/smoke.sh"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
