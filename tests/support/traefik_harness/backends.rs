//! In-process HTTP stubs on 127.0.0.1: an echo backend per Traefik service
//! (answers with the service's name and the request it saw, as JSON) and a
//! forward-auth stub whose verdict the test controls. Threads, not processes:
//! nothing outlives the test, and `Drop` stops the listener.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The header a test sends to make the auth stub grant the request.
pub const ALLOW_HEADER: &str = "X-Test-Auth";
pub const ALLOW_VALUE: &str = "allow";
/// Who the auth stub says the user is.
pub const REMOTE_USER: &str = "alice";

/// A request as a stub saw it; header names lower-cased.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
}

#[derive(Clone)]
enum Role {
    /// Answers 200 `{"service": name, "method", "path", "headers"}`.
    Echo(String),
    /// Answers 200 + `Remote-*` iff `X-Test-Auth: allow` on `/api/authz/forward-auth`, else 401.
    ForwardAuth,
}

pub struct Stub {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    thread: Option<JoinHandle<()>>,
}

impl Stub {
    pub fn echo(service: &str) -> Self {
        Self::start(Role::Echo(service.to_string()))
    }

    pub fn forward_auth() -> Self {
        Self::start(Role::ForwardAuth)
    }

    fn start(role: Role) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a stub on 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (thread_stop, thread_seen) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if thread_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (role, seen) = (role.clone(), thread_seen.clone());
                std::thread::spawn(move || serve(conn, &role, &seen));
            }
        });
        Self {
            addr,
            stop,
            seen,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request the stub answered so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn read_request(conn: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = BTreeMap::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((k, v)) = line.trim_end().split_once(':') {
            let entry = headers
                .entry(k.trim().to_ascii_lowercase())
                .or_insert_with(String::new);
            if !entry.is_empty() {
                entry.push_str(", ");
            }
            entry.push_str(v.trim());
        }
    }
    let length: u64 = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    std::io::copy(&mut reader.take(length), &mut std::io::sink()).ok()?;
    Some(Seen {
        method,
        path,
        headers,
    })
}

fn serve(mut conn: TcpStream, role: &Role, seen: &Mutex<Vec<Seen>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&conn) else {
        return;
    };
    seen.lock().unwrap().push(request.clone());
    let (status, extra, body) = match role {
        Role::Echo(service) => {
            let body = serde_json::json!({
                "service": service, "method": request.method, "path": request.path, "headers": request.headers,
            });
            ("200 OK", vec![], body)
        }
        Role::ForwardAuth => {
            let granted = request.path.starts_with("/api/authz/forward-auth")
                && request
                    .headers
                    .get(&ALLOW_HEADER.to_ascii_lowercase())
                    .map(String::as_str)
                    == Some(ALLOW_VALUE);
            if granted {
                let extra = vec![
                    ("Remote-User", REMOTE_USER),
                    ("Remote-Groups", "admins"),
                    ("Remote-Email", "alice@example.test"),
                    ("Remote-Name", "Alice"),
                    ("X-Not-Copied", "1"),
                ];
                ("200 OK", extra, serde_json::json!({"granted": true}))
            } else {
                (
                    "401 Unauthorized",
                    vec![],
                    serde_json::json!({"granted": false, "path": request.path}),
                )
            }
        }
    };
    let body = body.to_string();
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn
        .write_all(head.as_bytes())
        .and_then(|()| conn.write_all(body.as_bytes()));
}
