use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::Auth;

pub const RULE: Rule = Rule {
    code: "TOPO008",
    name: "issuer-unresolvable",
    level: Severity::Warning,
    summary: "an oidc app cannot resolve the lan-only issuer",
    doc: r#"## What it does
Flags `oidc` services that run on a host without Docker (so topo renders no
`extra_hosts` for them) while the identity provider is lan-only and the
topology has no `dns` output.

## Why is this bad?
OIDC has back-channel calls: the app itself fetches the token and userinfo
endpoints. A LAN-only issuer hostname has no public DNS record, so the app's
resolver answers "Name or service not known" and the callback fails with a 500
long after the browser part worked. For containers topo adds `extra_hosts`; for
other hosts you need split DNS.

## Example
```kdl
host "vm" address="192.168.1.50"                 // no docker, no dns node
service "grafana" host="vm" … { auth "oidc"; oidc profile="grafana" }
```
Use instead: add `dns "lan" format="dnsmasq"` and point the host's resolver at it,
or run the app in Docker (`docker=#true`).
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    let Some(identity) = t.lan_only_identity() else {
        return;
    };
    if !t.dns.is_empty() {
        return;
    }
    for s in t.services.iter().filter(|s| s.has_auth(Auth::Oidc)) {
        let docker = t
            .hosts
            .iter()
            .find(|h| h.name == s.host)
            .is_some_and(|h| h.docker);
        if !docker {
            out.push(Finding::service(
                &s.name,
                Diagnostic::warning(format!(
                    "service `{}` on host `{}` must resolve the lan-only issuer {}, but nothing makes it resolvable",
                    s.name,
                    s.host,
                    identity.issuer_host()
                ))
                .at(s.span)
                .help("add a `dns` output for your LAN resolver, or run the app in Docker (docker=#true) to get extra_hosts"),
            ));
        }
    }
}
