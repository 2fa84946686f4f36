//! Lowering: KDL nodes → the typed [`Topology`]. Every node is read against
//! its spec, every value checked, every reference resolved; all mistakes of a
//! run are collected, none stops the walk early.

mod checks;
mod deploy;
mod nodes;
mod reader;
mod schema;
mod service;
mod values;

use std::collections::BTreeMap;

use kdl::KdlDocument;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{
    Deploy, DnsOutput, Host, Identity, Network, Proxy, Service, Span, Spanned, Topology, Tunnel,
};
use crate::profiles::Catalog;
use crate::source::SourceFile;
use reader::{NodeReader, unknown_node};

pub struct Lowered {
    /// Present when the file was complete enough to build a model, even if
    /// diagnostics hold errors; callers decide by `diagnostics.has_errors()`.
    pub topology: Option<Topology>,
    pub diagnostics: Diagnostics,
}

/// Named items of one node type, with the span of their first definition.
struct Named<T> {
    items: BTreeMap<String, T>,
    kind: &'static str,
}

impl<T> Named<T> {
    fn new(kind: &'static str) -> Self {
        Self {
            items: BTreeMap::new(),
            kind,
        }
    }

    /// Adds an item unless the name is taken, which is reported.
    fn add(
        &mut self,
        name: &Spanned<String>,
        item: T,
        first_span: impl Fn(&T) -> Span,
        cx: &mut Cx<'_>,
    ) {
        if let Some(existing) = self.items.get(&name.value) {
            let (line, column) = cx.source.line_col(first_span(existing).offset);
            cx.diags.push(
                Diagnostic::error(format!("duplicate {} name `{}`", self.kind, name.value))
                    .at(name.span)
                    .label("defined again here")
                    .help(format!(
                        "{} names must be unique; the first `{}` is at line {line}, column {column}: rename one of them",
                        self.kind, name.value
                    )),
            );
            return;
        }
        self.items.insert(name.value.clone(), item);
    }

    fn into_sorted(self) -> Vec<T> {
        self.items.into_values().collect()
    }
}

/// The source (for line numbers in hints) and the diagnostics of the run.
struct Cx<'a> {
    source: &'a SourceFile,
    diags: Diagnostics,
}

/// Everything collected from the top-level nodes, before cross-checks.
struct Parts {
    domain: Option<Spanned<String>>,
    networks: Named<Network>,
    hosts: Named<Host>,
    proxies: Vec<Proxy>,
    tunnels: Vec<Tunnel>,
    identities: Vec<Identity>,
    dns: Named<DnsOutput>,
    services: Named<Service>,
    deploys: Vec<Deploy>,
}

