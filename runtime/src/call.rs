//! One call of an operation: [`Call`], the builder every client method
//! returns, with its per-call [`RequestOptions`] (from `options`); sending
//! it (through `request`) gives the success value, or a [`Response`] (from
//! `response`) with the response's metadata as well.
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
use super::options::RequestOptions;
use super::request::{OperationError, OperationRequest, Received};
use super::response::{Response, StreamBody};
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
