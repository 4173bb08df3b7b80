//! A contract-faithful, stateful mock server for any OpenAPI document.
//!
//! The [`engine`] serves every operation of a document from its IR:
//! requests are routed, authenticated from the document's security
//! schemes and validated against its schemas, and refused with a status
//! and a body the document documents; CRUD-shaped resources keep state in
//! memory (a create is seen by retrieve, list, update and delete); every
//! other operation answers its example, or a body synthesized from its
//! schema. API-specific behaviour sits on top, in [`behaviours`] (today
//! the Telnyx managed accounts: filters, status transitions, channel
//! limits, seeding). The document's webhooks are delivered on request,
//! signed ([`engine::webhooks`]). Start it with [`start`] (tests, on an
//! ephemeral port) or from the command line (`cargo xtask mock`, read by
//! [`cli`]).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod behaviours;
pub mod cli;
pub mod engine;
mod error;

pub use behaviours::managed_accounts::{seed, store};
pub use engine::Settings;
pub use error::Error;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// Everything needed to build a server.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Request handling settings.
    pub settings: Settings,
    /// The managed accounts to start from (see [`seed`]); empty when `None`.
    pub seed: Option<seed::Seeded>,
}

/// Builds the axum application for the document at `spec_path`.
pub fn app(spec_path: &Path, config: Config) -> Result<axum::Router, Error> {
    build(spec_path, config).map(|(app, _)| app)
}

/// The application and what a webhook receiver verifies its deliveries
/// with (`None` when the document has no webhooks).
fn build(
    spec_path: &Path,
    config: Config,
) -> Result<(axum::Router, Option<engine::webhooks::ReceiverKey>), Error> {
    let path = || spec_path.to_owned();
    let spec = generator::load_file(spec_path).map_err(Error::Load)?;
    let api = generator::build_ir(&spec).map_err(|source| Error::Spec {
        path: path(),
        source,
    })?;
    let validator = contract::ContractValidator::new(&spec).map_err(|source| Error::Contract {
        path: path(),
        source,
    })?;
    let seeded = config.seed.is_some();
    let behaviours = behaviours::register(&api, config.seed);
    if seeded && behaviours.is_empty() {
        return Err(Error::SeedUnused { path: path() });
    }
    let document = serde_json::to_value(&spec.document).map_err(|source| Error::Json {
        path: path(),
        source,
    })?;
    let webhooks =
        engine::webhooks::Webhooks::new(&api, &config.settings.webhooks).map_err(|source| {
            Error::Webhooks {
                path: path(),
                source,
            }
        })?;
    let engine = Arc::new(engine::Engine::new(
        api,
        &document,
        validator,
        config.settings,
        behaviours,
        webhooks,
    ));
    let key = engine.webhook_key();
    let app = axum::Router::new()
        .route(
            "/__mock/webhooks",
            axum::routing::get(engine::webhooks::list),
        )
        .route(
            "/__mock/webhooks/{name}",
            axum::routing::post(engine::webhooks::deliver),
        )
        .fallback(engine::handle)
        .with_state(engine);
    Ok((app, key))
}

/// A server running in the background.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// What a webhook receiver verifies the deliveries with (`None`
    /// when the document has no webhooks).
    pub webhook_key: Option<engine::webhooks::ReceiverKey>,
    handle: tokio::task::JoinHandle<()>,
}

impl Running {
    /// `http://{addr}`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Binds `addr` (port 0 for an ephemeral one) and serves in the background.
pub async fn start(spec_path: &Path, addr: SocketAddr, config: Config) -> Result<Running, Error> {
    let (app, webhook_key) = build(spec_path, config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Listen { addr, source })?;
    let addr = listener.local_addr().map_err(Error::LocalAddr)?;
    let handle = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("mock server stopped: {err}");
        }
    });
    Ok(Running {
        addr,
        webhook_key,
        handle,
    })
}
