use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::Auth;

pub const RULE: Rule = Rule {
    code: "TOPO016",
    name: "public-oidc-with-lan-issuer",
    level: Severity::Warning,
    summary: "a public route logs in through a lan-only identity provider",
    doc: r#"## What it does
Flags `public-*` routes with auth `oidc` or `forward-auth` while the identity
provider is lan-only.

## Why is this bad?
The login redirect sends the browser to the issuer, which an internet client
cannot resolve or reach. The route is public on paper but unusable from outside;
if that is intended (LAN users only), the route should be lan-only, which also
keeps it out of public DNS.

## Example
```kdl
exposure "public-app"
auth "oidc"                 // identity is lan-only
```
Use instead: `exposure "lan-only"`, or publish the identity provider deliberately.
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    let Some(identity) = t.lan_only_identity() else {
        return;
    };
    for s in &t.services {
        for r in s
            .routes
            .iter()
            .filter(|r| r.exposure.is_public() && matches!(r.auth, Auth::Oidc | Auth::ForwardAuth))
        {
            out.push(Finding::service(
                &s.name,
                Diagnostic::warning(format!(
                    "`{}{}` is {} but its {} login goes to the lan-only {}",
                    s.canonical_hostname(),
                    r.path,
                    r.exposure,
                    r.auth,
                    identity.issuer_host()
                ))
                .at(r.span)
                .help("make the route lan-only, or publish the identity provider on purpose"),
            ));
        }
    }
}
