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
//! Every part is optional. Errors ([`SeedError`]) name the file and the
//! JSON path.

use super::store::{Account, AccountStatus, Manager, Store};
use serde::Deserialize;
use std::path::{Path, PathBuf};
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

/// Why a seed is refused: where in the file (the JSON path) and what.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The seed file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A problem in the seed file's text.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The seed file.
        path: PathBuf,
        /// The problem, with its place in the text.
        source: Box<SeedError>,
    },
    /// The text is not JSON, or not the seed's shape.
    #[error("{}{message}", at.as_ref().map(|at| format!("at {at}: ")).unwrap_or_default())]
    Shape {
        /// The JSON path of the value at fault (`None` at the top).
        at: Option<String>,
        /// serde's message.
        message: String,
    },
    /// Two accounts with one id.
    #[error("at accounts[{index}].id: id {id} is used twice")]
    DuplicateId {
        /// The second account's index.
        index: usize,
        /// The id.
        id: String,
    },
}

/// Reads a seed file.
pub fn load(path: &Path) -> Result<Seeded, SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text).map_err(|err| SeedError::InFile {
        path: path.to_owned(),
        source: Box::new(err),
    })
}

/// Parses seed text.
pub fn parse(text: &str) -> Result<Seeded, SeedError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let seed: SeedFile = serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        SeedError::Shape {
            at: (path != ".").then_some(path),
            message: err.into_inner().to_string(),
        }
    })?;
    let mut store = Store::new(seed.manager.unwrap_or_default());
    for (index, seeded) in seed.accounts.into_iter().enumerate() {
        if store.get(&seeded.account.id).is_ok() {
            return Err(SeedError::DuplicateId {
                index,
                id: seeded.account.id.to_string(),
            });
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
