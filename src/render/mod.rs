//! The back end: the model becomes files. Each target turns the model into a
//! view (plain serializable data) and a template in `templates/` prints it.
//!
//! Adding a target: write `src/render/<target>.rs` with a type implementing
//! [`Target`], its templates under `templates/<target>/`, and add one line to
//! [`targets`]. Nothing else in the pipeline changes.

mod authelia;
mod cloudflared;
mod compose;
mod dns;
pub(crate) mod header;
mod lazy;
mod routes;
mod smoke;
mod templates;
mod traefik;
mod yaml;

pub use header::{GENERATED_MARKER, with_header};
pub use templates::Templates;
pub use yaml::yaml_scalar;

use crate::model::Topology;
use crate::output::OutputTree;
use crate::secrets::Credentials;

/// Everything a target may read. Renderers are pure: no I/O, no clock, no randomness.
pub struct RenderInput<'a> {
    pub topology: &'a Topology,
    /// Client ids and argon2id hashes of OIDC clients (never plaintext).
    pub credentials: &'a Credentials,
    pub templates: &'a Templates,
}

/// A renderer failure is a bug or a broken user template, never bad topology
/// (lowering has rejected that already).
#[derive(Debug, thiserror::Error)]
#[error("{target}: {message}")]
pub struct RenderError {
    pub target: &'static str,
    pub message: String,
}

impl RenderError {
    pub fn new(target: &'static str, message: impl std::fmt::Display) -> Self {
        Self {
            target,
            message: message.to_string(),
        }
    }
}

pub trait Target: Send + Sync {
    /// Short name, also the template folder (`traefik`, `authelia`, …).
    fn name(&self) -> &'static str;

    /// Adds this target's files (paths relative to `out/`) to `out`.
    fn render(&self, input: &RenderInput<'_>, out: &mut OutputTree) -> Result<(), RenderError>;
}

/// Every target, in output order. One line per target.
pub fn targets() -> Vec<Box<dyn Target>> {
    vec![
        Box::new(traefik::Traefik),
        Box::new(routes::Routes),
        Box::new(smoke::Smoke),
        Box::new(dns::Dns),
        Box::new(cloudflared::Cloudflared),
        Box::new(authelia::Authelia),
        Box::new(compose::Compose),
    ]
}

/// Runs every target (in parallel: they only read the model) and stamps
/// each file with the generated-file header. Files are added in target
/// order, so the result does not depend on which finished first.
pub fn render_all(input: &RenderInput<'_>) -> Result<OutputTree, RenderError> {
    use rayon::prelude::*;
    let rendered: Vec<(&'static str, Result<OutputTree, RenderError>)> = targets()
        .par_iter()
        .map(|target| {
            let mut files = OutputTree::new();
            let result = target.render(input, &mut files).map(|()| files);
            (target.name(), result)
        })
        .collect();
    let mut tree = OutputTree::new();
    for (name, files) in rendered {
        for (path, contents) in files? {
            let stamped = with_header(&path, &input.topology.source_name, contents);
            tree.insert(path, stamped)
                .map_err(|e| RenderError::new(name, e))?;
        }
    }
    Ok(tree)
}
