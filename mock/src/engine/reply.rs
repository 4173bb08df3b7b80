//! Building HTTP responses: JSON bodies, bodies without content, and
//! JSON:API style `{"errors": [...]}` bodies (error objects with `code`,
//! `title`, `detail` and a `source` pointer or parameter).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Value, json};

/// Where an error item points: a body field or a query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A JSON pointer into the request body.
    Pointer(String),
    /// A query parameter, as sent (`filter[email][contains]`).
    Parameter(String),
}

/// One item of an `errors` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorItem {
    /// A stable machine-readable code.
    pub code: &'static str,
    /// A short summary.
    pub title: &'static str,
    /// What happened, in a sentence.
    pub detail: String,
    /// The field or parameter at fault.
    pub source: Option<Source>,
}

impl ErrorItem {
    /// An item without a source.
    pub fn new(code: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self {
            code,
            title,
            detail: detail.into(),
            source: None,
        }
    }

    /// The same item, pointing at `source`.
    pub fn at(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    fn to_json(&self) -> Value {
        let mut item = json!({
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
        });
        match &self.source {
            Some(Source::Pointer(pointer)) => item["source"] = json!({ "pointer": pointer }),
            Some(Source::Parameter(parameter)) => {
                item["source"] = json!({ "parameter": parameter })
            }
            None => {}
        }
        item
    }
}

/// A JSON response.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_json_type(status, Body::from(bytes)),
        Err(err) => errors(
            StatusCode::UNPROCESSABLE_ENTITY,
            &[ErrorItem::new(
                "serialization",
                "Cannot encode the response",
                err.to_string(),
            )],
        ),
    }
}

/// The `{"errors": [...]}` body of `items`.
pub fn errors_body(items: &[ErrorItem]) -> Value {
    json!({ "errors": items.iter().map(ErrorItem::to_json).collect::<Vec<_>>() })
}

/// An `{"errors": [...]}` response.
pub fn errors(status: StatusCode, items: &[ErrorItem]) -> Response {
    let bytes =
        serde_json::to_vec(&errors_body(items)).unwrap_or_else(|_| b"{\"errors\":[]}".to_vec());
    with_json_type(status, Body::from(bytes))
}

/// A response with an already serialized JSON body and its media type.
pub fn json_bytes(status: StatusCode, media: HeaderValue, bytes: impl Into<Body>) -> Response {
    let mut response = Response::new(bytes.into());
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, media);
    response
}

/// A response without a body (for statuses the spec documents without one).
pub fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn with_json_type(status: StatusCode, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
