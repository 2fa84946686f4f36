//! `cargo bench`: the build pipeline at N = 50, 500, 5,000 services (a
//! realistic mix from `synth`, OIDC clients with locked hashes).
//!
//! Phases in process: parse+validate, secrets from the lock, render, write
//! (a fresh out/), an unchanged rebuild's compare-and-skip, `build --check`,
//! `diff` against a deployed tree. End to end through the binary: a full
//! `topo build`, an unchanged rebuild (with the build cache, and without),
//! and copying out/ (the yardstick for
//! "an unchanged rebuild is within 3× of copying out/"). argon2id: one hash,
//! and one per core in parallel. `cargo bench -- --test` runs each once (the
//! CI smoke run). Figures and the machine: README, "Benchmarks".

mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;

use topo::compile::{Compilation, compile_source};
use topo::diagnostic::Diagnostics;
use topo::diff::{self, Baseline, Inputs, OldSide, Secrets};
use topo::output::{OutputTree, compare, write_atomically};
use topo::profiles::Catalog;
use topo::render::{RenderInput, Templates, render_all};
use topo::secrets::{Credentials, Mode, Secret, SecretPaths, hash, resolve};
use topo::source::SourceFile;

const SIZES: &[usize] = &[50, 500, 5000];

fn main() {
    divan::main();
}

fn compile_text(text: String) -> Compilation {
    let source = SourceFile::new(Path::new("topology.kdl"), text);
    compile_source(source, &Catalog::builtin(), Diagnostics::new())
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics.first()))
}

/// A project directory with the topology and its lock (no secrets store:
/// a clone, so the locked hashes are rendered as they are).
fn project(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("topology.kdl"), synth::topology(n)).unwrap();
    std::fs::write(dir.path().join("topo.lock"), synth::lock(n)).unwrap();
    dir
}

fn credentials(compilation: &Compilation, dir: &Path) -> Credentials {
    let paths = SecretPaths::beside(&dir.join("topology.kdl"));
    let resolution = resolve(&compilation.topology, &paths, Mode::Check).unwrap();
    assert_eq!(resolution.stats.hashed, 0, "every client must be locked");
    resolution.credentials
}

fn render(compilation: &Compilation, credentials: &Credentials) -> OutputTree {
    let templates = Templates::new(None);
    render_all(&RenderInput {
        topology: &compilation.topology,
        credentials,
        templates: &templates,
    })
    .unwrap()
}

