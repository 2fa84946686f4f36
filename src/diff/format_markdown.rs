//! GitHub-flavoured Markdown for a pull-request comment: the summary, the
//! deploy actions, a table of files, then one collapsible ```diff block per
//! file. Every piece of file content sits inside a fence longer than any
//! backtick run in it, so nothing in a file can end its block early.

use std::fmt::Write as _;

use super::format_text::{counts, display};
use super::semantic::Effect;
use super::{FileReport, Report};

pub fn render(report: &Report, stat: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### topo diff\n");
    let _ = writeln!(
        out,
        "{} → {} · {}\n",
        code(&report.old),
        code(&report.new),
        text(&report.totals().line())
    );
    summary(report, &mut out);
    actions(report, &mut out);
    let _ = writeln!(out, "#### Files\n");
    let _ = writeln!(out, "| file | status | changes |");
    let _ = writeln!(out, "|---|---|---|");
    for f in &report.files {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&code(&display(&f.path))),
            f.status.label(),
            counts(&f.diff)
        );
    }
    out.push('\n');
    if !stat {
        for f in &report.files {
            file(f, &mut out);
        }
    }
    out
}

fn summary(report: &Report, out: &mut String) {
    let _ = writeln!(out, "#### Exposure and auth\n");
    if let Some(base) = &report.summary.baseline {
        let _ = writeln!(out, "Compared with {}.\n", code(base));
    }
    match &report.summary.changes {
        None => {
            let note = report.summary.note.as_deref().unwrap_or("not available");
            let _ = writeln!(out, "> {}\n", text(note));
        }
        Some(changes) if changes.is_empty() => {
            let _ = writeln!(
                out,
                "No change in exposure, auth, hostnames, clients or DNS.\n"
            );
        }
        Some(changes) => {
            for c in changes {
                let line = match c.effect {
                    Effect::Widening => format!("⚠️ **widening**: {}", text(&c.text)),
                    Effect::Narrowing => format!("{} (narrowing)", text(&c.text)),
                    Effect::Neutral => text(&c.text),
                };
                let _ = writeln!(out, "- {line}");
            }
            out.push('\n');
        }
    }
}

fn actions(report: &Report, out: &mut String) {
    let _ = writeln!(out, "#### Deploy actions\n");
    if report.actions.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(out, "| component | host | action | command | why |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for a in &report.actions {
        let kind = serde_json::to_value(a.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let command = a.command.as_deref().map(code).unwrap_or_default();
        let why: Vec<String> = a.why.iter().map(|w| text(w)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            text(&a.component),
            text(a.host.as_deref().unwrap_or("")),
            kind,
            cell(&command),
            why.join("<br>")
        );
    }
    out.push('\n');
}

fn file(f: &FileReport, out: &mut String) {
    let mut summary = format!(
        "<code>{}</code> — {} ({})",
        html(&display(&f.path)),
        f.status.label(),
        counts(&f.diff)
    );
    if let Some(location) = &f.location {
        let _ = write!(
            summary,
            ", deployed at <code>{}</code>",
            html(&display(location))
        );
    }
    // A blank line after <summary> ends the HTML block, so the fence below is Markdown.
    let _ = writeln!(out, "<details><summary>{summary}</summary>\n");
    let mut body = String::new();
    if f.diff.binary {
        body.push_str("Binary files differ\n");
    }
    for hunk in &f.diff.hunks {
        let _ = writeln!(body, "{}", hunk.header());
        for line in &hunk.lines {
            let _ = writeln!(body, "{}{}", line.kind.sign(), line.text);
            if line.no_newline {
                body.push_str("\\ No newline at end of file\n");
            }
        }
    }
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    let _ = writeln!(out, "{fence}diff\n{body}{fence}\n\n</details>\n");
}

/// The longest run of `ch` in `s`.
fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == ch { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// An inline code span that holds any text: a fence longer than its backtick runs.
fn code(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Plain text with every Markdown-active character escaped.
fn text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
        } else if "\\`*_[]<>|#!(){}+~&".contains(c) {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// A code span in a table cell: GFM splits cells on `|` even inside code spans.
fn cell(code_span: &str) -> String {
    code_span.replace('|', "\\|")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_runs() {
        assert_eq!(longest_run("a``b```c", '`'), 3);
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(text("a|b_c"), "a\\|b\\_c");
    }
}
