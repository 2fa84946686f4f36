//! The front half of the pipeline, shared by every command: read the file,
//! parse, lower into the model. Nothing here writes anything.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Span, Topology};
use crate::profiles::Catalog;
use crate::source::SourceFile;

/// A topology that compiled, with any warnings met on the way.
pub struct Compilation {
    pub source: SourceFile,
    pub topology: Topology,
    pub warnings: Vec<Diagnostic>,
}

/// Why compilation stopped: the diagnostics, and the source when it was readable.
pub struct CompileFailure {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and compiles `path`. User profiles are read from `profiles/` beside it.
pub fn compile_file(path: &Path) -> Result<Compilation, CompileFailure> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let source = SourceFile::new(path, String::new());
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "run topo in the directory of topology.kdl, or name the file with -f/--file"
            } else {
                "check the path and its permissions"
            };
            return Err(CompileFailure {
                source,
                diagnostics: vec![
                    Diagnostic::error(format!("cannot read {}: {e}", path.display())).help(hint),
                ],
            });
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = SourceFile::new(path, text);
            let diagnostic = Diagnostic::error("the file is not valid UTF-8 text")
                .at(Span::new(valid_up_to, 1))
                .label("invalid byte here")
                .help("a topology is a UTF-8 KDL text file; is this a binary file or another encoding?");
            return Err(CompileFailure {
                source,
                diagnostics: vec![diagnostic],
            });
        }
    };
    compile_text(path, text)
}

/// Compiles `text`, already read from `path` (the build cache reads the file
/// once for its fingerprint and the compile). Profiles come from beside `path`.
pub fn compile_text(path: &Path, text: String) -> Result<Compilation, CompileFailure> {
    let dir = crate::source::dir_of(path);
    let (catalog, profile_errors) = Catalog::load(dir);
    let source = SourceFile::new(path, text);
    let mut diagnostics = Diagnostics::new();
    for error in profile_errors {
        diagnostics.push(
            Diagnostic::error(format!(
                "cannot load app profile {}: {}",
                error.file, error.message
            ))
            .help("see README.md, \"App profiles\", for the profile format"),
        );
    }
    compile_source(source, &catalog, diagnostics)
}

/// Compiles text already in memory (tests, fuzzing, `diff --base`).
pub fn compile_source(
    source: SourceFile,
    catalog: &Catalog,
    mut diagnostics: Diagnostics,
) -> Result<Compilation, CompileFailure> {
    // Each parsed piece is lowered at once and its syntax tree dropped.
    let lower_piece = |document: kdl::KdlDocument| crate::lower::lower_nodes(&document, catalog);
    let nodes = match crate::syntax::parse_each(&source, &lower_piece) {
        Ok(pieces) => pieces,
        Err(errors) => {
            diagnostics.extend(errors);
            return Err(CompileFailure {
                source,
                diagnostics: diagnostics.into_sorted(),
            });
        }
    };
    let lowered = crate::lower::join(&source, nodes.into_iter().flatten());
    diagnostics.extend(lowered.diagnostics);
    match lowered.topology {
        Some(topology) if !diagnostics.has_errors() => Ok(Compilation {
            source,
            topology,
            warnings: diagnostics.into_sorted(),
        }),
        _ => Err(CompileFailure {
            source,
            diagnostics: diagnostics.into_sorted(),
        }),
    }
}

/// Compiles a topology known to be good, for unit tests; panics with the
/// messages when it does not compile.
#[cfg(test)]
pub(crate) fn test_topology(text: &str) -> Topology {
    let source = SourceFile::new(Path::new("topology.kdl"), text.to_string());
    match compile_source(source, &Catalog::builtin(), Diagnostics::new()) {
        Ok(compilation) => compilation.topology,
        Err(failure) => panic!(
            "test topology does not compile: {:?}",
            failure
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        ),
    }
}
