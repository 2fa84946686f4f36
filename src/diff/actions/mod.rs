//! What a deploy of the change needs: per component, nothing (hot reload), a
//! reload, a restart, or a container recreate (`docker compose up -d
//! --force-recreate NAME`: a plain restart keeps the old env and extra_hosts).
//!
//! A component whose files are in the output is judged by their diff
//! ([`files`]); one with no files here (no renderer, or not deployed on this
//! machine) by the change of the topology itself ([`model`]).

mod files;
mod model;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{DnsFormat, Topology};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// The component picks the change up by itself.
    None,
    Reload,
    Restart,
    /// A new container: `docker compose up -d NAME`.
    Start,
    /// `docker compose up -d --force-recreate NAME`.
    Recreate,
    /// Applied outside the host by a person (e.g. public DNS at Cloudflare).
    Manual,
    /// topo knows no action for this file: a human decides.
    Review,
}

impl ActionKind {
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::None => "none (hot reload)",
            ActionKind::Reload => "reload",
            ActionKind::Restart => "restart",
            ActionKind::Start => "start",
            ActionKind::Recreate => "recreate",
            ActionKind::Manual => "apply by hand",
            ActionKind::Review => "review (no known deploy action)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Action {
    /// `traefik`, `authelia`, `container litellm`, `dns lan`, `cloudflared`, or a path.
    pub component: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub kind: ActionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Why: the files or topology changes that call for it.
    pub why: Vec<String>,
}

impl Action {
    /// `authelia on docker1: restart: docker compose restart authelia`
    pub fn headline(&self) -> String {
        let who = match &self.host {
            Some(host) => format!("{} on {host}", self.component),
            None => self.component.clone(),
        };
        let what = self.kind.label();
        match &self.command {
            Some(command) => format!("{who}: {what}: {command}"),
            None => format!("{who}: {what}"),
        }
    }
}

/// A generated file that changed, with both versions when they are text.
pub struct FileChange<'a> {
    pub path: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

/// Which part of the stack a generated path configures (spec: output layout).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Component {
    TraefikDynamic,
    TraefikStatic,
    Authelia,
    Compose(String),
    Dns(String),
    Cloudflared,
    /// ROUTES.md, smoke.sh: read by people, deployed nowhere.
    Docs,
    Other,
}

pub(crate) fn component_of(path: &str) -> Component {
    let mut parts = path.split('/');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    match (first, second) {
        ("traefik", Some("dynamic")) => Component::TraefikDynamic,
        ("traefik", Some(_)) => Component::TraefikStatic,
        ("authelia", Some(_)) => Component::Authelia,
        ("compose", Some(host)) if parts.next().is_some() => Component::Compose(host.to_string()),
        ("dns", Some(file)) => Component::Dns(file.split('.').next().unwrap_or(file).to_string()),
        ("cloudflared", Some(_)) => Component::Cloudflared,
        (name, None) if name.ends_with(".md") || name == "smoke.sh" => Component::Docs,
        _ => Component::Other,
    }
}

