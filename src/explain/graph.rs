//! The topology as a diagram: the public data plane (internet → tunnel →
//! public routes) and the private control plane (LAN → LAN entrypoints →
//! lan-only routes → identity provider). Mermaid for GitHub, DOT for Graphviz.

use std::fmt::Write as _;

use crate::model::{Auth, Exposure, Topology};

/// Node ids in both formats: letters, digits and `_` only.
fn id(prefix: &str, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}_{clean}")
}

/// One edge: from → to with a label; `dashed` for identity traffic.
struct Edge {
    from: String,
    to: String,
    label: String,
    dashed: bool,
}

struct Graph {
    /// (id, label, group) where group is "public", "private" or "edge".
    nodes: Vec<(String, String, &'static str)>,
    edges: Vec<Edge>,
}

fn build(t: &Topology) -> Graph {
    let mut nodes = vec![
        ("internet".to_string(), "Internet".to_string(), "edge"),
        ("lan".to_string(), "LAN / VPN".to_string(), "edge"),
    ];
    let mut edges = Vec::new();
    if let Some(tunnel) = &t.tunnel {
        nodes.push((
            id("tunnel", &tunnel.name),
            format!("tunnel {}", tunnel.name),
            "public",
        ));
        edges.push(Edge {
            from: "internet".into(),
            to: id("tunnel", &tunnel.name),
            label: "public DNS".into(),
            dashed: false,
        });
    }
    for ep in &t.proxy.entrypoints {
        let group = if ep.tunnel { "public" } else { "private" };
        nodes.push((
            id("ep", &ep.name),
            format!("{} {} {}", t.proxy.name, ep.name, ep.address),
            group,
        ));
        match (&t.tunnel, ep.tunnel) {
            (Some(tunnel), true) => edges.push(Edge {
                from: id("tunnel", &tunnel.name),
                to: id("ep", &ep.name),
                label: String::new(),
                dashed: false,
            }),
            (_, false) => edges.push(Edge {
                from: "lan".into(),
                to: id("ep", &ep.name),
                label: "split DNS".into(),
                dashed: false,
            }),
            _ => {}
        }
    }
    for s in &t.services {
        let public = s.routes.iter().any(|r| r.exposure.is_public());
        nodes.push((
            id("svc", &s.name),
            format!("{} ({})", s.name, s.canonical_hostname()),
            if public { "public" } else { "private" },
        ));
        for ep in &t.proxy.entrypoints {
            let routes: Vec<String> = s
                .routes
                .iter()
                .filter(|r| !ep.tunnel || r.exposure.is_public())
                .map(|r| format!("{} {} {}", r.path, r.exposure, r.auth))
                .collect();
            if !routes.is_empty() {
                edges.push(Edge {
                    from: id("ep", &ep.name),
                    to: id("svc", &s.name),
                    label: routes.join(", "),
                    dashed: false,
                });
            }
        }
        if let Some(identity) = &t.identity {
            if s.has_auth(Auth::Oidc) {
                edges.push(Edge {
                    from: id("svc", &s.name),
                    to: id("idp", &identity.name),
                    label: "OIDC".into(),
                    dashed: true,
                });
            }
            if s.has_auth(Auth::ForwardAuth) {
                edges.push(Edge {
                    from: id("idp", &identity.name),
                    to: id("svc", &s.name),
                    label: "forward-auth".into(),
                    dashed: true,
                });
            }
        }
    }
    if let Some(identity) = &t.identity {
        let group = if identity.exposure == Exposure::LanOnly {
            "private"
        } else {
            "public"
        };
        nodes.push((
            id("idp", &identity.name),
            format!("{} ({})", identity.name, identity.issuer_host()),
            group,
        ));
    }
    Graph { nodes, edges }
}

/// A Mermaid flowchart (renders in GitHub pull requests).
pub fn mermaid(t: &Topology) -> String {
    let g = build(t);
    let mut out = String::from("flowchart LR\n");
    for (group, title) in [
        ("public", "public data plane"),
        ("private", "private control plane"),
    ] {
        let _ = writeln!(out, "  subgraph {group}[\"{title}\"]");
        for (node, label, _) in g.nodes.iter().filter(|n| n.2 == group) {
            let _ = writeln!(out, "    {node}[\"{}\"]", label.replace('"', "'"));
        }
        out.push_str("  end\n");
    }
    for (node, label, _) in g.nodes.iter().filter(|n| n.2 == "edge") {
        let _ = writeln!(out, "  {node}((\"{label}\"))");
    }
    for e in &g.edges {
        let arrow = if e.dashed { "-.->" } else { "-->" };
        if e.label.is_empty() {
            let _ = writeln!(out, "  {} {arrow} {}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                e.from,
                e.label.replace('"', "'"),
                e.to
            );
        }
    }
    out
}

/// A Graphviz digraph.
pub fn dot(t: &Topology) -> String {
    let g = build(t);
    let mut out = String::from("digraph topology {\n  rankdir=LR;\n");
    for (group, title) in [
        ("public", "public data plane"),
        ("private", "private control plane"),
    ] {
        let _ = writeln!(out, "  subgraph cluster_{group} {{\n    label=\"{title}\";");
        for (node, label, _) in g.nodes.iter().filter(|n| n.2 == group) {
            let _ = writeln!(
                out,
                "    {node} [label=\"{}\", shape=box];",
                label.replace('"', "'")
            );
        }
        out.push_str("  }\n");
    }
    for (node, label, _) in g.nodes.iter().filter(|n| n.2 == "edge") {
        let _ = writeln!(out, "  {node} [label=\"{label}\", shape=ellipse];");
    }
    for e in &g.edges {
        let style = if e.dashed { ", style=dashed" } else { "" };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"{style}];",
            e.from,
            e.to,
            e.label.replace('"', "'")
        );
    }
    out.push_str("}\n");
    out
}
