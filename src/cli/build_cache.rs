//! The build cache as `topo build` uses it: look before compiling, record
//! after writing (see `crate::cache` for what is fingerprinted and why).

use super::EXIT_OK;
use super::args::BuildArgs;
use super::timings::Timings;
use crate::cache::{
    Fingerprint, OutputOptions, Record, Replay, out_state, record_path, secret_state,
};
use crate::secrets::SecretPaths;

/// The build cache of one `topo build` (see `crate::cache`): the fingerprint
/// of its inputs, taken before anything is read for the build itself.
pub struct BuildCache {
    path: std::path::PathBuf,
    fingerprint: Fingerprint,
    topology: std::path::PathBuf,
    out: std::path::PathBuf,
}

impl BuildCache {
    /// `None` when the cache is off for this build (`--check`, `--prune`,
    /// `--no-cache`) or its inputs cannot be read (the build will say why).
    pub fn new(args: &BuildArgs) -> Option<BuildCache> {
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

    /// The topology as read for the fingerprint: the build compiles exactly
    /// this text, so a record can never pair one version's key with another's
    /// output.
    pub fn topology_text(&self) -> String {
        self.fingerprint.topology_text.clone()
    }

    /// Prints the recorded report when nothing changed; the exit code then.
    pub fn replay(&self, args: &BuildArgs, timings: &mut Timings) -> Option<i32> {
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
    pub fn record(&self, written: bool, replay: Replay) {
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
