//! `topo explain` and `out/smoke.sh` against the real Traefik: the same
//! requests, asked of the trace and of the proxy, get the same verdicts.

use std::collections::BTreeSet;

use crate::support::traefik_harness::{Response, TraefikHarness};
use crate::support::{Project, repo_root, require_tool};

/// The example, plus a network holding 127.0.0.2 so a loopback client can be "on the LAN".
fn example_with_loopback_lan() -> String {
    let text = std::fs::read_to_string(repo_root().join("topology.kdl")).unwrap();
    format!("{text}\nnetwork \"test-lan\" \"127.0.0.2/32\"\n")
}

fn mixed() -> String {
    std::fs::read_to_string(repo_root().join("tests/fixtures/traefik/mixed-paths.kdl")).unwrap()
}

/// What the proxy did, in `topo explain`'s vocabulary.
fn observed(r: &Response) -> &'static str {
    if r.served_by().is_some() {
        "reaches"
    } else {
        match r.status {
            401 | 302 | 303 | 307 => "login",
            403 => "forbidden",
            404 => "not-found",
            _ => "other",
        }
    }
}

/// (host, path) probes: every route, under it, and look-alikes next to it.
fn probes(project: &Project) -> Vec<(String, String)> {
    let run = project.run(&["graph"]);
    run.assert_code(0);
    let text = project.read("topology.kdl");
    let mut hosts = BTreeSet::new();
    let mut paths = BTreeSet::from(["/".to_string(), "/x".to_string()]);
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("hostname ") {
            hosts.extend(
                rest.split_whitespace()
                    .map(|h| h.trim_matches('"').to_string()),
            );
        }
        if let Some(rest) = line.strip_prefix("route \"") {
            let p = rest.split('"').next().unwrap();
            paths.extend([
                p.to_string(),
                format!("{p}/"),
                format!("{p}/x"),
                format!("{p}x"),
            ]);
        }
        if let Some(i) = line.find("issuer=\"https://") {
            hosts.insert(line[i + 16..].split('"').next().unwrap().to_string());
        }
    }
    hosts
        .iter()
        .flat_map(|h| paths.iter().map(move |p| (h.clone(), p.clone())))
        .collect()
}

fn explain(project: &Project, url: &str, extra: &[&str]) -> String {
    let mut args = vec!["explain", url, "--format", "json"];
    args.extend(extra);
    let run = project.run(&args);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // No DNS answer: nothing serves it, like a 404.
    v["outcome"].as_str().unwrap_or("not-found").to_string()
}

fn explain_matches_traefik(test: &str, topology: &str) {
    let Some(h) = TraefikHarness::start(test, topology) else {
        return;
    };
    h.assert_config_clean();
    let project = h.project();
    let lan = "127.0.0.2".parse().unwrap();
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (host, path) in probes(project) {
        let url = format!("https://{host}{path}");
        let cases = [
            (
                "internet",
                explain(project, &url, &["--from", "internet"]),
                h.get("tunnel", &host, &path, None),
            ),
            (
                "lan",
                explain(project, &url, &["--from", "127.0.0.2"]),
                h.get("websecure", &host, &path, Some(lan)),
            ),
            (
                "outside",
                explain(
                    project,
                    &url,
                    &["--from", "127.0.0.1", "--entrypoint", "websecure"],
                ),
                h.get("websecure", &host, &path, None),
            ),
        ];
        for (origin, predicted, response) in cases {
            checked += 1;
            if predicted != observed(&response) {
                mismatches.push(format!(
                    "{origin} {url}: explain says {predicted}, Traefik answered {} ({})",
                    response.status,
                    observed(&response)
                ));
            }
        }
    }
    assert!(checked > 30, "too few probes: {checked}");
    assert!(
        mismatches.is_empty(),
        "{} of {checked} verdicts differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn explain_matches_traefik_on_the_example() {
    explain_matches_traefik("explain::example", &example_with_loopback_lan());
}

#[test]
fn explain_matches_traefik_on_mixed_paths() {
    explain_matches_traefik("explain::mixed", &mixed());
}

#[test]
fn smoke_script_passes_against_the_real_traefik() {
    let Some(h) = TraefikHarness::start("explain::smoke", &example_with_loopback_lan()) else {
        return;
    };
    let Some(_) = require_tool("explain::smoke", "curl") else {
        return;
    };
    let script = h.project().join("out/smoke.sh");
    for (from, entrypoint, source) in [
        ("lan", "websecure", "127.0.0.2"),
        ("internet", "tunnel", "127.0.0.1"),
    ] {
        let (scheme, port) = h.listener(entrypoint);
        let connect = format!("127.0.0.1:{port}");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .args([
                "--from",
                from,
                "--connect",
                &connect,
                "--source",
                source,
                "--scheme",
                scheme,
                "-k",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "smoke.sh --from {from} failed:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
        assert!(!stdout.contains(" 0 passed"), "{stdout}");
    }
}

#[test]
fn graph_prints_mermaid_or_dot_with_every_service() {
    let project = Project::example();
    let mermaid = project.run(&["graph", "--format", "mermaid"]);
    mermaid.assert_code(0);
    assert!(
        mermaid.stdout.starts_with("flowchart LR"),
        "{}",
        mermaid.stdout
    );
    let dot = project.run(&["graph", "--format", "dot"]);
    dot.assert_code(0);
    assert!(
        dot.stdout.starts_with("digraph topology {"),
        "{}",
        dot.stdout
    );
    assert!(dot.stdout.trim_end().ends_with('}'));
    for service in ["litellm", "hermes", "coder"] {
        assert!(mermaid.stdout.contains(service), "{service} in mermaid");
        assert!(dot.stdout.contains(service), "{service} in dot");
    }
    assert_eq!(project.run(&["graph", "--as", "dot"]).stdout, dot.stdout);
    let broken = Project::with_topology("domain \"x.example\"\nnetwork \"lan\" \"10.0.0.0/33\"\n");
    let run = broken.run(&["graph", "--format", "dot"]);
    run.assert_code(2);
    assert!(run.stdout.is_empty());
}
