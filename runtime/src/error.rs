//! The error of every operation: [`Error<E>`], where `E` is the
//! operation's enum of documented error statuses (see `errors`).
//!
//! It uses only `response` (an error from a response carries its
//! [`ResponseMeta`]); `request`, `call`, `pagination` and `event_stream`
//! build and return it.

use super::response::ResponseMeta;
use std::fmt;
use std::time::Duration;

/// How much of a response body an error keeps, in bytes.
const BODY_TEXT_LIMIT: usize = 4096;

/// How much of the body an error's `Display` shows, in characters.
const DISPLAY_LIMIT: usize = 200;

/// Why an operation failed.
///
/// `E` is the operation's own enum of documented error statuses, the
/// generated `errors::{OperationId}Error`. No variant holds the API token:
/// the client replaces it with `[redacted]` in any response text it keeps.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status that the operation
    /// documents.
    Api {
        /// The HTTP status.
        status: u16,
        /// The documented error, with its typed body where the spec gives
        /// one (`None` in it when the body did not parse as documented).
        error: E,
        /// The response body as text (at most 4 KiB, cut at a character
        /// boundary).
        body: String,
        /// The response's headers and request id.
        meta: Box<ResponseMeta>,
    },
    /// The server answered with a status that the operation does not
    /// document.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The response body as text (at most 4 KiB, cut at a character
        /// boundary).
        body: String,
        /// The response's headers and request id.
        meta: Box<ResponseMeta>,
    },
    /// A success response whose body does not match the documented type.
    /// The body is not kept: success bodies may hold secrets.
    Decode {
        /// The HTTP status.
        status: u16,
        /// Where in the body decoding failed, e.g. `data.balance.currency`
        /// (`.` for the document itself).
        path: String,
        /// What the JSON parser (or, for a text body, the text decoder)
        /// reported.
        source: serde_json::Error,
        /// The response's headers and request id.
        meta: Box<ResponseMeta>,
    },
    /// An event of a streamed success body ([`EventStream`]) whose data
    /// does not match the documented item type. The stream goes on after
    /// it.
    ///
    /// [`EventStream`]: super::EventStream
    Event {
        /// The event's number in the stream, from 1.
        number: u64,
        /// Where in the event's data decoding failed (`.` for the data
        /// itself).
        path: String,
        /// The event's data as it came (at most 4 KiB, credentials
        /// replaced by `[redacted]`).
        data: String,
        /// What the JSON parser reported (its line and column are inside
        /// the data).
        source: serde_json::Error,
    },
    /// A success body longer than the limit
    /// ([`ClientBuilder::max_body_size`](super::ClientBuilder::max_body_size)
    /// or the call's own); it was not read further.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The response's status, headers and request id.
        meta: Box<ResponseMeta>,
    },
    /// The request could not be sent or the response could not be read.
    Transport {
        /// What `reqwest` reported.
        source: reqwest::Error,
    },
    /// The last attempt took longer than the configured timeout.
    Timeout {
        /// The per-attempt timeout.
        timeout: Duration,
    },
    /// The call's deadline passed during an attempt (see
    /// [`ClientBuilder::deadline`](super::ClientBuilder::deadline)).
    DeadlineExceeded {
        /// The deadline, for all attempts together.
        deadline: Duration,
        /// How many attempts were started.
        attempts: u32,
    },
    /// The request could not be built, e.g. a path parameter was empty.
    /// Nothing was sent.
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status, for every error that has one (documented,
    /// undocumented, or a success body that failed to decode); `None` for
    /// transport errors, timeouts and invalid requests.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::BodyTooLarge { meta, .. } => Some(meta.status()),
            Error::Transport { .. }
            | Error::Event { .. }
            | Error::Timeout { .. }
            | Error::DeadlineExceeded { .. }
            | Error::InvalidRequest { .. } => None,
        }
    }

    /// The response's status, headers and request id, for every error that
    /// came with a response.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Api { meta, .. }
            | Error::UnexpectedStatus { meta, .. }
            | Error::Decode { meta, .. }
            | Error::BodyTooLarge { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// The request id of the response, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ResponseMeta::request_id)
    }

    /// The documented error, when the server answered with one.
    pub fn documented(&self) -> Option<&E> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The response body text kept for an error status (bounded).
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } | Error::UnexpectedStatus { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the last attempt timed out, or the deadline passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. } | Error::DeadlineExceeded { .. })
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, body, .. } => {
                write!(
                    f,
                    "the server answered {}: {}",
                    status_text(*status),
                    excerpt(body)
                )
            }
            Error::UnexpectedStatus { status, body, .. } => write!(
                f,
                "the server answered {}, a status this operation does not document: {}",
                status_text(*status),
                excerpt(body)
            ),
            Error::Decode {
                status,
                path,
                source,
                ..
            } => write!(
                f,
                "the response body (status {status}) does not match the documented type at `{path}`: {source}"
            ),
            Error::Event {
                number,
                path,
                source,
                ..
            } => write!(
                f,
                "event {number} of the stream does not match the documented type at `{path}`: {source}"
            ),
            Error::BodyTooLarge { limit, meta } => write!(
                f,
                "the response body (status {}) is larger than the limit of {limit} bytes",
                meta.status()
            ),
            Error::DeadlineExceeded { deadline, attempts } => write!(
                f,
                "no complete response within the deadline of {deadline:?} ({attempts} attempt(s))"
            ),
            Error::Transport { source } => write!(f, "the request failed: {source}"),
            Error::Timeout { timeout } => {
                write!(f, "no complete response within the timeout of {timeout:?}")
            }
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Decode { source, .. } | Error::Event { source, .. } => Some(source),
            Error::Transport { source } => Some(source),
            _ => None,
        }
    }
}

/// `422 Unprocessable Entity`, or just the number for an unknown status.
fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The start of a body on one line, for messages.
fn excerpt(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut chars = line.chars();
    let mut out: String = chars.by_ref().take(DISPLAY_LIMIT).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A response body as text for an error: lossy UTF-8, each secret (the
/// token, a password) replaced
/// by `[redacted]`, at most [`BODY_TEXT_LIMIT`] bytes.
pub fn bounded_text(body: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
        text = text.replace(secret, "[redacted]");
    }
    if text.len() > BODY_TEXT_LIMIT {
        let mut end = BODY_TEXT_LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}
