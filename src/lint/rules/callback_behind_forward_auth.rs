use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::Auth;

pub const RULE: Rule = Rule {
    code: "TOPO013",
    name: "callback-behind-forward-auth",
    level: Severity::Error,
    summary: "forward-auth and OIDC meet on one path: the OIDC callback is behind forward-auth",
    doc: r#"## What it does
Flags an `oidc` service whose OIDC callback path is served by a `forward-auth`
route.

## Why is this bad?
Reverse-proxy auth is not OIDC. With forward-auth in front of the callback, the
browser's return from the identity provider is intercepted by another login
redirect; the app never sees the authorization code and the flow loops or fails.
Each path gets one auth mechanism.

## Example
```kdl
auth "forward-auth"
route "/ui" auth="oidc"
oidc profile="litellm"          // callback /sso/callback is under forward-auth
```
Use instead: `auth "oidc"` for the app's paths including the callback.
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        let Some(oidc) = &s.oidc else { continue };
        let callback = oidc.callback_path();
        let route = s.route_for(callback);
        if route.auth == Auth::ForwardAuth {
            out.push(Finding::service(
                &s.name,
                Diagnostic::error(format!(
                    "the OIDC callback {callback} of `{}` is served by route `{}` with forward-auth",
                    s.name, route.path
                ))
                .at(route.span)
                .help(format!("give {callback} one auth: route \"{callback}\" auth=\"oidc\"")),
            ));
        }
    }
}
