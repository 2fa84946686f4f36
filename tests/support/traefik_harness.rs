//! The real Traefik serving what `topo build` generated, on 127.0.0.1.
//!
//! [`TraefikHarness::start`] builds a topology into a temp project, copies
//! topo's static and dynamic files for the test (see `config`), starts an echo
//! backend per Traefik service and a forward-auth stub, runs `traefik`, and
//! waits until every generated router is loaded. Requests go to an entrypoint
//! by its topology name: `harness.get("tunnel", "litellm.umi4.life", "/v1/models", None)`.
//! Built for reuse by `topo explain` tests: the same requests can be asked of
//! `explain` and of the real proxy.

mod backends;
mod client;
mod config;

use std::collections::BTreeMap;
use std::fs::File;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use backends::{ALLOW_HEADER, ALLOW_VALUE, REMOTE_USER, Seen};
pub use client::{Request, Response};
use config::Listener;

use super::{Project, require_tool};

/// How long Traefik may take to load the generated routers.
const STARTUP: Duration = Duration::from_secs(30);

/// Logged when routers name a resolver traefik.yml does not define (a bare
/// `cert-resolver`, TOPO017): they fall back to Traefik's default certificate.
const UNDEFINED_RESOLVER: &[&str] = &[
    "Router uses a nonexistent certificate resolver",
    "Router uses a non-existent certificate resolver", // Traefik 3.0's spelling
];

/// Logged when a defined resolver cannot reach its CA, which is what the test
/// instance's closed 127.0.0.1 caServer is for.
pub const ACME_UNREACHABLE: &str = "Unable to obtain ACME certificate for domains";

/// Kills and reaps Traefik when dropped.
struct ProcessGuard(Child);

impl Drop for ProcessGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct TraefikHarness {
    // Field order is drop order: stop Traefik before its backends and files.
    process: ProcessGuard,
    backends: BTreeMap<String, backends::Stub>,
    auth: backends::Stub,
    listeners: BTreeMap<String, Listener>,
    api_port: u16,
    curl: PathBuf,
    log_path: PathBuf,
    generated: serde_yaml::Value,
    /// topo's traefik.yml defines the certificate resolver.
    acme: bool,
    project: Project,
    _work: tempfile::TempDir,
}

impl TraefikHarness {
    /// Builds `topology` and serves it; `None` (after a SKIPPED line) when
    /// traefik or curl is missing on a developer machine. `TOPO_TRAEFIK=PATH`
    /// runs another Traefik binary (e.g. 3.0.4 for the `version="3.0"` tests).
    pub fn start(test: &str, topology: &str) -> Option<Self> {
        Self::start_project(test, Project::with_topology(topology))
    }

    /// Like [`start`](Self::start) for a prepared project (e.g. `Project::example()`).
    pub fn start_project(test: &str, project: Project) -> Option<Self> {
        let traefik = match std::env::var_os("TOPO_TRAEFIK") {
            Some(path) => PathBuf::from(path),
            None => require_tool(test, "traefik")?,
        };
        let curl = require_tool(test, "curl")?;
        project.run(&["build"]).assert_code(0);
        let generated: serde_yaml::Value =
            serde_yaml::from_str(&project.read("out/traefik/dynamic/topo.yml"))
                .expect("dynamic file is YAML");

        let work = tempfile::tempdir().unwrap();
        let dynamic_dir = work.path().join("dynamic");
        std::fs::create_dir(&dynamic_dir).unwrap();
        let mut backends = BTreeMap::new();
        let auth = backends::Stub::forward_auth();
        let dynamic = config::test_dynamic(
            &generated,
            &mut |service| {
                backends
                    .entry(service.to_string())
                    .or_insert_with(|| backends::Stub::echo(service))
                    .origin()
            },
            &auth.origin(),
        );
        std::fs::write(dynamic_dir.join("topo.yml"), dynamic).unwrap();
        let static_generated = project.read("out/traefik/traefik.yml");
        let acme = serde_yaml::from_str::<serde_yaml::Value>(&static_generated)
            .expect("traefik.yml is YAML")
            .get("certificatesResolvers")
            .is_some();
        let (static_text, listeners, api_port) =
            config::test_static(&static_generated, &dynamic_dir, &generated);
        let static_path = work.path().join("traefik.yml");
        std::fs::write(&static_path, static_text).unwrap();

        let log_path = work.path().join("traefik.log");
        let log = File::create(&log_path).unwrap();
        let child = Command::new(&traefik)
            .arg(format!("--configFile={}", static_path.display()))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start traefik");
        let mut harness = Self {
            process: ProcessGuard(child),
            backends,
            auth,
            listeners,
            api_port,
            curl,
            log_path,
            generated,
            acme,
            project,
            _work: work,
        };
        harness.wait_until_loaded();
        Some(harness)
    }

