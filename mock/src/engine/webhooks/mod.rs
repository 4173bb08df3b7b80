//! Delivering the document's webhooks to a receiver, signed.
//!
//! `POST /__mock/webhooks/{name}` sends the webhook `name` (its key in the
//! document's `webhooks`, or a callback's name) to the URL given with
//! `--webhook-url`: the request's JSON body if there is one (validated
//! against the webhook's schema first), else the document's example for
//! it, else a payload synthesized from its schema. The delivery is signed
//! (see [`sign`]) and the caller gets back what the receiver answered.
//! `GET /__mock/webhooks` lists the webhooks.
//!
//! Which scheme signs, unless `--webhook-scheme` says: **standard**
//! (Standard Webhooks, HMAC-SHA256 with a `whsec_` secret) when a webhook
//! declares a `webhook-id` header, or when its signature header is
//! literally `webhook-signature`; **ed25519** when a signature header has
//! another name (mapped to `webhook-signature` by `x-webhook-equivalent`,
//! as `telnyx-signature-ed25519` is) or when the document names no
//! signature header at all. The document's header names are used; where
//! it names none, `webhook-id`, `webhook-timestamp` and
//! `webhook-signature`.
//!
//! Settings that cannot be used (a malformed `--webhook-key`, a
//! `--webhook-url` that is not http(s)) are an [`Error`] at start, naming
//! the option and never repeating the key; `crate::Error::Webhooks` adds
//! the document.

pub mod sign;

use super::Engine;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::Target;
use contract::synth::SynthOptions;
use generator::ir::{Api, BodyEncoding, Webhook};
use serde_json::{Value, json};
pub use sign::{HeaderNames, KeyText, Scheme, Signer};

/// Why the webhook settings are not usable (`--webhook-key`,
/// `--webhook-url`); never repeats the key.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--webhook-scheme` names no scheme.
    #[error("unknown webhook scheme `{given}` (expected `ed25519` or `standard`)")]
    UnknownScheme {
        /// The name given.
        given: String,
    },
    /// No randomness for a fresh key.
    #[error("no randomness for a webhook key: {0}")]
    NoRandomness(getrandom::Error),
    /// A Standard Webhooks secret that is not base64.
    #[error("--webhook-key: a Standard Webhooks secret is `whsec_` followed by base64")]
    SecretNotBase64,
    /// A Standard Webhooks secret of no bytes.
    #[error("--webhook-key: the secret is empty")]
    EmptySecret,
    /// A `whsec_` secret for the Ed25519 scheme.
    #[error(
        "--webhook-key: a `whsec_` secret is for the `standard` scheme, but webhooks are signed with ed25519 (see --webhook-scheme)"
    )]
    SecretForEd25519,
    /// An Ed25519 key that is not base64.
    #[error(
        "--webhook-key: an Ed25519 private key is base64 (a 32-byte seed or a 64-byte keypair)"
    )]
    KeyNotBase64,
    /// An Ed25519 keypair whose halves do not match.
    #[error("--webhook-key: the keypair's public half does not match its seed")]
    KeypairMismatch,
    /// An Ed25519 key of another length.
    #[error("--webhook-key: an Ed25519 private key is 32 or 64 bytes, not {len}")]
    KeyLength {
        /// The decoded length.
        len: usize,
    },
    /// `--webhook-url` is not a URL.
    #[error("--webhook-url {url}: not a URL: {message}")]
    UrlInvalid {
        /// The URL given.
        url: String,
        /// The URL parser's message.
        message: String,
    },
    /// `--webhook-url` is not http(s).
    #[error("--webhook-url {url}: not an http(s) URL")]
    UrlScheme {
        /// The URL given.
        url: String,
    },
    /// The HTTP client for deliveries could not be built.
    #[error("cannot build the webhook HTTP client: {0}")]
    HttpClient(reqwest::Error),
}
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime};

/// How much of the receiver's answer is passed back to the caller.
const RESPONSE_EXCERPT: usize = 4096;

/// Where and how webhooks are delivered.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Where deliveries go; `None`: `POST /__mock/webhooks/{name}` is
    /// refused.
    pub url: Option<String>,
    /// The signing scheme; `None`: derived from the document (see the
    /// module docs).
    pub scheme: Option<Scheme>,
    /// The key to sign with; `None`: a fresh random one.
    pub key: Option<KeyText>,
    /// How long to wait for the receiver's answer.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            url: None,
            scheme: None,
            key: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What a receiver needs to verify the deliveries: printed at start.
#[derive(Clone)]
pub struct ReceiverKey {
    /// The scheme deliveries are signed with.
    pub scheme: Scheme,
    /// The base64 Ed25519 public key, or the `whsec_` test secret.
    pub key: String,
}

impl std::fmt::Debug for ReceiverKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverKey")
            .field("scheme", &self.scheme.name())
            .finish_non_exhaustive()
    }
}

