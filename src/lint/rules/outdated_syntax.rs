use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO014",
    name: "outdated-syntax",
    level: Severity::Warning,
    summary: "a user profile or template uses a deprecated Authelia key or Traefik v2 syntax",
    doc: r#"## What it does
Scans the files you supply — app profiles in `profiles/` and template overrides
given with `--templates` — for syntax the deployed systems deprecated or
changed: Traefik v2's `ipWhiteList`, multi-argument `Host(`a`, `b`)`,
`HostRegexp({name:…})` placeholders, `Headers(`, `sslRedirect`; Authelia's
pre-4.38 client keys (`id:`, `secret:`, `description:`), `issuer_private_key`,
`userinfo_signing_algorithm` and the `/api/verify` forward-auth endpoint.

## Why is this bad?
Traefik v3 disables a router with a multi-argument `Host()` and silently never
matches a v2 `HostRegexp`; `ipWhiteList` works with a warning until it is
removed. Authelia 4.39 warns about old client keys and will reject them.
topo's built-in output uses only current syntax; your overrides should too.

## Example
```yaml
rule: Host(`a.example.com`, `b.example.com`)
```
Use instead:
```yaml
rule: Host(`a.example.com`) || Host(`b.example.com`)
```
"#,
    check,
};

/// (pattern, what it is, replacement)
const PATTERNS: &[(&str, &str, &str)] = &[
    (r"ipWhiteList", "Traefik v2 `ipWhiteList`", "ipAllowList"),
    (
        r"Host\(\s*[`\x22][^`\x22]*[`\x22]\s*,",
        "Traefik v2 multi-argument Host()",
        "Host(`a`) || Host(`b`)",
    ),
    (
        r"HostRegexp\(\s*[`\x22][^`\x22]*\{",
        "Traefik v2 HostRegexp placeholder",
        "a Go regexp: HostRegexp(`^[a-z]+\\.example\\.com$`)",
    ),
    (
        r"\bHeaders(Regexp)?\(",
        "Traefik v2 Headers() matcher",
        "Header()",
    ),
    (r"\bHostHeader\(", "Traefik v2 HostHeader()", "Host()"),
    (
        r"sslRedirect",
        "Traefik v2 headers.sslRedirect (a no-op in v3)",
        "redirectScheme or entrypoint redirections",
    ),
    (
        r"(?m)^\s*-?\s*id\s*:",
        "Authelia pre-4.38 client key `id`",
        "client_id",
    ),
    (
        r"(?m)^\s*secret\s*:",
        "Authelia pre-4.38 client key `secret`",
        "client_secret",
    ),
    (
        r"(?m)^\s*description\s*:",
        "Authelia pre-4.38 client key `description`",
        "client_name",
    ),
    (
        r"issuer_private_key",
        "Authelia `issuer_private_key`",
        "jwks",
    ),
    (
        r"userinfo_signing_algorithm",
        "Authelia `userinfo_signing_algorithm`",
        "userinfo_signed_response_alg",
    ),
    (
        r"/api/verify",
        "Authelia's legacy /api/verify endpoint",
        "/api/authz/forward-auth",
    ),
];

fn scan(dir: &Path, out: &mut Vec<Finding>) {
    let files: Vec<std::path::PathBuf> =
        crate::output::files(dir, "", crate::output::WalkOptions::default())
            .map(|found| found.into_iter().map(|(_, path)| path).collect())
            .unwrap_or_default();
    let patterns: Vec<(regex::Regex, &str, &str)> = PATTERNS
        .iter()
        .filter_map(|(p, what, fix)| regex::Regex::new(p).ok().map(|r| (r, *what, *fix)))
        .collect();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (re, what, fix) in &patterns {
            if let Some(m) = re.find(&text) {
                let line = text[..m.start()].matches('\n').count() + 1;
                out.push(Finding::global(
                    Diagnostic::warning(format!("{}:{line}: {what}", path.display()))
                        .help(format!("use {fix}")),
                ));
            }
        }
    }
}

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for dir in [cx.profiles_dir, cx.templates_dir].into_iter().flatten() {
        if dir.is_dir() {
            scan(dir, out);
        }
    }
}