pub fn lower(source: &SourceFile, document: &KdlDocument, catalog: &Catalog) -> Lowered {
    let mut cx = Cx {
        source,
        diags: Diagnostics::new(),
    };
    let mut parts = Parts {
        domain: None,
        networks: Named::new("network"),
        hosts: Named::new("host"),
        proxies: Vec::new(),
        tunnels: Vec::new(),
        identities: Vec::new(),
        dns: Named::new("dns"),
        services: Named::new("service"),
        deploys: Vec::new(),
    };
    let top_names: Vec<&str> = schema::TOP_LEVEL.iter().map(|s| s.name).collect();
    for node in document.nodes() {
        let name = node.name().value();
        let Some(spec) = schema::find(schema::TOP_LEVEL, name) else {
            cx.diags.push(unknown_node(node, &top_names, None));
            continue;
        };
        let children: &[schema::NodeSpec] = match name {
            "proxy" => schema::PROXY_CHILDREN,
            "service" => schema::SERVICE_CHILDREN,
            "deploy" => schema::DEPLOY_CHILDREN,
            _ => &[],
        };
        let reader = NodeReader::new(node, spec, children, &mut cx.diags);
        match name {
            "domain" => nodes::domain(&reader, &mut parts.domain, &mut cx.diags),
            "network" => {
                if let Some((name, net)) = nodes::network(&reader, &mut cx.diags) {
                    parts.networks.add(&name, net, |n| n.span, &mut cx);
                }
            }
            "host" => {
                if let Some((name, host)) = nodes::host(&reader, &mut cx.diags) {
                    parts.hosts.add(&name, host, |h| h.span, &mut cx);
                }
            }
            "proxy" => parts.proxies.extend(nodes::proxy(&reader, &mut cx.diags)),
            "tunnel" => parts.tunnels.extend(nodes::tunnel(&reader, &mut cx.diags)),
            "identity" => parts
                .identities
                .extend(nodes::identity(&reader, &mut cx.diags)),
            "dns" => {
                if let Some((name, dns)) = nodes::dns(&reader, &mut cx.diags) {
                    parts.dns.add(&name, dns, |d| d.span, &mut cx);
                }
            }
            "service" => {
                if let Some((name, service)) = service::service(&reader, catalog, &mut cx.diags) {
                    parts.services.add(&name, service, |s| s.span, &mut cx);
                }
            }
            "deploy" => parts.deploys.extend(deploy::deploy(&reader, &mut cx.diags)),
            _ => unreachable!("every TOP_LEVEL spec is handled"),
        }
    }
    // Hosts whose own values were wrong still exist for references: one
    // mistake gives one error, not one per service on that host.
    let declared_hosts: Vec<String> = document
        .nodes()
        .iter()
        .filter(|n| n.name().value() == "host")
        .filter_map(|n| n.entries().iter().find(|e| e.name().is_none()))
        .filter_map(|e| e.value().as_string().map(str::to_owned))
        .collect();
    let mut diags = cx.diags;
    let topology = assemble(source, parts, &mut diags);
    if let Some(topology) = &topology {
        checks::run(topology, source, &declared_hosts, &mut diags);
    }
    Lowered {
        topology,
        diagnostics: diags,
    }
}

/// Enforces "exactly one proxy, at most one tunnel and identity" and builds the model.
fn assemble(source: &SourceFile, parts: Parts, diags: &mut Diagnostics) -> Option<Topology> {
    let mut proxies = parts.proxies.into_iter();
    let proxy = proxies.next();
    for extra in proxies {
        diags.push(
            Diagnostic::error(format!(
                "a second proxy `{}`: a topology has exactly one proxy",
                extra.name
            ))
            .at(extra.span)
            .help("put every entrypoint under one `proxy` node"),
        );
    }
    let tunnel = at_most_one(parts.tunnels, "tunnel", |t| t.span, diags);
    let identity = at_most_one(parts.identities, "identity", |i| i.span, diags);
    let deploy = at_most_one(parts.deploys, "deploy", |d| d.span, diags);
    let Some(proxy) = proxy else {
        diags.push(
            Diagnostic::error("the topology has no `proxy`").help(
                "add one: proxy \"traefik\" host=\"docker1\" { entrypoint \"websecure\" address=\":443\" }",
            ),
        );
        return None;
    };
    Some(Topology {
        source_name: source.file_name(),
        domain: parts.domain.map(|d| d.value),
        networks: parts.networks.into_sorted(),
        hosts: parts.hosts.into_sorted(),
        proxy,
        tunnel,
        identity,
        dns: parts.dns.into_sorted(),
        services: parts.services.into_sorted(),
        deploy,
    })
}

fn at_most_one<T>(
    items: Vec<T>,
    kind: &str,
    span: impl Fn(&T) -> Span,
    diags: &mut Diagnostics,
) -> Option<T> {
    let mut items = items.into_iter();
    let first = items.next();
    for extra in items {
        diags.push(
            Diagnostic::error(format!("a second `{kind}`: a topology has at most one"))
                .at(span(&extra))
                .help(format!("remove one of the `{kind}` nodes")),
        );
    }
    first
}
