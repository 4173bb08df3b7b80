//! Every `example` and `examples` value of the spec, with the schema each
//! must satisfy.
//!
//! Found by walking the places OpenAPI 3.0 allows them (never by searching
//! for the key, which a property may also be called): media types of
//! request bodies and responses (`example`, `examples/*/value`, following
//! `$ref`s into `#/components/examples`), parameters (likewise, against the
//! parameter's schema), and schema objects at any depth (`example`, against
//! that schema object). Components are walked once; operations' own
//! (inline) parts are attributed to the operation. An `externalValue`
//! cannot be checked offline and is skipped.

use super::{ContractValidator, Direction};
use generator::join;
use serde_json::Value;
use std::collections::BTreeSet;

/// One example value and what it is checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecExample {
    /// Spec pointer of the example value.
    pub pointer: String,
    /// Spec pointer of the schema it must satisfy.
    pub schema_pointer: String,
    /// The direction it is checked in (`readOnly`/`writeOnly`).
    pub direction: Direction,
    /// The operation it is written in, `None` for shared components and
    /// path-level parameters.
    pub operation: Option<String>,
    /// The value.
    pub value: Value,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every example in the spec, operations first (document order), then
/// components.
pub fn spec_examples(validator: &ContractValidator) -> Vec<SpecExample> {
    let mut walk = Walk {
        spec: validator.spec_json(),
        seen: BTreeSet::new(),
        found: Vec::new(),
        operation: None,
    };
    if let Some(Value::Object(paths)) = walk.spec.get("paths") {
        for (path, item) in paths {
            let item_pointer = join("#/paths", &[path]);
            walk.operation = None;
            walk.parameters(
                item.get("parameters"),
                &join(&item_pointer, &["parameters"]),
            );
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_pointer = join(&item_pointer, &[method]);
                walk.operation = validator
                    .operation_ids()
                    .find(|id| validator.operation_pointer(id) == Some(op_pointer.as_str()))
                    .map(str::to_owned);
                walk.parameters(op.get("parameters"), &join(&op_pointer, &["parameters"]));
                if let Some(body) = op.get("requestBody") {
                    walk.content(
                        body,
                        &join(&op_pointer, &["requestBody"]),
                        Direction::Request,
                    );
                }
                if let Some(Value::Object(responses)) = op.get("responses") {
                    for (status, response) in responses {
                        let at = join(&op_pointer, &["responses", status]);
                        walk.content(response, &at, Direction::Response);
                    }
                }
            }
        }
    }
    walk.operation = None;
    if let Some(Value::Object(components)) = walk.spec.get("components") {
        let each = |kind: &str| -> Vec<(String, &Value)> {
            match components.get(kind) {
                Some(Value::Object(items)) => items
                    .iter()
                    .map(|(name, item)| (join("#/components", &[kind, name]), item))
                    .collect(),
                _ => Vec::new(),
            }
        };
        for (at, _) in each("schemas") {
            walk.schema_tree(&at, Direction::Neutral);
        }
        for (at, parameter) in each("parameters") {
            walk.parameter(parameter, &at);
        }
        for (at, body) in each("requestBodies") {
            walk.content(body, &at, Direction::Request);
        }
        for (at, response) in each("responses") {
            walk.content(response, &at, Direction::Response);
        }
    }
    walk.found
}

struct Walk<'s> {
    spec: &'s Value,
    seen: BTreeSet<(String, String, Direction)>,
    found: Vec<SpecExample>,
    operation: Option<String>,
}

impl<'s> Walk<'s> {
    fn at(&self, pointer: &str) -> Option<&'s Value> {
        self.spec
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }

    fn add(&mut self, pointer: String, schema_pointer: &str, direction: Direction) {
        let Some(value) = self.at(&pointer) else {
            return;
        };
        if self
            .seen
            .insert((pointer.clone(), schema_pointer.to_owned(), direction))
        {
            self.found.push(SpecExample {
                pointer,
                schema_pointer: schema_pointer.to_owned(),
                direction,
                operation: self.operation.clone(),
                value: value.clone(),
            });
        }
    }

    fn parameters(&mut self, list: Option<&Value>, at: &str) {
        let Some(Value::Array(list)) = list else {
            return;
        };
        for (index, parameter) in list.iter().enumerate() {
            self.parameter(parameter, &join(at, &[&index.to_string()]));
        }
    }

    /// A parameter written in place (a `$ref` is walked as a component).
    fn parameter(&mut self, parameter: &Value, at: &str) {
        if parameter.get("$ref").is_some() || parameter.get("schema").is_none() {
            return;
        }
        let schema = join(at, &["schema"]);
        self.example_values(parameter, at, &schema, Direction::Request);
        self.schema_tree(&schema, Direction::Request);
    }

    /// The JSON media types of a request body or response written in place.
    fn content(&mut self, holder: &Value, at: &str, direction: Direction) {
        if holder.get("$ref").is_some() {
            return;
        }
        let Some(Value::Object(content)) = holder.get("content") else {
            return;
        };
        for (media_type, media) in content {
            if !generator::is_json_media_type(media_type) {
                continue;
            }
            let media_at = join(at, &["content", media_type]);
            if media.get("schema").is_none() {
                continue;
            }
            let schema = join(&media_at, &["schema"]);
            self.example_values(media, &media_at, &schema, direction);
            self.schema_tree(&schema, direction);
        }
    }

    /// `example` and `examples/*` of a media type or parameter.
    fn example_values(&mut self, holder: &Value, at: &str, schema: &str, direction: Direction) {
        if holder.get("example").is_some() {
            self.add(join(at, &["example"]), schema, direction);
        }
        let Some(Value::Object(examples)) = holder.get("examples") else {
            return;
        };
        for (name, example) in examples {
            let value_at = match example.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("{reference}/value"),
                None => join(at, &["examples", name, "value"]),
            };
            self.add(value_at, schema, direction);
        }
    }

    /// Schema-level examples at `at` and below, up to references.
    fn schema_tree(&mut self, at: &str, direction: Direction) {
        let Some(schema) = self.at(at) else { return };
        if !schema.is_object() || schema.get("$ref").is_some() {
            return;
        }
        if schema.get("example").is_some() {
            self.add(join(at, &["example"]), at, direction);
        }
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for name in properties.keys() {
                self.schema_tree(&join(at, &["properties", name]), direction);
            }
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if schema.get(keyword).is_some_and(Value::is_object) {
                self.schema_tree(&join(at, &[keyword]), direction);
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema.get(keyword) {
                for index in 0..members.len() {
                    self.schema_tree(&join(at, &[keyword, &index.to_string()]), direction);
                }
            }
        }
    }
}
