//! Split DNS: one output per `dns` node under `out/dns/`, in the node's format,
//! plus the public zone of the tunnel's hostnames.
//!
//! | format    | file(s)                                  | form                                         |
//! |-----------|------------------------------------------|----------------------------------------------|
//! | `dnsmasq` | `dns/<name>.conf`                        | `host-record=` (exact names, never subtrees) |
//! | `unbound` | `dns/<name>.conf`                        | a `transparent` local-zone + `local-data` per name |
//! | `hosts`   | `dns/<name>.hosts`                       | hosts(5) lines                               |
//! | `adguard` | `dns/<name>.yaml`                        | `filtering.rewrites`, always `enabled: true` |
//! | `pihole`  | `dns/<name>.toml`                        | v6 `[dns] hosts`; v5 custom.list documented  |
//! | `bind`    | `dns/<name>.zone`, or `dns/<name>.<zone>.zone` when the names span several zones | RFC 1035 zone with SOA/NS |
//! | `coredns` | `dns/<name>.hosts` + `dns/<name>.Corefile` | hosts plugin file and the server block using it |
//!
//! `dns/public.zone` (or `dns/public.<zone>.zone` per zone) lists every
//! public hostname as a CNAME to `<tunnel-id>.cfargotunnel.com` when a
//! `tunnel` exists, so the public side is reviewable too. Records come from
//! [`records::RecordSet`], computed once; each format only prints them.

mod adguard;
mod bind;
mod coredns;
mod dnsmasq;
mod hosts;
mod pihole;
mod public;
pub(crate) mod records;
mod unbound;
pub(crate) mod zones;

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::model::{DnsFormat, DnsOutput};
use crate::output::OutputTree;
use records::{RecordSet, RecordView, TTL};

pub struct Dns;

const NAME: &str = "dns";

/// What a format renderer gets: the input and the record set computed once.
pub(crate) struct Context<'a> {
    pub input: &'a RenderInput<'a>,
    pub set: &'a RecordSet,
}

/// The view most formats print: the node, the proxy host and every record.
#[derive(Serialize)]
pub(crate) struct NodeView {
    pub node: String,
    pub proxy_host: String,
    pub ttl: u32,
    pub has_ipv6: bool,
    pub records: Vec<RecordView>,
}

impl Context<'_> {
    pub fn view(&self, node: &DnsOutput) -> NodeView {
        NodeView {
            node: node.name.clone(),
            proxy_host: self.set.proxy_host.clone(),
            ttl: TTL,
            has_ipv6: self.set.has_ipv6(),
            records: self.set.records.iter().map(RecordView::from).collect(),
        }
    }

    pub fn render<S: Serialize>(&self, template: &str, view: &S) -> Result<String, RenderError> {
        self.input
            .templates
            .render(template, view)
            .map_err(|e| RenderError::new(NAME, e))
    }
}

/// Files of one node: (path under `out/`, contents).
pub(crate) type Files = Vec<(String, String)>;

fn render_node(cx: &Context<'_>, node: &DnsOutput) -> Result<Files, RenderError> {
    match node.format {
        DnsFormat::Dnsmasq => dnsmasq::render(cx, node),
        DnsFormat::Unbound => unbound::render(cx, node),
        DnsFormat::Hosts => hosts::render(cx, node),
        DnsFormat::Adguard => adguard::render(cx, node),
        DnsFormat::Pihole => pihole::render(cx, node),
        DnsFormat::Bind => bind::render(cx, node),
        DnsFormat::Coredns => coredns::render(cx, node),
    }
}

impl Target for Dns {
    fn name(&self) -> &'static str {
        NAME
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let set = RecordSet::from_topology(input.topology);
        let cx = Context { input, set: &set };
        // Nodes are independent: render them in parallel, keep their order.
        use rayon::prelude::*;
        let per_node: Vec<Result<Files, RenderError>> = input
            .topology
            .dns
            .par_iter()
            .map(|node| render_node(&cx, node))
            .collect();
        let mut files = Files::new();
        for node_files in per_node {
            files.extend(node_files?);
        }
        if let Some(tunnel) = &input.topology.tunnel {
            let public = public::render(&cx, tunnel)?;
            if let Some((path, _)) = public
                .iter()
                .find(|(p, _)| files.iter().any(|(f, _)| f == p))
            {
                return Err(RenderError::new(
                    NAME,
                    format!(
                        "{path} is both a dns node's zone and the tunnel's public zone: rename that dns node"
                    ),
                ));
            }
            files.extend(public);
        }
        for (path, text) in files {
            out.insert(path, text)
                .map_err(|e| RenderError::new(NAME, e))?;
        }
        Ok(())
    }
}

/// Compiles a topology for unit tests (panics on errors: test input is known good).
#[cfg(test)]
pub(crate) use crate::compile::test_topology;

/// Renders the whole DNS target for unit tests: path → contents (no header).
#[cfg(test)]
pub(crate) fn test_render(text: &str) -> OutputTree {
    render_topology(&test_topology(text))
}

/// Renders the DNS target of a model that tests may have edited.
#[cfg(test)]
pub(crate) fn render_topology(topology: &crate::model::Topology) -> OutputTree {
    let templates = crate::render::Templates::new(None);
    let credentials = crate::secrets::Credentials::new();
    let input = RenderInput {
        topology,
        credentials: &credentials,
        templates: &templates,
    };
    let mut out = OutputTree::new();
    Dns.render(&input, &mut out).unwrap();
    out
}

#[cfg(test)]
pub(crate) mod tests_common {
    /// A small topology with one `dns "lan"` node of `format`: names
    /// api.example.com (public /v1) and auth.example.com (lan-only issuer).
    pub fn topology(format: &str) -> String {
        format!(
            r#"
domain "example.com"
network "lan" "192.168.1.0/24"
host "edge" address="192.168.1.30" address6="fd00::30"
proxy "traefik" host="edge" {{
    entrypoint "websecure" address=":443"
    entrypoint "tunnel" address=":8443" tunnel=#true
}}
tunnel "cf" host="edge" id="6ff42ae2-7c4b-4b2e-9d7e-8f0a1b2c3d4e" credentials-file="/etc/cloudflared/x.json"
identity "authelia" host="edge" issuer="https://auth.example.com" upstream="http://authelia:9091"
dns "lan" format="{format}"
service "api" host="edge" upstream="http://api:80" {{
    hostname "api.example.com"
    exposure "lan-only"
    auth "forward-auth"
    route "/v1" exposure="public-api" auth="app"
}}
"#
        )
    }
}
