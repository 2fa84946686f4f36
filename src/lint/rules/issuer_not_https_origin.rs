use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO006",
    name: "issuer-not-https-origin",
    level: Severity::Error,
    summary: "the OIDC issuer is not https or has a path such as /api/oidc",
    doc: r#"## What it does
Checks that the identity's `issuer` is `https://HOST` with no path, query or port
other than 443.

## Why is this bad?
Authelia builds its issuer from the request; called over plain http it answers
`invalid X-Forwarded-Proto header value 'http'` and apps refuse an insecure
issuer. A path such as `/api/oidc/authorization` as issuer makes every derived
endpoint wrong (`…/authorization/api/oidc/token`). topo derives every endpoint
from the issuer, so the issuer must be the bare origin.

## Example
```kdl
identity "authelia" issuer="http://192.168.1.30:9091/api/oidc" …
```
Use instead:
```kdl
identity "authelia" issuer="https://auth.umi4.life" upstream="http://authelia:9091" …
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let Some(identity) = &cx.topology.identity else {
        return;
    };
    let issuer = &identity.issuer;
    let mut problems = Vec::new();
    if issuer.scheme() != "https" {
        problems.push(format!("scheme is {}, not https", issuer.scheme()));
    }
    if !matches!(issuer.path(), "" | "/") {
        problems.push(format!("it has the path {}", issuer.path()));
    }
    if issuer.query().is_some() || issuer.fragment().is_some() {
        problems.push("it has a query or fragment".to_string());
    }
    if issuer.port().is_some_and(|p| p != 443) {
        problems.push("it names a port".to_string());
    }
    if issuer
        .host_str()
        .is_some_and(|h| h.parse::<std::net::IpAddr>().is_ok() || h.starts_with('['))
    {
        problems.push("it is an IP address, not the issuer's hostname".to_string());
    }
    if !problems.is_empty() {
        out.push(Finding::global(
            Diagnostic::error(format!(
                "issuer `{issuer}` is not an https origin: {}",
                problems.join("; ")
            ))
            .at(identity.issuer_span)
            .label("endpoints are derived from this")
            .help(format!(
                "write issuer=\"https://{}\"",
                issuer.host_str().unwrap_or("auth.example.com")
            )),
        ));
    }
}
