//! The live contract run finds what a server gets wrong: a small server
//! that breaks the contract in one way per check, and the run must name
//! each broken check (the self-consistency test shows it finds nothing
//! where nothing is wrong; this shows it is not blind).

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use contract::ContractValidator;
use contract::live::{self, LiveOptions, Secret, Verdict};
use std::collections::BTreeSet;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Things, version: '1'}
paths:
  /things:
    get:
      operationId: ListThings
      responses:
        '200':
          description: The things.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
        '401': {description: No key.}
    post:
      operationId: CreateThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: Created.
          headers:
            Location:
              required: true
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '422': {description: Invalid.}
        '401': {description: No key.}
  /things/{thing_id}:
    parameters:
      - {name: thing_id, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: GetThing
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '404': {description: No such thing.}
        '401': {description: No key.}
    delete:
      operationId: DeleteThing
      responses:
        '204': {description: Gone.}
        '404': {description: No such thing.}
        '401': {description: No key.}
security:
  - key: []
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string}
"#;

const ID: &str = "5b0c1c2e-8f4e-4c57-9d0a-6b1f1f8c2d3e";

/// Breaks the contract once per check: no Location on the create, which
/// also takes any body; a list as text/plain, without asking for the key;
/// an item whose id is a number, for any id; a delete that answers 200
/// and deletes nothing.
fn broken_server() -> Router {
    let thing = format!(r#"{{"id": "{ID}", "name": "one"}}"#);
    Router::new()
        .route(
            "/things",
            get(|| async { ([(header::CONTENT_TYPE, "text/plain")], "[]") }).post(move || {
                let thing = thing.clone();
                async move {
                    (
                        StatusCode::CREATED,
                        [(header::CONTENT_TYPE, "application/json")],
                        thing,
                    )
                }
            }),
        )
        .route(
            "/things/{thing_id}",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    r#"{"id": 5, "name": "one"}"#,
                )
                    .into_response()
            })
            .delete(|| async { StatusCode::OK }),
        )
}

#[tokio::test]
async fn each_broken_rule_is_named_by_its_check() {
    let spec = generator::load_str(SPEC, "things.yaml".as_ref()).expect("loads");
    let api = generator::build_ir(&spec).expect("IR");
    let validator = ContractValidator::new(&spec).expect("compiles");
    let document = serde_json::to_value(&spec.document).expect("JSON");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, broken_server()).await;
    });
    let options = LiveOptions {
        base_url: format!("http://{addr}"),
        secret: Some(Secret::new("the-key")),
        allow_writes: true,
        ..LiveOptions::default()
    };
    let report = live::run(&api, &validator, &document, &options)
        .await
        .expect("runs");
    server.abort();
    let failed: BTreeSet<&str> = report
        .steps
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| !c.passed)
        .map(|c| c.name)
        .collect();
    let expected: BTreeSet<&str> = [
        "content_type_conformance",
        "deleted_then_gone",
        "ignored_auth",
        "negative_data_rejection",
        "response_headers_conformance",
        "response_schema_conformance",
        "status_code_conformance",
        "unknown_id_rejection",
    ]
    .into_iter()
    .collect();
    assert_eq!(failed, expected, "{}", report.to_text());
    assert!(!report.is_success());
    // What held still holds: the item created could be read back.
    assert!(
        report
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .any(|c| c.name == "created_then_retrievable" && c.passed),
        "{}",
        report.to_text()
    );
    // The id came from the create, and the report says so.
    let read = report
        .steps
        .iter()
        .find(|s| s.operation == "GetThing" && s.purpose == "read")
        .expect("GetThing was read");
    assert!(read.request.ends_with(ID), "{}", read.request);
    assert!(
        read.notes
            .iter()
            .any(|n| n == "thing_id from CreateThing $response.body#/id (path hierarchy)"),
        "{:?}",
        read.notes
    );
    assert_eq!(read.verdict, Verdict::Fail);
    // The key is sent, never shown.
    assert!(!report.to_text().contains("the-key"));
    assert!(
        !serde_json::to_string(&report)
            .expect("JSON")
            .contains("the-key")
    );
}
