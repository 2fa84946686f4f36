//! The dynamic file as plain data: routers, middlewares, services. The
//! template only prints it.

use serde::Serialize;

use super::go_template::escape;
use super::middlewares::{self, ForwardAuth, LanAllow};
use super::names::Namer;
use super::routers::{self, FORWARD_AUTH, LAN_ALLOW};
use crate::model::Topology;

#[derive(Serialize, Debug)]
pub struct RouterView {
    pub name: String,
    pub rule: String,
    /// Never empty: a router without `entryPoints` is attached to all of them.
    pub entry_points: Vec<String>,
    pub middlewares: Vec<String>,
    pub service: String,
    pub priority: u64,
    pub cert_resolver: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct ServiceView {
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Debug)]
pub struct DynamicView {
    pub routers: Vec<RouterView>,
    pub lan_allow: Option<LanAllow>,
    pub forward_auth: Option<ForwardAuth>,
    pub services: Vec<ServiceView>,
}

/// `http://litellm:4000/` → `http://litellm:4000`: Traefik ignores the path
/// of a server URL, and query or fragment mean nothing to it.
fn server_url(url: &url::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    let text = url.as_str();
    if url.path() == "/" {
        text.trim_end_matches('/').to_string()
    } else {
        text.to_string()
    }
}

pub fn dynamic_view(t: &Topology) -> DynamicView {
    let mut service_namer = Namer::default();
    let mut services = Vec::new();
    let identity_service = t.identity.as_ref().map(|identity| {
        let name = service_namer.claim(&identity.name);
        services.push(ServiceView {
            name: name.clone(),
            url: server_url(&identity.upstream),
        });
        name
    });
    let service_names: Vec<String> = t
        .services
        .iter()
        .map(|s| {
            let name = service_namer.claim(&s.name);
            services.push(ServiceView {
                name: name.clone(),
                url: server_url(&s.upstream.value),
            });
            name
        })
        .collect();
    let routers = routers::build(t, identity_service.as_deref(), &service_names);

    let uses = |middleware: &str| {
        let reference = format!("{middleware}@file");
        routers.iter().any(|r| r.middlewares.contains(&reference))
    };
    let lan_allow = uses(LAN_ALLOW).then(|| middlewares::lan_allow(t, LAN_ALLOW));
    let forward_auth = t
        .identity
        .as_ref()
        .filter(|_| uses(FORWARD_AUTH))
        .map(|identity| middlewares::forward_auth(t, identity, FORWARD_AUTH));
    DynamicView {
        routers,
        lan_allow,
        forward_auth,
        services,
    }
    .escaped()
}

impl DynamicView {
    /// Every value that came from the topology, safe from the Go-template step.
    fn escaped(mut self) -> Self {
        for r in &mut self.routers {
            r.rule = escape(&r.rule);
        }
        for s in &mut self.services {
            s.url = escape(&s.url);
        }
        if let Some(f) = &mut self.forward_auth {
            f.address = escape(&f.address);
        }
        self
    }
}
