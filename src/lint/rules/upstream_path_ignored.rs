use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO019",
    name: "upstream-path-ignored",
    level: Severity::Warning,
    summary: "an upstream URL has a path, which Traefik ignores",
    doc: r#"## What it does
Flags a service or identity provider whose `upstream` URL has a path, such as
`http://app:8080/app`.

## Why is this bad?
Traefik uses only the scheme, host and port of a server URL: the request
path is sent as it came. A request for `/login` reaches
`http://app:8080/login`, not `http://app:8080/app/login`. The path looks like
it does something and silently does nothing, so the app answers 404 or serves
the wrong thing (traefik/traefik#561, #3728).

## Example
```kdl
service "wiki" host="docker1" upstream="http://wiki:3000/wiki" {
    hostname "wiki.example.com"
}
```
Use instead: serve the app at its root (most apps have a base-path setting),
and write the upstream without a path:
```kdl
service "wiki" host="docker1" upstream="http://wiki:3000" {
    hostname "wiki.example.com"
}
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    for s in &t.services {
        let path = s.upstream.value.path();
        if path != "/" && !path.is_empty() {
            out.push(Finding::service(
                &s.name,
                diagnostic(&s.name, path).at(s.upstream.span),
            ));
        }
    }
    if let Some(identity) = &t.identity {
        let path = identity.upstream.path();
        if path != "/" && !path.is_empty() {
            out.push(Finding::global(
                diagnostic(&identity.name, path).at(identity.span),
            ));
        }
    }
}

fn diagnostic(owner: &str, path: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "the upstream of `{owner}` has the path `{path}`, which Traefik ignores: requests keep their own path"
    ))
    .label("path ignored")
    .help("remove the path from the upstream; if the app lives under a sub-path, set its base path to / (or serve it at its root)")
}
