use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Topology;
use crate::output::OutputTree;

/// What a rule may look at.
pub struct LintContext<'a> {
    pub topology: &'a Topology,
    /// The rendered files, for rules that guard the renderers.
    pub output: Option<&'a OutputTree>,
    /// The `--templates` override directory, checked for outdated syntax.
    pub templates_dir: Option<&'a Path>,
    /// The directory of user profiles (`profiles/` next to the topology).
    pub profiles_dir: Option<&'a Path>,
}

/// One violation; `service` names the service whose `allow` list may silence it.
pub struct Finding {
    pub service: Option<String>,
    pub diagnostic: Diagnostic,
}

impl Finding {
    pub fn service(service: &str, diagnostic: Diagnostic) -> Self {
        Self {
            service: Some(service.to_string()),
            diagnostic,
        }
    }

    pub fn global(diagnostic: Diagnostic) -> Self {
        Self {
            service: None,
            diagnostic,
        }
    }
}

pub struct Rule {
    /// Stable, never reused: `TOPO001`.
    pub code: &'static str,
    /// Reads as "allow <name>": `loopback-listener`.
    pub name: &'static str,
    pub level: Severity,
    /// One line for `topo rules`.
    pub summary: &'static str,
    /// Markdown: "## What it does", "## Why is this bad?", "## Example".
    pub doc: &'static str,
    pub check: fn(&LintContext<'_>, &mut Vec<Finding>),
}
