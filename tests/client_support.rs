//! Helpers for the client tests (`client_requests.rs`, `client_errors.rs`):
//! a local mock server, a client pointed at it, and the documentation's
//! sample payloads (the seed fixtures and the spec's `example`s).

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use serde_json::Value;
use std::time::Duration;
use telnyx_managed_accounts::Client;
use wiremock::MockServer;
use wiremock::matchers::{method, path};

/// The token every test client sends. Long and unusual, so that finding it
/// in any text is meaningful.
pub const TOKEN: &str = "KEY0123-test-token-7f3a9c41e2b8-do-not-leak";

/// The base path the tests put before every operation path, so that a
/// client dropping the base URL's path would be caught.
pub const BASE_PATH: &str = "/v2";

/// A managed account id as the documentation writes them.
pub const ACCOUNT_ID: &str = "f65ceda4-6522-4ad6-aede-98de83385123";

/// A client for `server`: the test token, the `/v2` base path, and
/// millisecond backoff so that retries do not slow the tests down (a
/// server's `Retry-After` is still honoured as sent).
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("a test client builds")
}

/// The builder behind [`client`], for tests that change a setting.
pub fn builder(server: &MockServer) -> telnyx_managed_accounts::ClientBuilder {
    Client::builder()
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .token(TOKEN)
        .retry_base_delay(Duration::from_millis(1))
}

/// A mock for `http_method` on the operation path `operation_path` (under
/// the base path).
pub fn on(http_method: &str, operation_path: &str) -> wiremock::MockBuilder {
    wiremock::Mock::given(method(http_method)).and(path(format!("{BASE_PATH}{operation_path}")))
}

/// A seed payload from `tests/fixtures/seeds/`.
pub fn seed(file: &str) -> Value {
    let path = tests::workspace_root()
        .join("tests/fixtures/seeds")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("parsing {}: {err}", path.display()))
}

/// The spec document as JSON.
pub fn spec() -> Value {
    let path = tests::workspace_root().join(tests::crate_config().spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("parsing {}: {err}", path.display()))
}

/// The `example` of the 200 response of `method` `path` in the spec.
pub fn spec_200_example(operation_path: &str, http_method: &str) -> Value {
    let example = spec()["paths"][operation_path][http_method]["responses"]["200"]["content"]
        ["application/json"]["example"]
        .clone();
    assert!(
        example.is_object(),
        "the spec has no 200 example for {http_method} {operation_path}"
    );
    example
}

/// The `example` of a component schema in the spec.
pub fn spec_schema_example(schema: &str) -> Value {
    let example = spec()["components"]["schemas"][schema]["example"].clone();
    assert!(example.is_object(), "the spec has no example for {schema}");
    example
}

/// The `User-Agent` the generated crate sends by default.
pub fn default_user_agent() -> String {
    let manifest = tests::workspace_root().join("generated/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("reading generated/Cargo.toml");
    let version = text
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("a version line in generated/Cargo.toml");
    format!("telnyx-managed-accounts/{version}")
}

/// The requests the server received, in order.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one header value of `name` in `request`, as text.
pub fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("an ASCII header").to_owned())
}
