//! `topo diff`: compile in memory, compare with the deployed files (or
//! another revision's output), print a redacted diff. Exit 0 no changes,
//! 1 changes, 2 error; on error nothing goes to stdout.

use std::path::{Path, PathBuf};

use clap::Args;

use super::args::{ColorChoice, InputArgs, LintArgs};
use super::common::{compile, lint, render_in_memory, stdout_color};
use super::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK};
use crate::compile::compile_file;
use crate::diff::{self, Baseline, Inputs, OldSide, Secrets, base};
use crate::report::ReportFormat;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The topology file.
    #[arg(
        short = 'f',
        long = "file",
        default_value = "topology.kdl",
        value_name = "FILE"
    )]
    pub file: PathBuf,
    /// The deployed files: a tree laid out like out/ (a copy, a mirror, a checkout).
    /// Default: the topology's `deploy` locations, else ./out.
    #[arg(long, value_name = "DIR")]
    pub against: Option<PathBuf>,
    /// Compare with the output of the topology at this git revision (for pull
    /// requests). With --against, REV is only the baseline for the summary and drift.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Per-file counts instead of the line diffs.
    #[arg(long)]
    pub stat: bool,
    /// Colours in text output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Lines of context around each change.
    #[arg(short = 'U', long = "context", default_value_t = 3, value_name = "N")]
    pub context: usize,
    /// Use templates from DIR where present (as `build --templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

pub fn run(args: &DiffArgs) -> i32 {
    match diff(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

fn diff(args: &DiffArgs) -> Result<i32, String> {
    // Diagnostics go to stderr whatever --format says: stdout is the diff.
    let input = InputArgs {
        file: args.file.clone(),
        format: ReportFormat::Auto,
        color: args.color,
    };
    let Some(compilation) = compile(&input) else {
        return Ok(EXIT_ERROR);
    };
    let new_tree =
        render_in_memory(&compilation, args.templates.as_deref()).map_err(|e| e.to_string())?;
    if lint(
        &compilation,
        Some(&new_tree),
        args.templates.as_deref(),
        &LintArgs { deny: None },
        &input,
    )
    .is_none()
    {
        return Ok(EXIT_ERROR);
    }
    let topo_dir = crate::source::dir_of(&args.file).to_path_buf();
    let revision = match &args.base {
        Some(rev) => Some(baseline_at(&args.file, rev, rev, args)?),
        None => None,
    };
    let (old, baseline, note) = match (&args.against, revision) {
        (None, Some(b)) => {
            let old = OldSide::Tree {
                tree: b.tree.clone(),
                label: b.label.clone(),
            };
            (old, Some(b), None)
        }
        (Some(dir), Some(b)) => (OldSide::Dir(dir.clone()), Some(b), None),
        (Some(dir), None) => {
            let (b, note) = baseline_beside(dir, args);
            (OldSide::Dir(dir.clone()), b, note)
        }
        (None, None) => match &compilation.topology.deploy {
            Some(deploy) => {
                let old = OldSide::Mapped {
                    deploy: deploy.clone(),
                    base_dir: topo_dir.clone(),
                };
                let note = "no summary: unknown which topology generated the deployed files; \
                            `topo diff --base REV` compares with the output of REV instead";
                (old, None, Some(note.to_string()))
            }
            None => {
                // The committed output goes with the committed topology.
                let (b, note) = committed_baseline(args);
                (OldSide::Dir(PathBuf::from("out")), b, note)
            }
        },
    };
    let secrets_dir = crate::secrets::SecretPaths::beside(&args.file).store_dir;
    let secrets = Secrets::load_store(&secrets_dir).map_err(|e| {
        format!(
            "cannot read the secrets store {}: {e}",
            secrets_dir.display()
        )
    })?;
    let report = diff::compare(Inputs {
        new_model: &compilation.topology,
        new_tree: &new_tree,
        new_label: compilation.source.display_name.clone(),
        old: &old,
        baseline: baseline.as_ref(),
        no_baseline_note: note,
        secrets,
        context: args.context,
    })?;
    if !report.has_changes() {
        return Ok(EXIT_OK);
    }
    let text = match args.format {
        DiffFormat::Text => diff::format_text::render(&report, stdout_color(args.color), args.stat),
        DiffFormat::Markdown => diff::format_markdown::render(&report, args.stat),
        DiffFormat::Json => diff::format_json::render(&report, args.stat),
    };
    print!("{}", report.guard(text));
    Ok(EXIT_DIFFERS)
}

/// Compiles and renders the topology at git revision `rev`.
fn baseline_at(file: &Path, rev: &str, label: &str, args: &DiffArgs) -> Result<Baseline, String> {
    let materialized = base::at_revision(file, rev)?;
    compile_baseline(&materialized.topology, label, args)
}

/// Compiles and renders a baseline topology file; its errors are not printed.
fn compile_baseline(path: &Path, label: &str, args: &DiffArgs) -> Result<Baseline, String> {
    let compilation = compile_file(path).map_err(|failure| {
        let first = failure
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        format!("the topology at {label} does not compile ({first}); run `topo check` on it")
    })?;
    let tree = render_in_memory(&compilation, args.templates.as_deref())
        .map_err(|e| format!("{label}: {e}"))?;
    Ok(Baseline {
        model: compilation.topology,
        tree,
        label: label.to_string(),
    })
}

/// The baseline for a deployed tree: a snapshot beside it, or the committed
/// topology when the tree is this project's own output. Never an error: the
/// summary is left out with a note instead.
fn baseline_beside(dir: &Path, args: &DiffArgs) -> (Option<Baseline>, Option<String>) {
    let attempt = match base::snapshot_beside(dir, &args.file) {
        base::Snapshot::Found(snapshot) => {
            compile_baseline(&snapshot, &snapshot.display().to_string(), args)
        }
        base::Snapshot::None => return (None, Some(no_baseline(&dir.display().to_string()))),
        base::Snapshot::WorkingFile => return committed_baseline(args),
    };
    match attempt {
        Ok(b) => (Some(b), None),
        Err(e) => (None, Some(format!("no summary: {e}"))),
    }
}

/// The working topology as committed (`HEAD`), when git tracks it.
fn committed_baseline(args: &DiffArgs) -> (Option<Baseline>, Option<String>) {
    if !base::is_tracked(&args.file) {
        return (None, Some(no_baseline("out")));
    }
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match baseline_at(&args.file, "HEAD", &format!("HEAD:{name}"), args) {
        Ok(b) => (Some(b), None),
        Err(e) => (None, Some(format!("no summary: {e}"))),
    }
}

fn no_baseline(what: &str) -> String {
    format!(
        "no summary: unknown which topology generated {what}; pass --base REV \
         (e.g. --base HEAD or --base origin/main), or keep a topology.kdl snapshot beside the deployed tree"
    )
}
