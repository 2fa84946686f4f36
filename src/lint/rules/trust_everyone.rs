use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{Finding, LintContext, Rule};

pub const RULE: Rule = Rule {
    code: "TOPO010",
    name: "trust-everyone",
    level: Severity::Warning,
    summary: "forwarded headers are trusted from everyone where clients can connect directly",
    doc: r#"## What it does
Flags `trusted-ips` covering the whole internet (`0.0.0.0/0`, `::/0`), and
`FORWARDED_ALLOW_IPS="*"` (from an app profile or `env`) on a service that runs
on another host than the proxy, whose port is therefore published on the network.

## Why is this bad?
Whoever can connect directly can then forge `X-Forwarded-For` (and pass an IP
allow-list as a LAN client) or `X-Forwarded-Proto`. Trusting `*` is only safe
when nothing but the proxy can reach the app: a container on the proxy's Docker
network with no published port.

## Example
```kdl
service "litellm" host="gpu-box" … { oidc profile="litellm" }   // FORWARDED_ALLOW_IPS "*"
```
Use instead: `env "FORWARDED_ALLOW_IPS" "192.168.1.30"` (the proxy host's address).
"#,
    check,
};

fn check(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let t = cx.topology;
    for net in &t.proxy.trusted_ips {
        if net.prefix_len() == 0 {
            out.push(Finding::global(
                Diagnostic::warning(format!(
                    "trusted-ips {net} trusts forwarded headers from everyone"
                ))
                .at(t.proxy.trusted_ips_span.unwrap_or(t.proxy.span))
                .help("list only the addresses of the tunnel connector and other proxies"),
            ));
        }
    }
    for s in t.services.iter().filter(|s| s.host != t.proxy.host) {
        let from_env = s.env.get("FORWARDED_ALLOW_IPS").map(String::as_str);
        let from_profile = s
            .oidc
            .as_ref()
            .and_then(|o| o.profile.env.get("FORWARDED_ALLOW_IPS"))
            .map(String::as_str);
        if from_env.or(from_profile) == Some("*") {
            out.push(Finding::service(
                &s.name,
                Diagnostic::warning(format!(
                    "service `{}` trusts forwarded headers from anyone (FORWARDED_ALLOW_IPS=\"*\") but runs on `{}`, away from the proxy",
                    s.name, s.host
                ))
                .at(s.span)
                .help(format!("set env \"FORWARDED_ALLOW_IPS\" \"{}\" (the proxy host)", t.proxy_host_address())),
            ));
        }
    }
}
