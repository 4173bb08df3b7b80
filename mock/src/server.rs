//! The request pipeline: route → authenticate → decode and validate the
//! query and body → carry out the operation on the store → reply.
//!
//! Every refusal is a 4xx with a clear body (or, for statuses the spec
//! documents without a body, an empty one); nothing here panics on input.

// A refused request is answered with the response built where the refusal
// is found, so `Result<_, Response>` is this module's error path; its size
// costs nothing next to the request it answers.
#![allow(clippy::result_large_err)]

use crate::check::Checker;
use crate::query::{self, Decoded};
use crate::reply::{self, ErrorItem, Source};
use crate::routing::{Match, Router};
use crate::store::{ListQuery, Refusal, Store};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use generator::ir::{Api, Operation};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Tokens accepted as `Authorization: Bearer …`; empty: any well-formed one.
    pub tokens: BTreeSet<String>,
    /// Tokens of users who are not managers (refused with 403 where the spec
    /// documents it).
    pub non_manager_tokens: BTreeSet<String>,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long to wait for a request body to arrive.
    pub body_timeout: std::time::Duration,
    /// Whether to print one line per request.
    pub log: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            tokens: BTreeSet::new(),
            non_manager_tokens: BTreeSet::new(),
            body_limit: 1024 * 1024,
            body_timeout: std::time::Duration::from_secs(10),
            log: false,
        }
    }
}

/// Everything a request handler needs.
pub struct Mock {
    api: Api,
    router: Router,
    checker: Checker,
    examples: crate::examples::Examples,
    settings: Settings,
    store: Mutex<Store>,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("operations", &self.api.operations.len())
            .field("body_limit", &self.settings.body_limit)
            .finish_non_exhaustive()
    }
}

/// `{"data": …}`, the envelope of every success body here.
#[derive(Serialize)]
struct Data<T> {
    data: T,
}

