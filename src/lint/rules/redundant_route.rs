use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO011",
    name: "redundant-route",
    level: Severity::Warning,
    summary: "a route changes nothing: it repeats the route it lies under",
    doc: r#"## What it does
Flags a `route` whose exposure, auth and policy equal those of the route that
would serve its path without it (the next shorter prefix, or the service
defaults).

## Why is this bad?
It is dead weight at best; more often it is a leftover of a carve-out that was
meant to differ (`/admin` meant to be lan-only under a public root, say), and a
reviewer reads it as a boundary that is not there.

## Example
```kdl
exposure "lan-only"
auth "forward-auth"
route "/settings" exposure="lan-only" auth="forward-auth"
```
Use instead: remove the route, or give it the settings it was meant to have.
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for s in &cx.topology.services {
        for route in s.routes.iter().skip(1) {
            let parent = s
                .routes
                .iter()
                .filter(|r| route.path.is_under(&r.path))
                .max_by_key(|r| r.path.depth())
                .unwrap_or(s.root());
            if parent.exposure == route.exposure
                && parent.auth == route.auth
                && parent.policy == route.policy
            {
                out.push(Finding::service(
                    &s.name,
                    Diagnostic::warning(format!(
                        "route `{}` repeats the settings of `{}`",
                        route.path, parent.path
                    ))
                    .at(route.span)
                    .label("changes nothing")
                    .help("remove it, or give it the exposure/auth it was meant to have"),
                ));
            }
        }
    }
}
