//! The per-call options, [`RequestOptions`]: what one call asks for beside
//! (and over) the client's settings.
//!
//! A leaf of the runtime: it uses no other module. `call` sets the options
//! on a [`Call`](super::Call) and `request` applies them when it sends.

use std::fmt;
use std::time::Duration;

/// Options of one call, beside (and overriding) the client's settings.
///
/// Set them on a [`Call`](super::Call) one by one, or build a set once and
/// give it to several calls with [`Call::options`](super::Call::options).
#[derive(Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) max_retries: Option<u32>,
    pub(super) deadline: Option<Duration>,
    pub(super) max_body_size: Option<usize>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) query: Vec<(String, String)>,
    pub(super) idempotency_key: Option<String>,
}

impl RequestOptions {
    /// No options: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// The longest one attempt may take, from sending to reading the whole
    /// body (default: the client's [timeout](super::ClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt may be retried, where retrying is
    /// safe (default: the client's
    /// [`max_retries`](super::ClientBuilder::max_retries)).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The longest the whole call may take: every attempt and every wait
    /// between them (default: the client's
    /// [deadline](super::ClientBuilder::deadline), if any).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The largest success body read, in bytes (default: the client's
    /// [`max_body_size`](super::ClientBuilder::max_body_size)).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// A header sent with this call, after the operation's own (an
    /// invalid name or value fails the call with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest) before
    /// anything is sent). Values are never logged.
    pub fn extra_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A query pair added to this call's URL, after the operation's own.
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends `Idempotency-Key: key` (the same on every attempt), which
    /// also lets a `POST` or `PATCH` be retried after the server may have
    /// seen it.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// `other`'s settings where it has them, these elsewhere; headers and
    /// query pairs of both.
    pub(super) fn merged(mut self, other: RequestOptions) -> Self {
        self.timeout = other.timeout.or(self.timeout);
        self.max_retries = other.max_retries.or(self.max_retries);
        self.deadline = other.deadline.or(self.deadline);
        self.max_body_size = other.max_body_size.or(self.max_body_size);
        self.idempotency_key = other.idempotency_key.or(self.idempotency_key);
        self.headers.extend(other.headers);
        self.query.extend(other.query);
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and query values may be credentials.
        let names = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .map(|(name, _)| name.clone())
                .collect::<Vec<_>>()
        };
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .field("max_body_size", &self.max_body_size)
            .field("headers", &names(&self.headers))
            .field("query", &names(&self.query))
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|_| "[set]"),
            )
            .finish()
    }
}
