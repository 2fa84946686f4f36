use std::net::IpAddr;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO001",
    name: "loopback-listener",
    level: Severity::Error,
    summary: "a service listens on loopback but the proxy reaches it at another address",
    doc: r#"## What it does
Flags a service whose `listen` address is loopback (127.0.0.1, ::1) while its
`upstream` points at a non-loopback address. (A loopback `listen` on a host other
than the proxy's is already a compile error.)

## Why is this bad?
A process bound to 127.0.0.1 accepts connections only from its own host's
loopback interface. The proxy connects to the upstream address, say
192.168.1.40:9119, and gets "connection refused": in a VM, localhost means the
VM. This is how the Hermes dashboard in the story stayed unreachable.

## Example
```kdl
service "hermes" host="hermes-vm" upstream="http://192.168.1.40:9119" listen="127.0.0.1:9119" { … }
```
Use instead:
```kdl
service "hermes" host="hermes-vm" upstream="http://192.168.1.40:9119" listen="0.0.0.0:9119" { … }
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        let Some(listen) = &s.listen else { continue };
        if !listen.value.ip().is_loopback() {
            continue;
        }
        let upstream_host = s.upstream.value.host_str().unwrap_or_default();
        let upstream_ip = upstream_host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .ok();
        let upstream_is_loopback =
            upstream_host == "localhost" || upstream_ip.is_some_and(|ip| ip.is_loopback());
        if !upstream_is_loopback {
            out.push(Finding::service(
                &s.name,
                Diagnostic::error(format!(
                    "service `{}` listens on {} but the proxy connects to {upstream_host}",
                    s.name, listen.value
                ))
                .at(listen.span)
                .label("only reachable from inside its own host")
                .help(format!(
                    "listen on all interfaces: listen=\"0.0.0.0:{}\"",
                    listen.value.port()
                )),
            ));
        }
    }
}
