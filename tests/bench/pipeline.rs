//! `cargo bench`: the build pipeline at N = 50, 500, 5,000 services.
//! Phases: parse+validate, render, write (a fresh out/), an unchanged rebuild
//! (compare only: zero writes, zero hashes), `build --check` (compare).
//! `cargo bench -- --test` runs each once (the CI smoke run).

mod synth;

use std::path::Path;

use topo::compile::{Compilation, compile_source};
use topo::diagnostic::Diagnostics;
use topo::output::{OutputTree, compare, write_atomically};
use topo::profiles::Catalog;
use topo::render::{RenderInput, Templates, render_all};
use topo::secrets::Credentials;
use topo::source::SourceFile;

const SIZES: &[usize] = &[50, 500, 5000];

fn main() {
    divan::main();
}

fn compile(n: usize) -> Compilation {
    let source = SourceFile::new(Path::new("topology.kdl"), synth::topology(n));
    compile_source(source, &Catalog::builtin(), Diagnostics::new())
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics.first()))
}

fn render(compilation: &Compilation) -> OutputTree {
    let templates = Templates::new(None);
    let credentials = Credentials::new();
    render_all(&RenderInput {
        topology: &compilation.topology,
        credentials: &credentials,
        templates: &templates,
    })
    .unwrap()
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
fn render_all_targets(bencher: divan::Bencher, n: usize) {
    let compilation = compile(n);
    bencher.bench(|| render(&compilation));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn write_fresh_out(bencher: divan::Bencher, n: usize) {
    let tree = render(&compile(n));
    bencher
        .with_inputs(|| tempfile::tempdir().unwrap())
        .bench_values(|dir| write_atomically(&tree, &dir.path().join("out")).unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn unchanged_rebuild_compare(bencher: divan::Bencher, n: usize) {
    let tree = render(&compile(n));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write_atomically(&tree, &out).unwrap();
    bencher.bench(|| {
        let report = write_atomically(&tree, &out).unwrap();
        assert!(report.is_unchanged());
    });
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn build_check(bencher: divan::Bencher, n: usize) {
    let tree = render(&compile(n));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    write_atomically(&tree, &out).unwrap();
    bencher.bench(|| assert!(compare(&tree, &out).unwrap().is_empty()));
}
