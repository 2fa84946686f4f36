//! The terminal format: summary, deploy actions, then a unified diff per
//! file (or `--stat` lines), coloured when asked.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::file_diff::{FileDiff, LineKind};
use super::semantic::Effect;
use super::{FileReport, Report, Status};

/// Colours on or off.
struct Paint(bool);

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const DIM: Style = Style::new().dimmed();

pub fn render(report: &Report, color: bool, stat: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.paint(BOLD, &format!("topo diff: {} → {}", report.old, report.new))
    );
    let _ = writeln!(out, "{}", report.totals().line());
    summary(report, &p, &mut out);
    actions(report, &p, &mut out);
    let _ = writeln!(out, "\n{}", p.paint(BOLD, "Files:"));
    let width = report
        .files
        .iter()
        .map(|f| display(&f.path).len())
        .max()
        .unwrap_or(0);
    for f in &report.files {
        let _ = writeln!(
            out,
            "  {:<9} {:<width$}  {}",
            status(&p, f.status),
            display(&f.path),
            counts(&f.diff),
            width = width
        );
    }
    if stat {
        return out;
    }
    for f in &report.files {
        file(f, &p, &mut out);
    }
    out
}

fn summary(report: &Report, p: &Paint, out: &mut String) {
    let title = match &report.summary.baseline {
        Some(base) => format!("Summary ({base} → {}):", report.new),
        None => "Summary:".to_string(),
    };
    let _ = writeln!(out, "\n{}", p.paint(BOLD, &title));
    match &report.summary.changes {
        None => {
            let note = report.summary.note.as_deref().unwrap_or("not available");
            let _ = writeln!(out, "  {}", p.paint(DIM, note));
        }
        Some(changes) if changes.is_empty() => {
            let _ = writeln!(
                out,
                "  no change in exposure, auth, hostnames, clients or DNS"
            );
        }
        Some(changes) => {
            for c in changes {
                let line = match c.effect {
                    Effect::Widening => p.paint(YELLOW, &format!("! {} (widening)", c.text)),
                    Effect::Narrowing => format!("  {} (narrowing)", c.text),
                    Effect::Neutral => format!("  {}", c.text),
                };
                let _ = writeln!(out, "  {line}");
            }
        }
    }
}

fn actions(report: &Report, p: &Paint, out: &mut String) {
    let _ = writeln!(out, "\n{}", p.paint(BOLD, "Deploy actions:"));
    if report.actions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for a in &report.actions {
        let _ = writeln!(out, "  {}", a.headline());
        for why in &a.why {
            let _ = writeln!(out, "      {}", p.paint(DIM, why));
        }
    }
}

fn file(f: &FileReport, p: &Paint, out: &mut String) {
    let path = display(&f.path);
    let _ = writeln!(
        out,
        "\n{}",
        p.paint(
            BOLD,
            &format!(
                "diff topo {path} ({}: {})",
                f.status.label(),
                f.status.meaning()
            )
        )
    );
    if let Some(location) = &f.location {
        let _ = writeln!(
            out,
            "{}",
            p.paint(DIM, &format!("deployed at {}", display(location)))
        );
    }
    if f.diff.binary {
        let _ = writeln!(out, "Binary files differ");
        return;
    }
    let old = if f.status == Status::New {
        "/dev/null".to_string()
    } else {
        format!("a/{path}")
    };
    let new = if f.status == Status::Deleted {
        "/dev/null".to_string()
    } else {
        format!("b/{path}")
    };
    let _ = writeln!(out, "{}", p.paint(BOLD, &format!("--- {old}")));
    let _ = writeln!(out, "{}", p.paint(BOLD, &format!("+++ {new}")));
    for hunk in &f.diff.hunks {
        let _ = writeln!(out, "{}", p.paint(CYAN, &hunk.header()));
        for line in &hunk.lines {
            let text = format!("{}{}", line.kind.sign(), line.text);
            let shown = match line.kind {
                LineKind::Context => text,
                LineKind::Delete => p.paint(RED, &text),
                LineKind::Insert => p.paint(GREEN, &text),
            };
            let _ = writeln!(out, "{shown}");
            if line.no_newline {
                let _ = writeln!(out, "\\ No newline at end of file");
            }
        }
    }
}

fn status(p: &Paint, s: Status) -> String {
    let style = match s {
        Status::New => GREEN,
        Status::Deleted => RED,
        Status::Drift | Status::Unmanaged => YELLOW,
        Status::Changed => Style::new(),
    };
    // Pad before painting so escape codes do not eat the column width.
    p.paint(style, &format!("{:<9}", s.label()))
}

/// `+3 -1`, or `binary`.
pub fn counts(d: &FileDiff) -> String {
    if d.binary {
        "binary".to_string()
    } else {
        format!("+{} -{}", d.insertions, d.deletions)
    }
}

/// A path as one printable line: control characters become `?`.
pub fn display(path: &str) -> String {
    path.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
