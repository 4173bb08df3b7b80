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
    /// The OpenAPI document to serve (YAML or JSON, 3.0 or 3.1). Given
    /// twice, the later wins (`cargo xtask mock` passes the workspace's
    /// spec ahead of the user's arguments).
    #[arg(
        long,
        default_value = "spec/managed_accounts.yaml",
        overrides_with = "spec"
    )]
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
    /// Where `POST /__mock/webhooks/{name}` delivers the document's
    /// webhooks, signed (e.g. `http://127.0.0.1:8000/webhooks`).
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
    /// How deliveries are signed: `ed25519` (over `{timestamp}|{body}`)
    /// or `standard` (Standard Webhooks, HMAC-SHA256); default: what the
    /// document's signature headers say (`standard` when they include
    /// `webhook-id` or a signature header named `webhook-signature`,
    /// else `ed25519`).
    #[arg(long, value_name = "SCHEME")]
    webhook_scheme: Option<telnyx_mock::engine::webhooks::Scheme>,
    /// The key to sign with: a `whsec_` secret (standard) or a base64
    /// Ed25519 seed or keypair; default: a fresh random key. The key a
    /// receiver needs is printed at start.
    #[arg(long, value_name = "KEY")]
    webhook_key: Option<String>,
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
    let webhook_url = cli.webhook_url.clone();
    let config = telnyx_mock::Config {
        settings: telnyx_mock::Settings {
            tokens: cli.tokens.into_iter().collect(),
            body_limit: cli.body_limit,
            log: !cli.quiet,
            webhooks: telnyx_mock::engine::webhooks::WebhookSettings {
                url: cli.webhook_url,
                scheme: cli.webhook_scheme,
                key: cli
                    .webhook_key
                    .map(telnyx_mock::engine::webhooks::KeyText::new),
                ..Default::default()
            },
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
    if running.webhook_key.is_none() && webhook_url.is_some() {
        println!("note: --webhook-url is unused: the document has no webhooks or callbacks");
    }
    if let Some(key) = &running.webhook_key {
        // The receiver's key (an Ed25519 public key, or the mock's own
        // test secret), once: never in the per-request log.
        match key.scheme {
            telnyx_mock::engine::webhooks::Scheme::Ed25519 => println!(
                "webhooks are signed with Ed25519; verify them with the public key {}",
                key.key
            ),
            telnyx_mock::engine::webhooks::Scheme::Standard => println!(
                "webhooks are signed with Standard Webhooks (HMAC-SHA256); verify them with the secret {}",
                key.key
            ),
        }
        println!(
            "deliver one with POST {}/__mock/webhooks/{{name}} (list them: GET {}/__mock/webhooks)",
            running.base_url(),
            running.base_url()
        );
    }
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