/// The webhooks of a document and what delivers them.
pub struct Webhooks {
    hooks: Vec<Webhook>,
    /// `None` when the document has no webhooks.
    signer: Option<Signer>,
    url: Option<String>,
    http: reqwest::Client,
    /// By webhook index: the default payload, built on first use.
    payloads: Vec<OnceLock<Option<Value>>>,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks")
            .field("webhooks", &self.hooks.len())
            .field("url", &self.url)
            .field("signer", &self.signer)
            .finish()
    }
}

impl Webhooks {
    /// The webhooks of `api`, signed as `settings` say (an error: the key
    /// or the URL given is not usable).
    pub fn new(api: &Api, settings: &WebhookSettings) -> Result<Self, Error> {
        let hooks = api.webhooks.clone();
        let scheme = match (settings.scheme, &settings.key) {
            (Some(scheme), _) => scheme,
            // A `whsec_` secret says which scheme it is for.
            (None, Some(key)) if key.is_whsec() => Scheme::Standard,
            (None, _) => scheme_of(api),
        };
        let signer = match &settings.key {
            Some(key) => Some(Signer::parse(scheme, key)?),
            None if hooks.is_empty() => None,
            None => Some(Signer::random(scheme)?),
        };
        if let Some(url) = &settings.url {
            let parsed = reqwest::Url::parse(url).map_err(|err| Error::UrlInvalid {
                url: url.clone(),
                message: err.to_string(),
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::UrlScheme { url: url.clone() });
            }
        }
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Another thread may have installed one meanwhile: either will do.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(Error::HttpClient)?;
        Ok(Self {
            payloads: hooks.iter().map(|_| OnceLock::new()).collect(),
            hooks,
            signer,
            url: settings.url.clone(),
            http,
        })
    }

    /// What a receiver verifies deliveries with; `None` when the document
    /// has no webhooks.
    pub fn receiver_key(&self) -> Option<ReceiverKey> {
        self.signer.as_ref().map(|signer| ReceiverKey {
            scheme: signer.scheme(),
            key: signer.receiver_key(),
        })
    }

    /// The webhook called `name` (its name, or its variant name).
    fn find(&self, name: &str) -> Option<usize> {
        self.hooks
            .iter()
            .position(|hook| hook.name == name)
            .or_else(|| self.hooks.iter().position(|hook| hook.variant == name))
    }

    /// The payload sent when the caller gives none: the webhook's example
    /// when it validates, else one synthesized from its schema.
    fn default_payload(
        &self,
        validator: &contract::ContractValidator,
        index: usize,
    ) -> Option<&Value> {
        self.payloads[index]
            .get_or_init(|| {
                let hook = &self.hooks[index];
                let body = hook.body.as_ref()?;
                let target = Target::Webhook {
                    name: hook.name.clone(),
                };
                let valid_example = body.example.as_ref().filter(|example| {
                    validator
                        .validate(&target, example)
                        .is_ok_and(|violations| violations.is_empty())
                });
                valid_example
                    .cloned()
                    .or_else(|| validator.synthesize(&target, &SynthOptions::default()).ok())
            })
            .as_ref()
    }
}

/// The scheme the document's webhooks are signed with (see the module
/// docs).
pub fn scheme_of(api: &Api) -> Scheme {
    let headers = || api.webhooks.iter().map(|hook| &hook.signature_headers);
    if headers().any(|h| h.id.is_some()) {
        return Scheme::Standard;
    }
    let mut signatures = headers().filter_map(|h| h.signature.as_deref()).peekable();
    if signatures.peek().is_none() {
        return Scheme::Ed25519;
    }
    if signatures.all(|name| name.eq_ignore_ascii_case("webhook-signature")) {
        Scheme::Standard
    } else {
        Scheme::Ed25519
    }
}

/// The header names `hook` is signed with: the document's, else the
/// Standard Webhooks ones.
fn header_names(hook: &Webhook) -> HeaderNames {
    let defaults = HeaderNames::default();
    let names = &hook.signature_headers;
    HeaderNames {
        id: names.id.clone().unwrap_or(defaults.id),
        timestamp: names.timestamp.clone().unwrap_or(defaults.timestamp),
        signature: names.signature.clone().unwrap_or(defaults.signature),
    }
}

/// `GET /__mock/webhooks`: the document's webhooks.
pub async fn list(State(engine): State<Arc<Engine>>) -> Response {
    let hooks = &engine.webhooks.hooks;
    let listed: Vec<Value> = hooks
        .iter()
        .map(|hook| {
            json!({
                "name": hook.name,
                "variant": hook.variant,
                "method": hook.method.as_str(),
                "summary": hook.summary,
                "tag": hook.tag.as_ref().map(|tag| json!({
                    "path": tag.path,
                    "values": tag.values,
                })),
                "callback_of": hook.callback_of,
            })
        })
        .collect();
    let answer = json!({
        "webhooks": listed,
        "delivered_to": engine.webhooks.url,
        "scheme": engine.webhooks.signer.as_ref().map(|s| s.scheme().name()),
    });
    json_response(StatusCode::OK, &answer)
}

