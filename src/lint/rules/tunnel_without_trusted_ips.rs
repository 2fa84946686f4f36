use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO009",
    name: "tunnel-without-trusted-ips",
    level: Severity::Error,
    summary: "the tunnel entrypoint trusts no forwarded headers",
    doc: r#"## What it does
Flags a proxy that has a tunnel entrypoint but no `trusted-ips`.

## Why is this bad?
cloudflared talks plain http to the tunnel entrypoint and passes Cloudflare's
`X-Forwarded-Proto: https`. Traefik strips forwarded headers from untrusted
peers and sets `X-Forwarded-Proto: http`; the apps then build `http://` redirect
URIs and OIDC logins fail ("redirect_uri did not match").

## Example
```kdl
proxy "traefik" host="docker1" {
    entrypoint "tunnel" address=":8443" tunnel=#true
}
```
Use instead:
```kdl
proxy "traefik" host="docker1" {
    entrypoint "tunnel" address=":8443" tunnel=#true
    trusted-ips "172.18.0.0/16"     // the network cloudflared connects from
}
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let proxy = &cx.topology.proxy;
    if let Some(ep) = proxy.tunnel_entrypoints().next()
        && proxy.trusted_ips.is_empty()
    {
        out.push(Finding::global(
                Diagnostic::error(format!(
                    "tunnel entrypoint `{}` has no trusted-ips: X-Forwarded-Proto becomes http and OIDC redirects break",
                    ep.name
                ))
                .at(ep.span)
                .help("add trusted-ips with the address or network cloudflared connects from"),
            ));
    }
}
