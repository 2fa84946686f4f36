use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO015",
    name: "oidc-endpoint-mismatch",
    level: Severity::Error,
    summary: "an OIDC endpoint variable points at another endpoint (userinfo → token)",
    doc: r#"## What it does
Checks every environment variable that names an OIDC endpoint — in a service's
`env` and in app profiles — against the endpoint its value points at:
a `*USERINFO*` (or Grafana's `*API_URL`) variable must point at
`/api/oidc/userinfo`, a `*TOKEN_URL*`/`*TOKEN_ENDPOINT*` one at `/api/oidc/token`,
an `*AUTHORIZATION*`/`*AUTH_URL*` one at `/api/oidc/authorization`; an endpoint on
the issuer host must be https.

## Why is this bad?
`/api/oidc/token` and `/api/oidc/userinfo` are one copy-paste apart and do
completely different things. In the story the login got all the way to the
callback and then failed with a 500 because the userinfo call went to the token
endpoint. Built-in profiles derive every endpoint from the issuer; this rule
guards what you write by hand.

## Example
```kdl
env "GENERIC_USERINFO_ENDPOINT" "https://auth.umi4.life/api/oidc/token"
```
Use instead: drop the override (the profile derives it), or
```kdl
env "GENERIC_USERINFO_ENDPOINT" "https://auth.umi4.life/api/oidc/userinfo"
```
"#,
    check,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Endpoint {
    Authorization,
    Token,
    Userinfo,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Authorization => "/api/oidc/authorization",
            Endpoint::Token => "/api/oidc/token",
            Endpoint::Userinfo => "/api/oidc/userinfo",
        }
    }
}

/// Which endpoint a variable name asks for.
fn wanted(key: &str) -> Option<Endpoint> {
    let key = key.to_ascii_uppercase();
    if key.contains("USERINFO") || key.ends_with("_API_URL") {
        Some(Endpoint::Userinfo)
    } else if ["TOKEN_URL", "TOKEN_URI", "TOKEN_ENDPOINT"]
        .iter()
        .any(|k| key.contains(k))
    {
        Some(Endpoint::Token)
    } else if [
        "AUTHORIZATION_ENDPOINT",
        "AUTHORIZATION_URL",
        "AUTH_URL",
        "AUTH_URI",
    ]
    .iter()
    .any(|k| key.contains(k))
    {
        Some(Endpoint::Authorization)
    } else {
        None
    }
}

/// Which endpoint a value (literal URL or profile template) points at.
fn given(value: &str) -> Option<Endpoint> {
    let v = value.to_ascii_lowercase();
    if v.contains("userinfo_endpoint") || v.contains("/api/oidc/userinfo") {
        Some(Endpoint::Userinfo)
    } else if v.contains("token_endpoint") || v.contains("/api/oidc/token") {
        Some(Endpoint::Token)
    } else if v.contains("authorization_endpoint") || v.contains("/api/oidc/authorization") {
        Some(Endpoint::Authorization)
    } else {
        None
    }
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    let issuer_host = t.identity.as_ref().map(|i| i.issuer_host().to_string());
    for s in &t.services {
        let profile_env = s.oidc.iter().flat_map(|o| {
            o.profile
                .env
                .iter()
                .map(move |(k, v)| (k, v, Some(o.profile.name.as_str())))
        });
        let service_env = s.env.iter().map(|(k, v)| (k, v, None));
        for (key, value, profile) in service_env.chain(profile_env) {
            let origin = match profile {
                Some(p) => format!("profile `{p}`"),
                None => "env".to_string(),
            };
            if let (Some(want), Some(got)) = (wanted(key), given(value))
                && want != got
            {
                out.push(Finding::service(
                    &s.name,
                    Diagnostic::error(format!(
                        "{key} of `{}` ({origin}) points at {}, not {}",
                        s.name,
                        got.path(),
                        want.path()
                    ))
                    .at(s.span)
                    .help(format!("{key} must be the issuer + {}", want.path())),
                ));
            }
            if let Some(host) = &issuer_host
                && value
                    .to_ascii_lowercase()
                    .starts_with(&format!("http://{host}"))
            {
                out.push(Finding::service(
                        &s.name,
                        Diagnostic::error(format!("{key} of `{}` ({origin}) calls the issuer over http", s.name))
                            .at(s.span)
                            .help("OIDC endpoints are https on the issuer host; Authelia rejects X-Forwarded-Proto http"),
                    ));
            }
        }
    }
}
