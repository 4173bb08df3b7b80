//! The client and its builder: base URL, token, timeout and retry
//! settings. Sending a request is in `request`.

use super::middleware::Middleware;
use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// `User-Agent` sent unless the builder is given another: the crate's name
/// and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(500);
const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;
/// Response headers read as the request id, in this order, after the one
/// the spec declares.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id"];

/// An asynchronous client for the API, with one method per operation.
///
/// Build one with [`Client::builder`] or [`Client::from_env`]. Cloning is
/// cheap: clones share the connection pool and the settings.
///
/// Each method returns a [`Call`](super::Call): await it for the result,
/// or set per-call options on it first (timeout, retries, deadline, extra
/// headers and query pairs, an idempotency key), or call
/// [`send_with_response`](super::Call::send_with_response) for the status,
/// headers and request id as well.
///
/// Every request carries the credentials its operation's security
/// requirement asks for (the token as `Authorization: Bearer <token>` or as
/// an API key header or query parameter, or HTTP basic authentication;
/// nothing for an operation that needs none), `Accept` (JSON unless the
/// operation answers otherwise) and a `User-Agent`; a body is sent with its
/// `Content-Type`. Each attempt is bounded by the
/// [timeout](ClientBuilder::timeout). Failed attempts are retried (up to
/// [`max_retries`](ClientBuilder::max_retries) times) only where that is
/// safe:
///
/// - `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE`: on `408`, `429`, `500`,
///   `502`, `503` and `504`, on connection failures and on timeouts;
/// - `POST` and `PATCH`: only on `429` and when the connection could not be
///   made (the request was never sent), so that a create is never sent
///   twice; with an `Idempotency-Key` (a header parameter, or
///   [`Call::idempotency_key`](super::Call::idempotency_key)) as `GET`,
///   with the same key on every attempt.
///
/// A response's `x-should-retry: true` or `false` overrides the status
/// (within the rule for `POST`). Before retry *n* + 1 the client waits
/// 0.5 s × 2ⁿ (at most 8 s) plus up to 25 % jitter, or what the server asks
/// for with `retry-after-ms` or `Retry-After` (seconds or an HTTP date; at
/// most 60 s). A [deadline](ClientBuilder::deadline) bounds all attempts
/// and waits together; a success body larger than
/// [`max_body_size`](ClientBuilder::max_body_size) is an error.
///
/// Each call runs in a `tracing` span named `request` (fields `operation`,
/// `method`, `path`, the template, and `attempt`), with a `debug` event per
/// response and a `warn` event per retry (`reason`, `wait_ms`). Neither
/// holds the URL, header values or bodies, so no credential is logged.
///
/// The methods need a Tokio runtime with I/O and timers enabled, as
/// `#[tokio::main]` provides.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// The settings every request of a client reads.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: Url,
    /// The token (empty when none was given), kept to send it as an API
    /// key in a query and to keep it out of error text.
    pub(super) token: String,
    /// `Bearer <token>`, marked sensitive, when a token was given.
    pub(super) authorization: Option<HeaderValue>,
    /// The token as an API key header value, marked sensitive.
    pub(super) api_key: Option<HeaderValue>,
    /// HTTP basic credentials: user name and password.
    pub(super) basic: Option<(String, String)>,
    pub(super) user_agent: HeaderValue,
    pub(super) timeout: Duration,
    pub(super) max_retries: u32,
    pub(super) retry_base_delay: Duration,
    pub(super) deadline: Option<Duration>,
    pub(super) max_body_size: usize,
    pub(super) middleware: Vec<Arc<dyn Middleware>>,
    /// Headers read as a response's request id, in order.
    pub(super) request_id_headers: Vec<HeaderName>,
}

impl Client {
    /// The base URL that operation paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.as_str())
            .field("token", &"[redacted]")
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .field("deadline", &inner.deadline)
            .field("max_body_size", &inner.max_body_size)
            .field("middleware", &inner.middleware.len())
            .finish_non_exhaustive()
    }
}

/// Configures and builds a [`Client`]; see [`Client::builder`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    token_optional: bool,
    basic: Option<(String, String)>,
    timeout: Duration,
    max_retries: u32,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    retry_base_delay: Duration,
    deadline: Option<Duration>,
    max_body_size: usize,
    middleware: Vec<Arc<dyn Middleware>>,
    request_id_headers: Vec<String>,
}

