//! A hook around every attempt: [`Middleware`], called before a request
//! is sent and when its response head arrives.

use reqwest::Method;
use reqwest::header::HeaderMap;

/// Which call an attempt belongs to, as [`Middleware`] sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallInfo {
    /// The operation's id (`operationId`).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as the spec writes it (`/accounts/{id}`).
    pub path: &'static str,
    /// The attempt: 1 for the first, 2 for the first retry, and so on.
    pub attempt: u32,
}

/// Code the client runs around every attempt of every call, in the order
/// the middleware was added ([`ClientBuilder::middleware`]): to add
/// headers (tracing propagation, signatures), to count or log.
///
/// Both methods do nothing by default. The request holds the credentials
/// (an `Authorization` header, an API key): a middleware that logs it must
/// leave them out.
///
/// [`ClientBuilder::middleware`]: super::ClientBuilder::middleware
pub trait Middleware: Send + Sync + 'static {
    /// Called with each attempt's request just before it is sent; it may
    /// change it.
    fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        let _ = (request, call);
    }

    /// Called with each attempt's response status and headers, before the
    /// body is read.
    fn after_receive(&self, status: u16, headers: &HeaderMap, call: &CallInfo) {
        let _ = (status, headers, call);
    }
}
