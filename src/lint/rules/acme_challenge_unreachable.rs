use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::{AcmeChallenge, Topology};

pub const RULE: Rule = Rule {
    code: "TOPO018",
    name: "acme-challenge-unreachable",
    level: Severity::Error,
    summary: "the certificate authority cannot reach a name by the resolver's tls or http challenge",
    doc: r#"## What it does
Flags a `cert-resolver` with `challenge="tls"` or `challenge="http"` when some
hostname the LAN routers serve cannot be reached by the certificate authority:
a `lan-only` name (never in public DNS, by design), or, with a tunnel, a public
name (its traffic arrives through Cloudflare, which ends TLS and delivers http
to the tunnel entrypoint).

## Why is this bad?
TLS-ALPN-01 and HTTP-01 prove control of a name by answering the CA's
connection to it. Split DNS keeps lan-only names off the internet, and a
tunnel hides the proxy behind Cloudflare's edge, so those challenges fail for
every such name: Traefik logs the failure, retries, and serves its self-signed
default certificate; Let's Encrypt rate-limits the failed attempts. DNS-01
proves control through the DNS provider's API and works for all of them.

## Example
```kdl
service "grafana" host="docker1" upstream="http://grafana:3000" {
    hostname "grafana.example.com"
    exposure "lan-only"
}
proxy "traefik" host="docker1" {
    entrypoint "websecure" address=":443"
    cert-resolver "letsencrypt" challenge="tls"
}
```
Use instead:
```kdl
    cert-resolver "letsencrypt" email="admin@example.com" dns-provider="cloudflare"
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    let Some(resolver) = &t.proxy.cert_resolver else {
        return;
    };
    let Some(acme) = &resolver.acme else { return };
    let challenge = match acme.challenge {
        AcmeChallenge::Dns { .. } => return,
        AcmeChallenge::Tls => "tls",
        AcmeChallenge::Http { .. } => "http",
    };
    let unreachable = unreachable_names(t);
    let Some((first, why)) = unreachable.first() else {
        return;
    };
    let more = match unreachable.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    out.push(Finding::global(
        Diagnostic::error(format!(
            "the {challenge} challenge cannot reach `{first}` ({why}){more}: no certificate for it"
        ))
        .at(resolver.span)
        .label(format!("{challenge} challenge"))
        .help("use DNS-01, which works for every name: dns-provider=\"cloudflare\" (or your DNS host's provider code)"),
    ));
}

/// Names the CA cannot connect to directly, with the reason, in name order.
fn unreachable_names(t: &Topology) -> Vec<(String, &'static str)> {
    let tunnel = t.tunnel.is_some();
    let mut names: Vec<(String, &'static str)> = Vec::new();
    let mut consider = |name: &str, public: bool| {
        if !public {
            names.push((name.to_string(), "lan-only: not in public DNS"));
        } else if tunnel {
            names.push((
                name.to_string(),
                "public through the tunnel: Cloudflare answers for it",
            ));
        }
    };
    for service in &t.services {
        let public = service.routes.iter().any(|r| r.exposure.is_public());
        for hostname in &service.hostnames {
            consider(hostname.as_str(), public);
        }
    }
    if let Some(identity) = &t.identity {
        consider(identity.issuer_host(), identity.exposure.is_public());
    }
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    names
}
