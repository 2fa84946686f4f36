//! KDL text → `KdlDocument` with spans. KDL 2 first; a KDL 1 file is accepted
//! through the `kdl` crate's v1 fallback. Parse errors become diagnostics
//! pointing into the user's file (not into the crate's copy of it).

mod chunks;

use kdl::KdlDocument;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Span;
use crate::source::SourceFile;

/// Parses the file and hands each parsed document to `each`, in file order:
/// one document for a small file; for a large one, pieces of whole top-level
/// nodes, parsed and handed over in parallel and dropped after `each`.
pub fn parse_each<T: Send>(
    source: &SourceFile,
    each: &(impl Fn(KdlDocument) -> T + Sync),
) -> Result<Vec<T>, Diagnostics> {
    if let Some(offset) = chunks::brace_deeper_than(&source.text, MAX_DEPTH) {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(too_deep(offset));
        return Err(diagnostics);
    }
    if source.text.len() >= chunks::PARALLEL_THRESHOLD
        && let Ok(Some(results)) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            chunks::parse_in_parallel(&source.text, each)
        }))
    {
        return Ok(results);
    }
    parse_whole(source).map(|document| vec![each(document)])
}

/// How deep blocks may nest. A topology nests two deep
/// (`service { oidc { scopes … } }`); the `kdl` parsers' time grows
/// exponentially with the depth of some invalid or slashdashed nestings
/// (vendor/kdl/TOPO.md), so deeper files are refused before parsing.
const MAX_DEPTH: usize = 8;

fn too_deep(offset: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "syntax error: blocks nested more than {MAX_DEPTH} deep"
    ))
    .at(Span::new(offset, 1))
    .label("this `{` is too deep")
    .help("a topology nests blocks two deep (`service \"x\" { oidc { scopes … } }`); is a `}` missing above? Blocks commented out with /- count too")
}

fn parse_whole(source: &SourceFile) -> Result<KdlDocument, Diagnostics> {
    // The kdl parser must never take the process down, whatever the bytes.
    let result = std::panic::catch_unwind(|| KdlDocument::parse(&source.text));
    let mut diagnostics = Diagnostics::new();
    match result {
        Ok(Ok(document)) => return Ok(document),
        Ok(Err(error)) => {
            for d in error.diagnostics {
                let message = d.message.unwrap_or_else(|| "invalid KDL syntax".into());
                let mut diagnostic = Diagnostic::error(format!("syntax error: {message}"))
                    .at(clamp(Span::from(d.span), source.text.len()));
                if let Some(label) = d.label {
                    diagnostic = diagnostic.label(label);
                }
                diagnostic = diagnostic.help(d.help.unwrap_or_else(|| {
                    "topology.kdl is KDL 2 (https://kdl.dev): `name \"arg\" key=\"value\" { children }`, booleans are #true/#false".into()
                }));
                diagnostics.push(diagnostic);
            }
        }
        Err(_) => diagnostics.push(
            Diagnostic::error("the KDL parser could not read this file")
                .at(Span::new(0, 0))
                .help("this is a bug in the KDL parser; please report it with the file attached"),
        ),
    }
    if diagnostics.is_empty() {
        diagnostics.push(Diagnostic::error("syntax error: invalid KDL").at(Span::new(0, 0)));
    }
    Err(diagnostics)
}

fn clamp(span: Span, len: usize) -> Span {
    let offset = span.offset.min(len);
    Span::new(offset, span.len.min(len - offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn src(text: &str) -> SourceFile {
        SourceFile::new(Path::new("t.kdl"), text.to_string())
    }

    /// Parses into documents (one, or a piece per part of a large file).
    fn parse(source: &SourceFile) -> Result<Vec<KdlDocument>, Diagnostics> {
        parse_each(source, &|document| document)
    }

    #[test]
    fn kdl2_and_kdl1_both_parse() {
        assert!(parse(&src("host \"a\" address=\"10.0.0.1\" docker=#true\n")).is_ok());
        assert!(parse(&src("host \"a\" address=\"10.0.0.1\" docker=true\n")).is_ok());
    }

    /// Parses on another thread; a parse that does not answer in a minute
    /// fails the test instead of hanging the suite.
    fn parse_with_deadline(text: String) -> Result<Vec<KdlDocument>, Diagnostics> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(parse(&src(&text)));
        });
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .expect("the parser answers (kdl-org/kdl-rs#177: exponential time)")
    }

    /// Nestings whose parse time grows exponentially with their depth in the
    /// `kdl` parsers (v2 and the v1 fallback).
    fn pathological(depth: usize) -> Vec<String> {
        let slashdashed = format!("{}{}", "a /-{\n".repeat(depth), "}\n".repeat(depth));
        vec![
            slashdashed.clone(),
            format!("{slashdashed}x=\n"),
            "a /-{\n".repeat(depth),
            "/- a {\n b\n".repeat(depth),
        ]
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_before_parsing() {
        // 40 levels took hours with kdl 6.7.1 as released.
        for text in pathological(40) {
            let errors = parse_with_deadline(text.clone()).unwrap_err();
            let first = errors.iter().next().unwrap();
            assert!(
                first.message.contains("nested more than 8 deep"),
                "{first:?}"
            );
            let offset = first.span.unwrap().offset;
            assert_eq!(&text[offset..offset + 1], "{");
            assert_eq!(text[..offset].matches('{').count(), MAX_DEPTH);
        }
    }

    #[test]
    fn the_worst_nestings_within_the_limit_get_an_answer() {
        for text in pathological(MAX_DEPTH) {
            let _ = parse_with_deadline(text);
        }
        assert!(parse_with_deadline(pathological(MAX_DEPTH).remove(0)).is_ok());
    }

    #[test]
    fn a_syntax_error_has_a_span() {
        let errors = parse(&src("host \"a\" {\n")).unwrap_err();
        assert!(errors.iter().all(|d| d.span.is_some()));
    }
}
