//! Contract checks of requests, through the generator's contract validator
//! (the same validator `cargo xtask contract` uses).

use super::query::Decoded;
use contract::{ContractValidator, Violation};
use generator::ir::{Operation, QueryStyle};
use serde_json::{Map, Value};

/// Validates request parts against the spec.
pub struct Checker {
    validator: ContractValidator,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker").finish_non_exhaustive()
    }
}

impl Checker {
    /// A checker with a compiled validator.
    pub fn new(validator: ContractValidator) -> Self {
        Self { validator }
    }

    /// Violations of the decoded query parameters, each with the query key
    /// it is about (`filter[email][contains]`).
    pub fn query(&self, operation: &Operation, decoded: &Decoded) -> Vec<(String, Violation)> {
        if operation.query.is_none() {
            return Vec::new();
        }
        let object: Map<String, Value> = decoded.iter().cloned().collect();
        let violations = self
            .validator
            .validate_query(&operation.id, &Value::Object(object))
            .unwrap_or_default();
        violations
            .into_iter()
            .map(|violation| (query_key(operation, &violation.instance_pointer), violation))
            .collect()
    }

    /// The validator itself.
    pub fn validator(&self) -> &ContractValidator {
        &self.validator
    }

    /// Violations of a request body.
    pub fn request_body(&self, operation: &str, value: &Value) -> Vec<Violation> {
        self.validator
            .validate_request(operation, value)
            .unwrap_or_default()
    }
}

/// The query key an instance pointer into the parameters object stands
/// for: `/filter/email/contains` → `filter[email][contains]` for a deep
/// object, the parameter's own name otherwise.
fn query_key(operation: &Operation, pointer: &str) -> String {
    let mut tokens = pointer
        .split('/')
        .skip(1)
        .map(generator::pointer::unescape_token);
    let Some(name) = tokens.next() else {
        return String::new();
    };
    let deep = operation
        .query
        .as_ref()
        .and_then(|q| q.params.iter().find(|p| p.wire_name == name))
        .is_some_and(|p| p.style == QueryStyle::DeepObject);
    let mut key = name;
    if deep {
        for token in tokens {
            key.push('[');
            key.push_str(&token);
            key.push(']');
        }
    }
    key
}
