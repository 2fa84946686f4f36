//! No input may panic: arbitrary bytes and mutated valid topologies go
//! through the whole front end (and the renderers when they compile).

use std::path::Path;

use proptest::prelude::*;
use topo::compile::compile_source;
use topo::diagnostic::Diagnostics;
use topo::profiles::Catalog;
use topo::render::{RenderInput, Templates, render_all};
use topo::secrets::Credentials;
use topo::source::SourceFile;

fn example() -> String {
    std::fs::read_to_string(crate::support::repo_root().join("topology.kdl")).unwrap()
}

/// Compiles and, when that succeeds, renders; only a panic fails the property.
fn compile_and_render(text: String) {
    let source = SourceFile::new(Path::new("topology.kdl"), text);
    let catalog = Catalog::builtin();
    if let Ok(compilation) = compile_source(source, &catalog, Diagnostics::new()) {
        let templates = Templates::new(None);
        let credentials = Credentials::new();
        let input = RenderInput {
            topology: &compilation.topology,
            credentials: &credentials,
            templates: &templates,
        };
        let _ = render_all(&input);
    }
}

/// Fragments that steer mutations toward interesting near-valid input.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "=",
    "#true",
    "#false",
    "#null",
    "true",
    "\n",
    " ",
    "/",
    "//",
    "/*",
    "*/",
    ";",
    "\\",
    "lan_only",
    "public-api",
    "oidc",
    "forward-auth",
    "route \"/v1\"",
    "route \"v1\"",
    "hostname \"x.umi4.life\"",
    "host=\"nope\"",
    "address=\"999.1.1.1\"",
    "listen=\"127.0.0.1:1\"",
    "upstream=\"http://127.0.0.1:1\"",
    "service \"litellm\" host=\"docker1\" upstream=\"http://a:1\" {}",
    "(ty)",
    "r#\"raw\"#",
    "0x10",
    "1.5e3",
    "\u{feff}",
    "é",
    "\u{202e}",
    "\0",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut text: String, mutation: &Mutation) -> String {
    match *mutation {
        Mutation::Delete { at, len } => {
            let start = floor_boundary(&text, at);
            let end = floor_boundary(&text, (start + len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Mutation::Insert { at, token } => {
            let at = floor_boundary(&text, at);
            text.insert_str(at, TOKENS[token]);
        }
        Mutation::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            text = lines.join("\n");
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            text = lines.join("\n");
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        compile_and_render(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn arbitrary_kdl_like_text_never_panics(parts in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        compile_and_render(parts.into_iter().map(|i| TOKENS[i]).collect());
    }

    #[test]
    fn mutated_example_never_panics(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let text = mutations.iter().fold(example(), apply);
        compile_and_render(text);
    }
}

#[test]
fn invalid_utf8_through_the_binary_is_a_clean_error() {
    let project = crate::support::Project::new();
    std::fs::write(project.join("topology.kdl"), b"\xff\xfe\x00\x01binary").unwrap();
    let run = project.run(&["check", "--format", "plain"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
