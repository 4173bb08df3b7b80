//! Project commands, run as `cargo xtask <command>`.
//!
//! Thin by design: argument parsing and calls into the `generator` library.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Project commands for the Telnyx managed-accounts generator.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the `generated/` crate from the spec.
    Generate {
        /// Generate in memory and fail with a diff if `generated/` is stale.
        #[arg(long)]
        check: bool,
        /// The spec to read (relative to the workspace root).
        #[arg(long, default_value = "spec/managed_accounts.yaml")]
        spec: PathBuf,
        /// The crate to write (relative to the workspace root).
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Check the sample payloads and every example in the spec against the
    /// spec's schemas (or, with `check`, any payload files; or, with
    /// `--base-url`, a running server).
    Contract(ContractArgs),
    /// Serve the contract-faithful mock server (`cargo xtask mock --help`
    /// for its options: --spec, --addr, --seed, --token, --quiet, ...).
    #[command(disable_help_flag = true)]
    Mock {
        /// Arguments for the mock server.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Args)]
struct ContractArgs {
    #[command(subcommand)]
    command: Option<ContractCommand>,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    format: Format,
    /// The spec to read (relative to the workspace root).
    #[arg(long, default_value = "spec/managed_accounts.yaml", global = true)]
    spec: PathBuf,
    /// The sample corpus (relative to the workspace root).
    #[arg(long, default_value = "spec/samples")]
    samples: PathBuf,
    /// Instead of the samples, exercise every operation against the server
    /// at this URL (a live contract run).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// With --base-url: the environment variable holding the bearer token.
    #[arg(
        long,
        value_name = "VAR",
        default_value = "TELNYX_API_KEY",
        requires = "base_url"
    )]
    token_env: String,
    /// With --base-url: also run the operations that create or change data.
    #[arg(long, requires = "base_url")]
    allow_writes: bool,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { check, spec, out } => generate(check, &spec, &out),
        Command::Mock { args } => run_tool("telnyx-mock", &with_default_spec(args)),
        Command::Contract(args) => match &args.command {
            None if args.base_url.is_some() => contract_live(&args),
            None => contract(&args),
            Some(ContractCommand::Check(check)) => contract_check(&args, check),
        },
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(check: bool, spec: &Path, out: &Path) -> ExitCode {
    let root = workspace_root();
    let spec_path = root.join(spec);
    let options = generator::Options {
        spec_label: spec.display().to_string(),
        command: "cargo xtask generate".to_owned(),
        lib_name: "telnyx_managed_accounts".to_owned(),
        env_prefix: "TELNYX".to_owned(),
    };
    let loaded = match generator::load_file(&spec_path) {
        Ok(loaded) => loaded,
        Err(err) => {
            match err.pointer() {
                Some(_) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    let result = generator::generate(&loaded, &options)
        .and_then(|files| generator::sync(&root.join(out), &files, check).map(|d| (files, d)));
    let (files, drift) = match result {
        Ok(done) => done,
        Err(err) => {
            // Spec errors carry a JSON pointer; say which file and line it
            // points into.
            match err.pointer().map(|p| loaded.line_of(p)) {
                Some(Some(line)) => eprintln!("error: {}:{line}: {err}", spec.display()),
                Some(None) => eprintln!("error: {}: {err}", spec.display()),
                None => eprintln!("error: {err}"),
            }
            return ExitCode::FAILURE;
        }
    };
    if check {
        if drift.is_empty() {
            println!("{} is up to date with {}", out.display(), spec.display());
            return ExitCode::SUCCESS;
        }
        for file in &drift {
            eprint!("{}", file.diff);
        }
        eprintln!(
            "error: {} file(s) in {} are stale; run `cargo xtask generate` and commit the result",
            drift.len(),
            out.display()
        );
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} of {} file(s) in {} from {}",
        drift.len(),
        files.len(),
        out.display(),
        spec.display()
    );
    ExitCode::SUCCESS
}

/// Loads the spec and compiles its contract, or says why not.
fn validator(spec: &Path) -> Result<generator::contract::ContractValidator, String> {
    let spec_path = workspace_root().join(spec);
    let loaded = generator::load_file(&spec_path).map_err(|err| err.to_string())?;
    generator::contract::ContractValidator::new(&loaded).map_err(|err| err.to_string())
}

fn contract(args: &ContractArgs) -> ExitCode {
    let root = workspace_root();
    let run = validator(&args.spec).and_then(|validator| {
        let samples = generator::contract::load_samples(&root.join(&args.samples))
            .map_err(|err| err.to_string())?;
        Ok(generator::contract::run_contract(
            &validator, &samples, &root,
        ))
    });
    let report = match run {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Text => write_stdout(&report.to_text()),
        Format::Json => write_stdout(&format!("{}\n", report.to_json())),
    }
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        if args.format == Format::Text {
            eprintln!(
                "error: {} of {} contract check(s) failed",
                report.failed, report.checked
            );
        }
        ExitCode::FAILURE
    }
}

fn contract_check(args: &ContractArgs, check: &CheckArgs) -> ExitCode {
    use generator::contract::Target;
    let validator = match validator(&args.spec) {
        Ok(validator) => validator,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let target = match (&check.operation, &check.schema) {
        (Some(operation), _) if check.request => Ok(Target::Request {
            operation: operation.clone(),
        }),
        (Some(operation), _) if check.query => Ok(Target::Query {
            operation: operation.clone(),
        }),
        (Some(operation), _) => match check.response {
            Some(status) => validator
                .documented_status(operation, status)
                .map(|status| Target::Response {
                    operation: operation.clone(),
                    status,
                }),
            None => unreachable_usage(),
        },
        (None, Some(name)) => Ok(Target::Schema { name: name.clone() }),
        (None, None) => unreachable_usage(),
    };
    let checks = target
        .and_then(|target| generator::contract::check_files(&validator, &target, &check.files));
    let checks = match checks {
        Ok(checks) => checks,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let rendering = generator::contract::render_check(&checks, args.format == Format::Json);
    write_stdout(&rendering.stdout);
    eprint!("{}", rendering.stderr);
    ExitCode::from(rendering.exit_code)
}

/// clap's groups make these combinations impossible; should one slip
/// through, it is a usage error (exit 2), not a panic.
fn unreachable_usage<T>() -> Result<T, generator::contract::ContractError> {
    eprintln!(
        "error: give --operation with one of --request, --response STATUS, --query; or --schema NAME"
    );
    std::process::exit(2)
}

/// Prints to standard output; a closed pipe (`… | head`) is not an error
/// worth a panic.
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Runs a binary of the `telnyx-mock` crate through cargo, so that the
/// server's dependencies are built only when a server is wanted, never for
/// `cargo xtask generate`.
fn run_tool(bin: &str, args: &[String]) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            "telnyx-mock",
            "--bin",
            bin,
            "--",
        ])
        .args(args)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            ExitCode::from(2)
        }
    }
}

/// `args`, with `--spec` pointing at the workspace's spec unless given.
fn with_default_spec(mut args: Vec<String>) -> Vec<String> {
    let given = args
        .iter()
        .any(|a| a == "--spec" || a.starts_with("--spec="));
    let help = args.iter().any(|a| a == "--help" || a == "-h");
    if !given && !help {
        let spec = workspace_root().join("spec/managed_accounts.yaml");
        args.push("--spec".to_owned());
        args.push(spec.display().to_string());
    }
    args
}

/// `cargo xtask contract --base-url URL`: the live run.
fn contract_live(args: &ContractArgs) -> ExitCode {
    let mut forwarded = vec![
        "--base-url".to_owned(),
        args.base_url.clone().unwrap_or_default(),
        "--token-env".to_owned(),
        args.token_env.clone(),
        "--spec".to_owned(),
        workspace_root().join(&args.spec).display().to_string(),
    ];
    if args.allow_writes {
        forwarded.push("--allow-writes".to_owned());
    }
    if args.format == Format::Json {
        forwarded.extend(["--format".to_owned(), "json".to_owned()]);
    }
    run_tool("telnyx-live", &forwarded)
}
