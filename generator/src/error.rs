//! The generator's error type: every failure says where it happened.
//!
//! Spec problems carry the JSON pointer of the offending construct
//! (`#/components/schemas/Foo/properties/bar`); YAML and shape errors carry
//! the file, line and column reported by the parser.

use std::path::PathBuf;

/// Everything that can go wrong between reading a spec and rendering code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// The file is not valid YAML, or not a valid OpenAPI 3.0 document.
    #[error("{}{}: {message}", file.display(), location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default())]
    Parse {
        /// The file that was parsed.
        file: PathBuf,
        /// One-based line and column, where the parser knows them.
        location: Option<(usize, usize)>,
        /// The parser's message.
        message: String,
    },

    /// A `$ref` points at nothing.
    #[error("{pointer}: dangling reference `{reference}`")]
    DanglingRef {
        /// Where the reference is written.
        pointer: String,
        /// The reference itself.
        reference: String,
    },

    /// A chain of `$ref`s leads back to where it started.
    #[error("{pointer}: reference cycle: {}", chain.join(" -> "))]
    RefCycle {
        /// Where the cycle was entered.
        pointer: String,
        /// The references followed, in order.
        chain: Vec<String>,
    },

    /// The document uses something the generator does not handle.
    #[error("{pointer}: unsupported: {reason}")]
    Unsupported {
        /// Where the construct is.
        pointer: String,
        /// What is not supported, and why.
        reason: String,
    },

    /// The document breaks a rule of OpenAPI that the parser does not check.
    #[error("{pointer}: invalid: {reason}")]
    Invalid {
        /// Where the problem is.
        pointer: String,
        /// What is wrong.
        reason: String,
    },

    /// The emitted tokens did not form valid Rust (a generator bug).
    #[error("internal error: generated code for {item} does not parse: {message}")]
    Render {
        /// The item being rendered.
        item: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// The JSON pointer into the spec that this error is about, if any.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Error::DanglingRef { pointer, .. }
            | Error::RefCycle { pointer, .. }
            | Error::Unsupported { pointer, .. }
            | Error::Invalid { pointer, .. } => Some(pointer),
            Error::Io { .. } | Error::Parse { .. } | Error::Render { .. } => None,
        }
    }

    /// A construct the generator does not support, at `pointer`.
    pub fn unsupported(pointer: &str, reason: impl Into<String>) -> Self {
        Error::Unsupported {
            pointer: pointer.to_owned(),
            reason: reason.into(),
        }
    }

    /// Something the spec gets wrong, at `pointer`.
    pub fn invalid(pointer: &str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            pointer: pointer.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something in the document that is wrong but can be read past (a
/// `required` name no property declares, an `operationId` used twice): the
/// generator goes on and says what it did. `generate --strict` refuses
/// documents with warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer of the node it is about.
    pub pointer: String,
    /// What is wrong, and what the generator did about it.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}
