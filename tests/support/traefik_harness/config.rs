//! The test-only copies of topo's Traefik files. The static file keeps topo's
//! entrypoints and forwarded-header trust but listens on free 127.0.0.1 ports
//! and adds the API, ping and a JSON log; the dynamic file keeps every router,
//! rule, entryPoint list, priority and middleware exactly as generated, and
//! only points the services and the forward-auth address at local stubs. An
//! ACME resolver keeps its challenge but talks to a closed 127.0.0.1 port
//! instead of the CA and stores in the test directory: tests never leave
//! loopback.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::super::free_port;

/// An entrypoint of the test instance.
#[derive(Clone, Debug)]
pub struct Listener {
    pub port: u16,
    /// Routers on it require TLS, so requests must be https.
    pub tls: bool,
}

fn key(k: &str) -> Value {
    Value::String(k.to_string())
}

fn mapping<'a>(value: &'a mut Value, what: &str) -> &'a mut Mapping {
    value
        .as_mapping_mut()
        .unwrap_or_else(|| panic!("{what} is not a mapping"))
}

/// Rewrites topo's static file; returns it with the entrypoint ports and the API port.
pub fn test_static(
    generated: &str,
    dynamic_dir: &Path,
    dynamic: &Value,
) -> (String, BTreeMap<String, Listener>, u16) {
    // ACME state goes beside the dynamic directory, in the test's temp dir.
    let acme_dir = dynamic_dir.parent().unwrap_or(dynamic_dir);
    let mut doc: Value = serde_yaml::from_str(generated).expect("topo's traefik.yml is YAML");
    let mut listeners = BTreeMap::new();
    let root = mapping(&mut doc, "traefik.yml");
    let entrypoints = mapping(
        root.get_mut("entryPoints").expect("entryPoints"),
        "entryPoints",
    );
    for (name, ep) in entrypoints.iter_mut() {
        let name = name.as_str().expect("entrypoint name").to_string();
        let port = free_port();
        mapping(ep, &name).insert(key("address"), Value::String(format!("127.0.0.1:{port}")));
        listeners.insert(
            name.clone(),
            Listener {
                port,
                tls: serves_tls(dynamic, &name),
            },
        );
    }
    let api_port = free_port();
    let api: Value = serde_yaml::from_str(&format!("address: \"127.0.0.1:{api_port}\"")).unwrap();
    entrypoints.insert(key("traefik"), api);
    let extra = r#"
api: {insecure: true, dashboard: false}
ping: {}
log: {level: INFO, format: json, noColor: true}
"#;
    for (k, v) in serde_yaml::from_str::<Mapping>(extra).unwrap() {
        root.insert(k, v);
    }
    let file = root
        .get_mut("providers")
        .and_then(|p| p.get_mut("file"))
        .and_then(Value::as_mapping_mut)
        .expect("providers.file");
    file.insert(
        key("directory"),
        Value::String(dynamic_dir.display().to_string()),
    );
    if let Some(resolvers) = root
        .get_mut("certificatesResolvers")
        .and_then(Value::as_mapping_mut)
    {
        for (name, resolver) in resolvers.iter_mut() {
            let name = name.as_str().expect("resolver name").to_string();
            let acme = mapping(resolver.get_mut("acme").expect("an ACME resolver"), "acme");
            let closed = free_port();
            acme.insert(
                key("caServer"),
                Value::String(format!("https://127.0.0.1:{closed}/directory")),
            );
            acme.insert(
                key("storage"),
                Value::String(acme_dir.join(format!("{name}.json")).display().to_string()),
            );
        }
    }
    (serde_yaml::to_string(&doc).unwrap(), listeners, api_port)
}

/// True when a generated router on `entrypoint` has `tls`.
fn serves_tls(dynamic: &Value, entrypoint: &str) -> bool {
    let Some(routers) = dynamic
        .get("http")
        .and_then(|h| h.get("routers"))
        .and_then(Value::as_mapping)
    else {
        return false;
    };
    routers.values().any(|r| {
        r.get("tls").is_some()
            && r.get("entryPoints")
                .and_then(Value::as_sequence)
                .is_some_and(|eps| eps.iter().any(|e| e.as_str() == Some(entrypoint)))
    })
}

/// Replaces the scheme, host and port of `url` with `origin`, keeping the path.
fn with_origin(url: &str, origin: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    format!("{origin}{path}")
}

/// Rewrites topo's dynamic file: `backend(service)` gives each service's stub
/// origin, `auth_origin` replaces the forward-auth address's origin.
pub fn test_dynamic(
    generated: &Value,
    backend: &mut dyn FnMut(&str) -> String,
    auth_origin: &str,
) -> String {
    let mut doc = generated.clone();
    if let Some(services) = doc
        .get_mut("http")
        .and_then(|h| h.get_mut("services"))
        .and_then(Value::as_mapping_mut)
    {
        for (name, service) in services.iter_mut() {
            let origin = backend(name.as_str().expect("service name"));
            let servers = service
                .get_mut("loadBalancer")
                .and_then(|lb| lb.get_mut("servers"))
                .and_then(Value::as_sequence_mut);
            for server in servers.into_iter().flatten() {
                // The stub's origin, the generated path (Traefik ignores it: TOPO019).
                let generated_url = server
                    .get("url")
                    .and_then(Value::as_str)
                    .expect("server url")
                    .to_string();
                mapping(server, "server").insert(
                    key("url"),
                    Value::String(with_origin(&generated_url, &origin)),
                );
            }
        }
    }
    if let Some(middlewares) = doc
        .get_mut("http")
        .and_then(|h| h.get_mut("middlewares"))
        .and_then(Value::as_mapping_mut)
    {
        for (_, middleware) in middlewares.iter_mut() {
            if let Some(fa) = middleware
                .get_mut("forwardAuth")
                .and_then(Value::as_mapping_mut)
            {
                let address = fa
                    .get("address")
                    .and_then(Value::as_str)
                    .expect("forwardAuth.address")
                    .to_string();
                fa.insert(
                    key("address"),
                    Value::String(with_origin(&address, auth_origin)),
                );
            }
        }
    }
    let text = serde_yaml::to_string(&doc).unwrap();
    let reread: Value = serde_yaml::from_str(&text).unwrap();
    let routers = |d: &Value| d.get("http").and_then(|h| h.get("routers")).cloned();
    assert_eq!(
        routers(&reread),
        routers(generated),
        "the test copy must keep topo's routers exactly"
    );
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_is_replaced_and_path_kept() {
        assert_eq!(
            super::with_origin(
                "http://authelia:9091/api/authz/forward-auth",
                "http://127.0.0.1:5"
            ),
            "http://127.0.0.1:5/api/authz/forward-auth"
        );
        assert_eq!(
            super::with_origin("http://x:1", "http://127.0.0.1:5"),
            "http://127.0.0.1:5"
        );
    }
}
