//! The hook for API-specific behaviour on top of the engine.
//!
//! A [`Behaviour`] sees each request after the engine has routed,
//! authenticated and validated it, and may answer it; when every behaviour
//! declines, the engine answers generically (stored resources, documented
//! examples, synthesized bodies). Behaviours are keyed by operationId and
//! registered only for documents that have the operations they know.

use super::Engine;
use super::query::Decoded;
use super::refuse::Problem;
use axum::response::Response;
use generator::ir::Operation;
use serde_json::Value;

/// Behaviour for one API, called by the engine before its generic handling.
pub trait Behaviour: Send + Sync {
    /// Answers the request, or `None` to leave it to the engine (or to the
    /// next behaviour).
    fn handle(&self, ctx: &RequestContext<'_>) -> Option<Response>;
}

/// A request the engine has routed, authenticated and validated.
pub struct RequestContext<'a> {
    pub(super) engine: &'a Engine,
    pub(super) index: usize,
    /// The operation it was routed to.
    pub operation: &'a Operation,
    /// Decoded path parameters, by wire name, in template order.
    pub path_params: &'a [(String, String)],
    /// Decoded and validated query parameters.
    pub query: &'a Decoded,
    /// The validated JSON body, if one was sent.
    pub body: Option<&'a Value>,
    /// The secret that authenticated the request (a bearer token, an API
    /// key, a basic password), if the operation is secured.
    pub credential: Option<&'a str>,
}

impl std::fmt::Debug for RequestContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext")
            .field("operation", &self.operation.id)
            .field("path_params", &self.path_params)
            .finish_non_exhaustive()
    }
}

impl RequestContext<'_> {
    /// The value of the path parameter `name`.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of the first path parameter ("" when there is none).
    pub fn first_path_param(&self) -> &str {
        self.path_params
            .first()
            .map_or("", |(_, value)| value.as_str())
    }

    /// A decoded query parameter, by wire name.
    pub fn query_param(&self, name: &str) -> Option<&Value> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// Whether the operation documents `status` exactly.
    pub fn documents(&self, status: u16) -> bool {
        super::documents(self.operation, status)
    }

    /// The engine's refusal for this operation: the documented body of
    /// the problem's status (see [`Problem`]).
    pub fn refuse(&self, problem: Problem) -> Response {
        self.engine.refuse(Some(self.index), problem)
    }
}
