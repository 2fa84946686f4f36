use super::args::BuildArgs;
use super::common::{compile, lint};
use super::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK};
use crate::output::{ChangeKind, Unowned, compare, write_tree};
use crate::render::{RenderInput, Templates, render_all};

pub fn run(args: &BuildArgs) -> i32 {
    let Some(compilation) = compile(&args.input) else {
        return EXIT_ERROR;
    };
    let templates = Templates::new(args.templates.as_deref());
    // Secrets first: a build generates and hashes what is missing (persisted
    // just before out/ is written); `--check` only reads topo.lock.
    let Some(secrets) = super::secrets::resolve_for_build(&compilation, &args.input, args.check)
    else {
        return EXIT_ERROR;
    };
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
    if !lint(
        &compilation,
        Some(&tree),
        args.templates.as_deref(),
        &args.lint,
        &args.input,
    ) {
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
        return match compare(&tree, &args.out) {
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
    match write_tree(&tree, &args.out, unowned) {
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
