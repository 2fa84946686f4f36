use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::{Auth, Exposure, RoutePath};

pub const RULE: Rule = Rule {
    code: "TOPO003",
    name: "public-api-without-auth",
    level: Severity::Warning,
    summary: "a public-api route other than a health check has auth none",
    doc: r#"## What it does
Flags `public-api` routes with auth `none`, except health-check paths
(`/health`, `/healthz`, `/livez`, `/readyz`, `/ready`, `/ping`, `/status`).

## Why is this bad?
A public API without authentication lets anyone on the internet spend your
resources (an LLM gateway's GPU time) or read your data. API routes are
usually authenticated by the app with keys: write `auth "app"`.

## Example
```kdl
route "/v1" exposure="public-api" auth="none"
```
Use instead:
```kdl
route "/v1" exposure="public-api" auth="app"
```
"#,
    check,
};

const HEALTH: &[&str] = &[
    "/health", "/healthz", "/livez", "/readyz", "/ready", "/ping", "/status",
];

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        for r in s
            .routes
            .iter()
            .filter(|r| r.exposure == Exposure::PublicApi && r.auth == Auth::None)
        {
            if let RoutePath::Prefix(p) = &r.path
                && HEALTH.contains(&p.as_str())
            {
                continue;
            }
            out.push(Finding::service(
                &s.name,
                Diagnostic::warning(format!(
                    "`{}{}` is a public API with no authentication",
                    s.canonical_hostname(),
                    r.path
                ))
                .at(r.span)
                .help("let the app check API keys: auth=\"app\""),
            ));
        }
    }
}
