//! Lints: rules with a stable code, a default level and a doc ("why is this
//! bad", an example), run over the compiled model and the rendered output.
//! The story's failure classes each have one. `topo rules` lists them,
//! `topo explain TOPO001` prints a doc, a service's `allow "TOPO003"` silences
//! one rule for that service on purpose, `--deny warnings` fails on warnings.

mod registry;
pub mod rendered_yaml;
mod rule;
pub mod rules;

pub use registry::{RULES, find_rule};
pub use rule::{Finding, LintContext, Rule};

use crate::diagnostic::{Diagnostic, Severity};

/// Runs every rule; applies `allow` lists and `--deny warnings`.
pub fn run(cx: &LintContext<'_>, deny_warnings: bool) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Rules only read the model and the output: run them in parallel, then
    // report in registry order.
    let found: Vec<Vec<Finding>> = RULES
        .par_iter()
        .map(|rule| {
            let mut findings = Vec::new();
            (rule.check)(cx, &mut findings);
            findings
        })
        .collect();
    let mut out = Vec::new();
    for (rule, findings) in RULES.iter().zip(found) {
        for finding in findings {
            let allowed = finding
                .service
                .as_deref()
                .and_then(|name| cx.topology.service(name))
                .is_some_and(|s| s.allow.iter().any(|c| c.eq_ignore_ascii_case(rule.code)));
            if allowed {
                continue;
            }
            let mut diagnostic = finding.diagnostic.code(rule.code);
            diagnostic.severity = match rule.level {
                Severity::Warning if deny_warnings => Severity::Error,
                level => level,
            };
            if diagnostic.help.is_none() {
                diagnostic.help = Some(format!("see `topo explain {}`", rule.code));
            }
            out.push(diagnostic);
        }
    }
    out
}
