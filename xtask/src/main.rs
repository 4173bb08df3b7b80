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
    /// spec's schemas (or, with `check`, any payload files).
    Contract(ContractArgs),
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
        Command::Contract(args) => match &args.command {
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
