//! Real resolvers on loopback for the split-DNS tests: dnsmasq and unbound run
//! in the foreground on a free 127.0.0.1 high port (never 53, no system
//! service), are queried with `dig`, and are killed when their guard drops.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::require_tool;

/// A port free for both UDP and TCP on 127.0.0.1 a moment ago (DNS uses both).
pub fn dns_port() -> u16 {
    for _ in 0..100 {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free UDP+TCP port on 127.0.0.1");
}

/// One answer of `dig`: the status and the data of the answers of the asked type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: String,
    pub data: Vec<String>,
}

/// `dig @127.0.0.1 -p PORT NAME TYPE`, bounded by dig's own timeouts.
pub fn dig(dig: &Path, port: u16, name: &str, kind: &str) -> Answer {
    let out = Command::new(dig)
        .args(["@127.0.0.1", "-p", &port.to_string(), name, kind])
        .args([
            "+time=1",
            "+tries=2",
            "+nocmd",
            "+noall",
            "+comments",
            "+answer",
        ])
        .output()
        .expect("dig runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let status = text
        .split("status: ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or("NO-ANSWER")
        .to_string();
    let mut data: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .filter_map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            (fields.len() >= 5 && fields[3] == kind).then(|| fields[4..].join(" "))
        })
        .collect();
    data.sort();
    Answer { status, data }
}

/// A resolver process; dropping it kills it and reaps it.
pub struct Resolver {
    child: Child,
    pub port: u16,
    pub dig: PathBuf,
    what: String,
    log: PathBuf,
}

impl Resolver {
    pub fn query(&self, name: &str, kind: &str) -> Answer {
        dig(&self.dig, self.port, name, kind)
    }

    /// Polls until `probe` gets an answer; Err(log) if the process dies or 15 s pass.
    fn wait_ready(mut self, probe: &str) -> Result<Self, String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "{} exited early ({status}):\n{}",
                    self.what,
                    self.log_text()
                ));
            }
            let answer = self.query(probe, "A");
            if answer.status == "NOERROR" && !answer.data.is_empty() {
                return Ok(self);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} never answered {probe} ({answer:?}):\n{}",
                    self.what,
                    self.log_text()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Resolver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(
    what: &str,
    program: &Path,
    args: &[String],
    dir: &Path,
    dig: PathBuf,
    port: u16,
) -> Resolver {
    let log = dir.join(format!("{what}-{port}.log"));
    let file = std::fs::File::create(&log).unwrap();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("{what} does not start: {e}"));
    Resolver {
        child,
        port,
        dig,
        what: what.to_string(),
        log,
    }
}

/// dnsmasq serving `conf` (a dnsmasq config, or None) plus `extra` options
/// such as `--addn-hosts=FILE`, ready once `probe` answers. None: skipped.
pub fn dnsmasq(
    test: &str,
    dir: &Path,
    conf: Option<&Path>,
    extra: &[String],
    probe: &str,
) -> Option<Resolver> {
    let program = require_tool(test, "dnsmasq")?;
    let dig = require_tool(test, "dig")?;
    let conf = conf.map_or_else(|| "/dev/null".to_string(), |c| c.display().to_string());
    Some(with_fresh_port(|port| {
        let mut args = vec![
            format!("--conf-file={conf}"),
            "--keep-in-foreground".into(),
            "--no-resolv".into(),
            "--no-hosts".into(),
            format!("--port={port}"),
            "--listen-address=127.0.0.1".into(),
            "--bind-interfaces".into(),
            "--pid-file=".into(),
            "--user=root".into(),
            "--log-facility=-".into(),
        ];
        args.extend(extra.iter().cloned());
        spawn("dnsmasq", &program, &args, dir, dig.clone(), port).wait_ready(probe)
    }))
}

/// Starts a server on a fresh port, again on another one if it fails (another
/// test may have taken the port in between).
fn with_fresh_port(mut start: impl FnMut(u16) -> Result<Resolver, String>) -> Resolver {
    let mut errors = Vec::new();
    for _ in 0..3 {
        match start(dns_port()) {
            Ok(resolver) => return resolver,
            Err(e) => errors.push(e),
        }
    }
    panic!("the resolver did not start:\n{}", errors.join("\n---\n"));
}

/// The unbound wrapper config around `body` (include: lines, auth-zone: blocks).
pub fn unbound_config(dir: &Path, port: u16, body: &str) -> PathBuf {
    let d = dir.display();
    let text = format!(
        r#"server:
    interface: 127.0.0.1
    port: {port}
    do-ip6: no
    do-daemonize: no
    use-syslog: no
    logfile: ""
    verbosity: 1
    chroot: ""
    username: ""
    directory: "{d}"
    pidfile: "{d}/unbound-{port}.pid"
    module-config: "iterator"
    access-control: 127.0.0.0/8 allow
{body}
remote-control:
    control-enable: no
"#
    );
    let path = dir.join(format!("unbound-{port}.conf"));
    std::fs::write(&path, text).unwrap();
    path
}

/// `unbound-checkconf FILE`: Ok(output) or Err(output).
pub fn unbound_checkconf(test: &str, config: &Path) -> Option<Result<String, String>> {
    let program = require_tool(test, "unbound-checkconf")?;
    let out = Command::new(program).arg(config).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    })
}

/// unbound serving `body` inside the wrapper config (see [`unbound_config`]),
/// ready once `probe` answers.
pub fn unbound(test: &str, dir: &Path, body: &str, probe: &str) -> Option<Resolver> {
    let program = require_tool(test, "unbound")?;
    let dig = require_tool(test, "dig")?;
    Some(with_fresh_port(|port| {
        let config = unbound_config(dir, port, body);
        let args = vec![
            "-d".to_string(),
            "-c".to_string(),
            config.display().to_string(),
        ];
        spawn("unbound", &program, &args, dir, dig.clone(), port).wait_ready(probe)
    }))
}

/// `named-checkzone ZONE FILE`: Ok(output) or Err(output).
pub fn named_checkzone(test: &str, zone: &str, file: &Path) -> Option<Result<String, String>> {
    let program = require_tool(test, "named-checkzone")?;
    let out = Command::new(program).arg(zone).arg(file).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    })
}
