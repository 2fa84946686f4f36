//! Command-line interface: argument parsing and one file per command. Exit
//! codes are decided here only: 0 success, 1 "differs" (`build --check`,
//! `diff`), 2 any error.

mod args;
mod build;
mod build_cache;
mod check;
mod common;
mod diff;
mod explain;
mod graph;
mod rules;
mod secrets;
mod timings;

use std::ffi::OsString;

use clap::Parser as _;

pub use args::{Cli, Command};

pub const EXIT_OK: i32 = 0;
pub const EXIT_DIFFERS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// Runs topo with `args` (including the program name) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules => rules::run(),
        Command::Graph(args) => graph::run(&args),
        Command::Secrets(args) => secrets::run(&args),
    }
}
