//! What can go wrong around a live run, as opposed to a response breaking
//! the contract (a failed check in the [`super::LiveReport`]):
//!
//! - [`Error`]: the run cannot start (no HTTP client, a `--crate` harness
//!   that does not build or start); each variant names the file, folder or
//!   program at fault.
//! - [`RoundTripError`]: one response did not go through a generated
//!   crate's types (recorded as a failed `rust_round_trip` check).
//! - [`Skip`]: why an operation of the plan is not sent (recorded as the
//!   note of a skipped step).
//!
//! None of them ever holds the secret of the run.

use std::path::PathBuf;

/// What stops a live run before its first request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),

    /// The `Cargo.toml` of the `--crate` folder is not a generated crate's.
    #[error(transparent)]
    Manifest(#[from] generator::Error),

    /// The `--crate` folder does not exist (or cannot be resolved).
    #[error("{}: {source}", path.display())]
    CrateDir {
        /// The folder given.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// A file of the harness could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// Cargo could not be run to build the harness.
    #[error("cannot run cargo: {0}")]
    Cargo(#[source] std::io::Error),

    /// The harness did not compile against the crate.
    #[error("the harness for {} does not build:\n{stderr}", crate_dir.display())]
    HarnessBuild {
        /// The generated crate.
        crate_dir: PathBuf,
        /// What cargo printed.
        stderr: String,
    },

    /// The built harness could not be started.
    #[error("cannot start {}: {source}", binary.display())]
    HarnessStart {
        /// The harness program.
        binary: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },

    /// The harness started without the pipes it answers through.
    #[error("the harness has no standard input or output")]
    HarnessPipes,
}

/// Why a response body did not go through a generated crate's type.
#[derive(Debug, thiserror::Error)]
pub enum RoundTripError {
    /// The crate refused the body (its own message, which names the field).
    #[error("{0}")]
    Rejected(Box<dyn std::error::Error + Send + Sync>),

    /// An earlier check broke the harness.
    #[error("the harness is unusable after an earlier failure")]
    Poisoned,

    /// The harness process could not be written to or read from.
    #[error("the harness stopped: {0}")]
    Stopped(#[source] std::io::Error),

    /// The harness answered with something other than a JSON line.
    #[error("the harness stopped answering")]
    Silent,
}

/// Why an operation of the plan is not sent; its text is the note of the
/// skipped step in the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    /// Named by `--exclude-operation`.
    #[error("excluded (--exclude-operation)")]
    Excluded,
    /// Its path matches an `--exclude-path` pattern.
    #[error("excluded (--exclude-path {pattern})")]
    ExcludedPath {
        /// The pattern that matched.
        pattern: String,
    },
    /// `--include-operation` was given and neither names it nor needs it.
    #[error("not included (--include-operation)")]
    NotIncluded,
    /// A guarded write (e.g. `POST /reset`) that was not named; the reason
    /// the operation graph gives.
    #[error("{0}")]
    Guarded(String),
    /// It writes and `--allow-writes` was not given.
    #[error("writes not allowed (--allow-writes)")]
    WritesNotAllowed,
    /// Its required body could not be built from the schema.
    #[error("no request body could be built: {0}")]
    NoBody(#[source] crate::synth::SynthError),
    /// It is secured and the run has no secret.
    #[error("the operation needs credentials: name the variable holding them with --token-env")]
    NoCredentials,
    /// The secret is not a valid value for the API key's header.
    #[error("the secret cannot be sent in a header")]
    SecretNotHeader,
    /// The secret is not a valid value for the API key's cookie.
    #[error("the secret cannot be sent in a cookie")]
    SecretNotCookie,
}
