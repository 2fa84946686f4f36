//! `out/cloudflared/config.yml`: the tunnel's ingress, public routes only.
//!
//! Every forwarding rule points at the proxy's tunnel entrypoint as
//! `http://<proxy host address>:<port>` (or the entrypoint's own address when
//! it binds one, e.g. `127.0.0.1:8443`). cloudflared usually runs on the proxy
//! host (the tunnel's `host`); the proxy host's LAN address works from the
//! host itself and from a container on it, where 127.0.0.1 would not. Rules
//! pin `originRequest.httpHostHeader` to their hostname so Traefik's `Host()`
//! rule matches whatever the service URL is. See [`ingress`] for the order.

pub(crate) mod ingress;

use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::model::{Entrypoint, Host, Topology};
use crate::output::OutputTree;

pub struct Cloudflared;

const NAME: &str = "cloudflared";

#[derive(Serialize)]
struct RuleView {
    note: String,
    hostname: String,
    path: Option<String>,
    service: String,
    host_header: Option<String>,
}

#[derive(Serialize)]
struct View {
    tunnel: String,
    tunnel_id: String,
    credentials_file: String,
    tunnel_host: String,
    proxy_host: String,
    /// `http://ADDRESS:PORT` of the tunnel entrypoint, when the proxy has one.
    origin: Option<String>,
    entrypoint: Option<String>,
    rules: Vec<RuleView>,
}

fn view(t: &Topology) -> Option<View> {
    let tunnel = t.tunnel.as_ref()?;
    let proxy_host = t.proxy_host();
    let entrypoint = t.proxy.tunnel_entrypoints().next();
    let origin = entrypoint.map(|e| {
        format!(
            "http://{}",
            SocketAddr::new(origin_ip(e, proxy_host), e.port)
        )
    });
    let rules = match &origin {
        // Without a tunnel entrypoint nothing can be published: the catch-all alone.
        None => Vec::new(),
        Some(origin) => ingress::rules(t)
            .into_iter()
            .map(|r| RuleView {
                note: r.note,
                host_header: r.forward.then(|| r.hostname.clone()),
                service: if r.forward {
                    origin.clone()
                } else {
                    "http_status:404".to_string()
                },
                hostname: r.hostname,
                path: r.path,
            })
            .collect(),
    };
    Some(View {
        tunnel: tunnel.name.clone(),
        tunnel_id: tunnel.id.clone(),
        credentials_file: tunnel.credentials_file.clone(),
        tunnel_host: tunnel.host.clone(),
        proxy_host: proxy_host.name.clone(),
        origin,
        entrypoint: entrypoint.map(|e| e.name.clone()),
        rules,
    })
}

/// The entrypoint's bind address when it names one, else the proxy host's address.
fn origin_ip(entrypoint: &Entrypoint, host: &Host) -> IpAddr {
    entrypoint
        .address
        .rsplit_once(':')
        .and_then(|(ip, _)| {
            ip.trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .ok()
        })
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(host.address)
}

impl Target for Cloudflared {
    fn name(&self) -> &'static str {
        NAME
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let Some(view) = view(input.topology) else {
            return Ok(());
        };
        let text = input
            .templates
            .render("cloudflared/config.yml.j2", &view)
            .map_err(|e| RenderError::new(NAME, e))?;
        out.insert("cloudflared/config.yml", text)
            .map_err(|e| RenderError::new(NAME, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::dns::test_topology;

    const BASE: &str = r#"
network "lan" "192.168.1.0/24"
host "edge" address="192.168.1.30"
proxy "traefik" host="edge" {
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
}
tunnel "cf" host="edge" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cloudflared/x.json"
service "blog" host="edge" upstream="http://blog:80" {
    hostname "blog.example.com"
    exposure "public-app"
    auth "app"
}
"#;

    fn origin(text: &str) -> Option<String> {
        view(&test_topology(text)).and_then(|v| v.origin)
    }

    #[test]
    fn the_origin_is_the_proxy_host_and_the_tunnel_entrypoint_port() {
        assert_eq!(origin(BASE).as_deref(), Some("http://192.168.1.30:8443"));
    }

    #[test]
    fn an_ipv6_proxy_host_is_bracketed() {
        let text = BASE.replace(r#"address="192.168.1.30""#, r#"address="fd00::30""#);
        assert_eq!(origin(&text).as_deref(), Some("http://[fd00::30]:8443"));
    }

    #[test]
    fn an_entrypoint_bound_to_one_address_is_reached_there() {
        let text = BASE.replace(r#"address=":8443""#, r#"address="127.0.0.1:8443""#);
        assert_eq!(origin(&text).as_deref(), Some("http://127.0.0.1:8443"));
        let any = BASE.replace(r#"address=":8443""#, r#"address="0.0.0.0:8443""#);
        assert_eq!(origin(&any).as_deref(), Some("http://192.168.1.30:8443"));
    }

    #[test]
    fn no_tunnel_renders_nothing() {
        let text: String = BASE
            .lines()
            .filter(|l| !l.starts_with("tunnel "))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(view(&test_topology(&text)).is_none());
    }
}
