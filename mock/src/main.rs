//! `telnyx-mock`: the mock server of any OpenAPI document on the command
//! line (`cargo xtask mock` runs it).

use clap::Parser as _;
use std::process::ExitCode;
use telnyx_mock::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match cli.config(std::path::Path::new(".")) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
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
    if running.webhook_key.is_none() && cli.webhook_url.is_some() {
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
