//! The engine: a mock of any OpenAPI document, driven by its IR.
//!
//! The request pipeline: route → authenticate (the operation's security
//! schemes) → decode and validate the query and the body → the registered
//! [`Behaviour`]s → an event stream when one is asked for (see
//! `streams`) → stored resources (CRUD-shaped operations) → the
//! documented example or a synthesized body. Every refusal is a 4xx with
//! a documented status where one fits and a body that validates against
//! its schema (see [`refuse`]); nothing here panics on input.
//!
//! The engine knows OpenAPI, never one API: what is particular to one
//! API lives in behaviours, keyed by operationId.

// A refused request is answered with the response built where the refusal
// is found, so `Result<_, Response>` is this module's error path; its size
// costs nothing next to the request it answers.
#![allow(clippy::result_large_err)]

mod auth;
pub mod behaviour;
mod bodies;
mod check;
mod paging;
pub(crate) mod query;
pub mod refuse;
pub mod reply;
mod resources;
mod routing;
mod state;
mod streams;
pub mod webhooks;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use behaviour::{Behaviour, RequestContext};
use check::Checker;
use generator::ir::{Api, BodyEncoding, Operation};
use query::Decoded;
use refuse::{ErrorStyle, Problem};
use reply::{ErrorItem, Source};
use routing::{Match, Router};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The secrets accepted, for every scheme (a bearer token, an API
    /// key's value, a basic password or `user:password`); empty: any
    /// well-formed one.
    pub tokens: BTreeSet<String>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long to wait for a request body to arrive.
    pub body_timeout: std::time::Duration,
    /// Whether to print one line per request.
    pub log: bool,
    /// Where and how the document's webhooks are delivered.
    pub webhooks: webhooks::WebhookSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            tokens: BTreeSet::new(),
            body_limit: 1024 * 1024,
            body_timeout: std::time::Duration::from_secs(10),
            log: false,
            webhooks: webhooks::WebhookSettings::default(),
        }
    }
}

/// Everything a request handler needs.
pub struct Engine {
    api: Api,
    router: Router,
    checker: Checker,
    settings: Settings,
    behaviours: Vec<Box<dyn Behaviour>>,
    bodies: bodies::Bodies,
    streams: streams::Streams,
    resources: resources::Resources,
    state: state::State,
    error_style: ErrorStyle,
    webhooks: webhooks::Webhooks,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("operations", &self.api.operations.len())
            .field("behaviours", &self.behaviours.len())
            .field("body_limit", &self.settings.body_limit)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine for a loaded document (`document`: the spec as JSON, for
    /// its links), with the behaviours to consult before the generic
    /// handling, and what delivers its webhooks.
    pub fn new(
        api: Api,
        document: &Value,
        validator: contract::ContractValidator,
        settings: Settings,
        behaviours: Vec<Box<dyn Behaviour>>,
        webhooks: webhooks::Webhooks,
    ) -> Self {
        let graph = contract::graph::Graph::new(&api, &validator, document);
        let resources = resources::Resources::from_graph(&api, &graph);
        Self {
            router: Router::new(&api),
            state: state::State::new(&api, &resources),
            resources,
            bodies: bodies::Bodies::new(&api),
            streams: streams::Streams::new(&api),
            error_style: ErrorStyle::of(&api),
            checker: Checker::new(validator),
            api,
            settings,
            behaviours,
            webhooks,
        }
    }

    /// What a receiver verifies the webhooks with; `None` when the
    /// document has none.
    pub fn webhook_key(&self) -> Option<webhooks::ReceiverKey> {
        self.webhooks.receiver_key()
    }
}

impl Engine {
    /// The answer of an operation that nothing else answers: its
    /// documented example or synthesized body (cached).
    fn canned_answer(&self, index: usize) -> Response {
        let (status, media, bytes) = self
            .bodies
            .canned(self.checker.validator(), &self.api, index);
        match media {
            Some(media) => reply::json_bytes(status, media, bytes),
            None => reply::empty(status),
        }
    }
}

/// The axum handler for every request.
pub async fn handle(State(engine): State<Arc<Engine>>, request: Request) -> Response {
    let started = Instant::now();
    let log = engine.settings.log.then(|| {
        let target = request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |pq| pq.as_str().to_owned(),
        );
        (request.method().as_str().to_owned(), target)
    });
    let response = respond(&engine, request).await;
    if let Some((method, target)) = log {
        println!(
            "{method} {target} -> {} ({} µs)",
            response.status().as_u16(),
            started.elapsed().as_micros()
        );
    }
    response
}

