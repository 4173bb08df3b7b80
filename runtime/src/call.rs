//! One call of an operation: [`Call`], the builder every client method
//! returns, with the per-call [`RequestOptions`]; and [`Response`], a
//! success body with the response's metadata.
//!
//! A generated method takes the operation's required arguments and returns
//! a `Call` of the operation's request type (`calls::{OperationId}`).
//! Optional arguments (an optional body, parameters that are all optional)
//! are named setters on that `Call`; options are the setters here. The call
//! is sent by awaiting it (or `.send()`), or with
//! [`Call::send_with_response`] for the metadata as well.

use super::body::{DecodeFailure, Payload};
use super::client::Client;
use super::error::Error;
use super::event_stream::StreamBody;
use super::request::{OperationError, OperationRequest, Received};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

/// What the generated request type of one operation (`calls::*`) says
/// about it: how to build its request and how to read its success body.
pub trait Operation: Send + Sized {
    /// What a success returns.
    type Output: Send;
    /// The operation's enum of documented error statuses (`errors::*`).
    type Error: OperationError + Send;
    /// The operation's id (`operationId`, or one derived from method and
    /// path), as tracing spans name it.
    const ID: &'static str;
    /// The path template, as the spec writes it (`/accounts/{id}`).
    const PATH: &'static str;

    /// The request, as built from the call's arguments.
    fn request<'c>(self, client: &'c Client) -> OperationRequest<'c>;

    /// The success value for a 2xx `status` with this body.
    ///
    /// # Errors
    ///
    /// [`DecodeFailure`] when a JSON body does not match its type.
    fn decode(status: u16, body: Payload) -> Result<Self::Output, DecodeFailure>;

    /// The success value for a 2xx `status` whose body was left unread:
    /// the request asked for an event stream
    /// ([`OperationRequest::event_stream`]). Only event-stream operations
    /// ask; for the others this is never called, and by default fails.
    ///
    /// # Errors
    ///
    /// [`DecodeFailure`] when the operation does not read event streams.
    fn decode_stream(_status: u16, _body: StreamBody) -> Result<Self::Output, DecodeFailure> {
        Err(not_a_stream())
    }
}

/// The failure of reading an event stream where none is expected (or the
/// other way round).
pub(super) fn not_a_stream() -> DecodeFailure {
    DecodeFailure {
        path: ".".to_owned(),
        source: serde::de::Error::custom(
            "the success body was read as an event stream where the operation expects none, \
             or the other way round",
        ),
    }
}

/// Options of one call, beside (and overriding) the client's settings.
///
/// Set them on a [`Call`] one by one, or build a set once and give it to
/// several calls with [`Call::options`].
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
    /// [`Error::InvalidRequest`] before anything is sent). Values are
    /// never logged.
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
    fn merged(mut self, other: RequestOptions) -> Self {
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

/// One call of an operation, not sent yet: set options (and the
/// operation's optional arguments) on it, then `.await` it, or call
/// [`Call::send_with_response`] for the status, headers and request id
/// too.
///
/// `Op` is the operation's request type in `calls`; the optional
/// arguments of an operation are setters of `Call<Op>` documented there.
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<'a, Op> {
    client: &'a Client,
    operation: Op,
    options: RequestOptions,
}

impl<'a, Op: Operation> Call<'a, Op> {
    /// A call of `operation` through `client`, with no options; the
    /// generated methods build these.
    #[doc(hidden)]
    pub fn new(client: &'a Client, operation: Op) -> Self {
        Self {
            client,
            operation,
            options: RequestOptions::default(),
        }
    }

    /// The request's arguments, for the generated setters.
    #[doc(hidden)]
    pub fn operation_mut(&mut self) -> &mut Op {
        &mut self.operation
    }

    /// The client, the request's arguments and the options, for the
    /// generated `stream` and `pages` of paginated operations (which send
    /// the call once per page).
    #[doc(hidden)]
    pub fn into_parts(self) -> (&'a Client, Op, RequestOptions) {
        (self.client, self.operation, self.options)
    }

    /// Adds a set of options; an option set in `options` replaces the
    /// same option set before, headers and query pairs add up.
    pub fn options(self, options: RequestOptions) -> Self {
        self.with(|own| own.merged(options))
    }

