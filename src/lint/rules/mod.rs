//! One file per rule: its doc, its metadata and its check.

pub mod acme_challenge_unreachable;
pub mod callback_behind_forward_auth;
pub mod issuer_not_https_origin;
pub mod issuer_unresolvable;
pub mod lan_route_on_tunnel;
pub mod loopback_listener;
pub mod oidc_endpoint_mismatch;
pub mod outdated_syntax;
pub mod public_api_without_auth;
pub mod public_app_without_auth;
pub mod public_identity;
pub mod public_oidc_with_lan_issuer;
pub mod redirect_uri_off_host;
pub mod redundant_route;
pub mod relay_hole;
pub mod trust_everyone;
pub mod tunnel_without_trusted_ips;
pub mod undefined_cert_resolver;
pub mod upstream_path_ignored;
