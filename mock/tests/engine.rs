//! The generic engine over HTTP, on small hand-written documents
//! (`tests/fixtures/`, see its README): authentication per scheme,
//! synthesized responses, stored resources, paging and refusals. Every
//! body is checked against the document's schema for its status.

use contract::ContractValidator;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use telnyx_mock::{Config, Running, Settings};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A mock of one fixture and a client that checks every answer.
struct Mock {
    running: Running,
    http: reqwest::Client,
    validator: ContractValidator,
}

/// An answer: status, headers and body (`Null` when empty).
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Mock {
    async fn start(name: &str, tokens: &[&str]) -> Self {
        let config = Config {
            settings: Settings {
                tokens: tokens.iter().map(|t| (*t).to_owned()).collect(),
                ..Settings::default()
            },
            seed: None,
        };
        let addr = "127.0.0.1:0".parse().expect("an address");
        let running = telnyx_mock::start(&fixture(name), addr, config)
            .await
            .expect("the mock starts");
        let spec = generator::load_file(&fixture(name)).expect("the fixture loads");
        telnyx_managed_accounts::install_tls_provider();
        Self {
            running,
            http: reqwest::Client::new(),
            validator: ContractValidator::new(&spec).expect("the contract compiles"),
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.running.base_url()))
    }

    /// Sends, then checks that the status is documented for `operation`
    /// and that a body validates against that status's schema.
    async fn send(&self, operation: &str, request: RequestBuilder) -> Answer {
        let response = request.send().await.expect("the mock answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("{text}: {err}"))
        };
        self.validator
            .documented_status(operation, status)
            .unwrap_or_else(|err| panic!("{operation}: {err}\n{text}"));
        if !body.is_null() {
            let violations = self
                .validator
                .validate_response(operation, status, &body)
                .unwrap_or_else(|err| panic!("{operation} {status}: {err}\n{text}"));
            assert!(
                violations.is_empty(),
                "{operation} {status}: {violations:?}\n{text}"
            );
        }
        Answer {
            status,
            headers,
            body,
        }
    }
}

#[tokio::test]
async fn api_key_header_auth_is_required_where_declared() {
    let mock = Mock::start("crud.yaml", &["k1"]).await;
    let list = || mock.request(Method::GET, "/widgets");
    let refused = mock.send("listWidgets", list()).await;
    assert_eq!(refused.status, 401);
    assert!(
        refused.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("X-API-Key"))
    );
    assert!(!refused.headers.contains_key("www-authenticate"));
    let wrong = mock
        .send("listWidgets", list().header("X-API-Key", "nope"))
        .await;
    assert_eq!(wrong.status, 401);
    let bearer = mock.send("listWidgets", list().bearer_auth("k1")).await;
    assert_eq!(
        bearer.status, 401,
        "a bearer token is not the declared scheme"
    );
    let ok = mock
        .send("listWidgets", list().header("X-API-Key", "k1"))
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.is_array());
}

#[tokio::test]
async fn bearer_or_basic_and_an_unsecured_operation() {
    let mock = Mock::start("nested.yaml", &["secret"]).await;
    let health = mock
        .send("health", mock.request(Method::GET, "/health"))
        .await;
    assert_eq!((health.status, health.body), (200, json!({"status": "ok"})));
    let list = || mock.request(Method::GET, "/projects");
    let refused = mock.send("listProjects", list()).await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["status"], 401);
    let challenges: Vec<&str> = refused
        .headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        challenges.iter().any(|c| c.starts_with("Bearer")),
        "{challenges:?}"
    );
    assert!(
        challenges.iter().any(|c| c.starts_with("Basic")),
        "{challenges:?}"
    );
    for (request, expected) in [
        (list().bearer_auth("secret"), 200),
        (list().bearer_auth("other"), 401),
        (list().basic_auth("anyone", Some("secret")), 200),
        (list().basic_auth("anyone", Some("other")), 401),
        (list().header("authorization", "Basic !!!"), 401),
    ] {
        assert_eq!(mock.send("listProjects", request).await.status, expected);
    }
}

#[tokio::test]
async fn a_document_without_security_needs_no_credentials() {
    let mock = Mock::start("open.yaml", &["ignored"]).await;
    let listed = mock
        .send("listNotes", mock.request(Method::GET, "/notes"))
        .await;
    assert_eq!(listed.status, 200);
    assert!(listed.body["items"].is_array());
}

#[tokio::test]
async fn responses_without_examples_are_synthesized_and_stable() {
    let mock = Mock::start("synth.yaml", &[]).await;
    let random = || mock.request(Method::GET, "/shapes/random?api_key=k");
    let first = mock.send("randomShape", random()).await;
    assert_eq!(first.status, 200);
    assert!(first.body.is_object(), "{}", first.body);
    let second = mock.send("randomShape", random()).await;
    assert_eq!(first.body, second.body, "deterministic");
    let favourite = mock
        .send(
            "favouriteShape",
            mock.request(Method::GET, "/shapes/favourite?api_key=k"),
        )
        .await;
    assert_eq!(favourite.body, json!({"kind": "square", "side": 3}));
    let refused = mock
        .send("randomShape", mock.request(Method::GET, "/shapes/random"))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.body["error"]["status"], 401);
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("api_key")),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn refusals_use_the_documented_status_and_schema() {
    let mock = Mock::start("synth.yaml", &[]).await;
    let check = || mock.request(Method::POST, "/shapes/check?api_key=k");
    let fine = mock
        .send(
            "checkShape",
            check().json(&json!({"kind": "square", "side": 2})),
        )
        .await;
    assert_eq!((fine.status, fine.body), (204, Value::Null));
    let invalid = mock
        .send(
            "checkShape",
            check().json(&json!({"kind": "square", "side": 0})),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.body["error"]["status"], 422);
    let unparseable = mock
        .send(
            "checkShape",
            check().header("content-type", "application/json").body("{"),
        )
        .await;
    assert_eq!(unparseable.status, 400);
    assert!(
        unparseable.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not valid JSON"))
    );
    let wrong_type = mock
        .send(
            "checkShape",
            check().header("content-type", "text/plain").body("square"),
        )
        .await;
    assert_eq!(wrong_type.status, 415);
    // No `errors` envelope in a document that does not use one.
    let unknown = mock.request(Method::GET, "/nowhere").send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert!(body["error"].is_string(), "{body}");
}
