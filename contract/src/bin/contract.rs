//! `contract`: the contract checks from the command line (`cargo xtask
//! contract …` runs it). The command line itself is `contract::cli`; this
//! binary gives it the process's environment and links the workspace's
//! generated crate, whose types check live responses of its own spec.

use clap::Parser as _;
use std::process::ExitCode;

/// The package name of the generated crate linked into this binary (the
/// workspace's own, whose spec `--linked-crate-spec` names).
const LINKED_CRATE: &str = "telnyx-managed-accounts";

/// The linked generated crate's side of a live run: the response body
/// through its Rust type.
fn linked_round_trip(
    operation: &str,
    status: u16,
    body: serde_json::Value,
) -> Result<(), contract::live::BoxError> {
    use telnyx_managed_accounts::contract::{Target, round_trip};
    round_trip(operation, Target::Response(status), body)
        .map(drop)
        .map_err(Into::into)
}

fn main() -> ExitCode {
    let cli = contract::cli::Cli::parse();
    let host = contract::cli::Host {
        var: &|name| std::env::var(name).ok(),
        cwd: std::path::Path::new(""),
        linked: Some((LINKED_CRATE, linked_round_trip)),
    };
    contract::cli::run(&cli, &host)
}
