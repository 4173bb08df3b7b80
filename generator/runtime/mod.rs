//! The fixed part of the client: configuration, sending a request with
//! retries, errors, query encoding and pagination.
//!
//! This code is the same for every spec. It is copied from the generator's
//! `runtime/` folder; the per-operation methods in `operations.rs` and the
//! error enums in `errors.rs` are generated from the spec and call into it.

// The runtime serves every spec, and a spec need not use every part of it
// (query parameters, bodies, pagination, or any operation at all).
#![allow(dead_code, unused_imports)]

mod client;
mod error;
mod pagination;
mod query;
mod retry;

pub(crate) use client::parse_error_body;
pub use client::{BuildError, Client, ClientBuilder};
pub(crate) use client::{OperationError, OperationRequest};
pub use error::Error;
pub use pagination::ItemStream;
pub(crate) use query::Style;
