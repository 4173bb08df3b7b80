//! The mock delivers the document's webhooks, signed: a receiver on an
//! ephemeral port captures what `POST /__mock/webhooks/{name}` sends, and
//! the client runtime's `webhooks::verify` checks the signature with the
//! key the mock announces.

use axum::http::HeaderMap;
use base64::Engine as _;
use runtime::webhooks::{Key, SignatureHeaders};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use telnyx_mock::engine::webhooks::{KeyText, Scheme, WebhookSettings};
use telnyx_mock::{Config, Running, Settings};

const ED25519: &str = "webhooks_ed25519.yaml";
const STANDARD: &str = "webhooks_standard.yaml";

/// The ed25519 fixture's header names, as a generated crate would pass them.
const ED25519_HEADERS: SignatureHeaders = SignatureHeaders {
    id: &["webhook-id"],
    timestamp: &["calls-timestamp", "webhook-timestamp"],
    signature: &["calls-signature-ed25519", "webhook-signature"],
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Captured {
    method: String,
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// A webhook receiver on an ephemeral port: keeps every request and
/// answers `202 thanks`.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Captured>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start() -> Self {
        let got: Arc<Mutex<Vec<Captured>>> = Arc::default();
        let seen = got.clone();
        let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
            let seen = seen.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20)
                    .await
                    .unwrap_or_default();
                seen.lock().unwrap().push(Captured {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_owned(),
                    headers: parts.headers,
                    body: body.to_vec(),
                });
                (axum::http::StatusCode::ACCEPTED, "thanks")
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            url: format!("http://{addr}/hooks"),
            got,
            _task: task,
        }
    }

    fn requests(&self) -> Vec<Captured> {
        self.got.lock().unwrap().clone()
    }
}

