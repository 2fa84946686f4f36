use std::time::{Duration, Instant};

use super::args::BuildArgs;
use super::common::{compile, lint};
use super::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK};
use crate::output::{ChangeKind, Unowned, compare, write_tree};
use crate::render::{RenderInput, Templates, render_all};

/// Phase timings for `--timings`, printed when dropped (on every exit path).
struct Timings {
    enabled: bool,
    last: Instant,
    phases: Vec<(&'static str, Duration, Option<u64>)>,
}

/// Peak resident memory so far in KiB (Linux: VmHWM), for `--timings`.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Timings {
    fn new(enabled: bool) -> Self {
        Timings {
            enabled,
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    fn done(&mut self, phase: &'static str) {
        let now = Instant::now();
        let peak = if self.enabled { peak_kib() } else { None };
        self.phases.push((phase, now - self.last, peak));
        self.last = now;
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.enabled {
            let total: Duration = self.phases.iter().map(|(_, d, _)| *d).sum();
            for (phase, d, peak) in &self.phases {
                let peak = peak.map_or(String::new(), |k| {
                    format!("  (peak memory {} MiB)", k / 1024)
                });
                eprintln!("  {phase:<8} {:>8.1} ms{peak}", d.as_secs_f64() * 1e3);
            }
            eprintln!("  {:<8} {:>8.1} ms", "total", total.as_secs_f64() * 1e3);
        }
    }
}

pub fn run(args: &BuildArgs) -> i32 {
    let mut timings = Timings::new(args.timings);
    let Some(compilation) = compile(&args.input) else {
        return EXIT_ERROR;
    };
    timings.done("compile");
    let templates = Templates::new(args.templates.as_deref());
    // Secrets first: a build generates and hashes what is missing (persisted
    // just before out/ is written); `--check` only reads topo.lock.
    let Some(secrets) = super::secrets::resolve_for_build(&compilation, &args.input, args.check)
    else {
        return EXIT_ERROR;
    };
    timings.done("secrets");
    if args.verbose {
        for (client, outcome) in &secrets.outcomes {
            eprintln!("  client {client}: {outcome}");
        }
    }
    let input = RenderInput {
        topology: &compilation.topology,
        credentials: &secrets.credentials,
        templates: &templates,
    };
    let tree = match render_all(&input) {
        Ok(tree) => tree,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    timings.done("render");
    let clean = lint(
        &compilation,
        Some(&tree),
        args.templates.as_deref(),
        &args.lint,
        &args.input,
    );
    timings.done("lint");
    if !clean {
        return EXIT_ERROR;
    }
    if args.check {
        if !secrets.pending.is_empty() {
            eprintln!("{} is stale; run `topo build`:", args.out.display());
            for reason in &secrets.pending {
                println!("{reason}");
            }
            return EXIT_DIFFERS;
        }
        let compared = compare(&tree, &args.out);
        timings.done("compare");
        return match compared {
            Ok(changes) if changes.is_empty() => {
                eprintln!(
                    "{} is up to date ({} files)",
                    args.out.display(),
                    tree.len()
                );
                EXIT_OK
            }
            Ok(changes) => {
                eprintln!("{} is stale; run `topo build`:", args.out.display());
                for change in changes {
                    let what = match change.kind {
                        ChangeKind::New => "missing",
                        ChangeKind::Changed => "differs",
                        ChangeKind::Deleted => "no longer generated",
                    };
                    println!("{}/{}\t{what}", args.out.display(), change.path);
                }
                EXIT_DIFFERS
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", args.out.display());
                EXIT_ERROR
            }
        };
    }
    if !super::secrets::persist(&secrets, &args.input) {
        return EXIT_ERROR;
    }
    let unowned = if args.prune {
        Unowned::Prune
    } else {
        Unowned::Keep
    };
    let written = write_tree(&tree, &args.out, unowned);
    timings.done("write");
    match written {
        Ok(report) if report.is_unchanged() => {
            eprintln!(
                "{} is up to date ({} files)",
                args.out.display(),
                tree.len()
            );
            EXIT_OK
        }
        Ok(report) => {
            if args.verbose {
                let lists = [
                    ("new", &report.created),
                    ("changed", &report.changed),
                    ("removed", &report.deleted),
                    ("pruned", &report.pruned),
                ];
                for (what, paths) in lists {
                    for path in paths {
                        eprintln!("  {what}\t{}/{path}", args.out.display());
                    }
                }
            }
            eprintln!(
                "wrote {}: {} new, {} changed, {} removed, {} pruned ({} files)",
                args.out.display(),
                report.created.len(),
                report.changed.len(),
                report.deleted.len(),
                report.pruned.len(),
                tree.len()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}; {} was left as it was", args.out.display());
            EXIT_ERROR
        }
    }
}
