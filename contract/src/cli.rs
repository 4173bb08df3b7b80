//! The contract checks' command line: the `contract` binary (which
//! `cargo xtask contract …` runs) parses a [`Cli`] and calls [`run`]; the
//! docs test runs the same lines in-process.
//!
//! - `contract --spec F [--samples DIR]`: every sample and every example in
//!   the spec against the spec's schemas;
//! - `contract --spec F check …`: arbitrary payload files;
//! - `contract --spec F --base-url URL`: a live run against a server, each
//!   response also deserialized into the generated crate's types.
//!
//! Relative `--spec` and `--samples` paths are taken from `--root` (the
//! workspace, when xtask runs it); payload files from the current folder.
//!
//! `cargo xtask contract` passes what it knows of the workspace's generated
//! crate as typed options (`LinkedCrate`: its spec and the variable its
//! secret is read from), ahead of the user's arguments; this module decides
//! how they apply (the crate's spec is the default `--spec`; its variable
//! the default `--token-env` when the spec is the crate's own). Failures
//! that stop a command are an [`Error`], which names the file, option or
//! variable at fault. What comes from the process (environment
//! variables, the generated crate linked into the binary) is given in a
//! [`Host`], so that a caller can run a command line without touching its
//! own environment.

use crate::ContractValidator;
use crate::live::{self, CrateHarness, LinkedRoundTrip, LiveOptions, RoundTrip, Secret};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Checks payloads, the sample corpus, or a running server against the
/// contract of an OpenAPI spec.
#[derive(Parser)]
#[command(name = "cargo xtask contract", bin_name = "cargo xtask contract")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<ContractCommand>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    format: Format,
    /// The spec to read (default: the spec of the generated crate, which
    /// `cargo xtask contract` passes).
    #[arg(long, global = true)]
    pub spec: Option<PathBuf>,
    /// The folder relative `--spec` and `--samples` paths start from
    /// (`cargo xtask contract` passes the workspace first; a later one wins).
    #[arg(
        long,
        default_value = ".",
        global = true,
        hide = true,
        overrides_with = "root"
    )]
    pub root: PathBuf,
    /// The sample corpus.
    #[arg(long, default_value = "spec/samples")]
    samples: PathBuf,
    /// Instead of the samples, exercise every operation against the server
    /// at this URL (a live contract run).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// With --base-url: the environment variable holding the secret the
    /// spec's security schemes ask for (a token or API key; `user:password`
    /// for basic). Not needed when no operation is secured.
    #[arg(long, value_name = "VAR", requires = "base_url")]
    token_env: Option<String>,
    /// With --base-url: also run the operations that create or change data.
    #[arg(long, requires = "base_url")]
    allow_writes: bool,
    /// With --base-url: run only this operation (repeatable), with the
    /// operations that supply its values; a guarded write (e.g. `POST
    /// /reset`) runs only when named here.
    #[arg(long = "include-operation", value_name = "ID", requires = "base_url")]
    include: Vec<String>,
    /// With --base-url: never run this operation (repeatable).
    #[arg(long = "exclude-operation", value_name = "ID", requires = "base_url")]
    exclude: Vec<String>,
    /// With --base-url: never run operations whose path template matches
    /// this regular expression (repeatable).
    #[arg(long = "exclude-path", value_name = "REGEX", requires = "base_url")]
    exclude_paths: Vec<String>,
    /// With --base-url: also deserialize every response into the types of
    /// the crate generated from this spec in DIR (a harness is built
    /// against its `contract` feature).
    #[arg(long = "crate", value_name = "DIR", requires = "base_url")]
    crate_dir: Option<PathBuf>,
    /// With --base-url: seconds allowed for each request.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        requires = "base_url"
    )]
    timeout: u64,
    /// What `cargo xtask contract` says of the generated crate.
    #[command(flatten)]
    linked: LinkedCrate,
}

/// The generated crate linked into this binary, as `cargo xtask contract`
/// describes it (hidden options: the workspace's configuration, not the
/// user's).
#[derive(Args)]
struct LinkedCrate {
    /// The spec the crate was generated from (relative to `--root`): the
    /// default `--spec`, and its types check a live run of that spec.
    #[arg(long, value_name = "FILE", global = true, hide = true)]
    linked_crate_spec: Option<PathBuf>,
    /// The variable holding the crate's secret (`{PREFIX}_API_KEY`): the
    /// default `--token-env` of a live run of the crate's own spec.
    #[arg(long, value_name = "VAR", global = true, hide = true)]
    linked_crate_token_env: Option<String>,
}

