//! Refusals: a problem found while handling a request, answered with a
//! status the operation documents where one fits, and a body that
//! validates against that status's schema.
//!
//! A documented JSON body is built from the response's schema: a JSON:API
//! style `{"errors": [...]}` body when the schema has an `errors` array
//! and takes it, else the response's template with the problem's message
//! put into its message-like fields. A status documented without a body
//! gets none. An undocumented status gets the document's own error
//! envelope when some response documents one, else `{"error": "..."}`.

use super::Engine;
use super::bodies::{self, conform, fill_message};
use super::query::resolve;
use super::reply::{self, ErrorItem};
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use generator::ir::{Api, Operation, TypeKind, TypeRef};
use serde_json::{Value, json};

/// What is wrong with a request: the status to answer and the items that
/// say why (one, usually; one per violation for a body or query that
/// breaks its schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The status to answer.
    pub status: StatusCode,
    /// What is wrong, each with the field or parameter at fault.
    pub items: Vec<ErrorItem>,
}

impl Problem {
    /// A problem with one item.
    pub fn new(status: StatusCode, item: ErrorItem) -> Self {
        Self {
            status,
            items: vec![item],
        }
    }

    /// The items' details, joined.
    fn detail(&self) -> String {
        let details: Vec<&str> = self.items.iter().map(|i| i.detail.as_str()).collect();
        details.join("; ")
    }

    fn title(&self) -> &'static str {
        self.items.first().map_or_else(
            || self.status.canonical_reason().unwrap_or("Error"),
            |i| i.title,
        )
    }
}

/// How the document writes errors where it does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// Some response documents an `{"errors": [...]}` envelope.
    Envelope,
    /// `{"error": "..."}`.
    Plain,
}

impl ErrorStyle {
    /// The style of `api`: an envelope when any response's body has an
    /// `errors` array.
    pub fn of(api: &Api) -> Self {
        let documented = api.operations.iter().any(|op| {
            op.responses
                .iter()
                .any(|r| r.body.as_ref().is_some_and(|ty| has_errors_array(api, ty)))
        });
        if documented {
            ErrorStyle::Envelope
        } else {
            ErrorStyle::Plain
        }
    }
}

/// Whether a body type is an object with an `errors` array.
fn has_errors_array(api: &Api, ty: &TypeRef) -> bool {
    let Some(def) = generator::ir::struct_behind(&api.types, ty) else {
        return false;
    };
    let TypeKind::Struct(s) = &def.kind else {
        return false;
    };
    s.fields
        .iter()
        .any(|f| f.wire_name == "errors" && matches!(resolve(api, &f.ty), TypeRef::Array(_)))
}

/// The status for a request whose body or parameters break the schema:
/// 422 if documented, else 400 if documented, else 422.
pub fn invalid_status(op: &Operation) -> StatusCode {
    preferred(op, &[422, 400], StatusCode::UNPROCESSABLE_ENTITY)
}

/// The status for a body that is not JSON: 400 if documented, else 422
/// if documented, else 400.
pub fn unparseable_status(op: &Operation) -> StatusCode {
    preferred(op, &[400, 422], StatusCode::BAD_REQUEST)
}

fn preferred(op: &Operation, order: &[u16], fallback: StatusCode) -> StatusCode {
    order
        .iter()
        .find(|code| super::documents(op, **code))
        .and_then(|code| StatusCode::from_u16(*code).ok())
        .unwrap_or(fallback)
}

impl Engine {
    /// Answers `problem` for operation `index` (`None`: no operation, as
    /// for an unknown path).
    pub fn refuse(&self, index: Option<usize>, problem: Problem) -> Response {
        let Some(op) = index.and_then(|i| self.api.operations.get(i)) else {
            return self.undocumented(&problem);
        };
        let Some((position, response)) = bodies::documented(op, problem.status.as_u16()) else {
            // An undocumented 401 says why in `WWW-Authenticate` only.
            if problem.status == StatusCode::UNAUTHORIZED {
                return reply::empty(problem.status);
            }
            return self.undocumented(&problem);
        };
        if response.body.is_none() {
            return reply::empty(problem.status);
        }
        let media = bodies::json_media(&response.media_types);
        let target = contract::Target::Response {
            operation: op.id.clone(),
            status: response.status,
        };
        let validate = |value: &Value| {
            self.checker
                .validator()
                .validate(&target, value)
                .unwrap_or_default()
        };
        if response
            .body
            .as_ref()
            .is_some_and(|ty| has_errors_array(&self.api, ty))
        {
            let body = reply::errors_body(&problem.items);
            if validate(&body).is_empty() {
                return reply::json_bytes(problem.status, media, bodies::to_vec(&body));
            }
        }
        let index = index.unwrap_or_default();
        let Some(template) =
            self.bodies
                .template(self.checker.validator(), &self.api, index, position)
        else {
            return self.undocumented(&problem);
        };
        let mut body = template.clone();
        fill_message(
            &mut body,
            problem.status.as_u16(),
            problem.title(),
            &problem.detail(),
        );
        conform(&mut body, template, validate);
        reply::json_bytes(problem.status, media, bodies::to_vec(&body))
    }

    /// A body for a status the operation does not document.
    fn undocumented(&self, problem: &Problem) -> Response {
        match self.error_style {
            ErrorStyle::Envelope => reply::errors(problem.status, &problem.items),
            ErrorStyle::Plain => {
                let body = json!({ "error": problem.detail() });
                let mut response = Response::new(Body::from(bodies::to_vec(&body)));
                *response.status_mut() = problem.status;
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                );
                response
            }
        }
    }
}