    /// Applies one option to this call's options.
    fn with(mut self, set: impl FnOnce(RequestOptions) -> RequestOptions) -> Self {
        self.options = set(std::mem::take(&mut self.options));
        self
    }

    /// The longest one attempt of this call may take; see
    /// [`RequestOptions::timeout`].
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|options| options.timeout(timeout))
    }

    /// How many times this call may be retried; see
    /// [`RequestOptions::max_retries`].
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.with(|options| options.max_retries(max_retries))
    }

    /// The longest this call may take, all attempts together; see
    /// [`RequestOptions::deadline`].
    pub fn deadline(self, deadline: Duration) -> Self {
        self.with(|options| options.deadline(deadline))
    }

    /// The largest success body read for this call; see
    /// [`RequestOptions::max_body_size`].
    pub fn max_body_size(self, bytes: usize) -> Self {
        self.with(|options| options.max_body_size(bytes))
    }

    /// A header sent with this call; see [`RequestOptions::extra_header`].
    pub fn extra_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|options| options.extra_header(name, value))
    }

    /// A query pair added to this call; see [`RequestOptions::extra_query`].
    pub fn extra_query(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|options| options.extra_query(name, value))
    }

    /// Sends `Idempotency-Key: key` on every attempt, and so lets a `POST`
    /// be retried; see [`RequestOptions::idempotency_key`].
    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
        self.with(|options| options.idempotency_key(key))
    }

    /// Sends the call and returns the success value (awaiting the call
    /// does the same).
    ///
    /// # Errors
    ///
    /// [`Error`]: a documented or undocumented error status, a body that
    /// does not decode or is too large, a transport failure, a timeout.
    pub async fn send(self) -> Result<Op::Output, Error<Op::Error>> {
        self.send_with_response().await.map(Response::into_body)
    }

    /// Sends the call and returns the success value with the response's
    /// status, headers and request id.
    ///
    /// # Errors
    ///
    /// As [`Call::send`]; an error from a response carries its metadata
    /// too ([`Error::meta`]).
    pub async fn send_with_response(self) -> Result<Response<Op::Output>, Error<Op::Error>> {
        let request = self.operation.request(self.client);
        let answer = request
            .execute::<Op::Error>(Op::ID, Op::PATH, &self.options)
            .await?;
        let (meta, received) = answer;
        let decoded = match received {
            Received::Read(payload) => Op::decode(meta.status, payload),
            Received::Stream(body) => Op::decode_stream(meta.status, *body),
        };
        match decoded {
            Ok(body) => Ok(Response { body, meta }),
            Err(failure) => Err(Error::Decode {
                status: meta.status,
                path: failure.path,
                source: failure.source,
                meta: Box::new(meta),
            }),
        }
    }
}

impl<'a, Op: Operation + 'a> IntoFuture for Call<'a, Op> {
    type Output = Result<Op::Output, Error<Op::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<Op: fmt::Debug> fmt::Debug for Call<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// What a response said besides its body: status, headers, request id,
/// and how many attempts the call took.
#[derive(Clone)]
pub struct ResponseMeta {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) request_id: Option<String>,
    pub(super) attempts: u32,
}

impl ResponseMeta {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header's value as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The request id the server gave (`x-request-id`, `request-id`, or the
    /// header the spec declares for it), to quote to its support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What the server asked to wait before another request
    /// (`retry-after-ms` or `Retry-After`, at most 60 s), if anything.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::server_wait(&self.headers, std::time::SystemTime::now())
    }

    pub(super) fn new(
        status: u16,
        headers: HeaderMap,
        request_id_headers: &[HeaderName],
        attempts: u32,
    ) -> Self {
        let request_id = request_id_headers
            .iter()
            .find_map(|name| headers.get(name))
            .and_then(|value: &HeaderValue| value.to_str().ok())
            .map(str::to_owned);
        Self {
            status,
            headers,
            request_id,
            attempts,
        }
    }
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: a response may set cookies or tokens.
        let names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("headers", &names)
            .finish()
    }
}

/// A success value with its response's metadata, from
/// [`Call::send_with_response`].
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The decoded body.
    pub body: T,
    /// Status, headers, request id.
    pub meta: ResponseMeta,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.meta.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.meta.headers
    }

    /// The request id the server gave, if any; see
    /// [`ResponseMeta::request_id`].
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}
