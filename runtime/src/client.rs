//! The client and its builder: base URL, credentials, timeout and retry
//! settings. Sending a request is in `request`; how credentials are sent
//! is in `auth`.

use super::auth::{Credentials, Scheme, Secret};
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
/// requirement asks for: of its alternatives, the first in the spec's
/// order whose schemes all have a credential on the builder (a bearer
/// token, an API key header, query parameter or cookie, or HTTP basic
/// authentication). Nothing is sent for an operation that needs none, or
/// that lists `{}` (anonymous) among its alternatives when the client has
/// no credential for the others; any other operation whose credentials
/// are missing fails before sending ([`Error::InvalidRequest`], naming the
/// schemes and the builder methods that set them). Requests also carry
/// `Accept` (JSON unless the
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
///
/// [`Error::InvalidRequest`]: super::Error::InvalidRequest
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// The settings every request of a client reads.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: Url,
    /// The credentials given, by security scheme.
    pub(super) credentials: Credentials,
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
            .field("credentials", &inner.credentials)
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
    schemes: &'static [Scheme],
    credentials: Credentials,
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
    /// attempt, 2 retries, and no security schemes (the generated
    /// `Client::builder` declares the spec's).
    pub fn new(default_base_url: &str) -> Self {
        Self {
            base_url: default_base_url.to_owned(),
            schemes: &[],
            credentials: Credentials::default(),
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
            .field("credentials", &self.credentials)
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

    /// Takes the credentials, and the base URL if set, from an
    /// environment: `lookup` returns a variable's value. Each security
    /// scheme is read from its variable (a token as it is, HTTP basic
    /// credentials as `user:password`); a variable that is unset or blank
    /// is skipped, unless every operation needs its scheme.
    /// `Client::from_env` passes the process environment; tests pass
    /// their own.
    ///
    /// # Errors
    ///
    /// [`BuildError::MissingEnvVar`] naming the variable of a scheme that
    /// every operation needs when it is unset or blank,
    /// [`BuildError::InvalidEnvVar`] when a basic credential has no `:`,
    /// and any error of [`ClientBuilder::build`].
    pub fn from_env_lookup(
        mut self,
        base_url_var: &'static str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Client, BuildError> {
        for scheme in self.schemes {
            let value = lookup(scheme.env_var).filter(|value| !value.trim().is_empty());
            let secret = match (value, scheme.auth) {
                (None, _) if scheme.required => {
                    return Err(BuildError::MissingEnvVar {
                        name: scheme.env_var,
                    });
                }
                (None, _) => continue,
                (Some(pair), super::Auth::Basic) => match pair.trim().split_once(':') {
                    Some((user, password)) => Secret::Basic {
                        user: user.to_owned(),
                        password: password.to_owned(),
                    },
                    None => {
                        return Err(BuildError::InvalidEnvVar {
                            name: scheme.env_var,
                            expected: "`user:password`",
                        });
                    }
                },
                (Some(token), _) => Secret::Token(token),
            };
            self.credentials.insert(scheme.key, secret);
        }
        if let Some(base_url) = lookup(base_url_var).filter(|url| !url.trim().is_empty()) {
            self = self.base_url(base_url);
        }
        self.build()
    }

    /// The security schemes of the spec: the generated `Client::builder`
    /// declares them, for [`ClientBuilder::from_env_lookup`] and for the
    /// check in [`ClientBuilder::build`].
    #[doc(hidden)]
    pub fn security_schemes(mut self, schemes: &'static [Scheme]) -> Self {
        self.schemes = schemes;
        self
    }

    /// The token of the security scheme `key` (of
    /// `components.securitySchemes`): the generated setter of each scheme
    /// calls this. Surrounding whitespace is dropped.
    #[doc(hidden)]
    pub fn scheme_token(mut self, key: &'static str, token: impl Into<String>) -> Self {
        self.credentials.insert(key, Secret::Token(token.into()));
        self
    }

    /// The HTTP basic credentials of the security scheme `key`: the
    /// generated setter of each `http` `basic` scheme calls this.
    #[doc(hidden)]
    pub fn scheme_basic(
        mut self,
        key: &'static str,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.credentials.insert(
            key,
            Secret::Basic {
                user: user.into(),
                password: password.into(),
            },
        );
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

    /// Builds the client. Credentials are checked when an operation that
    /// needs them is called, except for a scheme that every operation
    /// needs: without it no operation could be called.
    ///
    /// # Errors
    ///
    /// [`BuildError::MissingCredential`] when a scheme that every
    /// operation needs has no (or a blank) credential; otherwise when a
    /// token, the base URL or the user agent cannot be used, or the
    /// default HTTP client cannot be created.
    pub fn build(self) -> Result<Client, BuildError> {
        let credentials = self.credentials.normalized();
        if let Some(scheme) = self
            .schemes
            .iter()
            .find(|scheme| scheme.required && !credentials.has(scheme.key))
        {
            return Err(BuildError::MissingCredential {
                scheme: scheme.key,
                setter: scheme.setter,
            });
        }
        if !credentials.sendable() {
            return Err(BuildError::InvalidToken);
        }

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
                credentials,
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
        // Another thread may install one first: either is fine. rustls
        // 0.23.48 deprecates this provider (it has no post-quantum key
        // exchange); it stays the default because it builds without CMake,
        // and `rustls-aws-lc` is the feature for post-quantum exchange.
        #[allow(deprecated)]
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
    /// Every operation needs this security scheme, and no (or a blank)
    /// credential was given for it.
    MissingCredential {
        /// The scheme's key in `components.securitySchemes`.
        scheme: &'static str,
        /// The `ClientBuilder` method that sets it.
        setter: &'static str,
    },
    /// [`Client::from_env`] found this environment variable unset or
    /// empty, and every operation needs the credential it holds.
    MissingEnvVar {
        /// The variable's name.
        name: &'static str,
    },
    /// [`Client::from_env`] found this environment variable in another
    /// format than its scheme needs. Its value is not kept.
    InvalidEnvVar {
        /// The variable's name.
        name: &'static str,
        /// The format it needs.
        expected: &'static str,
    },
    /// A token cannot be sent in an HTTP header (it holds control
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
            BuildError::MissingCredential { scheme, setter } => write!(
                f,
                "no credential for the `{scheme}` security scheme, which every operation needs: \
                 call `ClientBuilder::{setter}` (or use `Client::from_env`)"
            ),
            BuildError::MissingEnvVar { name } => {
                write!(
                    f,
                    "the environment variable {name} is not set or is empty; set it to your API \
                     key (every operation needs it)"
                )
            }
            BuildError::InvalidEnvVar { name, expected } => {
                write!(f, "the environment variable {name} must be {expected}")
            }
            BuildError::InvalidToken => {
                f.write_str("a token holds characters that cannot be sent in an HTTP header")
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
    use super::super::Auth;
    use super::*;
    use std::collections::HashMap;

    const URL_VAR: &str = "API_BASE_URL";
    const DEFAULT_URL: &str = "https://api.example.com/v2";
    const SCHEMES: &[Scheme] = &[
        Scheme {
            key: "bearer",
            auth: Auth::Bearer,
            setter: "bearer_token",
            env_var: "API_TOKEN",
            required: true,
        },
        Scheme {
            key: "basic",
            auth: Auth::Basic,
            setter: "basic_auth",
            env_var: "API_BASIC_AUTH",
            required: false,
        },
    ];

    /// `from_env_lookup` over `vars` instead of the process environment.
    fn from_vars(schemes: &'static [Scheme], vars: &[(&str, &str)]) -> Result<Client, BuildError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        ClientBuilder::new(DEFAULT_URL)
            .security_schemes(schemes)
            .from_env_lookup(URL_VAR, |name| {
                vars.get(name).map(|value| (*value).to_owned())
            })
    }

    #[test]
    fn a_missing_or_empty_required_credential_names_its_variable() {
        for vars in [
            &[][..],
            &[("API_TOKEN", "")][..],
            &[("API_TOKEN", " \n"), ("API_BASIC_AUTH", "a:b")][..],
            &[(URL_VAR, "http://127.0.0.1:1")][..],
        ] {
            let err = from_vars(SCHEMES, vars).unwrap_err();
            assert!(
                matches!(err, BuildError::MissingEnvVar { name: "API_TOKEN" }),
                "{vars:?}: {err:?}"
            );
            assert!(err.to_string().contains("API_TOKEN"), "{err}");
        }
    }

    #[test]
    fn nothing_is_required_when_no_scheme_is() {
        from_vars(&[], &[]).unwrap();
        from_vars(&SCHEMES[1..], &[]).unwrap();
        ClientBuilder::new(DEFAULT_URL).build().unwrap();
    }

    #[test]
    fn the_credentials_and_base_url_come_from_the_lookup() {
        let client = from_vars(
            SCHEMES,
            &[
                ("API_TOKEN", " secret\n"),
                ("API_BASIC_AUTH", "ann:pa:ss"),
                (URL_VAR, "http://127.0.0.1:1/x"),
            ],
        )
        .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:1/x");
        assert_eq!(client.inner.credentials.secrets(), ["pa:ss", "secret"]);
        for vars in [
            &[("API_TOKEN", "secret")][..],
            &[("API_TOKEN", "secret"), (URL_VAR, " ")][..],
        ] {
            let client = from_vars(SCHEMES, vars).unwrap();
            assert_eq!(client.base_url().as_str(), DEFAULT_URL, "{vars:?}");
        }
        let err = from_vars(SCHEMES, &[("API_TOKEN", "secret"), (URL_VAR, "ftp://x")]).unwrap_err();
        assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
        let err = from_vars(
            SCHEMES,
            &[
                ("API_TOKEN", "secret"),
                ("API_BASIC_AUTH", "no-colon-secret"),
            ],
        )
        .unwrap_err();
        assert!(matches!(err, BuildError::InvalidEnvVar { .. }), "{err:?}");
        assert!(!err.to_string().contains("no-colon-secret"), "{err}");
    }

    #[test]
    fn only_the_schemes_and_base_url_variables_are_looked_up() {
        let asked = std::cell::RefCell::new(Vec::new());
        ClientBuilder::new(DEFAULT_URL)
            .security_schemes(SCHEMES)
            .from_env_lookup(URL_VAR, |name| {
                asked.borrow_mut().push(name.to_owned());
                Some("secret".to_owned()).filter(|_| name == "API_TOKEN")
            })
            .unwrap();
        assert_eq!(asked.into_inner(), ["API_TOKEN", "API_BASIC_AUTH", URL_VAR]);
    }

    #[test]
    fn build_refuses_a_missing_required_credential_and_hides_secrets() {
        let builder = ClientBuilder::new(DEFAULT_URL).security_schemes(SCHEMES);
        for builder in [
            builder.clone(),
            builder.clone().scheme_token("bearer", "  "),
        ] {
            let err = builder.build().unwrap_err();
            assert!(
                matches!(
                    err,
                    BuildError::MissingCredential {
                        scheme: "bearer",
                        setter: "bearer_token"
                    }
                ),
                "{err:?}"
            );
            assert!(
                err.to_string().contains("ClientBuilder::bearer_token"),
                "{err}"
            );
        }
        let builder =
            builder
                .scheme_token("bearer", "tok-secret")
                .scheme_basic("basic", "ann", "pw-secret");
        let client = builder.clone().build().unwrap();
        for text in [format!("{builder:?}"), format!("{client:?}")] {
            assert!(!text.contains("secret"), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
    }
}
