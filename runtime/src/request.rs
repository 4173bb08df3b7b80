//! One operation's request: its URL, query and body, then sending it with
//! the client's headers, the per-attempt timeout and retries, and turning
//! the response into the operation's success value or [`Error`].

use super::client::Client;
use super::error::{Error, bounded_text};
use super::query::{self, Style};
use super::retry::{self, Failure, RetryPolicy};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// The typed body of a documented error response, or `None` when the body
/// does not parse as documented (the raw text is kept in [`Error::Api`]).
pub fn parse_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// One operation's request, as the generated methods describe it.
///
/// A problem found while building (an empty path parameter, a body that
/// does not serialize) is kept and reported by [`OperationRequest::send`],
/// so that building never panics.
pub struct OperationRequest<'a> {
    client: &'a Client,
    method: Method,
    url: Result<Url, String>,
    body: Option<Vec<u8>>,
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
        }
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
            Ok(bytes) => self.body = Some(bytes),
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

    /// Sends the request and decodes a 2xx body as `T`.
    pub async fn send<T: DeserializeOwned, E: OperationError>(self) -> Result<T, Error<E>> {
        let answer = self.execute().await?;
        let status = answer.status.as_u16();
        let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
        let value =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|err| Error::Decode {
                status,
                path: err.path().to_string(),
                source: err.into_inner(),
            })?;
        // Trailing data after the document is as wrong as a missing part.
        deserializer.end().map_err(|source| Error::Decode {
            status,
            path: ".".to_owned(),
            source,
        })?;
        Ok(value)
    }

    /// Sends the request; a 2xx answer's body is ignored (for operations
    /// that document no success body).
    pub async fn send_without_body<E: OperationError>(self) -> Result<(), Error<E>> {
        self.execute().await.map(|_| ())
    }

    /// Sends with retries until a 2xx answer (returned) or a final failure
    /// (turned into an [`Error`]).
    async fn execute<E: OperationError>(self) -> Result<Answer, Error<E>> {
        let url = match &self.url {
            Ok(url) => url.clone(),
            Err(message) => {
                return Err(Error::InvalidRequest {
                    message: message.clone(),
                });
            }
        };
        let inner = &self.client.inner;
        let policy = RetryPolicy::for_method(&self.method);
        let mut retries = 0;
        loop {
            let outcome = self.attempt(&url).await;
            // `None`: final. `Some(wait)`: worth retrying, after the
            // server's `Retry-After` if it gave one.
            let retry = match &outcome {
                Ok(answer) if answer.status.is_success() => None,
                Ok(answer) if policy.retries_status(answer.status.as_u16()) => Some(
                    retry::retry_after(&answer.headers, std::time::SystemTime::now()),
                ),
                Err(failure) if policy.retries_failure(failure) => Some(None),
                _ => None,
            };
            match retry {
                Some(server_wait) if retries < inner.max_retries => {
                    let wait = server_wait
                        .unwrap_or_else(|| retry::backoff(inner.retry_base_delay, retries));
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                _ => return self.finish(outcome),
            }
        }
    }

    /// One attempt: send, then read the body, all within the timeout.
    async fn attempt(&self, url: &Url) -> Result<Answer, Failure> {
        let inner = &self.client.inner;
        let mut request = inner
            .http
            .request(self.method.clone(), url.clone())
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(body) = &self.body {
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let exchange = async {
            let mut response = request.send().await.map_err(Failure::from_reqwest)?;
            let status = response.status();
            let headers = response.headers().clone();
            let limit = (!status.is_success()).then_some(ERROR_BODY_LIMIT);
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(Failure::from_reqwest)? {
                body.extend_from_slice(&chunk);
                if limit.is_some_and(|limit| body.len() >= limit) {
                    body.truncate(ERROR_BODY_LIMIT);
                    break;
                }
            }
            Ok(Answer {
                status,
                headers,
                body,
            })
        };
        tokio::time::timeout(inner.timeout, exchange)
            .await
            .unwrap_or(Err(Failure::Timeout))
    }

    /// The result of the last attempt.
    fn finish<E: OperationError>(
        &self,
        outcome: Result<Answer, Failure>,
    ) -> Result<Answer, Error<E>> {
        let inner = &self.client.inner;
        let answer = match outcome {
            Ok(answer) => answer,
            Err(Failure::Timeout) => {
                return Err(Error::Timeout {
                    timeout: inner.timeout,
                });
            }
            Err(Failure::Connect(source) | Failure::Other(source)) => {
                return Err(if source.is_timeout() {
                    Error::Timeout {
                        timeout: inner.timeout,
                    }
                } else {
                    Error::Transport { source }
                });
            }
        };
        if answer.status.is_success() {
            return Ok(answer);
        }
        let status = answer.status.as_u16();
        let body = bounded_text(&answer.body, &inner.token);
        Err(match E::from_response(status, &answer.body) {
            Some(error) => Error::Api {
                status,
                error,
                body,
            },
            None => Error::UnexpectedStatus { status, body },
        })
    }
}

/// A response read in full (or, for an error status, up to the limit).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}
