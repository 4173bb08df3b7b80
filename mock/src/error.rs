//! What stops the mock from starting: the document, the seed or the
//! webhook settings it was given, each error naming the file (and, for a
//! spec problem, the generator's JSON pointer) or the option at fault.
//! Requests the mock refuses are not errors of this kind: they are answered
//! (see `engine::refuse`).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why a server could not be built or started.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The document could not be read or parsed (the message names the
    /// file and line).
    #[error(transparent)]
    Load(generator::Error),

    /// The document does not build into the IR, or into JSON.
    #[error("{}: {source}", path.display())]
    Spec {
        /// The document.
        path: PathBuf,
        /// The generator's error (with its JSON pointer).
        source: generator::Error,
    },

    /// The document's schemas do not compile into a validator.
    #[error("{}: {source}", path.display())]
    Contract {
        /// The document.
        path: PathBuf,
        /// The validator's error (with its JSON pointer).
        source: contract::ContractError,
    },

    /// The document could not be turned into JSON (for examples).
    #[error("{}: {source}", path.display())]
    Json {
        /// The document.
        path: PathBuf,
        /// serde_json's message.
        source: serde_json::Error,
    },

    /// `--seed` for a document without managed-account operations.
    #[error("{}: a seed was given, but the document has no managed-account operations", path.display())]
    SeedUnused {
        /// The document.
        path: PathBuf,
    },

    /// The webhook key or URL given is not usable.
    #[error("{}: {source}", path.display())]
    Webhooks {
        /// The document.
        path: PathBuf,
        /// Which option is at fault, and why (never the key).
        source: crate::engine::webhooks::Error,
    },

    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// The bound socket has no local address.
    #[error("{0}")]
    LocalAddr(#[source] std::io::Error),
}