    /// Polls `/api/rawdata` until every generated router is there.
    fn wait_until_loaded(&mut self) {
        let deadline = Instant::now() + STARTUP;
        let wanted = self.generated_routers();
        loop {
            if let Ok(Some(status)) = self.process.0.try_wait() {
                panic!("traefik exited with {status}\n--- log\n{}", self.log());
            }
            // A file Traefik cannot decode never loads: fail now, not at the deadline.
            let log = self.log();
            if let Some(line) = log.lines().find(|l| {
                l.contains(r#""providerName":"file""#) && l.contains(r#""level":"error""#)
            }) {
                panic!("traefik rejected the dynamic file: {line}\n--- log\n{log}");
            }
            if let Some(raw) = self.try_rawdata() {
                let routers = raw.get("routers").and_then(|r| r.as_object());
                if routers.is_some_and(|r| {
                    wanted
                        .iter()
                        .all(|name| r.contains_key(&format!("{name}@file")))
                }) {
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "traefik did not load the generated routers {wanted:?} within {STARTUP:?}\n--- rawdata\n{}\n--- log\n{}",
                    self.try_rawdata()
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn try_rawdata(&self) -> Option<serde_json::Value> {
        let (status, body) = client::api_get(self.api_port, "/api/rawdata")?;
        (status == 200)
            .then(|| serde_json::from_str(&body).ok())
            .flatten()
    }

    /// Traefik's `/api/rawdata`: every router, middleware and service with its status.
    pub fn rawdata(&self) -> serde_json::Value {
        self.try_rawdata()
            .unwrap_or_else(|| panic!("no /api/rawdata\n--- log\n{}", self.log()))
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The built project (its `out/` is what topo generated, untouched).
    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn out_dir(&self) -> PathBuf {
        self.project.join("out")
    }

    /// topo's dynamic file as generated.
    pub fn generated(&self) -> &serde_yaml::Value {
        &self.generated
    }

    /// Names of the routers topo generated (without `@file`).
    pub fn generated_routers(&self) -> Vec<String> {
        names(&self.generated, "routers")
    }

    /// A request to `host` + `path` on the entrypoint named `entrypoint` in the topology.
    pub fn request(&self, entrypoint: &str, host: &str, path: &str) -> Request<'_> {
        let listener = self.listeners.get(entrypoint).unwrap_or_else(|| {
            panic!(
                "no entrypoint {entrypoint}; have {:?}",
                self.listeners.keys()
            )
        });
        Request {
            curl: &self.curl,
            scheme: if listener.tls { "https" } else { "http" },
            port: listener.port,
            host: host.to_string(),
            path: path.to_string(),
            client_ip: None,
            headers: Vec::new(),
        }
    }

    /// GET `host` + `path` on `entrypoint`, from `client_ip` (a loopback address; default 127.0.0.1).
    pub fn get(
        &self,
        entrypoint: &str,
        host: &str,
        path: &str,
        client_ip: Option<IpAddr>,
    ) -> Response {
        let request = self.request(entrypoint, host, path);
        match client_ip {
            Some(ip) => request.client_ip(ip).send(),
            None => request.send(),
        }
    }

    /// Requests the forward-auth stub answered.
    pub fn auth_requests(&self) -> Vec<Seen> {
        self.auth.seen()
    }

    /// Requests the echo backend of Traefik service `service` answered.
    pub fn backend_requests(&self, service: &str) -> Vec<Seen> {
        self.backends
            .get(service)
            .map(|b| b.seen())
            .unwrap_or_default()
    }

    /// Both failure classes at once: every `@file` object is enabled without
    /// error (semantic errors show in the API), every generated router is
    /// loaded and the log has no error line (decode errors show only there).
    pub fn assert_config_clean(&self) {
        let raw = self.rawdata();
        for section in ["routers", "middlewares", "services"] {
            let objects = raw
                .get(section)
                .and_then(|s| s.as_object())
                .cloned()
                .unwrap_or_default();
            for (name, object) in objects.iter().filter(|(n, _)| n.ends_with("@file")) {
                assert_eq!(
                    object.get("status").and_then(|s| s.as_str()),
                    Some("enabled"),
                    "{section} {name}: {object}"
                );
                assert!(
                    object.get("error").is_none(),
                    "{section} {name} has errors: {object}"
                );
            }
            for name in names(&self.generated, section) {
                assert!(
                    objects.contains_key(&format!("{name}@file")),
                    "{section} {name} generated but not loaded"
                );
            }
        }
        let log = self.log();
        for line in log.lines() {
            let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let level = entry
                .get("level")
                .and_then(|l| l.as_str())
                .unwrap_or_default();
            let message = entry
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or_default();
            if matches!(level, "error" | "fatal" | "panic") {
                // A defined resolver must never be reported missing; without
                // one, that is the only error (the routers still load).
                let expected = if self.acme {
                    message == ACME_UNREACHABLE
                } else {
                    UNDEFINED_RESOLVER.contains(&message)
                };
                assert!(expected, "traefik logged an error: {line}\n--- log\n{log}");
            }
        }
    }

    /// The scheme and 127.0.0.1 port of the entrypoint named `entrypoint` in the topology.
    pub fn listener(&self, entrypoint: &str) -> (&'static str, u16) {
        let l = &self.listeners[entrypoint];
        (if l.tls { "https" } else { "http" }, l.port)
    }

    /// The path of the dynamic file topo generated.
    pub fn generated_dynamic_path(&self) -> PathBuf {
        self.out_dir().join("traefik/dynamic/topo.yml")
    }
}

fn names(doc: &serde_yaml::Value, section: &str) -> Vec<String> {
    doc.get("http")
        .and_then(|h| h.get(section))
        .and_then(|s| s.as_mapping())
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
