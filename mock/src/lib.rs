//! A contract-faithful mock of the managed-accounts API.
//!
//! It serves every operation of a spec: requests are checked against the
//! spec (token, query parameters, body) and refused the way the API would
//! refuse them; the managed-account operations keep state in memory, so a
//! create is seen by retrieve, list and update; other operations answer
//! their documented example. Start it with [`start`] (tests, on an
//! ephemeral port) or from the command line (`cargo xtask mock`).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod check;
mod examples;
mod query;
mod reply;
mod routing;
pub mod seed;
mod server;
pub mod store;

pub use server::Settings;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// Everything needed to build a server.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Request handling settings.
    pub settings: Settings,
    /// The store to start from (see [`seed`]); empty when `None`.
    pub seed: Option<seed::Seeded>,
}

/// Builds the axum application for the spec at `spec_path`.
pub fn app(spec_path: &Path, config: Config) -> Result<axum::Router, String> {
    let spec = generator::load_file(spec_path).map_err(|err| err.to_string())?;
    let api =
        generator::build_ir(&spec).map_err(|err| format!("{}: {err}", spec_path.display()))?;
    let examples = examples::Examples::collect(&api);
    let validator = contract::ContractValidator::new(&spec)
        .map_err(|err| format!("{}: {err}", spec_path.display()))?;
    let checker = check::Checker::new(validator);
    let mut settings = config.settings;
    let store = match config.seed {
        Some(seeded) => {
            settings
                .non_manager_tokens
                .extend(seeded.non_manager_tokens);
            seeded.store
        }
        None => store::Store::new(store::Manager::default()),
    };
    let mock = Arc::new(server::Mock::new(api, checker, examples, store, settings));
    Ok(axum::Router::new()
        .fallback(server::handle)
        .with_state(mock))
}

/// A server running in the background.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
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
pub async fn start(spec_path: &Path, addr: SocketAddr, config: Config) -> Result<Running, String> {
    let app = app(spec_path, config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    let addr = listener.local_addr().map_err(|err| err.to_string())?;
    let handle = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("mock server stopped: {err}");
        }
    });
    Ok(Running { addr, handle })
}
