//! `out/compose/<host>/compose.topo.yml`: for every Docker host, a Compose
//! override that gives each app container its OIDC environment (from its
//! profile, plus the service's `env`) and, when the identity provider is
//! lan-only, `extra_hosts` so the container resolves the issuer to the proxy.
//!
//! The client secret appears only as `${VAR:?…}`; the plaintext is in the
//! host's env file in the secrets store. Literal `$` in values is written `$$`
//! so Compose does not interpolate it.
//!
//! `extra_hosts` is tagged `!override`: Compose appends the lists of several
//! files (the base file's entry first) and glibc takes the first `/etc/hosts`
//! match, so a stale issuer entry in the base file would silently win. The
//! override replaces the container's whole list; the cost, said in the file,
//! is that other base entries of these containers must be repeated elsewhere.

mod containers;

use serde::Serialize;

use super::{RenderError, RenderInput, Target};
use crate::output::OutputTree;
use crate::secrets::env_file_display;

pub struct Compose;

#[derive(Serialize)]
struct View {
    host: String,
    env_file: String,
    issuer_host: Option<String>,
    uses_secrets: bool,
    uses_extra_hosts: bool,
    containers: Vec<containers::ContainerView>,
}

impl Target for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }

    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError> {
        let t = input.topology;
        for host in t.hosts.iter().filter(|h| h.docker) {
            let containers =
                containers::views(t, host).map_err(|e| RenderError::new(self.name(), e))?;
            if containers.is_empty() {
                continue;
            }
            let view = View {
                host: host.name.clone(),
                env_file: env_file_display(&host.name),
                issuer_host: t.identity.as_ref().map(|i| i.issuer_host().to_string()),
                uses_secrets: containers.iter().any(|c| c.secret_var.is_some()),
                uses_extra_hosts: containers.iter().any(|c| !c.extra_hosts.is_empty()),
                containers,
            };
            let text = input
                .templates
                .render("compose/compose.topo.yml.j2", &view)
                .map_err(|e| RenderError::new(self.name(), e))?;
            out.insert(format!("compose/{}/compose.topo.yml", host.name), text)
                .map_err(|e| RenderError::new(self.name(), e))?;
        }
        Ok(())
    }
}
