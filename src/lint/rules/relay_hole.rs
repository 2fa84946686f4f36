use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO012",
    name: "relay-hole",
    level: Severity::Error,
    summary: "the LAN allow-list includes the tunnel connector's address",
    doc: r#"## What it does
Flags a `network` CIDR that contains an address the tunnel connector talks to
the proxy from: any `trusted-ips` range, or the tunnel host's address when
cloudflared runs there outside Docker.

## Why is this bad?
Every request from the internet reaches Traefik from the connector's address.
If that address counts as LAN, the IP allow-list of every lan-only route lets
internet traffic through the moment a lan-only router is reachable from the
connector: the relay hole.

## Example
```kdl
network "docker" "172.18.0.0/16"
proxy "traefik" … { trusted-ips "172.18.0.0/16" }
```
Use instead: keep Docker bridge networks out of `network`; list real LAN/VPN ranges only.
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    let mut connector: Vec<ipnet::IpNet> = t.proxy.trusted_ips.clone();
    if let Some(tunnel) = &t.tunnel
        && let Some(host) = t.hosts.iter().find(|h| h.name == tunnel.host && !h.docker)
    {
        connector.push(ipnet::IpNet::from(host.address));
    }
    for network in &t.networks {
        for cidr in &network.cidrs {
            if let Some(c) = connector
                .iter()
                .find(|c| cidr.contains(&c.network()) || c.contains(&cidr.network()))
            {
                out.push(Finding::global(
                    Diagnostic::error(format!(
                        "network `{}` ({cidr}) includes {c}, where the tunnel connector reaches the proxy from",
                        network.name
                    ))
                    .at(network.span)
                    .label("internet traffic would count as LAN")
                    .help("remove the connector's range from `network`"),
                ));
            }
        }
    }
}