async fn start_mock(document: &str, webhooks: WebhookSettings) -> Running {
    let config = Config {
        settings: Settings {
            webhooks,
            ..Settings::default()
        },
        seed: None,
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    telnyx_mock::start(&fixture(document), addr, config)
        .await
        .expect("the mock starts")
}

fn settings(url: Option<&str>, key: Option<String>) -> WebhookSettings {
    WebhookSettings {
        url: url.map(str::to_owned),
        key: key.map(KeyText::new),
        ..WebhookSettings::default()
    }
}

/// `POST /__mock/webhooks/{name}` with `body`; the status and the JSON answer.
async fn trigger(mock: &Running, name: &str, body: Option<&str>) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().post(format!("{}/__mock/webhooks/{name}", mock.base_url()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let value = response.json().await.expect("the mock answers JSON");
    (status, value)
}

fn ed25519_seed() -> String {
    base64::engine::general_purpose::STANDARD.encode([42u8; 32])
}

fn validator(document: &str) -> contract::ContractValidator {
    let spec = generator::load_file(&fixture(document)).unwrap();
    contract::ContractValidator::new(&spec).unwrap()
}

#[tokio::test]
async fn an_ed25519_webhook_is_delivered_with_its_example_and_verifies() {
    let receiver = Receiver::start().await;
    let mock = start_mock(ED25519, settings(Some(&receiver.url), Some(ed25519_seed()))).await;
    let announced = mock.webhook_key.clone().expect("the document has webhooks");
    assert_eq!(announced.scheme, Scheme::Ed25519);

    let (status, answer) = trigger(&mock, "callAnswered", None).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["webhook"], "callAnswered");
    assert_eq!(answer["delivered_to"], receiver.url.as_str());
    assert_eq!(answer["status"], 202);
    assert_eq!(answer["response_body"], "thanks");
    assert_eq!(answer["payload"]["data"]["event_type"], "call.answered");
    assert_eq!(answer["payload"]["data"]["payload"]["call_id"], "call-1");

    let got = receiver.requests();
    assert_eq!(got.len(), 1);
    let delivery = &got[0];
    assert_eq!(delivery.method, "POST");
    assert_eq!(delivery.path, "/hooks");
    assert_eq!(delivery.headers["content-type"], "application/json");
    assert!(delivery.headers.contains_key("calls-signature-ed25519"));
    assert!(delivery.headers.contains_key("calls-timestamp"));
    assert!(!delivery.headers.contains_key("webhook-signature"));
    let sent: Value = serde_json::from_slice(&delivery.body).unwrap();
    assert_eq!(sent, answer["payload"]);

    let key = Key::ed25519(&announced.key).expect("the announced key is a public key");
    runtime::webhooks::verify(
        &delivery.body,
        &delivery.headers,
        &key,
        &ED25519_HEADERS,
        SystemTime::now(),
    )
    .expect("the delivery verifies with the announced public key");
    let mut tampered = delivery.body.clone();
    tampered.push(b' ');
    assert!(
        runtime::webhooks::verify(
            &tampered,
            &delivery.headers,
            &key,
            &ED25519_HEADERS,
            SystemTime::now()
        )
        .is_err()
    );

    // The same seed gives the same public key; a fresh one another.
    let again = start_mock(ED25519, settings(None, Some(ed25519_seed()))).await;
    assert_eq!(again.webhook_key.clone().unwrap().key, announced.key);
    let fresh = start_mock(ED25519, settings(None, None)).await;
    let fresh = fresh.webhook_key.clone().unwrap();
    assert_eq!(fresh.scheme, Scheme::Ed25519);
    assert_ne!(fresh.key, announced.key);
    let other = Key::ed25519(&fresh.key).unwrap();
    assert!(
        runtime::webhooks::verify(
            &delivery.body,
            &delivery.headers,
            &other,
            &ED25519_HEADERS,
            SystemTime::now()
        )
        .is_err(),
        "another key does not verify"
    );
}

#[tokio::test]
async fn a_webhook_without_example_gets_a_synthesized_valid_payload() {
    let receiver = Receiver::start().await;
    let mock = start_mock(ED25519, settings(Some(&receiver.url), None)).await;
    let key = Key::ed25519(&mock.webhook_key.clone().unwrap().key).unwrap();
    let (status, answer) = trigger(&mock, "callHangup", None).await;
    assert_eq!(status, 200, "{answer}");
    let payload = &answer["payload"];
    assert_eq!(payload["data"]["event_type"], "call.hangup");
    let violations = validator(ED25519)
        .validate_webhook("callHangup", payload)
        .unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    let delivery = receiver.requests().pop().unwrap();
    runtime::webhooks::verify(
        &delivery.body,
        &delivery.headers,
        &key,
        &ED25519_HEADERS,
        SystemTime::now(),
    )
    .expect("verifies with the fresh key's public half");
}

#[tokio::test]
async fn a_given_body_is_validated_then_sent_verbatim() {
    let receiver = Receiver::start().await;
    let mock = start_mock(ED25519, settings(Some(&receiver.url), Some(ed25519_seed()))).await;
    let key = Key::ed25519(&mock.webhook_key.clone().unwrap().key).unwrap();

    let body = r#"{"data": {"event_type": "call.hangup", "payload": {"call_id": "abc-1", "cause": "busy"}}}"#;
    let (status, answer) = trigger(&mock, "callHangup", Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["payload"]["data"]["payload"]["cause"], "busy");
    let delivery = receiver.requests().pop().unwrap();
    assert_eq!(delivery.body, body.as_bytes(), "sent as written");
    runtime::webhooks::verify(
        &delivery.body,
        &delivery.headers,
        &key,
        &ED25519_HEADERS,
        SystemTime::now(),
    )
    .unwrap();

    // Against the schema: refused, with where and why, and not sent.
    let invalid = r#"{"data": {"event_type": "call.hangup", "payload": {"call_id": "abc-1", "cause": "lunch"}}}"#;
    let (status, answer) = trigger(&mock, "callHangup", Some(invalid)).await;
    assert_eq!(status, 422, "{answer}");
    let violations = answer["violations"].as_array().unwrap();
    assert!(
        violations
            .iter()
            .any(|v| v["instance_pointer"] == "/data/payload/cause"),
        "{answer}"
    );
    assert!(answer["error"].as_str().unwrap().contains("callHangup"));
    // Another event's payload is not this one.
    let (status, _) = trigger(&mock, "callAnswered", Some(body)).await;
    assert_eq!(status, 422);
    let (status, answer) = trigger(&mock, "callHangup", Some("{not json")).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("not valid JSON"));
    assert_eq!(receiver.requests().len(), 1, "refused bodies are not sent");
}