/// What stops a command before any payload is judged (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Neither `--spec` nor the linked crate's spec.
    #[error("no spec: give --spec FILE")]
    NoSpec,
    /// The spec, the samples or a payload file.
    #[error(transparent)]
    Contract(#[from] crate::ContractError),
    /// The spec does not build into the IR.
    #[error("{}: {source}", path.display())]
    Ir {
        /// The spec file.
        path: PathBuf,
        /// The generator's error (with its JSON pointer).
        source: generator::Error,
    },
    /// The live run cannot start.
    #[error(transparent)]
    Live(#[from] live::Error),
    /// An `--exclude-path` pattern is not a regular expression.
    #[error("--exclude-path {pattern}: {source}")]
    ExcludePath {
        /// The pattern given.
        pattern: String,
        /// The regex parser's message.
        source: regex::Error,
    },
    /// `--include-operation` or `--exclude-operation` names no operation.
    #[error("no operation `{id}` in {}", spec.display())]
    UnknownOperation {
        /// The operationId given.
        id: String,
        /// The spec file.
        spec: PathBuf,
    },
    /// The secret's variable is unset or empty and the spec needs it.
    #[error(
        "no credentials: set the environment variable {var} (or name another with --token-env)"
    )]
    NoSecret {
        /// The variable's name.
        var: String,
    },
    /// The spec's operations are secured and no variable was named.
    #[error(
        "the spec's operations need credentials: give --token-env VAR, the variable holding them"
    )]
    NoTokenEnv,
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The spec or the report could not be turned into JSON.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl Cli {
    /// Parses a command line (the program name first), as the binary does.
    pub fn try_parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        <Self as Parser>::try_parse_from(args)
    }

    /// The spec to read, as given (relative to `--root`).
    fn spec(&self) -> Result<&Path, Error> {
        self.spec
            .as_deref()
            .or(self.linked.linked_crate_spec.as_deref())
            .ok_or(Error::NoSpec)
    }

    /// Whether the spec read is the one the linked crate was generated from.
    fn is_linked_spec(&self, spec_path: &Path) -> bool {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        self.linked
            .linked_crate_spec
            .as_ref()
            .is_some_and(|linked| same(&self.root.join(linked), spec_path))
    }

    /// The variable holding the secret: `--token-env`, else the linked
    /// crate's when the spec is its own.
    fn token_env(&self, spec_path: &Path) -> Option<&str> {
        self.token_env.as_deref().or_else(|| {
            self.linked
                .linked_crate_token_env
                .as_deref()
                .filter(|_| self.is_linked_spec(spec_path))
        })
    }
}

#[derive(Subcommand)]
enum ContractCommand {
    /// Validate payload files: exit 0 when all are valid, 1 when any is
    /// not, 2 for usage or I/O errors.
    Check(CheckArgs),
}

#[derive(Args)]
#[command(group(ArgGroup::new("subject").required(true).args(["operation", "schema"])))]
#[command(group(ArgGroup::new("part").args(["request", "response", "query"])))]
struct CheckArgs {
    /// The operationId whose payload the files are.
    #[arg(long, value_name = "OPID", requires = "part")]
    operation: Option<String>,
    /// The files are request bodies.
    #[arg(long)]
    request: bool,
    /// The files are response bodies sent with this status.
    #[arg(long, value_name = "STATUS")]
    response: Option<u16>,
    /// The files are query parameters, as one JSON object.
    #[arg(long)]
    query: bool,
    /// The files are instances of this component schema.
    #[arg(long, value_name = "NAME", conflicts_with = "part")]
    schema: Option<String>,
    /// The payload files (JSON).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Lines for people.
    Text,
    /// JSON for programs.
    Json,
    /// JUnit XML for CI dashboards (live runs).
    Junit,
}

/// What a command takes from the process that runs it.
pub struct Host<'a> {
    /// Reads an environment variable (the secret of a live run).
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// The folder payload files are read from (the current folder: an
    /// empty path, so that reports name the files as given).
    pub cwd: &'a Path,
    /// The generated crate linked into the program, if any: its package
    /// name and its round trip (`my_api::contract::round_trip`), used for
    /// live runs of the spec `--linked-crate-spec` names.
    pub linked: Option<(&'a str, live::LinkedCheck)>,
}