/// `POST /__mock/webhooks/{name}`: signs and delivers one webhook.
pub async fn deliver(
    State(engine): State<Arc<Engine>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let response = deliver_inner(&engine, &name, &body).await;
    if engine.settings.log {
        println!(
            "POST /__mock/webhooks/{name} -> {} ({} µs)",
            response.status().as_u16(),
            started.elapsed().as_micros()
        );
    }
    response
}

async fn deliver_inner(engine: &Engine, name: &str, body: &[u8]) -> Response {
    let webhooks = &engine.webhooks;
    let Some(index) = webhooks.find(name) else {
        let known: Vec<&str> = webhooks.hooks.iter().map(|h| h.name.as_str()).collect();
        let message = if known.is_empty() {
            format!("no webhook named `{name}`: the document has no webhooks")
        } else {
            format!("no webhook named `{name}`; known: {}", known.join(", "))
        };
        return error(StatusCode::NOT_FOUND, message, json!({ "known": known }));
    };
    let hook = &webhooks.hooks[index];
    let (Some(url), Some(signer)) = (&webhooks.url, &webhooks.signer) else {
        return error(
            StatusCode::CONFLICT,
            "no webhook URL: start the mock with --webhook-url URL to deliver webhooks".to_owned(),
            Value::Null,
        );
    };
    let validator = engine.checker.validator();
    let json_body = hook
        .body
        .as_ref()
        .is_some_and(|b| b.encoding == BodyEncoding::Json);
    let (payload, bytes) = if body.iter().all(u8::is_ascii_whitespace) {
        match webhooks.default_payload(validator, index) {
            Some(value) => (value.clone(), serde_json::to_vec(value).unwrap_or_default()),
            None if json_body => (Value::Null, b"null".to_vec()),
            None => (Value::Null, Vec::new()),
        }
    } else {
        let value: Value = match serde_json::from_slice(body) {
            Ok(value) => value,
            Err(err) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("the body is not valid JSON: {err}"),
                    Value::Null,
                );
            }
        };
        if json_body {
            let target = Target::Webhook {
                name: hook.name.clone(),
            };
            match validator.validate(&target, &value) {
                Ok(violations) if !violations.is_empty() => {
                    return error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!(
                            "the body does not match the schema of webhook `{}`",
                            hook.name
                        ),
                        json!({ "violations": violations }),
                    );
                }
                // Valid, or a schema the validator has no target for
                // (taken as sent).
                _ => {}
            }
        }
        // Sent as the caller wrote it, so that exact bytes can be tested.
        (value, body.to_vec())
    };

    let timestamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    let method = reqwest::Method::from_bytes(hook.method.as_str().as_bytes())
        .unwrap_or(reqwest::Method::POST);
    let mut request = webhooks.http.request(method, url.as_str());
    for (name, value) in signer.sign(&header_names(hook), &id, timestamp, &bytes) {
        request = request.header(name, value);
    }
    if !bytes.is_empty() {
        let media = hook
            .body
            .as_ref()
            .filter(|b| b.encoding == BodyEncoding::Json)
            .map_or("application/json", |b| b.content_type.as_str());
        request = request.header(header::CONTENT_TYPE.as_str(), media);
    }
    let answer = match request.body(bytes).send().await {
        Ok(answer) => answer,
        Err(err) => {
            let reason = if err.is_timeout() {
                "did not answer in time".to_owned()
            } else if err.is_connect() {
                "could not be reached (connection failed)".to_owned()
            } else {
                format!("could not be reached: {}", err.without_url())
            };
            return error(
                StatusCode::BAD_GATEWAY,
                format!("the webhook receiver at {url} {reason}"),
                json!({ "webhook": hook.name, "payload": payload }),
            );
        }
    };
    let status = answer.status().as_u16();
    let text = match answer.bytes().await {
        Ok(bytes) => excerpt(&bytes),
        Err(err) => format!("<the answer could not be read: {}>", err.without_url()),
    };
    json_response(
        StatusCode::OK,
        &json!({
            "webhook": hook.name,
            "delivered_to": url,
            "status": status,
            "response_body": text,
            "payload": payload,
        }),
    )
}

/// The first [`RESPONSE_EXCERPT`] bytes of `bytes` as text (cut on a
/// character boundary, invalid UTF-8 replaced).
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(RESPONSE_EXCERPT)]);
    let mut text = text.into_owned();
    if bytes.len() > RESPONSE_EXCERPT {
        // A character cut in two became U+FFFD at the end: drop it.
        if text.ends_with('\u{FFFD}') {
            text.pop();
        }
    }
    text
}

/// `{"error": message, ...extra}` with `status`.
fn error(status: StatusCode, message: String, extra: Value) -> Response {
    let mut body = json!({ "error": message });
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    json_response(status, &body)
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
