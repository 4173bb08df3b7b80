//! One operation's request: its URL, query and body, then sending it with
//! the client's headers and middleware, the call's options, the
//! per-attempt timeout, the deadline and retries, and turning the response
//! into a success body with its metadata, or an [`Error`].
//!
//! Below `call` (which builds a request through [`Operation`] and sends it
//! here) and above the leaves it reads: `options` for the call's options,
//! `response` for what comes back, `retry` for whether to try again,
//! `error` for the failure.
//!
//! [`Operation`]: super::Operation

use super::auth::Scheme;
use super::body::{Multipart, Payload};
use super::client::Client;
use super::error::{Error, bounded_text};
use super::middleware::CallInfo;
use super::options::RequestOptions;
use super::query::{self, Style, parameter_text};
use super::response::{Answer, ResponseMeta, StreamBody};
use super::retry::{self, Failure, RetryPolicy};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The header that makes a `POST` or `PATCH` safe to retry.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// How much of an error response's body is read. Enough for any error
/// document; a larger body is cut (and then parses as undocumented text).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Characters written as-is in a path segment: the unreserved ones
/// (RFC 3986). Everything else, `/`, `?`, `#` and `%` included, is
/// percent-encoded, so a parameter is always exactly one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Implemented by the generated per-operation error enums (`errors`).
pub trait OperationError: Sized {
    /// The documented error for a non-2xx `status`, with its body parsed
    /// where the spec documents one; `None` when the operation does not
    /// document `status`.
    fn from_response(status: u16, body: &[u8]) -> Option<Self>;
}

/// The error enum of every operation that documents no error status: it
/// has no values, so [`Error::Api`] never happens for such an operation
/// (any error status is [`Error::UnexpectedStatus`]). One type in the
/// runtime instead of an empty enum, with its impls, per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDocumentedError {}

impl std::fmt::Display for NoDocumentedError {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
}

impl std::error::Error for NoDocumentedError {}

impl OperationError for NoDocumentedError {
    fn from_response(_status: u16, _body: &[u8]) -> Option<Self> {
        None
    }
}

/// The typed body of a documented error response, or `None` when the body
/// does not parse as documented (the raw text is kept in [`Error::Api`]).
pub fn parse_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// One operation's request, as the generated methods describe it.
///
/// A problem found while building (an empty path parameter, a body that
/// does not serialize) is kept and reported when the call is sent,
/// so that building never panics.
pub struct OperationRequest<'a> {
    client: &'a Client,
    method: Method,
    url: Result<Url, String>,
    body: Option<Body>,
    accept: &'static str,
    headers: HeaderMap,
    auth: &'static [&'static [Scheme]],
    /// A success body is an event stream: handed over unread.
    stream: bool,
}

/// A success body: read whole, or (for an event stream) handed over
/// unread.
pub(super) enum Received {
    /// The body, read whole.
    Read(Payload),
    /// The body, unread.
    Stream(Box<StreamBody>),
}

/// A request body, kept so that every attempt sends the same one.
enum Body {
    /// Bytes with their `Content-Type`.
    Bytes {
        content_type: HeaderValue,
        bytes: Vec<u8>,
    },
    /// A multipart form (its boundary is chosen per attempt).
    Multipart(Multipart),
}

impl<'a> OperationRequest<'a> {
    /// A request to the base URL with `segments` appended, each
    /// percent-encoded as exactly one path segment.
    pub fn new(client: &'a Client, method: Method, segments: &[&str]) -> Self {
        let mut url = client.inner.base_url.clone();
        let mut path = url.path().trim_end_matches('/').to_owned();
        let mut invalid = None;
        for segment in segments {
            if matches!(*segment, "" | "." | "..") {
                invalid = Some(format!(
                    "a path parameter must not be empty, `.` or `..` (got `{segment}`)"
                ));
            }
            path.push('/');
            path.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        url.set_path(&path);
        Self {
            client,
            method,
            url: match invalid {
                Some(message) => Err(message),
                None => Ok(url),
            },
            body: None,
            accept: "application/json",
            headers: HeaderMap::new(),
            auth: &[],
            stream: false,
        }
    }

    /// The operation's security requirement: alternatives, each a set of
    /// schemes whose credentials are sent together. The first alternative
    /// (in the spec's order) that sends credentials and whose schemes all
    /// have one on the client is used; else an empty alternative (`{}`),
    /// which sends none. With no alternatives (the default) no credentials
    /// are sent.
    pub fn auth(mut self, alternatives: &'static [&'static [Scheme]]) -> Self {
        self.auth = alternatives;
        self
    }

