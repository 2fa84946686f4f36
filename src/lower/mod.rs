//! Lowering: KDL nodes → the typed [`Topology`]. Every node is read against
//! its spec, every value checked, every reference resolved; all mistakes of a
//! run are collected, none stops the walk early.

mod cert_resolver;
mod checks;
mod deploy;
mod nodes;
mod reader;
mod schema;
mod service;
mod values;

use std::collections::BTreeMap;

use kdl::{KdlDocument, KdlNode};

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

/// What one top-level node lowered to. Nodes lower independently (a large
/// file piece by piece, in parallel, as it is parsed); [`join`] then brings
/// them together in file order for the checks that span nodes.
pub struct LoweredNode {
    item: Option<Item>,
    /// A `host` node's name even when its values were wrong, so references to
    /// it resolve: one mistake gives one error, not one per service on it.
    declared_host: Option<String>,
    diagnostics: Diagnostics,
}

enum Item {
    Domain(Spanned<String>),
    Network(Spanned<String>, Network),
    Host(Spanned<String>, Host),
    Proxy(Proxy),
    Tunnel(Tunnel),
    Identity(Identity),
    Dns(Spanned<String>, DnsOutput),
    Service(Spanned<String>, Service),
    Deploy(Deploy),
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

/// Lowers each top-level node of `document`, in order.
pub fn lower_nodes(document: &KdlDocument, catalog: &Catalog) -> Vec<LoweredNode> {
    document
        .nodes()
        .iter()
        .map(|node| lower_node(node, catalog))
        .collect()
}

/// Reads one top-level node against its spec.
pub fn lower_node(node: &KdlNode, catalog: &Catalog) -> LoweredNode {
    let mut diags = Diagnostics::new();
    let name = node.name().value();
    let declared_host = (name == "host")
        .then(|| node.entries().iter().find(|e| e.name().is_none()))
        .flatten()
        .and_then(|e| e.value().as_string().map(str::to_owned));
    let Some(spec) = schema::find(schema::TOP_LEVEL, name) else {
        let top_names: Vec<&str> = schema::TOP_LEVEL.iter().map(|s| s.name).collect();
        diags.push(unknown_node(node, &top_names, None));
        return LoweredNode {
            item: None,
            declared_host,
            diagnostics: diags,
        };
    };
    let children: &[schema::NodeSpec] = match name {
        "proxy" => schema::PROXY_CHILDREN,
        "service" => schema::SERVICE_CHILDREN,
        "deploy" => schema::DEPLOY_CHILDREN,
        _ => &[],
    };
    let reader = NodeReader::new(node, spec, children, &mut diags);
    let d = &mut diags;
    let item = match name {
        "domain" => nodes::domain(&reader, d).map(Item::Domain),
        "network" => nodes::network(&reader, d).map(|(n, net)| Item::Network(n, net)),
        "host" => nodes::host(&reader, d).map(|(n, host)| Item::Host(n, host)),
        "proxy" => nodes::proxy(&reader, d).map(Item::Proxy),
        "tunnel" => nodes::tunnel(&reader, d).map(Item::Tunnel),
        "identity" => nodes::identity(&reader, d).map(Item::Identity),
        "dns" => nodes::dns(&reader, d).map(|(n, dns)| Item::Dns(n, dns)),
        "service" => service::service(&reader, catalog, d).map(|(n, s)| Item::Service(n, s)),
        "deploy" => deploy::deploy(&reader, d).map(Item::Deploy),
        _ => unreachable!("every TOP_LEVEL spec is handled"),
    };
    LoweredNode {
        item,
        declared_host,
        diagnostics: diags,
    }
}

/// Joins lowered nodes (in file order): duplicate names, the one-of rules,
/// then the checks across nodes (references, overlaps).
pub fn join(source: &SourceFile, nodes: impl IntoIterator<Item = LoweredNode>) -> Lowered {
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
    let mut declared_hosts = Vec::new();
    for node in nodes {
        cx.diags.extend(node.diagnostics);
        declared_hosts.extend(node.declared_host);
        let Some(item) = node.item else { continue };
        match item {
            Item::Domain(domain) => match &parts.domain {
                Some(existing) => cx.diags.push(
                    Diagnostic::error(format!(
                        "a second `domain` (`{}` is already set)",
                        existing.value
                    ))
                    .at(domain.span)
                    .help("a topology has one base domain; remove one"),
                ),
                None => parts.domain = Some(domain),
            },
            Item::Network(name, net) => parts.networks.add(&name, net, |n| n.span, &mut cx),
            Item::Host(name, host) => parts.hosts.add(&name, host, |h| h.span, &mut cx),
            Item::Proxy(proxy) => parts.proxies.push(proxy),
            Item::Tunnel(tunnel) => parts.tunnels.push(tunnel),
            Item::Identity(identity) => parts.identities.push(identity),
            Item::Dns(name, dns) => parts.dns.add(&name, dns, |d| d.span, &mut cx),
            Item::Service(name, service) => parts.services.add(&name, service, |s| s.span, &mut cx),
            Item::Deploy(deploy) => parts.deploys.push(deploy),
        }
    }
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

/// The source (for line numbers in hints) and the diagnostics of the run.
struct Cx<'a> {
    source: &'a SourceFile,
    diags: Diagnostics,
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