/// The compiled topology and its output, as a build would make them.
fn built(n: usize) -> (tempfile::TempDir, Compilation, OutputTree) {
    let dir = project(n);
    let compilation = compile_text(synth::topology(n));
    let tree = render(&compilation, &credentials(&compilation, dir.path()));
    (dir, compilation, tree)
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn parse_and_validate(bencher: divan::Bencher, n: usize) {
    let text = synth::topology(n);
    let catalog = Catalog::builtin();
    bencher.bench(|| {
        let source = SourceFile::new(Path::new("topology.kdl"), text.clone());
        compile_source(source, &catalog, Diagnostics::new())
            .ok()
            .unwrap()
    });
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn secrets_from_lock(bencher: divan::Bencher, n: usize) {
    let dir = project(n);
    let compilation = compile_text(synth::topology(n));
    bencher.bench(|| credentials(&compilation, dir.path()));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn render_all_targets(bencher: divan::Bencher, n: usize) {
    let (dir, compilation, _) = built(n);
    let credentials = credentials(&compilation, dir.path());
    bencher.bench(|| render(&compilation, &credentials));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn write_fresh_out(bencher: divan::Bencher, n: usize) {
    let (_dir, _, tree) = built(n);
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap())
        .bench_values(|dir| write_atomically(&tree, &dir.path().join("out")).unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn unchanged_rebuild_compare(bencher: divan::Bencher, n: usize) {
    let (dir, _, tree) = built(n);
    let out = dir.path().join("out");
    write_atomically(&tree, &out).unwrap();
    bencher.bench(|| {
        let report = write_atomically(&tree, &out).unwrap();
        assert!(report.is_unchanged());
    });
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn build_check(bencher: divan::Bencher, n: usize) {
    let (dir, _, tree) = built(n);
    let out = dir.path().join("out");
    write_atomically(&tree, &out).unwrap();
    bencher.bench(|| assert!(compare(&tree, &out).unwrap().is_empty()));
}

/// The deployed tree is the output before one service in six went from
/// lan-only to public-app: the diff, its redaction and the semantic summary.
#[divan::bench(args = SIZES, sample_count = 5)]
fn diff_against_deployed(bencher: divan::Bencher, n: usize) {
    let (dir, old_model, old_tree) = built(n);
    let deployed = dir.path().join("deployed");
    write_atomically(&old_tree, &deployed).unwrap();
    let changed = synth::topology(n).replace(
        "    exposure \"lan-only\"\n    auth \"forward-auth\" policy=\"two_factor\"\n",
        "    exposure \"public-app\"\n    auth \"forward-auth\" policy=\"two_factor\"\n",
    );
    let new_model = compile_text(changed);
    let new_tree = render(&new_model, &credentials(&new_model, dir.path()));
    let baseline = Baseline {
        model: old_model.topology,
        tree: old_tree,
        label: "deployed".into(),
    };
    let old = OldSide::Dir(deployed);
    bencher.bench(|| {
        let report = diff::compare(Inputs {
            new_model: &new_model.topology,
            new_tree: &new_tree,
            new_label: "topology.kdl".into(),
            old: &old,
            baseline: Some(&baseline),
            no_baseline_note: None,
            secrets: Secrets::default(),
            context: 3,
        })
        .unwrap();
        assert!(report.has_changes());
        report
    });
}

fn topo(dir: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_topo"))
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "topo {args:?}");
}

/// `topo build` end to end (process start, compile, secrets from the lock,
/// render, lints, atomic write) into an empty out/.
#[divan::bench(args = SIZES, sample_count = 5)]
fn cli_full_build(bencher: divan::Bencher, n: usize) {
    let dir = project(n);
    bencher.bench(|| {
        let _ = std::fs::remove_dir_all(dir.path().join("out"));
        topo(dir.path(), &["build"]);
    });
}

/// `topo build` again with nothing changed: the build cache replays the
/// last report (fingerprint of the inputs, a look at out/, nothing compiled).
#[divan::bench(args = SIZES, sample_count = 5)]
fn cli_unchanged_rebuild(bencher: divan::Bencher, n: usize) {
    let dir = project(n);
    topo(dir.path(), &["build"]);
    bencher.bench(|| topo(dir.path(), &["build"]));
}

/// The same without the cache: compiled, rendered and compared; no argon2,
/// no file written.
#[divan::bench(args = SIZES, sample_count = 5)]
fn cli_unchanged_rebuild_no_cache(bencher: divan::Bencher, n: usize) {
    let dir = project(n);
    topo(dir.path(), &["build"]);
    bencher.bench(|| topo(dir.path(), &["build", "--no-cache"]));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The yardstick: copying the generated out/ (`cp -r`).
#[divan::bench(args = SIZES, sample_count = 5)]
fn copy_out(bencher: divan::Bencher, n: usize) {
    let dir = project(n);
    topo(dir.path(), &["build"]);
    let out = dir.path().join("out");
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap())
        .bench_values(|target| copy_tree(&out, &target.path().join("out")));
}

/// One new client secret hashed with Authelia's parameters.
#[divan::bench(sample_count = 5)]
fn argon2id_one_hash() -> String {
    hash::hash(&Secret::generate()).unwrap()
}

/// One hash per core, in parallel (what a build does with new clients).
#[divan::bench(sample_count = 3)]
fn argon2id_one_per_core() -> Vec<String> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let secrets: Vec<Secret> = (0..cores).map(|_| Secret::generate()).collect();
    hash::in_parallel(&secrets, "bench", |s| hash::hash(s).unwrap())
}
