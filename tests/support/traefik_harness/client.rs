//! Requests to the proxy under test, through curl: it speaks TLS (the LAN
//! entrypoint with a cert resolver), sends SNI for the hostname, and can bind
//! a chosen loopback source address (a client "inside" or "outside" a
//! network). Only 127.0.0.1 is ever connected to.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What the client got back.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Response {
    fn echo(&self) -> Option<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .filter(|v| v.get("service").is_some())
    }

    /// The Traefik service whose echo backend answered, if one did.
    pub fn served_by(&self) -> Option<String> {
        self.echo()?.get("service")?.as_str().map(str::to_owned)
    }

    /// A request header as the backend saw it (name case-insensitive).
    pub fn backend_saw(&self, header: &str) -> Option<String> {
        self.echo()?
            .get("headers")?
            .get(header.to_ascii_lowercase())?
            .as_str()
            .map(str::to_owned)
    }

    /// The request path as the backend saw it.
    pub fn backend_path(&self) -> Option<String> {
        self.echo()?.get("path")?.as_str().map(str::to_owned)
    }
}

/// One request, built up then sent with [`Request::send`].
pub struct Request<'a> {
    pub(super) curl: &'a Path,
    pub(super) scheme: &'static str,
    pub(super) port: u16,
    pub(super) host: String,
    pub(super) path: String,
    pub(super) client_ip: Option<IpAddr>,
    pub(super) headers: Vec<(String, String)>,
}

impl Request<'_> {
    /// Send from this loopback address (e.g. 127.0.0.2) instead of 127.0.0.1.
    pub fn client_ip(mut self, ip: IpAddr) -> Self {
        self.client_ip = Some(ip);
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn send(self) -> Response {
        let url = format!("{}://{}:{}{}", self.scheme, self.host, self.port, self.path);
        let mut cmd = Command::new(self.curl);
        cmd.args([
            "--noproxy",
            "*",
            "--silent",
            "--show-error",
            "--insecure",
            "--path-as-is",
        ])
        .args(["--max-time", "10", "--dump-header", "-"])
        .arg("--resolve")
        .arg(format!("{}:{}:127.0.0.1", self.host, self.port));
        if let Some(ip) = self.client_ip {
            cmd.arg("--interface").arg(ip.to_string());
        }
        for (k, v) in &self.headers {
            cmd.arg("--header").arg(format!("{k}: {v}"));
        }
        let out = cmd.arg(&url).output().expect("run curl");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "curl {url} failed: {}{}",
            String::from_utf8_lossy(&out.stderr),
            text
        );
        parse(&text).unwrap_or_else(|| panic!("curl {url}: unreadable response {text:?}"))
    }
}

fn parse(text: &str) -> Option<Response> {
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

/// A plain-http GET to 127.0.0.1:`port` (Traefik's API); `None` while nothing answers.
pub fn api_get(port: u16, path: &str) -> Option<(u16, String)> {
    let addr = ([127, 0, 0, 1], port).into();
    let mut conn = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    conn.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(conn, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    conn.read_to_string(&mut text).ok()?;
    let response = parse(&text)?;
    Some((response.status, response.body))
}