impl Mock {
    /// A mock for a loaded spec, with a (possibly seeded) store.
    pub fn new(
        api: Api,
        checker: Checker,
        examples: crate::examples::Examples,
        store: Store,
        settings: Settings,
    ) -> Self {
        Self {
            router: Router::new(&api),
            api,
            checker,
            examples,
            settings,
            store: Mutex::new(store),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic elsewhere cannot leave the store half-written (every
        // change is a single assignment), so a poisoned lock is still usable.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The axum handler for every request.
pub async fn handle(State(mock): State<Arc<Mock>>, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let target = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |pq| pq.as_str().to_owned(),
    );
    let response = respond(&mock, request).await;
    if mock.settings.log {
        println!(
            "{method} {target} -> {} ({} µs)",
            response.status().as_u16(),
            started.elapsed().as_micros()
        );
    }
    response
}

async fn respond(mock: &Mock, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let (index, path_params) = match mock.router.find(parts.method.as_str(), path) {
        Match::Found { operation, params } => (operation, params),
        Match::NotFound => {
            return reply::errors(
                StatusCode::NOT_FOUND,
                &[ErrorItem::new(
                    "route_not_found",
                    "Not found",
                    format!("no operation for {} {path}", parts.method),
                )],
            );
        }
        Match::MethodNotAllowed(allowed) => {
            let mut response = reply::errors(
                StatusCode::METHOD_NOT_ALLOWED,
                &[ErrorItem::new(
                    "method_not_allowed",
                    "Method not allowed",
                    format!(
                        "{path} answers {}, not {}",
                        allowed.join(", "),
                        parts.method
                    ),
                )],
            );
            if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            return response;
        }
    };
    let operation = &mock.api.operations[index];

    let token = match bearer_token(&parts.headers) {
        Ok(token) => token,
        Err(reason) => return reply::unauthorized(reason),
    };
    if !mock.settings.tokens.is_empty() && !mock.settings.tokens.contains(token) {
        return reply::unauthorized("the token is not known to this server");
    }
    let is_manager = !mock.settings.non_manager_tokens.contains(token);

    let params = match decode_query(mock, operation, parts.uri.query().unwrap_or("")) {
        Ok(params) => params,
        Err(items) => return reply::errors(StatusCode::UNPROCESSABLE_ENTITY, &items),
    };
    let body = match read_body(mock, operation, &parts.headers, body).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let id = path_params
        .first()
        .map(|(_, value)| value.as_str())
        .unwrap_or("");
    carry_out(mock, operation, id, &params, body, is_manager)
}

/// The bearer token, or why the header is not acceptable.
fn bearer_token(headers: &HeaderMap) -> Result<&str, &'static str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or("missing Authorization header")?
        .to_str()
        .map_err(|_| "the Authorization header is not text")?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or("expected `Authorization: Bearer <token>`")?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err("expected the Bearer scheme");
    }
    let token = token.trim();
    // RFC 6750 b64token.
    let well_formed = !token.is_empty()
        && token
            .trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/'));
    if well_formed {
        Ok(token)
    } else {
        Err("malformed bearer token")
    }
}

fn decode_query(mock: &Mock, operation: &Operation, raw: &str) -> Result<Decoded, Vec<ErrorItem>> {
    let decoded = query::decode(&mock.api, operation, raw).map_err(|problem| {
        vec![
            ErrorItem::new("invalid_parameter", "Invalid parameter", problem.detail)
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
    }
    for (parameter, violation) in mock.checker.query(operation, &decoded) {
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
    mock: &Mock,
    operation: &Operation,
    headers: &HeaderMap,
    body: Body,
) -> Result<Option<Value>, Response> {
    let Some(expected) = &operation.body else {
        return Ok(None);
    };
    let bytes = read_bytes(mock, headers, body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if expected.required {
            return Err(reply::errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[ErrorItem::new(
                    "missing_body",
                    "Missing request body",
                    "this operation needs a JSON body",
                )
                .at(Source::Pointer(String::new()))],
            ));
        }
        return Ok(None);
    }
    check_content_type(headers)?;
    let value = parse_json(operation, &bytes)?;
    let violations = mock.checker.request_body(&operation.id, &value);
    if !violations.is_empty() {
        let items: Vec<ErrorItem> = violations
            .into_iter()
            .map(|v| {
                ErrorItem::new("invalid_value", "Invalid value", v.message)
                    .at(Source::Pointer(v.instance_pointer))
            })
            .collect();
        return Err(reply::errors(StatusCode::UNPROCESSABLE_ENTITY, &items));
    }
    Ok(Some(value))
}

/// The body's bytes, within the size limit (announced or read) and the
/// time allowed for it to arrive.
async fn read_bytes(mock: &Mock, headers: &HeaderMap, body: Body) -> Result<Bytes, Response> {
    let limit = mock.settings.body_limit;
    let too_large = || {
        reply::errors(
            StatusCode::PAYLOAD_TOO_LARGE,
            &[ErrorItem::new(
                "payload_too_large",
                "Request body too large",
                format!("the body is larger than the {limit} bytes accepted"),
            )],
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
        mock.settings.body_timeout,
        axum::body::to_bytes(body, limit),
    );
    match read.await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(reply::errors(
            StatusCode::REQUEST_TIMEOUT,
            &[ErrorItem::new(
                "request_timeout",
                "Request body timed out",
                format!(
                    "the body did not arrive within {:?}",
                    mock.settings.body_timeout
                ),
            )],
        )),
    }
}

/// A body must be sent as JSON.
fn check_content_type(headers: &HeaderMap) -> Result<(), Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !generator::is_json_media_type(content_type) {
        return Err(reply::errors(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &[ErrorItem::new(
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
            )],
        ));
    }
    Ok(())
}

/// The body as JSON, or the spec's status for a body that cannot be
/// processed.
fn parse_json(operation: &Operation, bytes: &[u8]) -> Result<Value, Response> {
    serde_json::from_slice(bytes).map_err(|err| {
        // The spec's status for a body that cannot be processed, if it
        // documents one; 400 otherwise.
        let status = [400, 422]
            .into_iter()
            .find(|code| documents(operation, *code))
            .and_then(|code| StatusCode::from_u16(code).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        reply::errors(
            status,
            &[ErrorItem::new(
                "invalid_json",
                "Invalid JSON",
                format!("the body is not valid JSON: {err}"),
            )
            .at(Source::Pointer(String::new()))],
        )
    })
}

/// Reads a decoded list query into the store's terms.
fn list_query(params: &Decoded) -> ListQuery {
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let text = |value: Option<&Value>, path: &[&str]| {
        let mut value = value?;
        for key in path {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_owned)
    };
    let filter = get("filter");
    let page = get("page");
    let number = |key: &str, default: i64| {
        page.and_then(|p| p.get(key))
            .and_then(Value::as_i64)
            .unwrap_or(default)
    };
    ListQuery {
        email_contains: text(filter, &["email", "contains"]),
        email_eq: text(filter, &["email", "eq"]),
        organization_contains: text(filter, &["organization_name", "contains"]),
        organization_eq: text(filter, &["organization_name", "eq"]),
        status_eq: text(filter, &["status", "eq"]),
        sort: get("sort").and_then(Value::as_str).map(str::to_owned),
        include_cancelled: get("include_cancelled_accounts")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        page_number: number("number", 1),
        page_size: number("size", 20),
    }
}

fn refusal(operation: &Operation, refusal: Refusal) -> Response {
    match refusal {
        // Documented without a body.
        Refusal::NotFound if documents(operation, 404) => reply::empty(StatusCode::NOT_FOUND),
        Refusal::NotFound => reply::errors(
            StatusCode::NOT_FOUND,
            &[ErrorItem::new(
                "not_found",
                "Not found",
                "no managed account with that id",
            )],
        ),
        Refusal::Unprocessable { detail, pointer } => {
            let mut item = ErrorItem::new("unprocessable", "Unprocessable entity", detail);
            if let Some(pointer) = pointer {
                item = item.at(Source::Pointer(pointer));
            }
            reply::errors(StatusCode::UNPROCESSABLE_ENTITY, &[item])
        }
    }
}

fn documents(operation: &Operation, status: u16) -> bool {
    operation
        .responses
        .iter()
        .any(|r| r.status == generator::ir::Status::Code(status))
}

/// Parses a validated body into a generated type. Validation ran first, so
/// a failure here means the schema and the type disagree: reported as 422
/// with the path, never a panic.
fn parse<T: serde::de::DeserializeOwned>(value: Option<Value>) -> Result<T, Response> {
    let value = value.unwrap_or(Value::Object(Default::default()));
    serde_path_to_error::deserialize(value).map_err(|err| {
        reply::errors(
            StatusCode::UNPROCESSABLE_ENTITY,
            &[
                ErrorItem::new("invalid_value", "Invalid value", err.inner().to_string()).at(
                    Source::Pointer(crate::check::path_to_pointer(&err.path().to_string())),
                ),
            ],
        )
    })
}

fn carry_out(
    mock: &Mock,
    operation: &Operation,
    id: &str,
    params: &Decoded,
    body: Option<Value>,
    is_manager: bool,
) -> Response {
    use telnyx_managed_accounts::types as t;
    let ok = StatusCode::OK;
    let result: Result<Response, Response> = (|| {
        Ok(match operation.id.as_str() {
            "ListManagedAccounts" => {
                let (data, meta) = mock.store().list(&list_query(params));
                reply::json(
                    ok,
                    &t::ListManagedAccountsResponse {
                        data: Some(data),
                        meta: Some(meta),
                    },
                )
            }
            "CreateManagedAccount" => {
                let request: t::CreateManagedAccountRequest = parse(body)?;
                let mut store = mock.store();
                let account = store.create(request).map_err(|r| refusal(operation, r))?;
                reply::json(
                    ok,
                    &Data {
                        data: &account.account,
                    },
                )
            }
            "ListAllocatableGlobalOutboundChannels" => {
                if !is_manager && documents(operation, 403) {
                    return Ok(reply::empty(StatusCode::FORBIDDEN));
                }
                reply::json(
                    ok,
                    &Data {
                        data: mock.store().channels(),
                    },
                )
            }
            "RetrieveManagedAccount" => {
                let store = mock.store();
                let account = store.get(id).map_err(|r| refusal(operation, r))?;
                reply::json(
                    ok,
                    &Data {
                        data: &account.account,
                    },
                )
            }
            "UpdateManagedAccount" => {
                let request: t::UpdateManagedAccountRequest = parse(body)?;
                let mut store = mock.store();
                let account = store
                    .update(id, request.managed_account_allow_custom_pricing)
                    .map_err(|r| refusal(operation, r))?;
                reply::json(
                    ok,
                    &Data {
                        data: &account.account,
                    },
                )
            }
            "DisableManagedAccount" | "EnableManagedAccount" => {
                let enable = operation.id == "EnableManagedAccount";
                let mut store = mock.store();
                let account = store
                    .set_enabled(id, enable)
                    .map_err(|r| refusal(operation, r))?;
                reply::json(
                    ok,
                    &Data {
                        data: &account.account,
                    },
                )
            }
            "UpdateManagedAccountGlobalChannelLimit" => {
                let request: t::UpdateManagedAccountGlobalChannelLimitRequest = parse(body)?;
                let limit = request.channel_limit.unwrap_or(0);
                let settings = mock
                    .store()
                    .set_channel_limit(id, limit)
                    .map_err(|r| refusal(operation, r))?;
                reply::json(ok, &Data { data: settings })
            }
            // An operation this mock has no behaviour for: its documented example.
            _ => mock.examples.success(operation),
        })
    })();
    result.unwrap_or_else(|response| response)
}
