//! The Traefik target: `traefik/traefik.yml` (static) and
//! `traefik/dynamic/topo.yml` (file provider). The choices, and why:
//!
//! - **Entrypoint groups.** LAN entrypoints are those without `tunnel=#true`.
//!   A `lan-only` route gets one router, on the LAN entrypoints only, with the
//!   `lan-allow` IP allow-list of every `network` CIDR (judged on the TCP peer,
//!   so a forged `X-Forwarded-For` does not pass). A `public-*` route gets one
//!   router on the LAN entrypoints (`<name>`) and one on the tunnel
//!   entrypoints (`<name>-tunnel`). Every router lists its `entryPoints`.
//! - **TLS.** cloudflared speaks plain http to the tunnel entrypoint (TLS ended
//!   at Cloudflare's edge), so tunnel routers never carry `tls`; LAN routers
//!   carry `tls.certResolver` when the proxy has a `cert-resolver`, and are
//!   plain http otherwise. The static file defines the resolver when the
//!   topology says how certificates are obtained (DNS-01 through a provider,
//!   TLS-ALPN-01 or HTTP-01); a bare `cert-resolver` is only named (TOPO017).
//! - **Rules.** `Host(h)`, plus ``(Path(`/p`) || PathPrefix(`/p/`))`` for a
//!   path route (never `/pfoo`), minus every longer route under it
//!   (`&& !(…)`), so each router matches exactly what its route serves: a
//!   public router on the tunnel cannot cover a lan-only path although no
//!   lan-only router is there to outrank it. Priorities are explicit on top:
//!   1000 + the prefix length, so the longest prefix wins whatever the rules'
//!   lengths.
//! - **Auth.** `forward-auth` routes get the `forward-auth` middleware (after
//!   `lan-allow`) calling `<identity upstream>/api/authz/forward-auth` with
//!   `trustForwardHeader` and the `Remote-*` response headers; `oidc`, `app`
//!   and `none` get no auth middleware (OSS Traefik has no OIDC middleware;
//!   the app is the OIDC client). The identity provider gets its own router
//!   for its issuer host in its class and is never behind forward-auth.
//! - **Forwarded headers.** `trusted-ips` become `forwardedHeaders.trustedIPs`
//!   of the tunnel entrypoints (every entrypoint when there is no tunnel
//!   entrypoint): cloudflared's `X-Forwarded-Proto: https` survives there,
//!   while LAN clients cannot forge forwarded headers.
//! - **Versions.** Keys newer than Traefik 3.0 are emitted only for a proxy
//!   `version` that knows them ([`version::Gate`]); one unknown key makes
//!   Traefik drop the whole file. Before 3.3.6 Traefik matched unsanitized
//!   paths (`/v1/../admin` matched `/v1` and reached the app as is), so for
//!   those versions the routers of a service mixing classes also refuse `..`
//!   segments.
//! - **Names.** Readable and stable (`litellm`, `litellm-v1-tunnel`,
//!   `lan-allow`, `forward-auth`), `-2`… on a clash; middlewares and services
//!   are referenced as `name@file`. Values pass through a Go-template escape
//!   (Traefik templates the file before parsing it: `{{` would break it).

mod go_template;
mod middlewares;
mod names;
mod routers;
mod rules;
mod static_config;
mod version;
mod view;

use super::{RenderError, RenderInput, Target};
use crate::output::OutputTree;

pub struct Traefik;

pub const STATIC_FILE: &str = "traefik/traefik.yml";
pub const DYNAMIC_FILE: &str = "traefik/dynamic/topo.yml";

impl Target for Traefik {
    fn name(&self) -> &'static str {
        "traefik"
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let t = input.topology;
        let fail = |e: minijinja::Error| RenderError::new("traefik", e);
        let static_text = input
            .templates
            .render(
                "traefik/traefik.yml.j2",
                &static_config::static_view(&t.proxy),
            )
            .map_err(fail)?;
        let view = view::dynamic_view(t);
        let context = minijinja::context! {
            routers => super::lazy::lazy_seq(view.routers),
            lan_allow => view.lan_allow,
            forward_auth => view.forward_auth,
            services => super::lazy::lazy_seq(view.services),
        };
        let dynamic_text = input
            .templates
            .render("traefik/dynamic.yml.j2", &context)
            .map_err(fail)?;
        out.insert(STATIC_FILE, static_text)
            .map_err(|e| RenderError::new("traefik", e))?;
        out.insert(DYNAMIC_FILE, dynamic_text)
            .map_err(|e| RenderError::new("traefik", e))
    }
}

/// A topology compiled from KDL text, for the unit tests of this target.
#[cfg(test)]
pub(crate) use crate::compile::test_topology;

#[cfg(test)]
mod tests;