/// Runs a parsed command line: exit 0 when every check passed, 1 when one
/// failed, 2 when the command could not run.
pub fn run(cli: &Cli, host: &Host<'_>) -> ExitCode {
    match &cli.command {
        None if cli.base_url.is_some() => contract_live(cli, host),
        None => contract_samples(cli),
        Some(ContractCommand::Check(check)) => contract_check(cli, check, host),
    }
}

/// Loads the spec and compiles its contract, or says why not.
fn validator(cli: &Cli) -> Result<(generator::Spec, ContractValidator), Error> {
    let spec_path = cli.root.join(cli.spec()?);
    let loaded = generator::load_file(&spec_path).map_err(crate::ContractError::Spec)?;
    let validator = ContractValidator::new(&loaded)?;
    Ok((loaded, validator))
}

fn contract_samples(cli: &Cli) -> ExitCode {
    let run = validator(cli).and_then(|(_, validator)| {
        let samples = crate::load_samples(&cli.root.join(&cli.samples))?;
        Ok(crate::run_contract(&validator, &samples, &cli.root))
    });
    let report = match run {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    match cli.format {
        Format::Text => write_stdout(&report.to_text()),
        Format::Json => write_stdout(&format!("{}\n", report.to_json())),
        Format::Junit => {
            eprintln!("error: --format junit is for live runs (--base-url)");
            return ExitCode::from(2);
        }
    }
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        if cli.format == Format::Text {
            eprintln!(
                "error: {} of {} contract check(s) failed",
                report.failed, report.checked
            );
        }
        ExitCode::FAILURE
    }
}

