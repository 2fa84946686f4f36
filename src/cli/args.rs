use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::ReportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "topo",
    version,
    about = "Compile one topology.kdl into Traefik, Authelia, Compose, split-DNS and tunnel config",
    long_about = "topo compiles a declarative topology (where services run, how each hostname and \
path is exposed, how it is authenticated) into the configuration of the real systems, and \
diffs that output against what is deployed.",
    after_help = "Examples:\n  topo check\n  topo build\n  topo build --check   # in CI: fail when out/ is stale"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and validate the topology; write nothing.
    #[command(
        after_help = "Examples:\n  topo check\n  topo check --deny warnings   # in CI\n  topo check -f lab/topology.kdl --format json"
    )]
    Check(CheckArgs),
    /// Compile the topology and write out/ atomically (all files or none).
    #[command(
        after_help = "Examples:\n  topo build\n  topo build -f topology.kdl -o out\n  topo build --check   # exit 1 and list stale files when out/ is not current"
    )]
    Build(BuildArgs),
    /// Show what a deploy would change: a redacted diff against the deployed files; exit 1 on changes.
    #[command(
        after_help = "Examples:\n  topo diff                                  # against the deploy locations, else ./out\n  topo diff --against /srv/deployed/out\n  topo diff --base origin/main --format markdown   # for a pull-request comment\n  topo diff --stat"
    )]
    Diff(super::diff::DiffArgs),
    /// Explain a lint rule (`topo explain TOPO004`) or trace a request (`topo explain https://host/path --from lan`).
    #[command(
        after_help = "Examples:\n  topo explain TOPO009\n  topo explain https://litellm.umi4.life/ui --from internet\n  topo explain https://litellm.umi4.life/ui --from lan\n  topo explain https://hermes.umi4.life/ --from 203.0.113.7"
    )]
    Explain(ExplainArgs),
    /// List every lint rule with its code, level and summary.
    #[command(after_help = "Examples:\n  topo rules")]
    Rules,
    /// Print the topology diagram (public data plane, private control plane).
    #[command(
        after_help = "Examples:\n  topo graph\n  topo graph --format dot | dot -Tsvg > topology.svg"
    )]
    Graph(GraphArgs),
    /// OIDC client secrets: rotate one, list them, show one (for manual setup).
    #[command(
        after_help = "Examples:\n  topo secrets rotate litellm\n  topo secrets list\n  topo secrets show portainer"
    )]
    Secrets(super::secrets::SecretsArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (TOPO001) or name, or an https:// URL to trace.
    pub subject: String,
    /// Where the request comes from: internet, lan, or a client IP address.
    #[arg(long, default_value = "internet", value_name = "internet|lan|IP")]
    pub from: String,
    /// Arrive directly at this proxy entrypoint (e.g. a port forward) instead
    /// of through DNS and the tunnel.
    #[arg(long, value_name = "NAME")]
    pub entrypoint: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The diagram language (`--as` works too). Diagnostics are printed as on `check`.
    #[arg(long = "format", visible_alias = "as", value_enum, default_value_t = GraphFormat::Mermaid)]
    pub graph_format: GraphFormat,
    /// The topology file.
    #[arg(
        short = 'f',
        long = "file",
        default_value = "topology.kdl",
        value_name = "FILE"
    )]
    pub file: PathBuf,
    /// Colors in diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

impl GraphArgs {
    /// `--format` names the diagram here, so diagnostics use the automatic format.
    pub fn input(&self) -> InputArgs {
        InputArgs {
            file: self.file.clone(),
            format: ReportFormat::Auto,
            color: self.color,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

/// Options every command that reads a topology takes.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The topology file.
    #[arg(
        short = 'f',
        long = "file",
        default_value = "topology.kdl",
        value_name = "FILE"
    )]
    pub file: PathBuf,
    /// How diagnostics are printed: graphical on a terminal, plain otherwise.
    #[arg(long, value_enum, default_value_t = ReportFormat::Auto)]
    pub format: ReportFormat,
    /// Colors in diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub lint: LintArgs,
    /// Check the output of these template overrides too (as `build --templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// Lint options shared by `check` and `build`.
#[derive(Debug, Args, Clone)]
pub struct LintArgs {
    /// Treat warnings as errors (for CI): `--deny warnings`.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<DenyLevel>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    Warnings,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub lint: LintArgs,
    /// Output directory.
    #[arg(short = 'o', long = "out", default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Write nothing; exit 1 and list the stale files when out/ differs from a build.
    #[arg(long)]
    pub check: bool,
    /// Use templates from DIR where present instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Also remove files in the output directory that topo did not generate.
    #[arg(long)]
    pub prune: bool,
    /// Say what happened to each OIDC client secret and each file (never a secret).
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Print how long each phase took (compile, secrets, render, lint, write).
    #[arg(long)]
    pub timings: bool,
    /// Build even when nothing changed since the last build (see `.topo-cache/`).
    #[arg(long)]
    pub no_cache: bool,
}