async fn respond(engine: &Engine, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let (index, path_params) = match engine.router.find(parts.method.as_str(), path) {
        Match::Found { operation, params } => (operation, params),
        Match::NotFound => {
            let item = ErrorItem::new(
                "route_not_found",
                "Not found",
                format!("no operation for {} {path}", parts.method),
            );
            return engine.refuse(None, Problem::new(StatusCode::NOT_FOUND, item));
        }
        Match::MethodNotAllowed(allowed) => {
            let item = ErrorItem::new(
                "method_not_allowed",
                "Method not allowed",
                format!(
                    "{path} answers {}, not {}",
                    allowed.join(", "),
                    parts.method
                ),
            );
            let mut response =
                engine.refuse(None, Problem::new(StatusCode::METHOD_NOT_ALLOWED, item));
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return response;
        }
    };
    let operation = &engine.api.operations[index];
    let raw_query = parts.uri.query().unwrap_or("");

    let credential = match auth::authenticate(
        &operation.security,
        &parts.headers,
        raw_query,
        &engine.settings.tokens,
    ) {
        Ok(credential) => credential,
        Err(refused) => {
            let item = ErrorItem::new("unauthorized", "Unauthorized", refused.reason.to_string());
            let mut response =
                engine.refuse(Some(index), Problem::new(StatusCode::UNAUTHORIZED, item));
            for challenge in refused.challenges {
                response
                    .headers_mut()
                    .append(header::WWW_AUTHENTICATE, challenge);
            }
            return response;
        }
    };

    let params = match decode_query(engine, operation, raw_query, &parts.headers) {
        Ok(params) => params,
        Err(items) => {
            let problem = Problem {
                status: refuse::invalid_status(operation),
                items,
            };
            return engine.refuse(Some(index), problem);
        }
    };
    let body = match read_body(engine, index, &parts.headers, body).await {
        Ok(body) => body,
        Err(problem) => return engine.refuse(Some(index), problem),
    };
    let ctx = RequestContext {
        engine,
        index,
        operation,
        path_params: &path_params,
        query: &params,
        body: body.as_ref(),
        credential: credential.as_deref(),
    };
    for behaviour in &engine.behaviours {
        if let Some(response) = behaviour.handle(&ctx) {
            return response;
        }
    }
    // A stream the client asks for (or the only thing offered) is another
    // representation of the success answer, not a stored resource.
    let validator = engine.checker.validator();
    if let Some(response) = engine
        .streams
        .answer(validator, &engine.api, index, &parts.headers)
    {
        return response;
    }
    if let Some(response) = engine.stateful(&ctx) {
        return response;
    }
    engine.canned_answer(index)
}

