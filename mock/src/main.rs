//! `telnyx-mock`: the mock server of any OpenAPI document on the command
//! line (`cargo xtask mock` runs it).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// A contract-faithful, stateful mock server for any OpenAPI document.
///
/// Requests are routed, authenticated from the document's security
/// schemes and validated against its schemas; CRUD-shaped resources keep
/// state in memory; other operations answer their example or a body
/// synthesized from the schema. The Telnyx managed-accounts document
/// (the default) also gets its own behaviour: filters, status
/// transitions, channel limits and `--seed`.
#[derive(Parser)]
#[command(name = "telnyx-mock")]
struct Cli {
    /// The OpenAPI document to serve (YAML or JSON, 3.0 or 3.1).
    #[arg(long, default_value = "spec/managed_accounts.yaml")]
    spec: PathBuf,
    /// Where to listen (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:4010")]
    addr: SocketAddr,
    /// Managed accounts (and manager settings) to start with, as JSON
    /// (the managed-accounts document only).
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Accept only this secret (repeatable), for every scheme: a bearer
    /// token, an API key, a basic password or `user:password`; default:
    /// any well-formed credential.
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    body_limit: usize,
    /// Do not log one line per request.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let seed = match cli.seed.as_deref().map(telnyx_mock::seed::load).transpose() {
        Ok(seed) => seed,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let config = telnyx_mock::Config {
        settings: telnyx_mock::Settings {
            tokens: cli.tokens.into_iter().collect(),
            body_limit: cli.body_limit,
            log: !cli.quiet,
            ..Default::default()
        },
        seed,
    };
    let running = match telnyx_mock::start(&cli.spec, cli.addr, config).await {
        Ok(running) => running,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    println!(
        "mock server for {} listening on {}",
        cli.spec.display(),
        running.base_url()
    );
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
