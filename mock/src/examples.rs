//! Documented examples, for operations the mock has no behaviour for.
//!
//! Like a stateless mock, such an operation answers its first success
//! status with the `example` of that response's JSON body.

use crate::reply::{self, ErrorItem};
use axum::http::StatusCode;
use axum::response::Response;
use generator::ir::{self, Api, Operation, Status};
use serde_json::Value;
use std::collections::BTreeMap;

/// Success examples by operationId.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    by_operation: BTreeMap<String, (u16, Value)>,
}

impl Examples {
    /// Takes the example of every operation's first success response that
    /// has one (lowering found them, through `$ref`s).
    pub fn collect(api: &Api) -> Self {
        let mut by_operation = BTreeMap::new();
        for operation in &api.operations {
            let found = operation
                .responses
                .iter()
                .find_map(|response| match response {
                    ir::Response {
                        status: Status::Code(code),
                        example: Some(example),
                        ..
                    } if response.status.is_success() => Some((*code, example.clone())),
                    _ => None,
                });
            if let Some(found) = found {
                by_operation.insert(operation.id.clone(), found);
            }
        }
        Self { by_operation }
    }

    /// The example answer for `operation`, or 501 when it has none.
    pub fn success(&self, operation: &Operation) -> Response {
        if let Some((code, example)) = self.by_operation.get(&operation.id) {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::OK);
            return reply::json(status, example);
        }
        let bodyless = operation
            .responses
            .iter()
            .find(|r| r.status.is_success() && r.body.is_none())
            .and_then(|r| match r.status {
                Status::Code(code) => StatusCode::from_u16(code).ok(),
                _ => None,
            });
        match bodyless {
            Some(status) => reply::empty(status),
            None => reply::errors(
                StatusCode::NOT_IMPLEMENTED,
                &[ErrorItem::new(
                    "not_implemented",
                    "Not implemented",
                    format!(
                        "the mock has no behaviour and no example for {}",
                        operation.id
                    ),
                )],
            ),
        }
    }
}
