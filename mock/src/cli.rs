//! The mock's command line: the `telnyx-mock` binary (which `cargo xtask
//! mock` runs) parses a [`Cli`] and turns it into a [`Config`] with
//! [`Cli::config`]; the docs test starts the same lines in-process.

use crate::{Config, Settings};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

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
pub struct Cli {
    /// The OpenAPI document to serve (YAML or JSON, 3.0 or 3.1). Given
    /// twice, the later wins (`cargo xtask mock` passes the workspace's
    /// spec ahead of the user's arguments).
    #[arg(
        long,
        default_value = "spec/managed_accounts.yaml",
        overrides_with = "spec"
    )]
    pub spec: PathBuf,
    /// Where to listen (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:4010")]
    pub addr: SocketAddr,
    /// Managed accounts (and manager settings) to start with, as JSON
    /// (the managed-accounts document only).
    #[arg(long)]
    pub seed: Option<PathBuf>,
    /// Accept only this secret (repeatable), for every scheme: a bearer
    /// token, an API key, a basic password or `user:password`; default:
    /// any well-formed credential.
    #[arg(long = "token")]
    pub tokens: Vec<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// Do not log one line per request.
    #[arg(long)]
    pub quiet: bool,
    /// Where `POST /__mock/webhooks/{name}` delivers the document's
    /// webhooks, signed (e.g. `http://127.0.0.1:8000/webhooks`).
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// How deliveries are signed: `ed25519` (over `{timestamp}|{body}`)
    /// or `standard` (Standard Webhooks, HMAC-SHA256); default: what the
    /// document's signature headers say (`standard` when they include
    /// `webhook-id` or a signature header named `webhook-signature`,
    /// else `ed25519`).
    #[arg(long, value_name = "SCHEME")]
    pub webhook_scheme: Option<crate::engine::webhooks::Scheme>,
    /// The key to sign with: a `whsec_` secret (standard) or a base64
    /// Ed25519 seed or keypair; default: a fresh random key. The key a
    /// receiver needs is printed at start.
    #[arg(long, value_name = "KEY")]
    pub webhook_key: Option<String>,
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

    /// The server's configuration (the seed read from its file); relative
    /// paths are taken from `root`.
    pub fn config(&self, root: &std::path::Path) -> Result<Config, crate::seed::SeedError> {
        let seed = self
            .seed
            .as_deref()
            .map(|path| crate::seed::load(&root.join(path)))
            .transpose()?;
        Ok(Config {
            settings: Settings {
                tokens: self.tokens.iter().cloned().collect(),
                body_limit: self.body_limit,
                log: !self.quiet,
                webhooks: crate::engine::webhooks::WebhookSettings {
                    url: self.webhook_url.clone(),
                    scheme: self.webhook_scheme,
                    key: self
                        .webhook_key
                        .clone()
                        .map(crate::engine::webhooks::KeyText::new),
                    ..Default::default()
                },
                ..Default::default()
            },
            seed,
        })
    }
}
