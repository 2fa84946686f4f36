//! What commands share: compiling with diagnostics printed, colour decisions.

use std::io::IsTerminal as _;

use super::args::{ColorChoice, InputArgs};
use crate::compile::{Compilation, compile_file};
use crate::diagnostic::Diagnostic;
use crate::report::{self, ReportFormat};
use crate::source::SourceFile;

/// Whether stderr gets colours: `--color`, then NO_COLOR, then "is it a terminal".
pub fn stderr_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
    }
}

#[allow(dead_code)] // used by `diff` for coloured output
pub fn stdout_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
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
            eprintln!("{}: {errors} error(s), {warnings} warning(s); nothing was written", source.display_name);
        }
    }
}

/// Compiles the input, printing diagnostics. `None` means "exit 2".
pub fn compile(input: &InputArgs) -> Option<Compilation> {
    match compile_file(&input.file) {
        Ok(compilation) => {
            print_diagnostics(&compilation.warnings, &compilation.source, input);
            Some(compilation)
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, &failure.source, input);
            None
        }
    }
}