    /// Applies `add` when `value` is set (an optional body).
    pub fn with<T>(self, value: Option<T>, add: impl FnOnce(Self, T) -> Self) -> Self {
        match value {
            Some(value) => add(self, value),
            None => self,
        }
    }

    /// Sets the `Accept` header (default `application/json`).
    pub fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// Asks for an event stream: `Accept: media_type`, and a success body
    /// handed over unread, to be read event by event.
    pub fn event_stream(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self.stream = true;
        self
    }

    /// Adds a header parameter: its value as [`parameter_text`] writes it
    /// (arrays comma-separated, the `simple` style).
    ///
    pub fn header<T: Serialize>(mut self, name: &'static str, value: &T) -> Self {
        let text = match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) => return self,
            Ok(serde_json::Value::Array(items)) => items
                .iter()
                .map(parameter_text)
                .collect::<Vec<_>>()
                .join(","),
            Ok(other) => parameter_text(&other),
            Err(err) => {
                self.url = Err(format!("cannot serialize the header `{name}`: {err}"));
                return self;
            }
        };
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Err(_), _) => self.url = Err(format!("`{name}` is not a valid header name")),
            (_, Err(_)) => {
                self.url = Err(format!(
                    "the header `{name}` cannot carry its value (control characters or non-ASCII text)"
                ));
            }
        }
        self
    }

    /// Adds a header parameter when it is set.
    pub fn header_opt<T: Serialize>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Adds a body of bytes with its media type.
    pub fn bytes(mut self, content_type: &'static str, bytes: &[u8]) -> Self {
        self.body = Some(Body::Bytes {
            content_type: HeaderValue::from_static(content_type),
            bytes: bytes.to_vec(),
        });
        self
    }

    /// Adds a text body with its media type.
    pub fn text(self, content_type: &'static str, text: &str) -> Self {
        self.bytes(content_type, text.as_bytes())
    }

    /// Adds an `application/x-www-form-urlencoded` body: each top-level
    /// field as a form query parameter (arrays repeat the name, objects
    /// spread their properties).
    pub fn form<B: Serialize>(mut self, body: &B) -> Self {
        match query::encode_all(body) {
            Ok(encoded) => {
                self.body = Some(Body::Bytes {
                    content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
                    bytes: encoded.into_bytes(),
                });
            }
            Err(err) => self.url = Err(format!("cannot serialize the request body: {err}")),
        }
        self
    }

    /// Adds a `multipart/form-data` body, or the reason it could not be
    /// built.
    pub fn multipart(mut self, form: Result<Multipart, String>) -> Self {
        match form.and_then(|form| form.to_form().map(|_| form)) {
            Ok(form) => self.body = Some(Body::Multipart(form)),
            Err(err) => self.url = Err(format!("cannot build the multipart body: {err}")),
        }
        self
    }

    /// Adds the query string: each top-level field of `params` written in
    /// the style the spec gives it (`styles`, in document order).
    pub fn query<P: Serialize>(mut self, params: &P, styles: &[(&str, Style)]) -> Self {
        self.url = self.url.and_then(|mut url| {
            let encoded = query::encode(params, styles)
                .map_err(|err| format!("cannot encode the query parameters: {err}"))?;
            url.set_query((!encoded.is_empty()).then_some(encoded.as_str()));
            Ok(url)
        });
        self
    }

    /// Adds a JSON body.
    pub fn json<B: Serialize>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body::Bytes {
                    content_type: HeaderValue::from_static("application/json"),
                    bytes,
                });
            }
            Err(err) => {
                self.url = Err(format!("cannot serialize the request body: {err}"));
            }
        }
        self
    }

    /// Adds a JSON body when there is one.
    pub fn json_opt<B: Serialize>(self, body: Option<&B>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }

    /// Sends with retries until a 2xx answer (returned with its
    /// metadata) or a final failure (turned into an [`Error`]), in a
    /// tracing span named `request` with the operation's id, method, path
    /// template and attempt number.
    pub(super) async fn execute<E: OperationError>(
        self,
        operation: &'static str,
        path_template: &'static str,
        options: &RequestOptions,
    ) -> Result<(ResponseMeta, Received), Error<E>> {
        let span = tracing::info_span!(
            "request",
            operation,
            method = %self.method,
            path = path_template,
            attempt = tracing::field::Empty,
        );
        let info = CallInfo {
            operation,
            method: self.method.clone(),
            path: path_template,
            attempt: 0,
        };
        self.execute_in_span(info, options, span.clone())
            .instrument(span)
            .await
    }

    async fn execute_in_span<E: OperationError>(
        &self,
        mut info: CallInfo,
        options: &RequestOptions,
        span: tracing::Span,
    ) -> Result<(ResponseMeta, Received), Error<E>> {
        let mut url = match &self.url {
            Ok(url) => url.clone(),
            Err(message) => {
                return Err(Error::InvalidRequest {
                    message: message.clone(),
                });
            }
        };
        let inner = &self.client.inner;
        let credentials = inner
            .credentials
            .select(info.operation, self.auth)
            .map_err(|message| Error::InvalidRequest { message })?;
        for (name, value) in inner.credentials.query_pairs(credentials) {
            url.query_pairs_mut().append_pair(name, value);
        }
        for (name, value) in &options.query {
            url.query_pairs_mut().append_pair(name, value);
        }
        let headers = self.headers_with(options)?;
        let keyed = headers.contains_key(IDEMPOTENCY_KEY);
        let policy = RetryPolicy::new(&self.method, keyed);
        let limits = Limits {
            timeout: options.timeout.unwrap_or(inner.timeout),
            max_body_size: options.max_body_size.unwrap_or(inner.max_body_size),
        };
        let max_retries = options.max_retries.unwrap_or(inner.max_retries);
        let deadline = options.deadline.or(inner.deadline);
        let started = Instant::now();
        loop {
            info.attempt += 1;
            span.record("attempt", info.attempt);
            // Each attempt gets its timeout, or what is left of the
            // deadline when that is less.
            let left = deadline.map(|deadline| deadline.saturating_sub(started.elapsed()));
            let timeout = left.map_or(limits.timeout, |left| left.min(limits.timeout));
            let attempt_limits = Limits { timeout, ..limits };
            let outcome = self
                .attempt(&url, credentials, &headers, &attempt_limits, &info)
                .await;
            // Cut by the deadline rather than by its own timeout.
            if let (Err(Failure::Timeout), Some(deadline), Some(true)) =
                (&outcome, deadline, left.map(|left| left <= limits.timeout))
            {
                tracing::debug!(attempts = info.attempt, "deadline passed");
                return Err(Error::DeadlineExceeded {
                    deadline,
                    attempts: info.attempt,
                });
            }
            let retry = retry::decide(&policy, &outcome).filter(|_| info.attempt <= max_retries);
            if let Some((reason, server_wait)) = retry {
                let wait = server_wait
                    .unwrap_or_else(|| retry::backoff(inner.retry_base_delay, info.attempt - 1));
                let past_deadline =
                    deadline.is_some_and(|deadline| started.elapsed() + wait >= deadline);
                if !past_deadline {
                    tracing::warn!(
                        reason = %reason,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        attempt = info.attempt,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                tracing::debug!(reason = %reason, "not retrying: the wait would pass the deadline");
            }
            return self.finish(outcome, &limits, info.attempt);
        }
    }

    /// The operation's headers with the call's extra ones and its
    /// idempotency key.
    fn headers_with<E>(&self, options: &RequestOptions) -> Result<HeaderMap, Error<E>> {
        let mut headers = self.headers.clone();
        for (name, value) in &options.headers {
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest {
                    message: format!("`{name}` is not a valid header name"),
                })?;
            // The value is not repeated: it may be a credential.
            let value = HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest {
                message: format!("the value of the extra header `{name}` cannot be sent"),
            })?;
            headers.append(name, value);
        }
        if let Some(key) = &options.idempotency_key {
            let value = HeaderValue::from_str(key).map_err(|_| Error::InvalidRequest {
                message: "the idempotency key cannot be sent in a header".to_owned(),
            })?;
            headers.insert(IDEMPOTENCY_KEY, value);
        }
        Ok(headers)
    }

    /// The request of one attempt.
    fn build(
        &self,
        url: &Url,
        credentials: &[Scheme],
        headers: &HeaderMap,
    ) -> reqwest::Result<reqwest::Request> {
        let inner = &self.client.inner;
        let request = inner.http.request(self.method.clone(), url.clone());
        let mut request = inner
            .credentials
            .apply(request, credentials)
            .header(ACCEPT, HeaderValue::from_static(self.accept))
            .header(USER_AGENT, inner.user_agent.clone())
            .headers(headers.clone());
        match &self.body {
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                request = request
                    .header(CONTENT_TYPE, content_type.clone())
                    .body(bytes.clone());
            }
            Some(Body::Multipart(form)) => {
                // Checked when the form was built: parts' media types parse.
                if let Ok(form) = form.to_form() {
                    request = request.multipart(form);
                }
            }
            None => {}
        }
        request.build()
    }

    /// One attempt: send, then read the body (a success body up to the
    /// size limit, an error body up to [`ERROR_BODY_LIMIT`]), all within
    /// the timeout; the middleware sees the request and the response head.
    async fn attempt(
        &self,
        url: &Url,
        credentials: &[Scheme],
        headers: &HeaderMap,
        limits: &Limits,
        info: &CallInfo,
    ) -> Result<Answer, Failure> {
        let inner = &self.client.inner;
        let exchange = async {
            let mut request = self
                .build(url, credentials, headers)
                .map_err(Failure::from_reqwest)?;
            for middleware in &inner.middleware {
                middleware.before_send(&mut request, info);
            }
            let mut response = inner
                .http
                .execute(request)
                .await
                .map_err(Failure::from_reqwest)?;
            let status = response.status();
            let headers = response.headers().clone();
            for middleware in &inner.middleware {
                middleware.after_receive(status.as_u16(), &headers, info);
            }
            tracing::debug!(status = status.as_u16(), "response");
            let too_large = |headers: HeaderMap| Failure::TooLarge { status, headers };
            let success = status.is_success();
            if success && self.stream {
                return Ok(Answer {
                    status,
                    headers,
                    body: Vec::new(),
                    unread: Some(response),
                });
            }
            if success
                && response
                    .content_length()
                    .is_some_and(|length| length > limits.max_body_size as u64)
            {
                return Err(too_large(headers));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(Failure::from_reqwest)? {
                if success && body.len() + chunk.len() > limits.max_body_size {
                    return Err(too_large(headers));
                }
                body.extend_from_slice(&chunk);
                if !success && body.len() >= ERROR_BODY_LIMIT {
                    body.truncate(ERROR_BODY_LIMIT);
                    break;
                }
            }
            Ok(Answer {
                status,
                headers,
                body,
                unread: None,
            })
        };
        tokio::time::timeout(limits.timeout, exchange)
            .await
            .unwrap_or(Err(Failure::Timeout))
    }

    /// The result of the last attempt.
    fn finish<E: OperationError>(
        &self,
        outcome: Result<Answer, Failure>,
        limits: &Limits,
        attempts: u32,
    ) -> Result<(ResponseMeta, Received), Error<E>> {
        let inner = &self.client.inner;
        let meta = |status: StatusCode, headers: HeaderMap| {
            ResponseMeta::new(
                status.as_u16(),
                headers,
                &inner.request_id_headers,
                attempts,
            )
        };
        let answer = match outcome {
            Ok(answer) => answer,
            Err(Failure::Timeout) => {
                return Err(Error::Timeout {
                    timeout: limits.timeout,
                });
            }
            Err(Failure::TooLarge { status, headers }) => {
                return Err(Error::BodyTooLarge {
                    limit: limits.max_body_size,
                    meta: Box::new(meta(status, headers)),
                });
            }
            Err(Failure::Connect(source) | Failure::Other(source)) => {
                // The URL may carry an API key.
                let source = source.without_url();
                return Err(if source.is_timeout() {
                    Error::Timeout {
                        timeout: limits.timeout,
                    }
                } else {
                    Error::Transport { source }
                });
            }
        };
        let status = answer.status.as_u16();
        if answer.status.is_success() {
            let content_type = answer
                .headers
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let meta = meta(answer.status, answer.headers);
            if let Some(response) = answer.unread {
                let secrets = inner
                    .credentials
                    .secrets()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let body = StreamBody::new(response, meta.clone(), secrets, limits.max_body_size);
                return Ok((meta, Received::Stream(Box::new(body))));
            }
            let payload = Payload {
                content_type,
                bytes: answer.body,
            };
            return Ok((meta, Received::Read(payload)));
        }
        let body = bounded_text(&answer.body, &inner.credentials.secrets());
        let error = E::from_response(status, &answer.body);
        let meta = Box::new(meta(answer.status, answer.headers));
        Err(match error {
            Some(error) => Error::Api {
                status,
                error,
                body,
                meta,
            },
            None => Error::UnexpectedStatus { status, body, meta },
        })
    }
}

/// The limits of one attempt.
#[derive(Clone, Copy)]
struct Limits {
    timeout: Duration,
    max_body_size: usize,
}
