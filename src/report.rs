//! Prints diagnostics for people (miette's graphical report on a terminal, a
//! plain `file:line:col: error: …` form otherwise) and for machines (JSON).

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Graphical on a terminal, plain otherwise.
    Auto,
    /// miette's graphical report with the source snippet.
    Human,
    /// `file:line:col: error: message`, one per line, with the snippet and hint.
    Plain,
    /// A JSON array of diagnostics.
    Json,
}

/// At most this many diagnostics are printed for people; a file that is not
/// KDL at all can produce tens of thousands, and the first ones say it.
pub const SHOWN: usize = 100;

/// Renders the diagnostics of a run into one string: every one as JSON, the
/// first [`SHOWN`] and a count of the rest for people.
pub fn render(
    diagnostics: &[Diagnostic],
    source: &SourceFile,
    format: ReportFormat,
    color: bool,
) -> String {
    if format == ReportFormat::Json {
        return render_json(diagnostics, source);
    }
    let shown = &diagnostics[..diagnostics.len().min(SHOWN)];
    let mut text = match format {
        ReportFormat::Human => render_graphical(shown, source, color),
        ReportFormat::Auto if color => render_graphical(shown, source, true),
        _ => render_plain(shown, source),
    };
    if diagnostics.len() > shown.len() {
        let _ = writeln!(
            text,
            "{}: … and {} more (`--format json` lists every one)",
            source.display_name,
            diagnostics.len() - shown.len()
        );
    }
    text
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn render_plain(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let code = d
            .code
            .as_deref()
            .map(|c| format!("[{c}] "))
            .unwrap_or_default();
        match d.span {
            Some(span) => {
                let (line, column) = source.line_col(span.offset);
                let _ = writeln!(
                    out,
                    "{}:{line}:{column}: {}: {code}{}",
                    source.display_name,
                    severity_word(d.severity),
                    d.message
                );
                let (text, column) = excerpt(source.line_text(span), column);
                let _ = writeln!(out, "  {line:>4} | {text}");
                let width = source
                    .slice(span)
                    .chars()
                    .take_while(|c| *c != '\n')
                    .count()
                    .clamp(1, EXCERPT);
                let label = d
                    .label
                    .as_deref()
                    .map(|l| format!(" {l}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "       | {}{}{label}",
                    " ".repeat(column - 1),
                    "^".repeat(width)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "{}: {}: {code}{}",
                    source.display_name,
                    severity_word(d.severity),
                    d.message
                );
            }
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  help: {help}");
        }
    }
    out
}

/// The widest source line printed whole; longer lines are cut around the column.
const EXCERPT: usize = 160;

/// The part of `line` shown under a diagnostic, and the 1-based column of the
/// span in it: minified or generated files can have lines of megabytes.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars = line.chars().count();
    if chars <= EXCERPT {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(EXCERPT / 3).min(chars - EXCERPT);
    let mut text: String = line.chars().skip(start).take(EXCERPT).collect();
    let mut column = column - start;
    if start > 0 {
        text.insert(0, '…');
        column += 1;
    }
    if start + EXCERPT < chars {
        text.push('…');
    }
    (text, column)
}

fn render_json(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (line, column, end_line, end_column) = match d.span {
                Some(span) => {
                    let (l, c) = source.line_col(span.offset);
                    let (el, ec) = source.line_col(span.offset + span.len);
                    (Some(l), Some(c), Some(el), Some(ec))
                }
                None => (None, None, None, None),
            };
            serde_json::json!({
                "severity": d.severity,
                "code": d.code,
                "message": d.message,
                "file": source.display_name,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "offset": d.span.map(|s| s.offset),
                "length": d.span.map(|s| s.len),
                "label": d.label,
                "help": d.help,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// Adapter from our diagnostic to miette's trait, carrying the named source.
#[derive(Debug)]
struct MietteView<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<Arc<String>>,
}

impl std::fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diagnostic
            .code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic
            .span
            .map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.diagnostic.span?;
        let label = LabeledSpan::new_with_span(self.diagnostic.label.clone(), span);
        Some(Box::new(std::iter::once(label)))
    }
}

fn render_graphical(diagnostics: &[Diagnostic], source: &SourceFile, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme);
    let mut out = String::new();
    for d in diagnostics {
        let view = MietteView {
            diagnostic: d,
            // The text is shared, not copied per diagnostic.
            source: NamedSource::new(source.display_name.clone(), Arc::clone(&source.text)),
        };
        if handler.render_report(&mut out, &view).is_err() {
            out.push_str(&render_plain(std::slice::from_ref(d), source));
        }
    }
    out
}

#[cfg(test)]
mod excerpt_tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let (text, column) = excerpt(&line, 1001);
        assert!(text.chars().count() <= EXCERPT + 2);
        assert_eq!(text.chars().nth(column - 1), Some('X'));
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(excerpt("short", 2), ("short".to_string(), 2));
    }

    #[test]
    fn people_see_the_first_diagnostics_and_a_count() {
        let source = SourceFile::new(std::path::Path::new("t.kdl"), "a\n".repeat(300));
        let many: Vec<Diagnostic> = (0..300)
            .map(|i| Diagnostic::error(format!("e{i}")).at(crate::model::Span::new(i * 2, 1)))
            .collect();
        let plain = render(&many, &source, ReportFormat::Plain, false);
        assert!(plain.contains("e99") && !plain.contains("e100:") && !plain.contains(": e100"));
        assert!(plain.contains("… and 200 more"), "{plain}");
        let json = render(&many, &source, ReportFormat::Json, false);
        assert_eq!(
            serde_json::from_str::<Vec<serde_json::Value>>(&json)
                .unwrap()
                .len(),
            300
        );
    }
}