fn contract_check(cli: &Cli, check: &CheckArgs, host: &Host<'_>) -> ExitCode {
    use crate::Target;
    let validator = match validator(cli) {
        Ok((_, validator)) => validator,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let target = match (&check.operation, &check.schema, check.response) {
        (Some(operation), _, _) if check.request => Ok(Target::Request {
            operation: operation.clone(),
        }),
        (Some(operation), _, _) if check.query => Ok(Target::Query {
            operation: operation.clone(),
        }),
        (Some(operation), _, Some(status)) => {
            validator
                .documented_status(operation, status)
                .map(|status| Target::Response {
                    operation: operation.clone(),
                    status,
                })
        }
        (None, Some(name), _) => Ok(Target::Schema { name: name.clone() }),
        // clap's groups make the other combinations impossible; should one
        // slip through, it is a usage error (exit 2), not a panic.
        _ => {
            eprintln!(
                "error: give --operation with one of --request, --response STATUS, --query; or --schema NAME"
            );
            return ExitCode::from(2);
        }
    };
    let files: Vec<PathBuf> = check.files.iter().map(|file| host.cwd.join(file)).collect();
    let checks = target.and_then(|target| crate::check_files(&validator, &target, &files));
    let checks = match checks {
        Ok(checks) => checks,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let rendering = crate::render_check(&checks, cli.format == Format::Json);
    write_stdout(&rendering.stdout);
    eprint!("{}", rendering.stderr);
    ExitCode::from(rendering.exit_code)
}

/// The round trip of a live run: through `--crate DIR`, else through the
/// linked crate when it was generated from the same spec, else none.
fn round_trip(
    cli: &Cli,
    host: &Host<'_>,
    spec_path: &Path,
) -> Result<Option<Box<dyn RoundTrip>>, Error> {
    if let Some(dir) = &cli.crate_dir {
        let work = cli.root.join("target").join("contract-harness");
        eprintln!("building the round-trip harness for {}", dir.display());
        let harness = CrateHarness::build(dir, &work)?;
        return Ok(Some(Box::new(harness)));
    }
    let linked = host.linked.filter(|_| cli.is_linked_spec(spec_path));
    Ok(linked.map(|(crate_name, check)| {
        Box::new(LinkedRoundTrip {
            crate_name: crate_name.to_owned(),
            check,
        }) as Box<dyn RoundTrip>
    }))
}

fn contract_live(cli: &Cli, host: &Host<'_>) -> ExitCode {
    match live_run(cli, host) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn live_run(cli: &Cli, host: &Host<'_>) -> Result<ExitCode, Error> {
    let (spec, validator) = validator(cli)?;
    let api = generator::build_ir(&spec).map_err(|source| Error::Ir {
        path: spec.path.clone(),
        source,
    })?;
    let document = serde_json::to_value(&spec.document)?;
    let secured = api
        .operations
        .iter()
        .any(|op| !op.security.is_empty() && !op.security.iter().any(Vec::is_empty));
    let secret = match cli.token_env(&spec.path) {
        Some(var) => match (host.var)(var) {
            Some(secret) if !secret.trim().is_empty() => Some(Secret::new(secret)),
            _ if secured => {
                return Err(Error::NoSecret {
                    var: var.to_owned(),
                });
            }
            _ => None,
        },
        None if secured => return Err(Error::NoTokenEnv),
        None => None,
    };
    let exclude_paths = cli
        .exclude_paths
        .iter()
        .map(|pattern| {
            regex::Regex::new(pattern).map_err(|source| Error::ExcludePath {
                pattern: pattern.clone(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let known: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    for id in cli.include.iter().chain(&cli.exclude) {
        if !known.contains(&id.as_str()) {
            return Err(Error::UnknownOperation {
                id: id.clone(),
                spec: spec.path.clone(),
            });
        }
    }
    let options = LiveOptions {
        base_url: cli.base_url.clone().unwrap_or_default(),
        secret,
        allow_writes: cli.allow_writes,
        round_trip: round_trip(cli, host, &spec.path)?,
        include: cli.include.clone(),
        exclude: cli.exclude.clone(),
        exclude_paths,
        timeout: std::time::Duration::from_secs(cli.timeout),
    };
    let runtime = tokio::runtime::Runtime::new().map_err(Error::Runtime)?;
    let report = runtime.block_on(live::run(&api, &validator, &document, &options))?;
    match cli.format {
        Format::Text => write_stdout(&report.to_text()),
        Format::Json => {
            let json = serde_json::to_string_pretty(&report)?;
            write_stdout(&format!("{json}\n"));
        }
        Format::Junit => write_stdout(&report.to_junit()),
    }
    Ok(if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints to standard output; a closed pipe (`… | head`) is not an error
/// worth a panic.
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory as _;
        super::Cli::command().debug_assert();
    }

    /// What `cargo xtask contract` passes, ahead of the user's arguments.
    fn parse(user: &[&str]) -> super::Cli {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let xtask = [
            "contract",
            "--root",
            root,
            "--linked-crate-spec",
            "spec/managed_accounts.yaml",
            "--linked-crate-token-env",
            "CRATE_API_KEY",
        ];
        super::Cli::try_parse_from(xtask.iter().chain(user)).expect("parses")
    }

    #[test]
    fn the_linked_crate_supplies_the_spec_and_its_secret_variable() {
        let cli = parse(&["--base-url", "http://127.0.0.1:1"]);
        let spec = cli.spec().expect("the linked crate's spec");
        assert_eq!(spec, std::path::Path::new("spec/managed_accounts.yaml"));
        assert_eq!(cli.token_env(&cli.root.join(spec)), Some("CRATE_API_KEY"));
        // The user's own variable wins.
        let cli = parse(&["--base-url", "u", "--token-env", "MINE"]);
        assert_eq!(
            cli.token_env(&cli.root.join(cli.spec().unwrap())),
            Some("MINE")
        );
    }

    #[test]
    fn another_spec_gets_no_secret_variable_by_default() {
        let cli = parse(&["--spec", "tests/fixtures/specs/security_schemes.yaml"]);
        let spec = cli.root.join(cli.spec().unwrap());
        assert!(!cli.is_linked_spec(&spec));
        assert_eq!(cli.token_env(&spec), None);
        // Without xtask's options there is no spec at all.
        let bare = super::Cli::try_parse_from(["contract"]).unwrap();
        assert!(matches!(bare.spec(), Err(super::Error::NoSpec)));
    }

    #[test]
    fn a_root_given_later_wins_and_subcommands_still_parse() {
        let cli = parse(&["--root", "/elsewhere", "check", "--schema", "S", "f.json"]);
        assert_eq!(cli.root, std::path::Path::new("/elsewhere"));
        assert!(cli.command.is_some());
    }
}
