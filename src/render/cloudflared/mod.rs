//! `out/cloudflared/config.yml`: the tunnel's ingress, public routes only.
//!
//! Every forwarding rule points at the proxy's tunnel entrypoint as
//! `http://<proxy host address>:<port>`. cloudflared usually runs on the proxy
//! host (the tunnel's `host`); the proxy host's LAN address works from the
//! host itself and from a container on it, where 127.0.0.1 would not. Rules
//! pin `originRequest.httpHostHeader` to their hostname so Traefik's `Host()`
//! rule matches whatever the service URL is. See [`ingress`] for the order.

pub(crate) mod ingress;

use std::net::SocketAddr;

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::model::Topology;
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
    let origin =
        entrypoint.map(|e| format!("http://{}", SocketAddr::new(proxy_host.address, e.port)));
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
