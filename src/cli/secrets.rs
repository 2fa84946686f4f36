//! `topo secrets …` and the secrets half of `topo build`: resolve the OIDC
//! client credentials from `topo.lock` and `.topo-secrets/`, say what happened
//! (never a plaintext, except `show`, which exists to print one on stdout).

use clap::{Args, Subcommand};

use super::args::InputArgs;
use super::common::compile;
use super::{EXIT_ERROR, EXIT_OK};
use crate::compile::Compilation;
use crate::secrets::{Mode, Resolution, SecretPaths, resolve};

#[derive(Debug, Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub command: SecretsCommand,
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Make a new client secret for SERVICE: updates topo.lock, .topo-secrets/
    /// and the host's env file, not out/ (run `topo build` next).
    #[command(after_help = "Examples:\n  topo secrets rotate litellm && topo build")]
    Rotate {
        /// The `oidc` service whose secret to replace.
        service: String,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the OIDC clients, their secret variables and where their secret and hash are.
    #[command(after_help = "Examples:\n  topo secrets list")]
    List {
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print SERVICE's plaintext client secret on stdout, for apps configured by
    /// hand (their steps use `$(topo secrets show SERVICE)`).
    #[command(after_help = "Examples:\n  topo secrets show portainer | xclip -selection clipboard")]
    Show {
        service: String,
        #[command(flatten)]
        input: InputArgs,
    },
}

pub fn run(args: &SecretsArgs) -> i32 {
    match &args.command {
        SecretsCommand::Rotate { service, input } => rotate(service, input),
        SecretsCommand::List { input } => list(input),
        SecretsCommand::Show { service, input } => show(service, input),
    }
}

/// Resolves credentials for `build` (or `build --check` when `check`), printing
/// warnings and the summary. `None` means "exit 2" (the error is printed).
pub fn resolve_for_build(
    compilation: &Compilation,
    input: &InputArgs,
    check: bool,
) -> Option<Resolution> {
    let paths = SecretPaths::beside(&input.file);
    let mode = if check { Mode::Check } else { Mode::Build };
    match resolve(&compilation.topology, &paths, mode) {
        Ok(resolution) => {
            for line in report_lines(&resolution, check) {
                eprintln!("{line}");
            }
            Some(resolution)
        }
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

/// What a build says about the secrets: warnings, then the summary.
pub fn report_lines(resolution: &Resolution, check: bool) -> Vec<String> {
    // `--check` in CI runs on a clone without the store: rendering from the
    // lock is its normal case, not worth a warning.
    if check {
        return Vec::new();
    }
    let mut lines: Vec<String> = resolution
        .warnings
        .iter()
        .map(|w| format!("warning: {w}"))
        .collect();
    let s = resolution.stats;
    if s.clients > 0 {
        lines.push(format!(
            "OIDC clients: {}; secrets generated: {}, hashed: {}, reused from topo.lock: {}",
            s.clients, s.generated, s.hashed, s.reused
        ));
    }
    lines
}

/// Writes the lock, the store and the env files; `false` means "exit 2".
pub fn persist(resolution: &Resolution, input: &InputArgs) -> bool {
    match resolution.persist(&SecretPaths::beside(&input.file)) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("error: {e}; nothing else was written");
            false
        }
    }
}

/// Compiles the topology and resolves its client secrets in `mode`, printing
/// what went wrong; `None` means "exit 2".
fn compile_and_resolve(input: &InputArgs, mode: Mode<'_>) -> Option<(Compilation, Resolution)> {
    let compilation = compile(input)?;
    let paths = SecretPaths::beside(&input.file);
    match resolve(&compilation.topology, &paths, mode) {
        Ok(resolution) => Some((compilation, resolution)),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

fn rotate(service: &str, input: &InputArgs) -> i32 {
    let Some((_, resolution)) = compile_and_resolve(input, Mode::Rotate(service)) else {
        return EXIT_ERROR;
    };
    for warning in &resolution.warnings {
        eprintln!("warning: {warning}");
    }
    if !persist(&resolution, input) {
        return EXIT_ERROR;
    }
    eprintln!(
        "rotated the client secret of `{service}`: topo.lock and {} are updated.\n\
         Next: `topo build`, then restart Authelia and recreate the app's container \
         (docker compose … up -d --force-recreate).",
        crate::secrets::STORE_DIR
    );
    EXIT_OK
}

fn list(input: &InputArgs) -> i32 {
    let Some((compilation, resolution)) = compile_and_resolve(input, Mode::Check) else {
        return EXIT_ERROR;
    };
    println!(
        "client\thost\tsecret variable\tsecret in {}\thash in topo.lock",
        crate::secrets::STORE_DIR
    );
    for s in compilation
        .topology
        .services
        .iter()
        .filter(|s| s.oidc.is_some())
    {
        let cred = resolution.credentials.get(&s.name);
        println!(
            "{}\t{}\t{}\t{}\t{}",
            s.name,
            s.host,
            crate::secrets::Credential::secret_var_for(&s.name),
            if resolution.stored_secret(&s.name).is_some() {
                "yes"
            } else {
                "no"
            },
            if cred.is_some() {
                "yes"
            } else {
                "no (run topo build)"
            },
        );
    }
    for p in &resolution.pending {
        eprintln!("note: {p}");
    }
    EXIT_OK
}

fn show(service: &str, input: &InputArgs) -> i32 {
    let Some((compilation, resolution)) = compile_and_resolve(input, Mode::Check) else {
        return EXIT_ERROR;
    };
    if !compilation
        .topology
        .services
        .iter()
        .any(|s| s.name == service && s.oidc.is_some())
    {
        eprintln!(
            "error: {}",
            crate::secrets::SecretsError::NotAClient(service.to_string())
        );
        return EXIT_ERROR;
    }
    match resolution.stored_secret(service) {
        Some(secret) => {
            println!("{}", secret.expose());
            EXIT_OK
        }
        None => {
            eprintln!(
                "error: no secret for `{service}` in {}: run `topo build` (or copy .topo-secrets/ from the machine that made it)",
                crate::secrets::STORE_DIR
            );
            EXIT_ERROR
        }
    }
}
