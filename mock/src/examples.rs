//! Documented examples, for operations the mock has no behaviour for.
//!
//! Like a stateless mock, such an operation answers its first success
//! status with the `example` of that response's JSON body.

use crate::reply::{self, ErrorItem};
use axum::http::StatusCode;
use axum::response::Response;
use generator::ir::{Operation, Status};
use openapiv3::{OpenAPI, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// Success examples by operationId.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    by_operation: BTreeMap<String, (u16, Value)>,
}

impl Examples {
    /// Collects the success example of every operation in `document`.
    pub fn collect(document: &OpenAPI) -> Self {
        let mut by_operation = BTreeMap::new();
        for (_, item) in document.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (_, op) in item.iter() {
                let Some(id) = &op.operation_id else { continue };
                let found = op.responses.responses.iter().find_map(|(code, response)| {
                    let openapiv3::StatusCode::Code(code) = code else {
                        return None;
                    };
                    if !(200..300).contains(code) {
                        return None;
                    }
                    let ReferenceOr::Item(response) = response else {
                        return None;
                    };
                    let (_, media) = generator::json_media(&response.content)?;
                    let example = media.example.clone().or_else(|| {
                        media.examples.values().find_map(|e| match e {
                            ReferenceOr::Item(example) => example.value.clone(),
                            ReferenceOr::Reference { .. } => None,
                        })
                    })?;
                    Some((*code, example))
                });
                if let Some(found) = found {
                    by_operation.insert(id.clone(), found);
                }
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
