use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};
use crate::model::Exposure;

pub const RULE: Rule = Rule {
    code: "TOPO005",
    name: "public-identity-provider",
    level: Severity::Warning,
    summary: "the identity provider is exposed publicly",
    doc: r#"## What it does
Flags an `identity` whose exposure is public.

## Why is this bad?
The identity provider is the lock on every other door. Publishing its login page
to the internet invites credential stuffing and exposes every vulnerability of
it at once. Keep it `lan-only` (the default) and let LAN/VPN browsers and
containers reach it through split DNS and `extra_hosts`. Publish it only when
internet users must log in, and then with two-factor policies.

## Example
```kdl
identity "authelia" … exposure="public-app"
```
Use instead:
```kdl
identity "authelia" …            // lan-only by default
```
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    if let Some(identity) = &cx.topology.identity
        && identity.exposure != Exposure::LanOnly
    {
        out.push(Finding::global(
            Diagnostic::warning(format!(
                "identity provider `{}` is {}",
                identity.name, identity.exposure
            ))
            .at(identity.span)
            .help("keep it lan-only unless internet users must log in"),
        ));
    }
}
