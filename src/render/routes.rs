//! `out/ROUTES.md`: every hostname and path with its class, auth, upstream and
//! what a request from the internet and from the LAN gets, so the expected
//! failure modes ("404 from the internet: by design") are written down, plus
//! the Mermaid diagram of both planes.

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::explain::{Origin, graph, route_verdict};
use crate::model::Topology;
use crate::output::OutputTree;

pub struct Routes;

#[derive(Serialize)]
struct Row {
    hostname: String,
    path: String,
    service: String,
    exposure: String,
    auth: String,
    upstream: String,
    internet: String,
    lan: String,
    outside: String,
}

#[derive(Serialize)]
struct View {
    /// The rows, converted for the template one at a time.
    rows: minijinja::Value,
    identity: Option<IdentityView>,
    mermaid: String,
    has_tunnel: bool,
}

#[derive(Serialize)]
struct IdentityView {
    name: String,
    host: String,
    exposure: String,
    upstream: String,
}

fn view(t: &Topology) -> View {
    let mut rows = Vec::new();
    for s in &t.services {
        for hostname in &s.hostnames {
            for route in &s.routes {
                let path = if route.path.is_root() {
                    "/".to_string()
                } else {
                    format!("{}, {}/…", route.path, route.path)
                };
                rows.push(Row {
                    hostname: hostname.to_string(),
                    path,
                    service: s.name.clone(),
                    exposure: route.exposure.to_string(),
                    auth: match route.auth {
                        crate::model::Auth::ForwardAuth => {
                            format!("forward-auth ({})", route.policy)
                        }
                        other => other.to_string(),
                    },
                    upstream: s.upstream.value.to_string(),
                    internet: route_verdict(t, s, route, Origin::Internet).text,
                    lan: route_verdict(t, s, route, Origin::Lan).text,
                    outside: route_verdict(t, s, route, Origin::Outside).text,
                });
            }
        }
    }
    View {
        rows: super::lazy::lazy_seq(rows),
        identity: t.identity.as_ref().map(|i| IdentityView {
            name: i.name.clone(),
            host: i.issuer_host().to_string(),
            exposure: i.exposure.to_string(),
            upstream: i.upstream.to_string(),
        }),
        mermaid: graph::mermaid(t),
        has_tunnel: t.tunnel.is_some(),
    }
}

impl Target for Routes {
    fn name(&self) -> &'static str {
        "routes"
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let text = input
            .templates
            .render("routes/ROUTES.md.j2", &view(input.topology))
            .map_err(|e| RenderError::new(self.name(), e))?;
        out.insert("ROUTES.md", text)
            .map_err(|e| RenderError::new(self.name(), e))
    }
}
