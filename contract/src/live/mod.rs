//! Live contract runs: every operation of a spec against a running
//! server, from the spec alone, each response checked by named checks.
//!
//! The plan comes from the operation graph (`crate::graph`): creates in
//! dependency order (parents first), then lists, retrieves and other
//! reads, then updates and actions, then deletes (children first). Each
//! path parameter gets its own value, read from the exchange the graph
//! names (a link, the create of its resource, a field of its list) or
//! taken from the spec; the report says which. Bodies are the spec's
//! example, else built from the schema (`crate::synth`), with strings
//! made unique so that a create can run twice against one server.
//!
//! Every response gets the conformance checks; the stateful checks send
//! requests of their own: a retrieve right after a create and after a
//! delete, a secured operation without credentials, a body that breaks the
//! schema, and an unknown id (see [`checks::CHECKS`]).
//!
//! What stops a run, fails a round trip or skips an operation is typed in
//! [`error`] ([`Error`], [`RoundTripError`], [`Skip`]).

pub mod checks;
pub mod error;
mod harness;
mod report;
mod run;
mod values;

pub use error::{Error, RoundTripError, Skip};
pub use harness::CrateHarness;
pub use report::{Check, LiveReport, Step, Verdict};
pub use run::run;
pub use values::Secret;

use serde_json::Value;
use std::time::Duration;

/// A generated crate's side of the check: deserializes a response body of
/// (operationId, status) into its Rust type and back, or says why not.
pub trait RoundTrip: Send + Sync {
    /// Checks one response body.
    fn check(&self, operation: &str, status: u16, body: Value) -> Result<(), RoundTripError>;
    /// Which crate does it, for the report.
    fn describe(&self) -> String;
}

/// Any error a linked crate's round trip returns.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A linked crate's round trip of one response body: the operation, the
/// status, the body.
pub type LinkedCheck = fn(operation: &str, status: u16, body: Value) -> Result<(), BoxError>;

/// A round trip through a function (a generated crate linked in, e.g.
/// `my_api::contract::round_trip`).
pub struct LinkedRoundTrip {
    /// Names the crate in the report.
    pub crate_name: String,
    /// The check; its error (the crate's own, e.g. `map_err(Into::into)`)
    /// is reported as the reason.
    pub check: LinkedCheck,
}

impl RoundTrip for LinkedRoundTrip {
    fn check(&self, operation: &str, status: u16, body: Value) -> Result<(), RoundTripError> {
        (self.check)(operation, status, body).map_err(RoundTripError::Rejected)
    }

    fn describe(&self) -> String {
        format!("through the types of `{}`", self.crate_name)
    }
}

/// What to run against, and what to run.
pub struct LiveOptions {
    /// The server's base URL.
    pub base_url: String,
    /// The secret the security schemes ask for (token, API key, or
    /// `user:password` for basic); `None` sends no credentials.
    pub secret: Option<Secret>,
    /// Whether operations that change data may run.
    pub allow_writes: bool,
    /// The generated crate's side of the check, if one was built from the
    /// same spec.
    pub round_trip: Option<Box<dyn RoundTrip>>,
    /// When not empty, only these operations run (and those that supply
    /// their values); a guarded write runs only when named here.
    pub include: Vec<String>,
    /// Operations that never run.
    pub exclude: Vec<String>,
    /// Paths (templates, as the spec writes them) that never run.
    pub exclude_paths: Vec<regex::Regex>,
    /// The time allowed for each request.
    pub timeout: Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            secret: None,
            allow_writes: false,
            round_trip: None,
            include: Vec::new(),
            exclude: Vec::new(),
            exclude_paths: Vec::new(),
            timeout: Duration::from_secs(30),
        }
    }
}

impl std::fmt::Debug for LiveOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveOptions")
            .field("base_url", &self.base_url)
            .field("secret", &self.secret)
            .field("allow_writes", &self.allow_writes)
            .field(
                "round_trip",
                &self.round_trip.as_ref().map(|r| r.describe()),
            )
            .field("include", &self.include)
            .field("exclude", &self.exclude)
            .field("exclude_paths", &self.exclude_paths)
            .field("timeout", &self.timeout)
            .finish()
    }
}