#[tokio::test]
async fn standard_webhooks_are_signed_with_the_whsec_secret() {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let receiver = Receiver::start().await;
    let mock = start_mock(STANDARD, settings(Some(&receiver.url), Some(secret.into()))).await;
    let announced = mock.webhook_key.clone().unwrap();
    assert_eq!(announced.scheme, Scheme::Standard);
    assert_eq!(announced.key, secret);

    let (status, answer) = trigger(&mock, "order.created", None).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["payload"]["type"], "order.created");
    let delivery = receiver.requests().pop().unwrap();
    let id = delivery.headers["webhook-id"].to_str().unwrap();
    assert!(id.starts_with("msg_"), "{id}");
    let signature = delivery.headers["webhook-signature"].to_str().unwrap();
    assert!(signature.starts_with("v1,"), "{signature}");
    let timestamp: i64 = delivery.headers["webhook-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - timestamp).abs() < 60);
    let key = Key::standard_webhooks(secret).unwrap();
    runtime::webhooks::verify(
        &delivery.body,
        &delivery.headers,
        &key,
        &SignatureHeaders::STANDARD,
        SystemTime::now(),
    )
    .expect("verifies with the secret");
    let wrong = Key::standard_webhooks("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    assert!(
        runtime::webhooks::verify(
            &delivery.body,
            &delivery.headers,
            &wrong,
            &SignatureHeaders::STANDARD,
            SystemTime::now()
        )
        .is_err()
    );

    // Each delivery has its own id.
    trigger(&mock, "order.created", None).await;
    let ids: Vec<String> = receiver
        .requests()
        .iter()
        .map(|c| c.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_ne!(ids[0], ids[1]);

    // Without a key, a fresh secret, announced as `whsec_`.
    let fresh = start_mock(STANDARD, settings(None, None)).await;
    let fresh = fresh.webhook_key.clone().unwrap();
    assert_eq!(fresh.scheme, Scheme::Standard);
    assert!(fresh.key.starts_with("whsec_"));
    assert!(Key::standard_webhooks(&fresh.key).is_ok());
}

#[tokio::test]
async fn the_scheme_can_be_chosen_against_the_document() {
    let receiver = Receiver::start().await;
    let mock = start_mock(
        ED25519,
        WebhookSettings {
            url: Some(receiver.url.clone()),
            scheme: Some(Scheme::Standard),
            ..WebhookSettings::default()
        },
    )
    .await;
    let announced = mock.webhook_key.clone().unwrap();
    assert_eq!(announced.scheme, Scheme::Standard);
    let (status, _) = trigger(&mock, "callAnswered", None).await;
    assert_eq!(status, 200);
    let delivery = receiver.requests().pop().unwrap();
    // The document's names for the signature and timestamp, the standard
    // one for the id it does not name.
    let names = SignatureHeaders {
        id: &["webhook-id"],
        timestamp: &["calls-timestamp"],
        signature: &["calls-signature-ed25519"],
    };
    runtime::webhooks::verify(
        &delivery.body,
        &delivery.headers,
        &Key::standard_webhooks(&announced.key).unwrap(),
        &names,
        SystemTime::now(),
    )
    .unwrap();

    // A key that does not fit the scheme stops the start, without
    // repeating the key.
    let config = Config {
        settings: Settings {
            webhooks: WebhookSettings {
                scheme: Some(Scheme::Ed25519),
                key: Some(KeyText::new("whsec_c2VjcmV0LXNlY3JldA==")),
                ..WebhookSettings::default()
            },
            ..Settings::default()
        },
        seed: None,
    };
    let err = telnyx_mock::app(&fixture(ED25519), config).unwrap_err();
    assert!(err.to_string().contains("--webhook-key"), "{err}");
    assert!(!err.to_string().contains("c2VjcmV0"), "{err}");
}

#[tokio::test]
async fn unknown_names_missing_urls_and_unreachable_receivers_are_explained() {
    let receiver = Receiver::start().await;
    let mock = start_mock(ED25519, settings(Some(&receiver.url), None)).await;
    let (status, answer) = trigger(&mock, "callRinging", None).await;
    assert_eq!(status, 404, "{answer}");
    assert_eq!(answer["known"], json!(["callAnswered", "callHangup"]));
    assert!(answer["error"].as_str().unwrap().contains("callRinging"));
    // The variant name works too.
    let (status, answer) = trigger(&mock, "CallAnswered", None).await;
    assert_eq!(status, 200, "{answer}");

    let unset = start_mock(ED25519, settings(None, None)).await;
    let (status, answer) = trigger(&unset, "callAnswered", None).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("--webhook-url"));

    // A port nothing listens on (bound, then released).
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let down = start_mock(ED25519, settings(Some(&format!("http://{closed}/")), None)).await;
    let (status, answer) = trigger(&down, "callAnswered", None).await;
    assert_eq!(status, 502, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(message.contains(&closed.to_string()), "{message}");
    assert!(message.contains("could not be reached"), "{message}");

    let config = Config {
        settings: Settings {
            webhooks: settings(Some("ftp://example.invalid/"), None),
            ..Settings::default()
        },
        seed: None,
    };
    let err = telnyx_mock::app(&fixture(ED25519), config).unwrap_err();
    assert!(err.to_string().contains("not an http(s) URL"), "{err}");
}

#[tokio::test]
async fn the_webhooks_are_listed() {
    let mock = start_mock(ED25519, settings(None, None)).await;
    let listed: Value = reqwest::get(format!("{}/__mock/webhooks", mock.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hooks = listed["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 2);
    assert_eq!(hooks[0]["name"], "callAnswered");
    assert_eq!(hooks[0]["summary"], "A call was answered");
    assert_eq!(hooks[0]["tag"]["path"], json!(["data", "event_type"]));
    assert_eq!(hooks[0]["tag"]["values"], json!(["call.answered"]));
    assert_eq!(listed["scheme"], "ed25519");
    assert_eq!(listed["delivered_to"], Value::Null);

    // A document without webhooks has nothing to list or announce.
    let plain = telnyx_mock::start(
        &fixture("crud.yaml"),
        "127.0.0.1:0".parse().unwrap(),
        Config::default(),
    )
    .await
    .unwrap();
    assert!(plain.webhook_key.is_none());
    let (status, answer) = trigger(&plain, "anything", None).await;
    assert_eq!(status, 404);
    assert!(answer["error"].as_str().unwrap().contains("no webhooks"));
}

/// Delivers every webhook of `document` once (default payload) to a
/// receiver and verifies each delivery with the runtime, under the header
/// names the document gives; the number delivered and verified, and what
/// failed (a payload that does not match its schema fails too).
async fn deliver_every_webhook(document: &Path) -> (usize, usize, Vec<String>) {
    let spec = generator::load_file(document).unwrap();
    let api = generator::build_ir(&spec).unwrap();
    let validator = contract::ContractValidator::new(&spec).unwrap();
    let receiver = Receiver::start().await;
    let config = Config {
        settings: Settings {
            webhooks: settings(Some(&receiver.url), None),
            ..Settings::default()
        },
        seed: None,
    };
    let mock = telnyx_mock::start(document, "127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the mock starts");
    let announced = mock.webhook_key.clone().expect("the document has webhooks");
    let key = match announced.scheme {
        Scheme::Ed25519 => Key::ed25519(&announced.key),
        Scheme::Standard => Key::standard_webhooks(&announced.key),
    }
    .unwrap();
    let leak = |name: &Option<String>, default: &'static str| -> &'static [&'static str] {
        let mut names = Vec::new();
        if let Some(name) = name {
            names.push(&*Box::leak(name.clone().into_boxed_str()));
        }
        names.push(default);
        Box::leak(names.into_boxed_slice())
    };
    let (mut delivered, mut verified, mut failures) = (0, 0, Vec::new());
    for hook in &api.webhooks {
        let (status, answer) = trigger(&mock, &hook.name, None).await;
        if status != 200 || answer["status"] != 202 {
            failures.push(format!("{}: {status} {answer}", hook.name));
            continue;
        }
        delivered += 1;
        if let Ok(violations) = validator.validate_webhook(&hook.name, &answer["payload"]) {
            if !violations.is_empty() {
                failures.push(format!("{}: payload {violations:?}", hook.name));
            }
        }
        let delivery = receiver.requests().pop().unwrap();
        let names = SignatureHeaders {
            id: leak(&hook.signature_headers.id, "webhook-id"),
            timestamp: leak(&hook.signature_headers.timestamp, "webhook-timestamp"),
            signature: leak(&hook.signature_headers.signature, "webhook-signature"),
        };
        match runtime::webhooks::verify(
            &delivery.body,
            &delivery.headers,
            &key,
            &names,
            SystemTime::now(),
        ) {
            Ok(()) => verified += 1,
            Err(err) => failures.push(format!("{}: {err}", hook.name)),
        }
    }
    (delivered, verified, failures)
}

#[tokio::test]
async fn every_webhook_of_the_project_fixtures_is_delivered_and_verifies() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/specs");
    for document in [
        "webhooks_ed25519.yaml",
        "webhooks_standard.yaml",
        "webhooks_x_webhooks.yaml",
    ] {
        let path = specs.join(document);
        let count = generator::build_ir(&generator::load_file(&path).unwrap())
            .unwrap()
            .webhooks
            .len();
        assert!(count > 0, "{document} has webhooks");
        let (delivered, verified, failures) = deliver_every_webhook(&path).await;
        assert!(failures.is_empty(), "{document}: {failures:#?}");
        assert_eq!((delivered, verified), (count, count), "{document}");
    }
}

/// The upstream Telnyx document (outside the repository): every webhook
/// delivered once and verified. `cargo test -p telnyx-mock --test webhooks
/// -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "needs ../shared/upstream/telnyx-spec3.yml"]
async fn every_upstream_webhook_is_delivered_and_verifies() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/telnyx-spec3.yml");
    let started = std::time::Instant::now();
    let (delivered, verified, failures) = deliver_every_webhook(&path).await;
    println!(
        "upstream: {delivered} delivered, {verified} verified, {} failed, in {:?}",
        failures.len(),
        started.elapsed()
    );
    for failure in &failures {
        println!("  {failure}");
    }
    assert!(failures.is_empty());
}
