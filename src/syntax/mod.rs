//! KDL text → `KdlDocument` with spans. KDL 2 first; a KDL 1 file is accepted
//! through the `kdl` crate's v1 fallback. Parse errors become diagnostics
//! pointing into the user's file (not into the crate's copy of it).

mod chunks;

use kdl::KdlDocument;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Span;
use crate::source::SourceFile;

/// Parses the whole file, or returns every syntax error the parser reported.
pub fn parse(source: &SourceFile) -> Result<KdlDocument, Diagnostics> {
    if source.text.len() >= chunks::PARALLEL_THRESHOLD
        && let Ok(Some(document)) =
            std::panic::catch_unwind(|| chunks::parse_in_parallel(&source.text))
    {
        return Ok(document);
    }
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

    #[test]
    fn kdl2_and_kdl1_both_parse() {
        assert!(parse(&src("host \"a\" address=\"10.0.0.1\" docker=#true\n")).is_ok());
        assert!(parse(&src("host \"a\" address=\"10.0.0.1\" docker=true\n")).is_ok());
    }

    #[test]
    fn a_syntax_error_has_a_span() {
        let errors = parse(&src("host \"a\" {\n")).unwrap_err();
        assert!(errors.iter().all(|d| d.span.is_some()));
    }
}
