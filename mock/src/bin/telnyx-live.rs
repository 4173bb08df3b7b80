//! `telnyx-live`: a live contract run against a server (`cargo xtask
//! contract --base-url URL` runs it).

use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use telnyx_mock::live::{self, LiveOptions};

/// Exercises every operation of the spec against a running server and checks
/// each response against the contract.
#[derive(Parser)]
#[command(name = "telnyx-live")]
struct Cli {
    /// The server's base URL, e.g. http://127.0.0.1:4010 or https://api.telnyx.com/v2.
    #[arg(long)]
    base_url: String,
    /// The environment variable holding the bearer token.
    #[arg(long, default_value = "TELNYX_API_KEY")]
    token_env: String,
    /// Also run the operations that create or change data.
    #[arg(long)]
    allow_writes: bool,
    /// The spec to check against.
    #[arg(long, default_value = "spec/managed_accounts.yaml")]
    spec: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Lines for people.
    Text,
    /// JSON for programs.
    Json,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let token = match std::env::var(&cli.token_env) {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            eprintln!(
                "error: no token: set the environment variable {} (or name another with --token-env)",
                cli.token_env
            );
            return ExitCode::from(2);
        }
    };
    let prepared = generator::load_file(&cli.spec)
        .map_err(|err| err.to_string())
        .and_then(|spec| {
            let api = generator::build_ir(&spec)
                .map_err(|err| format!("{}: {err}", cli.spec.display()))?;
            let validator = generator::contract::ContractValidator::new(&spec)
                .map_err(|err| err.to_string())?;
            Ok((spec, api, validator))
        });
    let (spec, api, validator) = match prepared {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let options = LiveOptions {
        base_url: cli.base_url,
        token,
        allow_writes: cli.allow_writes,
    };
    let report = match live::run(&api, &spec.document, &validator, &options).await {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    match cli.format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        },
    }
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