impl ClientBuilder {
    /// A builder with the defaults: `default_base_url` (the generated
    /// `Client::builder` passes the spec's first server), a 60 s timeout per
    /// attempt, 2 retries, and no token (one must be given).
    pub fn new(default_base_url: &str) -> Self {
        Self {
            base_url: default_base_url.to_owned(),
            token: None,
            token_optional: false,
            basic: None,
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            user_agent: None,
            http_client: None,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            deadline: None,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            middleware: Vec::new(),
            request_id_headers: Vec::new(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field(
                "basic_auth",
                &self.basic.as_ref().map(|(user, _)| (user, "[redacted]")),
            )
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.as_ref().map(|_| ".."))
            .field("deadline", &self.deadline)
            .field("max_body_size", &self.max_body_size)
            .field("middleware", &self.middleware.len())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The URL that operation paths are appended to (default: the one given
    /// to [`ClientBuilder::new`]). A trailing `/` does not matter.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Takes the token, and the base URL if set, from an environment:
    /// `lookup` returns a variable's value. `Client::from_env` passes the
    /// process environment; tests pass their own.
    ///
    /// # Errors
    ///
    /// [`BuildError::MissingEnvVar`] naming `token_var` when it is unset or
    /// empty, and any error of [`ClientBuilder::build`].
    pub fn from_env_lookup(
        mut self,
        token_var: &'static str,
        base_url_var: &'static str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Client, BuildError> {
        match lookup(token_var).filter(|token| !token.trim().is_empty()) {
            Some(token) => self = self.token(token),
            None if self.token_optional => {}
            None => return Err(BuildError::MissingEnvVar { name: token_var }),
        }
        if let Some(base_url) = lookup(base_url_var).filter(|url| !url.trim().is_empty()) {
            self = self.base_url(base_url);
        }
        self.build()
    }

    /// The API token, sent as the operation's security scheme asks: as
    /// `Authorization: Bearer <token>`, or as an API key header or query
    /// parameter. Required unless the spec's operations need none;
    /// surrounding whitespace is dropped.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// HTTP basic credentials, for operations whose security scheme is
    /// `http` `basic`. Neither is shown by `Debug` or in errors.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some((username.into(), password.into()));
        self
    }

    /// Lets [`ClientBuilder::build`] succeed without a token: the generated
    /// `Client::builder` calls it when no operation needs one.
    #[doc(hidden)]
    pub fn token_optional(mut self) -> Self {
        self.token_optional = true;
        self
    }

    /// The longest one attempt may take, from sending the request to
    /// reading the whole response (default: 60 s). Retries get a fresh
    /// timeout each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed attempt may be retried, where retrying is
    /// safe (default: 2, so at most 3 attempts). `0` turns retries off.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The longest one call may take, all attempts and the waits between
    /// them together (default: none, each attempt is bounded by the
    /// timeout). A call can set its own ([`Call::deadline`]).
    ///
    /// [`Call::deadline`]: super::Call::deadline
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The largest success body read, in bytes (default: 64 MiB); a larger
    /// one fails the call with [`Error::BodyTooLarge`]. Error bodies are
    /// read up to 64 KiB and cut there.
    ///
    /// [`Error::BodyTooLarge`]: super::Error::BodyTooLarge
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Adds a [`Middleware`], run around every attempt after those added
    /// before it.
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// A response header to read the request id from, before
    /// `x-request-id` and `request-id`: the generated `Client::builder`
    /// passes the one the spec declares.
    pub fn request_id_header(mut self, name: impl Into<String>) -> Self {
        self.request_id_headers.push(name.into());
        self
    }

    /// The `User-Agent` header (default: `<crate name>/<crate version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The `reqwest` client to send with (default: a new one, with the TLS
    /// backend the crate's features choose: rustls with `ring` unless
    /// `rustls-aws-lc` or `native-tls` is asked for; with `rustls-ring`,
    /// building it installs `ring` as the process's rustls provider when
    /// none is installed yet).
    /// Its own settings (proxies, TLS, pool) apply; the headers, timeout
    /// and retries above are added per request.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// The first backoff step (default: 0.5 s; the cap is 16 times this).
    /// For tests that exercise retries without waiting; a server's
    /// `Retry-After` is honoured as sent.
    #[doc(hidden)]
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = delay;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`BuildError::MissingToken`] when no (or an empty) token was given;
    /// otherwise when the token, base URL or user agent cannot be used, or
    /// the default HTTP client cannot be created.
    pub fn build(self) -> Result<Client, BuildError> {
        // Surrounding whitespace (a newline from a file) is never part of a
        // token.
        let token = self
            .token
            .map(|token| token.trim().to_owned())
            .filter(|token| !token.is_empty());
        if token.is_none() && !self.token_optional {
            return Err(BuildError::MissingToken);
        }
        let sensitive = |text: String| {
            HeaderValue::from_str(&text)
                .map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
                .map_err(|_| BuildError::InvalidToken)
        };
        let authorization = token
            .as_ref()
            .map(|token| sensitive(format!("Bearer {token}")))
            .transpose()?;
        let api_key = token.clone().map(sensitive).transpose()?;
        let token = token.unwrap_or_default();

        let base_url = parse_base_url(&self.base_url)?;

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned());
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| BuildError::InvalidUserAgent { user_agent })?;

        let mut request_id_headers = Vec::new();
        for name in self
            .request_id_headers
            .iter()
            .map(String::as_str)
            .chain(REQUEST_ID_HEADERS.iter().copied())
        {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                BuildError::InvalidHeaderName {
                    name: name.to_owned(),
                }
            })?;
            if !request_id_headers.contains(&name) {
                request_id_headers.push(name);
            }
        }

        let http = match self.http_client {
            Some(http) => http,
            None => {
                install_tls_provider();
                reqwest::Client::builder()
                    .build()
                    .map_err(|source| BuildError::Http { source })?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                token,
                authorization,
                api_key,
                basic: self.basic,
                user_agent,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_base_delay: self.retry_base_delay,
                deadline: self.deadline,
                max_body_size: self.max_body_size,
                middleware: self.middleware,
                request_id_headers,
            }),
        })
    }
}

