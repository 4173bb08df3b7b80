//! The fixed part of every generated client: configuration, sending a
//! request with per-call options, retries, tracing and middleware, response
//! metadata, errors, query encoding, pagination and event streams.
//!
//! This code is the same for every spec. The generator embeds these files,
//! unchanged, as the `runtime` module of each crate it writes; the
//! per-operation methods (`operations.rs`) and error enums (`errors.rs`) it
//! generates from the spec call into them. Here the same files form a crate
//! of their own, so that they are compiled, linted and unit-tested in
//! place. A generated crate re-exports the public types ([`Client`],
//! [`ClientBuilder`], [`BuildError`], [`Call`], [`RequestOptions`],
//! [`Response`], [`ResponseMeta`], [`Middleware`], [`Error`], [`ItemStream`], [`EventStream`],
//! [`ServerEvent`]); the rest
//! is public only so that generated code can call it.
//!
//! With the `webhooks` feature, the `webhooks` module verifies the
//! signatures of the requests an API sends to its users' servers and
//! decodes their events.
//!
//! # Layout
//!
//! The modules form a DAG; each uses only modules listed before it:
//!
//! 1. leaves, which use no other module: `pointer` (JSON Pointer
//!    escaping), `auth` (credentials and schemes), `body` (request and
//!    response bodies), `query` (parameter styles), `middleware` (hooks
//!    around each attempt), `options` ([`RequestOptions`]), `response`
//!    ([`ResponseMeta`], [`Response`], the unread stream body, one
//!    attempt's answer, the server's `Retry-After`), `webhooks`;
//! 2. `client` (auth, middleware): configuration and the shared HTTP
//!    client;
//! 3. `error` (response): [`Error`];
//! 4. `retry` (response): whether and when an attempt is retried;
//! 5. `contract` (pointer): the contract round trip;
//! 6. `pagination` (error): [`ItemStream`] and [`Pages`];
//! 7. `request` (auth, body, client, error, middleware, options, query,
//!    response, retry): building and sending one operation's request;
//! 8. `call` (body, client, error, options, request, response): [`Call`]
//!    and the [`Operation`] trait the generated request types implement;
//! 9. `event_stream` (body, call, client, error, request, response):
//!    [`EventStream`] and the [`Events`] operation.
//!
//! A type that several of these pass around lives in a leaf (`options`,
//! `response`), so that no two modules use each other.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod body;
mod call;
mod client;
pub mod contract;
mod error;
mod event_stream;
mod middleware;
mod options;
mod pagination;
pub mod pointer;
mod query;
mod request;
mod response;
mod retry;
#[cfg(feature = "webhooks")]
pub mod webhooks;

pub use auth::{Auth, Scheme};
pub use body::{
    DecodeFailure, File, Multipart, OperationSuccess, Payload, decode_json, decode_text,
};
pub use call::{Call, Operation};
pub use client::{BuildError, Client, ClientBuilder, install_tls_provider};
pub use error::Error;
pub use event_stream::{DecodeItem, EventStream, Events, Framing, ServerEvent, StreamOperation};
pub use middleware::{CallInfo, Middleware};
pub use options::RequestOptions;
pub use pagination::{ItemStream, Page, PageItems, Pages};
pub use query::{Style, parameter_text};
pub use request::{NoDocumentedError, OperationError, OperationRequest, parse_error_body};
pub use response::{Response, ResponseMeta, StreamBody};
