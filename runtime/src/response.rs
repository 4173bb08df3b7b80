//! What a response gave back: [`ResponseMeta`] (status, headers, request
//! id, attempts, the wait the server asked for), [`Response`] (a success
//! body with its metadata), [`StreamBody`] (a success body handed over
//! unread, for an event stream) and `Answer` (one attempt's response, as
//! `request` reads it and `retry` judges it).
//!
//! A leaf of the runtime: it uses no other module, so that `error`,
//! `retry`, `request`, `call` and `event_stream`, which all pass these
//! types around, depend on it and not on each other.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use std::fmt;
use std::time::{Duration, SystemTime};

/// The longest wait a server's `Retry-After` can ask for.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

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
        server_wait(&self.headers, SystemTime::now())
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
/// [`Call::send_with_response`](super::Call::send_with_response).
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

/// A success body handed over unread for an
/// [`EventStream`](super::EventStream), with what the stream needs to
/// report errors.
pub struct StreamBody {
    source: Source,
    /// The response's metadata, for the errors the stream yields.
    pub(super) meta: ResponseMeta,
    /// The client's credentials, replaced in any event data an error keeps.
    pub(super) secrets: Vec<String>,
    /// The largest line or event read, in bytes.
    pub(super) max_event_size: usize,
}

enum Source {
    Response(reqwest::Response),
    #[cfg(test)]
    Bytes(Option<Vec<u8>>),
}

impl StreamBody {
    pub(super) fn new(
        response: reqwest::Response,
        meta: ResponseMeta,
        secrets: Vec<String>,
        max_event_size: usize,
    ) -> Self {
        Self {
            source: Source::Response(response),
            meta,
            secrets,
            max_event_size,
        }
    }

    /// A body that was read whole (its events are all there is).
    #[cfg(test)]
    pub(super) fn from_bytes(bytes: Vec<u8>, meta: ResponseMeta, secrets: Vec<String>) -> Self {
        Self {
            source: Source::Bytes(Some(bytes)),
            meta,
            secrets,
            max_event_size: usize::MAX,
        }
    }

    /// The next piece of the body, `None` at its end.
    pub(super) async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, reqwest::Error> {
        match &mut self.source {
            Source::Response(response) => Ok(response.chunk().await?.map(|chunk| chunk.to_vec())),
            #[cfg(test)]
            Source::Bytes(bytes) => Ok(bytes.take()),
        }
    }
}

impl fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamBody")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// A response read in full (or, for an error status, up to the limit).
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// A success body left unread: an event stream.
    pub(super) unread: Option<reqwest::Response>,
}

/// The wait the server asked for: `retry-after-ms` (milliseconds) first,
/// else `Retry-After`; at most 60 s.
pub fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let millis = headers
        .get("retry-after-ms")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<f64>().ok())
        .filter(|millis| millis.is_finite() && *millis >= 0.0)
        .and_then(|millis| Duration::try_from_secs_f64(millis / 1000.0).ok());
    match millis {
        Some(wait) => Some(wait.min(RETRY_AFTER_CAP)),
        None => retry_after(headers, now),
    }
}

/// The wait a `Retry-After` header asks for (seconds, or an HTTP date
/// relative to `now`), at most 60 s; `None` without a usable header.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else if let Ok(seconds) = value.parse::<f64>() {
        Duration::try_from_secs_f64(seconds).ok()?
    } else {
        let date = httpdate::parse_http_date(value).ok()?;
        date.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(RETRY_AFTER_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let headers = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            headers
        };
        assert_eq!(
            retry_after(&headers("3"), now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers("0.5"), now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            retry_after(&headers("7200"), now),
            Some(Duration::from_secs(60))
        );
        let in_ten = httpdate::fmt_http_date(now + Duration::from_secs(10));
        let mut dated = HeaderMap::new();
        dated.insert(RETRY_AFTER, HeaderValue::from_str(&in_ten).unwrap());
        assert_eq!(retry_after(&dated, now), Some(Duration::from_secs(10)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        dated.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&dated, now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-1"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
