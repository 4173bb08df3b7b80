//! `contract`: the contract checks from the command line (`cargo xtask
//! contract …` runs it).
//!
//! - `contract --spec F [--samples DIR]`: every sample and every example in
//!   the spec against the spec's schemas;
//! - `contract --spec F check …`: arbitrary payload files;
//! - `contract --spec F --base-url URL`: a live run against a server, each
//!   response also deserialized into the generated crate's types.
//!
//! Relative `--spec` and `--samples` paths are taken from `--root` (the
//! workspace, when xtask runs it); payload files from the current folder.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use contract::ContractValidator;
use contract::live::{self, CrateHarness, LinkedRoundTrip, LiveOptions, RoundTrip, Secret};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Checks payloads, the sample corpus, or a running server against the
/// contract of an OpenAPI spec.
#[derive(Parser)]
#[command(name = "cargo xtask contract", bin_name = "cargo xtask contract")]
struct Cli {
    #[command(subcommand)]
    command: Option<ContractCommand>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    format: Format,
    /// The spec to read (required; `cargo xtask contract` passes the
    /// generated crate's spec).
    #[arg(long, global = true)]
    spec: Option<PathBuf>,
    /// The folder relative `--spec` and `--samples` paths start from.
    #[arg(long, default_value = ".", global = true, hide = true)]
    root: PathBuf,
    /// The sample corpus.
    #[arg(long, default_value = "spec/samples")]
    samples: PathBuf,
    /// Instead of the samples, exercise every operation against the server
    /// at this URL (a live contract run).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
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
    /// The spec the crate linked into this binary was generated from (set
    /// by `cargo xtask contract`): its types check a live run of that spec.
    #[arg(long, value_name = "FILE", hide = true)]
    linked_crate_spec: Option<PathBuf>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        None if cli.base_url.is_some() => contract_live(&cli),
        None => contract_samples(&cli),
        Some(ContractCommand::Check(check)) => contract_check(&cli, check),
    }
}

/// Loads the spec and compiles its contract, or says why not.
fn validator(cli: &Cli) -> Result<(generator::Spec, ContractValidator), String> {
    let spec = cli.spec.as_ref().ok_or("no spec: give --spec FILE")?;
    let spec_path = cli.root.join(spec);
    let loaded = generator::load_file(&spec_path).map_err(|err| err.to_string())?;
    let validator = ContractValidator::new(&loaded).map_err(|err| err.to_string())?;
    Ok((loaded, validator))
}

fn contract_samples(cli: &Cli) -> ExitCode {
    let run = validator(cli).and_then(|(_, validator)| {
        let samples =
            contract::load_samples(&cli.root.join(&cli.samples)).map_err(|err| err.to_string())?;
        Ok(contract::run_contract(&validator, &samples, &cli.root))
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

fn contract_check(cli: &Cli, check: &CheckArgs) -> ExitCode {
    use contract::Target;
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
    let checks = target.and_then(|target| contract::check_files(&validator, &target, &check.files));
    let checks = match checks {
        Ok(checks) => checks,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let rendering = contract::render_check(&checks, cli.format == Format::Json);
    write_stdout(&rendering.stdout);
    eprint!("{}", rendering.stderr);
    ExitCode::from(rendering.exit_code)
}

/// The package name of the generated crate linked into this binary (the
/// workspace's own, whose spec `--linked-crate-spec` names).
const LINKED_CRATE: &str = "telnyx-managed-accounts";

/// The linked generated crate's side of a live run: the response body
/// through its Rust type.
fn linked_round_trip(operation: &str, status: u16, body: serde_json::Value) -> Result<(), String> {
    use telnyx_managed_accounts::contract::{Target, round_trip};
    round_trip(operation, Target::Response(status), body)
        .map(drop)
        .map_err(|err| err.to_string())
}

/// The round trip of a live run: through `--crate DIR`, else through the
/// linked crate when it was generated from the same spec, else none.
fn round_trip(cli: &Cli, spec_path: &Path) -> Result<Option<Box<dyn RoundTrip>>, String> {
    if let Some(dir) = &cli.crate_dir {
        let work = cli.root.join("target").join("contract-harness");
        eprintln!("building the round-trip harness for {}", dir.display());
        let harness = CrateHarness::build(dir, &work)?;
        return Ok(Some(Box::new(harness)));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let linked = cli
        .linked_crate_spec
        .as_ref()
        .is_some_and(|linked| same(&cli.root.join(linked), spec_path));
    Ok(linked.then(|| {
        Box::new(LinkedRoundTrip {
            crate_name: LINKED_CRATE.to_owned(),
            check: linked_round_trip,
        }) as Box<dyn RoundTrip>
    }))
}

fn contract_live(cli: &Cli) -> ExitCode {
    match live_run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn live_run(cli: &Cli) -> Result<ExitCode, String> {
    let (spec, validator) = validator(cli)?;
    let api =
        generator::build_ir(&spec).map_err(|err| format!("{}: {err}", spec.path.display()))?;
    let document = serde_json::to_value(&spec.document).map_err(|err| err.to_string())?;
    let secured = api
        .operations
        .iter()
        .any(|op| !op.security.is_empty() && !op.security.iter().any(Vec::is_empty));
    let secret = match cli.token_env.as_deref() {
        Some(var) => match std::env::var(var) {
            Ok(secret) if !secret.trim().is_empty() => Some(Secret::new(secret)),
            _ if secured => {
                return Err(format!(
                    "no credentials: set the environment variable {var} (or name another with --token-env)"
                ));
            }
            _ => None,
        },
        None if secured => {
            return Err(
                "the spec's operations need credentials: give --token-env VAR, the variable holding them"
                    .to_owned(),
            );
        }
        None => None,
    };
    let exclude_paths = cli
        .exclude_paths
        .iter()
        .map(|text| regex::Regex::new(text).map_err(|err| format!("--exclude-path {text}: {err}")))
        .collect::<Result<Vec<_>, _>>()?;
    let known: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    for id in cli.include.iter().chain(&cli.exclude) {
        if !known.contains(&id.as_str()) {
            return Err(format!("no operation `{id}` in {}", spec.path.display()));
        }
    }
    let options = LiveOptions {
        base_url: cli.base_url.clone().unwrap_or_default(),
        secret,
        allow_writes: cli.allow_writes,
        round_trip: round_trip(cli, &spec.path)?,
        include: cli.include.clone(),
        exclude: cli.exclude.clone(),
        exclude_paths,
        timeout: std::time::Duration::from_secs(cli.timeout),
    };
    telnyx_managed_accounts::install_tls_provider();
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|err| format!("cannot start the async runtime: {err}"))?;
    let report = runtime.block_on(live::run(&api, &validator, &document, &options))?;
    match cli.format {
        Format::Text => write_stdout(&report.to_text()),
        Format::Json => {
            let json = serde_json::to_string_pretty(&report).map_err(|err| err.to_string())?;
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
}