/// The decoded query, or what is wrong with it (and with the required
/// header parameters).
fn decode_query(
    engine: &Engine,
    operation: &Operation,
    raw: &str,
    headers: &HeaderMap,
) -> Result<Decoded, Vec<ErrorItem>> {
    let decoded = query::decode(&engine.api, operation, raw).map_err(|problem| {
        vec![
            ErrorItem::new(
                "invalid_parameter",
                "Invalid parameter",
                problem.detail.to_string(),
            )
            .at(Source::Parameter(problem.parameter)),
        ]
    })?;
    let mut items = Vec::new();
    if let Some(query) = &operation.query {
        for param in query.params.iter().filter(|p| p.required) {
            if !decoded.iter().any(|(name, _)| *name == param.wire_name) {
                items.push(
                    ErrorItem::new(
                        "missing_parameter",
                        "Missing parameter",
                        "this parameter is required",
                    )
                    .at(Source::Parameter(param.wire_name.clone())),
                );
            }
        }
        for header in query.headers.iter().filter(|h| h.required) {
            if !headers.contains_key(header.wire_name.as_str()) {
                items.push(
                    ErrorItem::new(
                        "missing_header",
                        "Missing header",
                        format!("the {} header is required", header.wire_name),
                    )
                    .at(Source::Parameter(header.wire_name.clone())),
                );
            }
        }
    }
    for (parameter, violation) in engine.checker.query(operation, &decoded) {
        items.push(
            ErrorItem::new("invalid_parameter", "Invalid parameter", violation.message)
                .at(Source::Parameter(parameter)),
        );
    }
    if items.is_empty() {
        Ok(decoded)
    } else {
        Err(items)
    }
}

async fn read_body(
    engine: &Engine,
    index: usize,
    headers: &HeaderMap,
    body: Body,
) -> Result<Option<Value>, Problem> {
    let operation = &engine.api.operations[index];
    let Some(expected) = &operation.body else {
        return Ok(None);
    };
    let bytes = read_bytes(engine, headers, body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if expected.required {
            let item = ErrorItem::new(
                "missing_body",
                "Missing request body",
                "this operation needs a JSON body",
            )
            .at(Source::Pointer(String::new()));
            return Err(Problem::new(refuse::invalid_status(operation), item));
        }
        return Ok(None);
    }
    if expected.encoding != BodyEncoding::Json {
        // Forms, multipart, bytes and text are taken as sent: the schema
        // checks are for JSON.
        return Ok(None);
    }
    check_content_type(headers)?;
    let value = serde_json::from_slice(&bytes).map_err(|err| {
        let item = ErrorItem::new(
            "invalid_json",
            "Invalid JSON",
            format!("the body is not valid JSON: {err}"),
        )
        .at(Source::Pointer(String::new()));
        Problem::new(refuse::unparseable_status(operation), item)
    })?;
    let violations = engine.checker.request_body(&operation.id, &value);
    if !violations.is_empty() {
        let items = violations
            .into_iter()
            .map(|v| {
                ErrorItem::new("invalid_value", "Invalid value", v.message)
                    .at(Source::Pointer(v.instance_pointer))
            })
            .collect();
        return Err(Problem {
            status: refuse::invalid_status(operation),
            items,
        });
    }
    Ok(Some(value))
}

/// The body's bytes, within the size limit (announced or read) and the
/// time allowed for it to arrive.
async fn read_bytes(engine: &Engine, headers: &HeaderMap, body: Body) -> Result<Bytes, Problem> {
    let limit = engine.settings.body_limit;
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorItem::new(
                "payload_too_large",
                "Request body too large",
                format!("the body is larger than the {limit} bytes accepted"),
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    // A client that announces a body and stops sending gets an answer, not
    // a connection held open forever.
    let read = tokio::time::timeout(
        engine.settings.body_timeout,
        axum::body::to_bytes(body, limit),
    );
    match read.await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorItem::new(
                "request_timeout",
                "Request body timed out",
                format!(
                    "the body did not arrive within {:?}",
                    engine.settings.body_timeout
                ),
            ),
        )),
    }
}

/// A JSON body must be sent as JSON.
fn check_content_type(headers: &HeaderMap) -> Result<(), Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if generator::is_json_media_type(content_type) {
        return Ok(());
    }
    Err(Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorItem::new(
            "unsupported_media_type",
            "Unsupported media type",
            format!(
                "send the body as application/json, not {}",
                if content_type.is_empty() {
                    "without a Content-Type"
                } else {
                    content_type
                }
            ),
        ),
    ))
}

/// Whether `operation` documents `status` exactly.
pub(crate) fn documents(operation: &Operation, status: u16) -> bool {
    operation
        .responses
        .iter()
        .any(|r| r.status == generator::ir::Status::Code(status))
}
