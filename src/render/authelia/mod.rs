//! `out/authelia/configuration.topo.yml`: a fragment Authelia merges with the
//! user's main configuration (`--config main.yml --config configuration.topo.yml`).
//! It holds the OIDC clients (one per `oidc` service) and `access_control`
//! (one rule per `forward-auth` route). Authelia merges maps but replaces
//! lists, so the main file must not set `identity_providers.oidc.clients` or
//! `access_control`; everything else (jwks, hmac_secret, session cookies,
//! storage) stays in the user's file.

mod access_control;
mod clients;

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::output::OutputTree;

pub struct Authelia;

pub const PATH: &str = "authelia/configuration.topo.yml";

#[derive(Serialize)]
struct View {
    clients: Vec<clients::ClientView>,
    rules: Vec<access_control::RuleView>,
}

impl Target for Authelia {
    fn name(&self) -> &'static str {
        "authelia"
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let t = input.topology;
        let Some(identity) = &t.identity else {
            return Ok(());
        };
        let view = View {
            clients: clients::views(t, identity, input.credentials),
            rules: access_control::rules(t, identity),
        };
        let text = input
            .templates
            .render("authelia/configuration.topo.yml.j2", &view)
            .map_err(|e| RenderError::new(self.name(), e))?;
        out.insert(PATH, text)
            .map_err(|e| RenderError::new(self.name(), e))
    }
}
