use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::{Auth, Exposure};

pub const RULE: Rule = Rule {
    code: "TOPO002",
    name: "public-app-without-auth",
    level: Severity::Warning,
    summary: "a public-app route has auth none",
    doc: r#"## What it does
Flags `public-app` routes whose auth is `none`.

## Why is this bad?
A public app is a web app for humans on the internet. With no authentication
anyone can use it; most self-hosted apps are admin surfaces in disguise. If the
app has its own login, say so with `auth "app"`; if it is really meant to be open
(a blog, a status page), silence this rule for the service with `allow "TOPO002"`.

## Example
```kdl
service "wiki" … { exposure "public-app"; auth "none" }
```
Use instead:
```kdl
service "wiki" … { exposure "public-app"; auth "forward-auth" policy="two_factor" }
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        for r in s
            .routes
            .iter()
            .filter(|r| r.exposure == Exposure::PublicApp && r.auth == Auth::None)
        {
            out.push(Finding::service(
                &s.name,
                Diagnostic::warning(format!("`{}{}` is public-app with no authentication", s.canonical_hostname(), r.path))
                    .at(r.span)
                    .help("use auth \"app\" if the app has its own login, forward-auth or oidc otherwise; allow \"TOPO002\" if it is meant to be open"),
            ));
        }
    }
}
