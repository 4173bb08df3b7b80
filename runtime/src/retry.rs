//! When a failed attempt is retried, and how long the client waits first.
//!
//! The rules: a response's `x-should-retry: true` or `false` decides; else
//! the status does (`408`, `429` and the transient `5xx`). A `POST` or
//! `PATCH` without an `Idempotency-Key` is retried only where the server
//! cannot have acted on it (`429`, or no connection). The wait is the
//! server's `retry-after-ms` or `Retry-After`, else an exponential backoff
//! with jitter.
//!
//! `request` asks this module after each attempt; it reads the attempt's
//! [`Answer`] and the server's wait ([`server_wait`]) from `response`, the
//! leaf below it, and uses nothing else of the runtime.

use super::response::{Answer, server_wait};
use reqwest::Method;
use reqwest::header::HeaderMap;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

/// Why an attempt got no response.
pub enum Failure {
    /// The connection could not be made: the request was never sent.
    Connect(reqwest::Error),
    /// The attempt ran out of time.
    Timeout,
    /// Anything else (the connection broke, the body could not be read):
    /// the server may have acted on the request.
    Other(reqwest::Error),
    /// A success body longer than the size limit (not retried).
    TooLarge {
        /// The response's status.
        status: reqwest::StatusCode,
        /// The response's headers.
        headers: HeaderMap,
    },
}

impl Failure {
    pub fn from_reqwest(err: reqwest::Error) -> Self {
        if err.is_connect() {
            Failure::Connect(err)
        } else if err.is_timeout() {
            Failure::Timeout
        } else {
            Failure::Other(err)
        }
    }
}

/// Which failures may be retried for one request.
pub struct RetryPolicy {
    /// Whether sending the request twice is harmless: its method is
    /// idempotent, or it carries an idempotency key.
    idempotent: bool,
}

impl RetryPolicy {
    /// The policy for a request with `method`; `keyed` when it carries an
    /// `Idempotency-Key`.
    pub fn new(method: &Method, keyed: bool) -> Self {
        let mut policy = Self::for_method(method);
        policy.idempotent |= keyed;
        policy
    }

    fn for_method(method: &Method) -> Self {
        let idempotent = [
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::TRACE,
            Method::PUT,
            Method::DELETE,
        ]
        .contains(method);
        Self { idempotent }
    }

    /// Statuses worth another attempt: `429` always (the server did not act
    /// on the request); `408` and the transient `5xx` only where repeating
    /// the request is harmless.
    pub fn retries_status(&self, status: u16) -> bool {
        status == 429 || (self.idempotent && matches!(status, 408 | 500 | 502 | 503 | 504))
    }

    /// A connection that could not be made is always retried (nothing was
    /// sent); other failures only where repeating the request is harmless.
    pub fn retries_failure(&self, failure: &Failure) -> bool {
        match failure {
            Failure::Connect(_) => true,
            Failure::TooLarge { .. } => false,
            Failure::Timeout | Failure::Other(_) => self.idempotent,
        }
    }
}

/// Whether the outcome of an attempt is worth another: the reason (for
/// the trace) and the wait the server asked for, if any; `None` when it is
/// final.
pub fn decide(
    policy: &RetryPolicy,
    outcome: &Result<Answer, Failure>,
) -> Option<(String, Option<Duration>)> {
    match outcome {
        Ok(answer) if answer.status.is_success() => None,
        Ok(answer) => {
            let status = answer.status.as_u16();
            let retry = match should_retry(&answer.headers) {
                // The server's word, within what is safe to resend (a 429
                // was not acted on).
                Some(true) => policy.idempotent || status == 429,
                Some(false) => false,
                None => policy.retries_status(status),
            };
            retry.then(|| {
                (
                    format!("status {status}"),
                    server_wait(&answer.headers, SystemTime::now()),
                )
            })
        }
        Err(failure) if policy.retries_failure(failure) => {
            let reason = match failure {
                Failure::Connect(_) => "connection failed",
                Failure::Timeout => "attempt timed out",
                Failure::Other(_) | Failure::TooLarge { .. } => "connection broken",
            };
            Some((reason.to_owned(), None))
        }
        Err(_) => None,
    }
}

/// The server's `x-should-retry`, when it says `true` or `false`.
fn should_retry(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()?.trim() {
        value if value.eq_ignore_ascii_case("true") => Some(true),
        value if value.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The wait before retry `retry + 1`: `base` × 2^`retry`, at most 16 ×
/// `base` (0.5 s doubling up to 8 s by default), plus up to 25 % jitter.
pub fn backoff(base: Duration, retry: u32) -> Duration {
    let delay = base.saturating_mul(1 << retry.min(4));
    let jitter_fraction = (random() % 1000) as f64 / 4000.0;
    delay.saturating_add(delay.mul_f64(jitter_fraction))
}

/// A random number for jitter, without a dependency: std's hasher keys
/// are random per process and change with every `RandomState`.
fn random() -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let base = Duration::from_millis(500);
        for (retry, expected_ms) in [
            (0, 500),
            (1, 1000),
            (2, 2000),
            (3, 4000),
            (4, 8000),
            (9, 8000),
        ] {
            let wait = backoff(base, retry);
            let expected = Duration::from_millis(expected_ms);
            assert!(
                wait >= expected && wait <= expected.mul_f64(1.25),
                "{retry}: {wait:?}"
            );
        }
    }

    #[test]
    fn only_safe_retries() {
        let get = RetryPolicy::for_method(&Method::GET);
        let post = RetryPolicy::for_method(&Method::POST);
        let patch = RetryPolicy::for_method(&Method::PATCH);
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(get.retries_status(status));
        }
        assert!(!get.retries_status(501) && !get.retries_status(404));
        for policy in [&post, &patch] {
            assert!(policy.retries_status(429));
            assert!(!policy.retries_status(500) && !policy.retries_status(503));
            assert!(!policy.retries_failure(&Failure::Timeout));
        }
        assert!(get.retries_failure(&Failure::Timeout));
    }
}
