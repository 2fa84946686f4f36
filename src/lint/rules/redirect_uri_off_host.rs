use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO007",
    name: "redirect-uri-off-host",
    level: Severity::Error,
    summary: "an OIDC redirect URI is not https on the service's own hostname",
    doc: r#"## What it does
Checks that every OIDC client's redirect URI is `https://` + the service's first
hostname + a callback path, and that the callback (from the profile or
`redirect-path`) is a path, not a URL.

## Why is this bad?
Authelia compares the redirect URI as an exact string. An app behind a proxy that
thinks it is served over http sends `http://…/sso/callback` and the login fails;
a callback on another host is an open-redirect risk that Authelia rejects too.

## Example
```toml
# profiles/myapp.toml
callback = "http://myapp.example.com/callback"
```
Use instead:
```toml
callback = "/callback"     # topo prefixes https:// and the service's hostname
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        let Some(oidc) = &s.oidc else { continue };
        let callback = oidc.callback_path();
        if !callback.starts_with('/') || callback.starts_with("//") {
            out.push(Finding::service(
                &s.name,
                Diagnostic::error(format!(
                    "service `{}`: OIDC callback `{callback}` (profile `{}`) is not a path on https://{}",
                    s.name,
                    oidc.profile.name,
                    s.canonical_hostname()
                ))
                .at(oidc.span)
                .help("write the callback as a path such as /sso/callback; topo builds https://HOST/path"),
            ));
        }
    }
}