/// The actions for `changes`. `rendered`: every path either side has, to know
/// which components the files speak for.
pub fn plan(
    changes: &[FileChange<'_>],
    rendered: &BTreeSet<String>,
    old: Option<&Topology>,
    new: &Topology,
) -> Vec<Action> {
    let mut plan = Plan::default();
    for change in changes {
        files::actions(change, old, new, &mut plan);
    }
    if let Some(old) = old {
        let covered: BTreeSet<Component> = rendered.iter().map(|p| component_of(p)).collect();
        model::actions(old, new, &covered, &mut plan);
    }
    plan.into_actions()
}

/// Actions merged by component and host: the strongest kind wins, reasons add up.
#[derive(Default)]
pub(crate) struct Plan {
    actions: BTreeMap<(u8, String, Option<String>), Action>,
}

impl Plan {
    pub(crate) fn add(&mut self, order: u8, action: Action) {
        let key = (order, action.component.clone(), action.host.clone());
        match self.actions.get_mut(&key) {
            Some(existing) => {
                if action.kind > existing.kind {
                    existing.kind = action.kind;
                    existing.command = action.command;
                }
                for why in action.why {
                    if !existing.why.contains(&why) {
                        existing.why.push(why);
                    }
                }
            }
            None => {
                self.actions.insert(key, action);
            }
        }
    }

    fn into_actions(self) -> Vec<Action> {
        self.actions.into_values().collect()
    }
}

/// Sort keys: the order a deploy should go in (proxy last is not needed: it hot-reloads).
pub(crate) const ORDER_TRAEFIK: u8 = 0;
pub(crate) const ORDER_AUTHELIA: u8 = 1;
pub(crate) const ORDER_CONTAINER: u8 = 2;
pub(crate) const ORDER_DNS: u8 = 3;
pub(crate) const ORDER_TUNNEL: u8 = 4;
pub(crate) const ORDER_OTHER: u8 = 5;

/// Restarting a daemon: Compose on a docker host, systemd elsewhere.
pub(crate) fn restart_command(t: &Topology, host: &str, name: &str) -> String {
    match t.hosts.iter().find(|h| h.name == host) {
        Some(h) if h.docker => format!("docker compose restart {name}"),
        _ => format!("systemctl restart {name}"),
    }
}

pub(crate) fn traefik(t: &Topology, kind: ActionKind, why: String) -> Action {
    let command =
        (kind == ActionKind::Restart).then(|| restart_command(t, &t.proxy.host, &t.proxy.name));
    Action {
        component: "traefik".into(),
        host: Some(t.proxy.host.clone()),
        kind,
        command,
        why: vec![why],
    }
}

pub(crate) fn authelia(t: &Topology, why: String) -> Action {
    let (name, host) = match &t.identity {
        Some(i) => (i.name.clone(), Some(i.host.clone())),
        None => ("authelia".to_string(), None),
    };
    let command = Some(match &host {
        Some(h) => restart_command(t, h, &name),
        None => format!("systemctl restart {name}"),
    });
    // Authelia reads its configuration once, at start.
    Action {
        component: name,
        host,
        kind: ActionKind::Restart,
        command,
        why: vec![why],
    }
}

pub(crate) fn container(host: &str, name: &str, kind: ActionKind, why: String) -> Action {
    let command = match kind {
        ActionKind::Start => format!("docker compose up -d {name}"),
        _ => format!("docker compose up -d --force-recreate {name}"),
    };
    Action {
        component: format!("container {name}"),
        host: Some(host.to_string()),
        kind,
        command: Some(command),
        why: vec![why],
    }
}

pub(crate) fn cloudflared(t: &Topology, why: String) -> Action {
    let (host, command) = match &t.tunnel {
        Some(tunnel) => (
            Some(tunnel.host.clone()),
            restart_command(t, &tunnel.host, "cloudflared"),
        ),
        None => (None, "systemctl restart cloudflared".to_string()),
    };
    // cloudflared reads a locally managed ingress only at start.
    Action {
        component: "cloudflared".into(),
        host,
        kind: ActionKind::Restart,
        command: Some(command),
        why: vec![why],
    }
}

/// How each resolver picks up a changed records file.
pub(crate) fn dns(name: &str, format: Option<DnsFormat>, why: String) -> Action {
    let (kind, command): (ActionKind, Option<&str>) = match format {
        // `address=`/`host-record=` are read at start; SIGHUP re-reads hosts files only.
        Some(DnsFormat::Dnsmasq) => (ActionKind::Restart, Some("systemctl restart dnsmasq")),
        Some(DnsFormat::Unbound) => (ActionKind::Reload, Some("unbound-control reload")),
        Some(DnsFormat::Bind) => (ActionKind::Reload, Some("rndc reload")),
        Some(DnsFormat::Pihole) => (ActionKind::Reload, Some("pihole reloaddns")),
        Some(DnsFormat::Adguard) => (ActionKind::Restart, Some("systemctl restart AdGuardHome")),
        // The hosts plugin re-reads its file every 5 s.
        Some(DnsFormat::Coredns) => (ActionKind::None, None),
        // Re-read by whichever resolver serves it (dnsmasq: SIGHUP).
        Some(DnsFormat::Hosts) => (ActionKind::Reload, None),
        None => (ActionKind::Review, None),
    };
    Action {
        component: format!("dns {name}"),
        host: None,
        kind,
        command: command.map(str::to_string),
        why: vec![why],
    }
}

#[cfg(test)]
mod tests;
