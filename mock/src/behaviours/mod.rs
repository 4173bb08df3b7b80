//! Behaviours of particular APIs, on top of the generic engine.
//!
//! Each is keyed by operationId and registered only when the document has
//! the operations it knows; without this module the engine is a complete
//! mock of any document on its own.

pub mod managed_accounts;

use crate::engine::behaviour::Behaviour;
use generator::ir::Api;

/// The behaviours that apply to `api`, in the order they are consulted.
pub fn register(
    api: &Api,
    seeded: Option<managed_accounts::seed::Seeded>,
) -> Vec<Box<dyn Behaviour>> {
    let mut behaviours: Vec<Box<dyn Behaviour>> = Vec::new();
    if let Some(accounts) = managed_accounts::ManagedAccounts::for_api(api, seeded) {
        behaviours.push(Box::new(accounts));
    }
    behaviours
}
