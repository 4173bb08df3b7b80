//! The fixed part of every generated client: configuration, sending a
//! request with per-call options, retries, tracing and middleware, response
//! metadata, errors, query encoding and pagination.
//!
//! This code is the same for every spec. The generator embeds these files,
//! unchanged, as the `runtime` module of each crate it writes; the
//! per-operation methods (`operations.rs`) and error enums (`errors.rs`) it
//! generates from the spec call into them. Here the same files form a crate
//! of their own, so that they are compiled, linted and unit-tested in
//! place. A generated crate re-exports the public types ([`Client`],
//! [`ClientBuilder`], [`BuildError`], [`Call`], [`RequestOptions`],
//! [`Response`], [`ResponseMeta`], [`Middleware`], [`Error`], [`ItemStream`]); the rest
//! is public only so that generated code can call it.
//!
//! With the `webhooks` feature, the `webhooks` module verifies the
//! signatures of the requests an API sends to its users' servers and
//! decodes their events.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod body;
mod call;
mod client;
pub mod contract;
mod error;
mod middleware;
mod pagination;
pub mod pointer;
mod query;
mod request;
mod retry;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use auth::{Auth, Scheme};
pub use body::{
    DecodeFailure, File, Multipart, OperationSuccess, Payload, decode_json, decode_text,
};
pub use call::{Call, Operation, RequestOptions, Response, ResponseMeta};
pub use client::{BuildError, Client, ClientBuilder, install_tls_provider};
pub use error::Error;
pub use middleware::{CallInfo, Middleware};
pub use pagination::{ItemStream, Page, PageItems, Pages};
pub use query::{Style, parameter_text};
pub use request::{NoDocumentedError, OperationError, OperationRequest, parse_error_body};
