//! Actions read from the diff of the generated files themselves.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::{
    Action, ActionKind, Component, FileChange, ORDER_AUTHELIA, ORDER_CONTAINER, ORDER_DNS,
    ORDER_OTHER, ORDER_TRAEFIK, ORDER_TUNNEL, Plan, component_of,
};
use crate::model::Topology;

pub(super) fn actions(
    change: &FileChange<'_>,
    old: Option<&Topology>,
    new: &Topology,
    plan: &mut Plan,
) {
    let path = change.path;
    let why = format!("{path} changed");
    match component_of(path) {
        Component::TraefikDynamic => {
            plan.add(ORDER_TRAEFIK, super::traefik(new, ActionKind::None, why))
        }
        Component::TraefikStatic => {
            plan.add(ORDER_TRAEFIK, super::traefik(new, ActionKind::Restart, why))
        }
        Component::Authelia => plan.add(ORDER_AUTHELIA, super::authelia(new, why)),
        Component::Compose(host) => compose(&host, change, old, new, plan),
        Component::Dns(name) => {
            let format = new
                .dns
                .iter()
                .chain(old.iter().flat_map(|t| &t.dns))
                .find(|d| d.name == name)
                .map(|d| d.format);
            match format {
                None if name == "public" => public_dns(change, new, plan),
                _ => plan.add(ORDER_DNS, super::dns(&name, format, why)),
            }
        }
        Component::Cloudflared => plan.add(ORDER_TUNNEL, super::cloudflared(new, why)),
        Component::Docs => {}
        Component::Other => plan.add(
            ORDER_OTHER,
            Action {
                component: path.to_string(),
                host: None,
                kind: ActionKind::Review,
                command: None,
                why: vec![why],
            },
        ),
    }
}

/// A Compose override: every service whose definition changed is recreated
/// (new env or extra_hosts reach a container only through a recreate).
fn compose(
    host: &str,
    change: &FileChange<'_>,
    old: Option<&Topology>,
    new: &Topology,
    plan: &mut Plan,
) {
    let is_yaml = change.path.ends_with(".yml") || change.path.ends_with(".yaml");
    let parsed = is_yaml.then(|| (services(change.old), services(change.new)));
    match parsed {
        Some((Some(a), Some(b))) => {
            let names: BTreeSet<&String> = a.iter().chain(&b).map(|(n, _)| n).collect();
            for name in names {
                let (x, y) = (find(&a, name), find(&b, name));
                let (kind, why) = match (x, y) {
                    (None, Some(_)) => (ActionKind::Start, format!("{} adds {name}", change.path)),
                    (Some(_), None) => (
                        ActionKind::Recreate,
                        format!("{} no longer overrides {name}", change.path),
                    ),
                    (Some(x), Some(y)) if x != y => {
                        (ActionKind::Recreate, changed_keys(name, x, y, change.path))
                    }
                    _ => continue,
                };
                plan.add(ORDER_CONTAINER, super::container(host, name, kind, why));
            }
        }
        _ => {
            // An env file or an unreadable override: every container topo manages on the host.
            let why = format!("{} changed", change.path);
            let mut names: BTreeSet<&str> = new
                .services
                .iter()
                .filter(|s| s.host == host)
                .map(|s| s.container.as_str())
                .collect();
            names.extend(
                old.iter()
                    .flat_map(|t| &t.services)
                    .filter(|s| s.host == host)
                    .map(|s| s.container.as_str()),
            );
            for name in names {
                plan.add(
                    ORDER_CONTAINER,
                    super::container(host, name, ActionKind::Recreate, why.clone()),
                );
            }
        }
    }
}

/// `services:` of a Compose file, by name. An absent file has none.
fn services(text: Option<&str>) -> Option<Vec<(String, Value)>> {
    let Some(text) = text else {
        return Some(Vec::new());
    };
    let doc: Value = serde_yaml::from_str(text).ok()?;
    let Some(map) = doc.get("services").and_then(Value::as_mapping) else {
        return Some(Vec::new());
    };
    Some(
        map.iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.clone())))
            .collect(),
    )
}

fn find<'a>(services: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    services.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// `litellm: environment, extra_hosts changed in compose/docker1/compose.topo.yml`
fn changed_keys(name: &str, x: &Value, y: &Value, path: &str) -> String {
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_mapping()
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let all: BTreeSet<String> = keys(x).union(&keys(y)).cloned().collect();
    let changed: Vec<String> = all
        .into_iter()
        .filter(|k| x.get(k.as_str()) != y.get(k.as_str()))
        .collect();
    if changed.is_empty() {
        format!("{name} changed in {path}")
    } else {
        format!("{name}: {} changed in {path}", changed.join(", "))
    }
}

/// `dns/public.zone`: the tunnel's CNAMEs live at Cloudflare, not on a host.
/// One `cloudflared tunnel route dns` per added name; removed names by hand.
fn public_dns(change: &FileChange<'_>, new: &Topology, plan: &mut Plan) {
    let (before, after) = (cnames(change.old), cnames(change.new));
    let tunnel = new
        .tunnel
        .as_ref()
        .map_or("TUNNEL".to_string(), |t| t.id.clone());
    for name in after.difference(&before) {
        let command = Some(format!("cloudflared tunnel route dns {tunnel} {name}"));
        let why = vec![format!("{} adds {name}", change.path)];
        plan.add(ORDER_DNS, manual(name, command, why));
    }
    for name in before.difference(&after) {
        let why = vec![format!(
            "{} no longer has {name}: delete its CNAME at Cloudflare",
            change.path
        )];
        plan.add(ORDER_DNS, manual(name, None, why));
    }
}

fn manual(name: &str, command: Option<String>, why: Vec<String>) -> Action {
    Action {
        component: format!("public dns {name}"),
        host: None,
        kind: ActionKind::Manual,
        command,
        why,
    }
}

/// Owner names of `IN CNAME` records in a zone file.
fn cnames(text: Option<&str>) -> BTreeSet<String> {
    text.unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with(';'))
        .filter_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let is_cname = words.windows(2).any(|w| w == ["IN", "CNAME"]);
            (is_cname && !words.is_empty()).then(|| words[0].trim_end_matches('.').to_string())
        })
        .collect()
}
