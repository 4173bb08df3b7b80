//! Seeding the store from a JSON file (`--seed FILE`).
//!
//! ```json
//! {
//!   "manager": { "email": "boss@example.com", "allocatable_global_outbound_channels": 100 },
//!   "accounts": [ { "...every ManagedAccount field...": "", "status": "cancelled", "channel_limit": 10 } ],
//!   "non_manager_tokens": ["token-of-a-user-who-is-not-a-manager"]
//! }
//! ```
//!
//! Every part is optional. Errors name the file and the JSON path.

use super::store::{Account, AccountStatus, Manager, Store};
use serde::Deserialize;
use std::path::Path;
use telnyx_managed_accounts::types::ManagedAccount;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    manager: Option<Manager>,
    #[serde(default)]
    accounts: Vec<SeedAccount>,
    #[serde(default)]
    non_manager_tokens: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SeedAccount {
    #[serde(flatten)]
    account: ManagedAccount,
    #[serde(default = "enabled")]
    status: AccountStatus,
    #[serde(default)]
    channel_limit: i64,
}

fn enabled() -> AccountStatus {
    AccountStatus::Enabled
}

/// A seeded store and the tokens of non-manager users.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The store.
    pub store: Store,
    /// Tokens answered 403 where the spec documents it.
    pub non_manager_tokens: Vec<String>,
}

/// Reads a seed file.
pub fn load(path: &Path) -> Result<Seeded, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Parses seed text.
pub fn parse(text: &str) -> Result<Seeded, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let seed: SeedFile = serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if path == "." {
            inner.to_string()
        } else {
            format!("at {path}: {inner}")
        }
    })?;
    let mut store = Store::new(seed.manager.unwrap_or_default());
    for (index, seeded) in seed.accounts.into_iter().enumerate() {
        if store.get(&seeded.account.id).is_ok() {
            return Err(format!(
                "at accounts[{index}].id: id {} is used twice",
                seeded.account.id
            ));
        }
        store.accounts.push(Account {
            account: seeded.account,
            status: seeded.status,
            channel_limit: seeded.channel_limit,
        });
    }
    Ok(Seeded {
        store,
        non_manager_tokens: seed.non_manager_tokens,
    })
}
