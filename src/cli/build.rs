//! `topo build`: compile, resolve the secrets, render, lint, then write `out/`
//! atomically (or compare it, with `--check`); an unchanged rebuild is
//! replayed from the build cache.

use super::args::BuildArgs;
use super::build_cache::BuildCache;
use super::common::{compile, compile_read, lint};
use super::timings::Timings;
use super::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK};
use crate::cache::Replay;
use crate::output::{ChangeKind, Unowned, compare, write_tree};
use crate::render::{RenderInput, Templates, render_all};

pub fn run(args: &BuildArgs) -> i32 {
    let mut timings = Timings::new(args.timings);
    let cache = BuildCache::new(args);
    timings.done("fingerprint");
    if let Some(cache) = &cache
        && let Some(code) = cache.replay(args, &mut timings)
    {
        return code;
    }
    let compiled = match &cache {
        Some(cache) => compile_read(&args.input, cache.topology_text()),
        None => compile(&args.input),
    };
    let Some(compilation) = compiled else {
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
