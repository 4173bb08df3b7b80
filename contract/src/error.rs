//! What can stop a contract check before any payload is judged: a spec the
//! validator cannot convert, an unknown operation or status, an unreadable
//! or malformed payload file. Each variant says where.

use std::path::PathBuf;

/// Everything that can go wrong around a contract check (as opposed to a
/// payload breaking the contract, which is a [`super::Violation`]).
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// The spec itself could not be read into the IR or converted.
    #[error(transparent)]
    Spec(#[from] generator::Error),

    /// A converted schema was refused by the JSON Schema compiler (a bug in
    /// the conversion, or a construct it does not support).
    #[error("{pointer}: cannot compile the converted JSON Schema: {message}")]
    Compile {
        /// The spec pointer of the schema being compiled.
        pointer: String,
        /// The compiler's message.
        message: String,
    },

    /// No operation has this operationId.
    #[error("unknown operation `{operation}` (known: {})", known.join(", "))]
    UnknownOperation {
        /// The operationId asked for.
        operation: String,
        /// Every operationId of the spec, in document order.
        known: Vec<String>,
    },

    /// The operation documents no response for this status (no exact code,
    /// no range and no `default`).
    #[error("operation `{operation}` documents no response for status {status} (documented: {})", documented.join(", "))]
    UnknownStatus {
        /// The operationId.
        operation: String,
        /// The status asked for.
        status: u16,
        /// The documented statuses.
        documented: Vec<String>,
    },

    /// The operation and part exist, but there is no JSON schema to check a
    /// payload against (no request body, a query-less operation, a response
    /// documented without a JSON body).
    #[error("operation `{operation}` has no JSON schema for its {part}")]
    NoSchema {
        /// The operationId.
        operation: String,
        /// What was asked for (`request body`, `response 401`, …).
        part: String,
    },

    /// No component schema has this name.
    #[error("unknown schema `{name}` (known: {})", known.join(", "))]
    UnknownSchema {
        /// The name asked for.
        name: String,
        /// Every component schema name.
        known: Vec<String>,
    },

    /// No webhook with a JSON payload has this name.
    #[error("unknown webhook `{name}` (known: {})", known.join(", "))]
    UnknownWebhook {
        /// The name asked for.
        name: String,
        /// Every webhook with a JSON payload.
        known: Vec<String>,
    },

    /// A payload or sample file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// A payload or sample file is not valid JSON.
    #[error("{}:{line}:{column}: invalid JSON: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },

    /// A file under the samples folder is not where or what the layout
    /// expects (see `spec/samples/README.md`).
    #[error("{}: {reason}", path.display())]
    SampleLayout {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

impl ContractError {
    /// Whether the error is about the user's request (unknown operation,
    /// status or schema) or their files, rather than about the spec.
    pub fn is_usage(&self) -> bool {
        !matches!(self, ContractError::Spec(_) | ContractError::Compile { .. })
    }
}