/// With the `rustls-ring` feature (the default), makes `ring` the
/// process's rustls crypto provider unless one is installed already; with
/// another TLS feature it does nothing.
///
/// [`ClientBuilder::build`] calls it. Call it yourself before building your
/// own `reqwest::Client` (for [`ClientBuilder::http_client`], say): this
/// crate builds reqwest's rustls without a provider of its own, so that
/// aws-lc-rs is not compiled, and reqwest then needs a process provider.
pub fn install_tls_provider() {
    #[cfg(feature = "rustls-ring")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first: either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn parse_base_url(text: &str) -> Result<Url, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    if text.trim().is_empty() {
        return Err(invalid(
            "it is empty (the spec names no server: call `base_url`)",
        ));
    }
    let url = Url::parse(text).map_err(|err| invalid(&err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() {
        return Err(invalid("it cannot have paths appended"));
    }
    Ok(url)
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// No token was given to [`ClientBuilder::token`], or it was empty.
    MissingToken,
    /// [`Client::from_env`] found this environment variable unset or empty.
    MissingEnvVar {
        /// The variable's name.
        name: &'static str,
    },
    /// The token cannot be sent in an HTTP header (it holds control
    /// characters). The token itself is not kept.
    InvalidToken,
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The user agent cannot be sent in an HTTP header.
    InvalidUserAgent {
        /// The user agent as given.
        user_agent: String,
    },
    /// A header name given to the builder is not a valid one.
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// The default HTTP client could not be created.
    Http {
        /// What `reqwest` reported.
        source: reqwest::Error,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingToken => {
                f.write_str("no API token: call `ClientBuilder::token` (or use `Client::from_env`)")
            }
            BuildError::MissingEnvVar { name } => {
                write!(
                    f,
                    "the environment variable {name} is not set or is empty; set it to your API key"
                )
            }
            BuildError::InvalidToken => {
                f.write_str("the API token holds characters that cannot be sent in an HTTP header")
            }
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            BuildError::InvalidUserAgent { user_agent } => {
                write!(
                    f,
                    "invalid user agent `{user_agent}`: not a valid HTTP header value"
                )
            }
            BuildError::InvalidHeaderName { name } => {
                write!(f, "`{name}` is not a valid HTTP header name")
            }
            BuildError::Http { source } => write!(f, "cannot create the HTTP client: {source}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http { source } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN_VAR: &str = "API_TOKEN";
    const URL_VAR: &str = "API_BASE_URL";
    const DEFAULT_URL: &str = "https://api.example.com/v2";

    /// `from_env_lookup` over `vars` instead of the process environment.
    fn from_vars(vars: &[(&str, &str)]) -> Result<Client, BuildError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        ClientBuilder::new(DEFAULT_URL).from_env_lookup(TOKEN_VAR, URL_VAR, |name| {
            vars.get(name).map(|value| (*value).to_owned())
        })
    }

    #[test]
    fn a_missing_or_empty_token_names_its_variable() {
        for vars in [
            &[][..],
            &[(TOKEN_VAR, "")][..],
            &[(TOKEN_VAR, " \n")][..],
            &[(URL_VAR, "http://127.0.0.1:1")][..],
        ] {
            let err = from_vars(vars).unwrap_err();
            assert!(
                matches!(err, BuildError::MissingEnvVar { name: TOKEN_VAR }),
                "{vars:?}: {err:?}"
            );
            assert!(err.to_string().contains(TOKEN_VAR), "{err}");
        }
    }

    #[test]
    fn the_token_and_base_url_come_from_the_lookup() {
        let client =
            from_vars(&[(TOKEN_VAR, " secret\n"), (URL_VAR, "http://127.0.0.1:1/x")]).unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:1/x");
        assert_eq!(client.inner.token, "secret");
        for vars in [
            &[(TOKEN_VAR, "secret")][..],
            &[(TOKEN_VAR, "secret"), (URL_VAR, " ")][..],
        ] {
            let client = from_vars(vars).unwrap();
            assert_eq!(client.base_url().as_str(), DEFAULT_URL, "{vars:?}");
        }
        let err = from_vars(&[(TOKEN_VAR, "secret"), (URL_VAR, "ftp://x")]).unwrap_err();
        assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    }

    #[test]
    fn only_the_two_named_variables_are_looked_up() {
        let asked = std::cell::RefCell::new(Vec::new());
        ClientBuilder::new(DEFAULT_URL)
            .from_env_lookup(TOKEN_VAR, URL_VAR, |name| {
                asked.borrow_mut().push(name.to_owned());
                Some("secret".to_owned()).filter(|_| name == TOKEN_VAR)
            })
            .unwrap();
        assert_eq!(asked.into_inner(), [TOKEN_VAR, URL_VAR]);
    }
}
