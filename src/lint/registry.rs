use super::Rule;
use super::rules;

/// Every rule, by code. A removed rule keeps its code reserved.
pub static RULES: &[Rule] = &[
    rules::loopback_listener::RULE,
    rules::public_app_without_auth::RULE,
    rules::public_api_without_auth::RULE,
    rules::lan_route_on_tunnel::RULE,
    rules::public_identity::RULE,
    rules::issuer_not_https_origin::RULE,
    rules::redirect_uri_off_host::RULE,
    rules::issuer_unresolvable::RULE,
    rules::tunnel_without_trusted_ips::RULE,
    rules::trust_everyone::RULE,
    rules::redundant_route::RULE,
    rules::relay_hole::RULE,
    rules::callback_behind_forward_auth::RULE,
    rules::outdated_syntax::RULE,
    rules::oidc_endpoint_mismatch::RULE,
    rules::public_oidc_with_lan_issuer::RULE,
    rules::undefined_cert_resolver::RULE,
    rules::acme_challenge_unreachable::RULE,
    rules::upstream_path_ignored::RULE,
];

pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sequential_and_documented() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(
                rule.code,
                format!("TOPO{:03}", i + 1),
                "codes are assigned in order"
            );
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
            }
            assert!(
                RULES.iter().filter(|r| r.name == rule.name).count() == 1,
                "{} name reused",
                rule.name
            );
        }
    }
}
