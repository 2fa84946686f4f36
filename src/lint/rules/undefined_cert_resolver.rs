use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO017",
    name: "undefined-cert-resolver",
    level: Severity::Warning,
    summary: "the LAN routers name a certificate resolver that traefik.yml does not define",
    doc: r#"## What it does
Flags a `cert-resolver` that only has a name: the LAN routers carry
`tls.certResolver: <name>`, but nothing says how to obtain certificates, so
topo cannot define the resolver in `traefik.yml`.

## Why is this bad?
Traefik logs "Router uses a nonexistent certificate resolver" and serves its
own self-signed default certificate on every LAN router: browsers refuse the
page, apps refuse the OIDC issuer, and `curl` needs `-k`. The static file is
generated, and Traefik reads its static configuration from one source only, so
the resolver cannot be added beside it by hand.

## Example
```kdl
proxy "traefik" host="docker1" {
    entrypoint "websecure" address=":443"
    cert-resolver "letsencrypt"
}
```
Use instead:
```kdl
proxy "traefik" host="docker1" {
    entrypoint "websecure" address=":443"
    // DNS-01 through Cloudflare's API (CF_DNS_API_TOKEN in Traefik's environment)
    cert-resolver "letsencrypt" email="admin@example.com" dns-provider="cloudflare"
}
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    if let Some(resolver) = &cx.topology.proxy.cert_resolver
        && resolver.acme.is_none()
    {
        out.push(Finding::global(
            Diagnostic::warning(format!(
                "cert resolver `{}` is named but not defined: Traefik will serve its self-signed default certificate",
                resolver.name
            ))
            .at(resolver.span)
            .label("no ACME settings")
            .help(format!(
                "say how certificates are obtained: cert-resolver \"{}\" email=\"admin@example.com\" dns-provider=\"cloudflare\" (or challenge=\"tls\")",
                resolver.name
            )),
        ));
    }
}
