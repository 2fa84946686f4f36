use std::time::{Duration, Instant};

use super::args::BuildArgs;
use super::common::{compile, lint};
use super::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK};
use crate::cache::{
    Fingerprint, OutputOptions, Record, Replay, out_state, record_path, secret_state,
};
use crate::output::{ChangeKind, Unowned, compare, write_tree};
use crate::render::{RenderInput, Templates, render_all};
use crate::secrets::SecretPaths;

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
    let cache = BuildCache::new(args);
    timings.done("fingerprint");
    if let Some(cache) = &cache
        && let Some(code) = cache.replay(args, &mut timings)
    {
        return code;
    }
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
    let outcomes: Vec<String> = secrets
        .outcomes
        .iter()
        .map(|(client, outcome)| format!("  client {client}: {outcome}"))
        .collect();
    if args.verbose {
        for line in &outcomes {
            eprintln!("{line}");
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
    let Some(findings) = lint(
        &compilation,
        Some(&tree),
        args.templates.as_deref(),
        &args.lint,
        &args.input,
    ) else {
        return EXIT_ERROR;
    };
    timings.done("lint");
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
    if let Some(cache) = &cache {
        let replay = Replay {
            secret_lines: super::secrets::report_lines(&secrets, false),
            outcomes,
            diagnostics: findings,
            files: tree.len(),
        };
        cache.record(written.is_ok(), replay);
    }
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

/// The build cache of one `topo build` (see `crate::cache`): the fingerprint
/// of its inputs, taken before anything is read for the build itself.
struct BuildCache {
    path: std::path::PathBuf,
    fingerprint: Fingerprint,
    topology: std::path::PathBuf,
    out: std::path::PathBuf,
}

impl BuildCache {
    /// `None` when the cache is off for this build (`--check`, `--prune`,
    /// `--no-cache`) or its inputs cannot be read (the build will say why).
    fn new(args: &BuildArgs) -> Option<BuildCache> {
        if args.check || args.prune || args.no_cache {
            return None;
        }
        let options = OutputOptions {
            out: &args.out,
            templates: args.templates.as_deref(),
            report: format!("deny={:?} format={:?}", args.lint.deny, args.input.format),
        };
        let fingerprint = Fingerprint::of(&args.input.file, &options).ok()?;
        Some(BuildCache {
            path: record_path(&args.input.file, &args.out),
            fingerprint,
            topology: args.input.file.clone(),
            out: args.out.clone(),
        })
    }

    /// Prints the recorded report when nothing changed; the exit code then.
    fn replay(&self, args: &BuildArgs, timings: &mut Timings) -> Option<i32> {
        let record = Record::load(&self.path)?;
        if !record.matches(&self.fingerprint.key, &self.out) {
            return None;
        }
        let replay = record.replay;
        for line in &replay.secret_lines {
            eprintln!("{line}");
        }
        if args.verbose {
            for line in &replay.outcomes {
                eprintln!("{line}");
            }
            eprintln!(
                "  nothing changed since the last build ({}): not compiled again",
                self.path.display()
            );
        }
        let source = crate::source::SourceFile::new(
            &args.input.file,
            self.fingerprint.topology_text.clone(),
        );
        super::common::print_diagnostics(&replay.diagnostics, &source, &args.input);
        eprintln!(
            "{} is up to date ({} files)",
            args.out.display(),
            replay.files
        );
        timings.done("replay");
        Some(EXIT_OK)
    }

    /// Records a build that wrote `out/` and left the secret state as it found
    /// it; forgets the record otherwise (the next build reports differently).
    fn record(&self, written: bool, replay: Replay) {
        let unchanged_secrets = secret_state(&SecretPaths::beside(&self.topology))
            .is_ok_and(|after| after == self.fingerprint.secrets);
        let out = out_state(&self.out);
        match out {
            Ok(out) if written && unchanged_secrets => {
                let record = Record {
                    key: self.fingerprint.key.clone(),
                    out,
                    replay,
                };
                // A cache that cannot be written only costs the next build time.
                if record.save(&self.path).is_err() {
                    Record::forget(&self.path);
                }
            }
            _ => Record::forget(&self.path),
        }
    }
}
