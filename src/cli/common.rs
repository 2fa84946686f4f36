//! What commands share: compiling with diagnostics printed, colour decisions.

use std::io::IsTerminal as _;

use super::args::{ColorChoice, InputArgs};
use crate::compile::{Compilation, compile_file};
use crate::diagnostic::Diagnostic;
use crate::report::{self, ReportFormat};
use crate::source::SourceFile;

/// Whether stderr gets colours: `--color`, then NO_COLOR, then "is it a terminal".
pub fn stderr_color(choice: ColorChoice) -> bool {
    color(choice, std::io::stderr().is_terminal())
}

/// The same decision for stdout (`diff`'s text output).
pub fn stdout_color(choice: ColorChoice) -> bool {
    color(choice, std::io::stdout().is_terminal())
}

fn color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && terminal,
    }
}

/// Prints diagnostics to stderr (JSON goes to stdout, for machines).
pub fn print_diagnostics(diagnostics: &[Diagnostic], source: &SourceFile, input: &InputArgs) {
    if diagnostics.is_empty() && input.format != ReportFormat::Json {
        return;
    }
    let graphical = stderr_color(input.color) || input.format == ReportFormat::Human;
    let color = stderr_color(input.color);
    let format = match input.format {
        ReportFormat::Auto if graphical => ReportFormat::Human,
        other => other,
    };
    let text = report::render(diagnostics, source, format, color);
    if format == ReportFormat::Json {
        print!("{text}");
    } else {
        eprint!("{text}");
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        if errors > 0 {
            eprintln!(
                "{}: {errors} error(s), {warnings} warning(s); nothing was written",
                source.display_name
            );
        }
    }
}

/// Compiles the input, printing diagnostics. `None` means "exit 2".
pub fn compile(input: &InputArgs) -> Option<Compilation> {
    report_compiled(compile_file(&input.file), input)
}

/// Like [`compile`], for the text of `input.file` already read.
pub fn compile_read(input: &InputArgs, text: String) -> Option<Compilation> {
    report_compiled(crate::compile::compile_text(&input.file, text), input)
}

fn report_compiled(
    result: Result<Compilation, crate::compile::CompileFailure>,
    input: &InputArgs,
) -> Option<Compilation> {
    match result {
        // Warnings are printed with the lint findings, in one report.
        Ok(compilation) => Some(compilation),
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, &failure.source, input);
            None
        }
    }
}

/// Runs the lints over the model and the rendered tree; prints what they
/// found (with the compile warnings). `None` means an error-level finding:
/// exit 2, write nothing; otherwise the printed warnings.
pub fn lint(
    compilation: &Compilation,
    output: Option<&crate::output::OutputTree>,
    templates_dir: Option<&std::path::Path>,
    lint_args: &super::args::LintArgs,
    input: &InputArgs,
) -> Option<Vec<Diagnostic>> {
    let profiles_dir = crate::source::dir_of(&compilation.source.path).join("profiles");
    let cx = crate::lint::LintContext {
        topology: &compilation.topology,
        output,
        templates_dir,
        profiles_dir: Some(&profiles_dir),
    };
    let mut findings = compilation.warnings.clone();
    findings.extend(crate::lint::run(&cx, lint_args.deny.is_some()));
    print_diagnostics(&findings, &compilation.source, input);
    (!findings.iter().any(Diagnostic::is_error)).then_some(findings)
}

/// Renders the compiled topology in memory (for `check`, `explain`, `diff`),
/// with the OIDC credentials a build would use, read-only.
pub fn render_in_memory(
    compilation: &Compilation,
    templates_dir: Option<&std::path::Path>,
) -> Result<crate::output::OutputTree, crate::render::RenderError> {
    let templates = crate::render::Templates::new(templates_dir);
    // Read-only: the locked hashes (verified against the store where they
    // disagree); nothing is generated or written.
    let paths = crate::secrets::SecretPaths::beside(&compilation.source.path);
    let credentials =
        crate::secrets::resolve(&compilation.topology, &paths, crate::secrets::Mode::Check)
            .map(|r| r.credentials)
            .unwrap_or_default();
    let input = crate::render::RenderInput {
        topology: &compilation.topology,
        credentials: &credentials,
        templates: &templates,
    };
    crate::render::render_all(&input)
}
