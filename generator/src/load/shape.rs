//! Finds where a normalised 3.1 document does not fit the `openapiv3`
//! model.
//!
//! Read from a value, the model's errors carry no position (and serde's
//! untagged enums, `ReferenceOr` among them, lose the path inside them). So
//! when the whole document fails, its parts are read one by one with their
//! own model type, descending into the first that fails: the top-level
//! fields, each path item, operation, parameter, request body and
//! response, each component, and a schema's subschemas. The pointer of the
//! deepest failing part is what the error is reported at.

use super::key_text;
use crate::pointer::join;
use openapiv3::{
    Callback, Example, Header, Info, Link, Operation, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityRequirement, SecurityScheme, Server, Tag,
};
use serde::Deserialize;
use serde_yaml::Value;

/// The pointer of the deepest part of `document` that fails to parse, if
/// any part fails on its own.
pub(super) fn failing_part(document: &Value) -> Option<String> {
    let root = document.as_mapping()?;
    let at = "#";
    if let Some(info) = root.get("info") {
        if fails::<Info>(info) {
            return Some(join(at, &["info"]));
        }
    }
    if let Some(found) = first_item::<Server>(root.get("servers"), &join(at, &["servers"])) {
        return Some(found);
    }
    if let Some(found) = first_item::<Tag>(root.get("tags"), &join(at, &["tags"])) {
        return Some(found);
    }
    if let Some(security) = root.get("security") {
        if fails::<Vec<SecurityRequirement>>(security) {
            return Some(join(at, &["security"]));
        }
    }
    if let Some(found) = paths(root.get("paths")?, &join(at, &["paths"])) {
        return Some(found);
    }
    components(root.get("components")?, &join(at, &["components"]))
}

fn fails<T: for<'de> Deserialize<'de>>(value: &Value) -> bool {
    T::deserialize(value).is_err()
}

/// The first entry of the mapping `value` that fails as `T`, or the
/// mapping itself if it is not one.
fn first_entry<T: for<'de> Deserialize<'de>>(value: Option<&Value>, at: &str) -> Option<String> {
    let value = value?;
    let Some(entries) = value.as_mapping() else {
        return Some(at.to_owned());
    };
    entries
        .iter()
        .find(|(_, entry)| fails::<T>(entry))
        .map(|(name, _)| join(at, &[&key_text(name)]))
}

/// The first item of the list `value` that fails as `T`, or the list
/// itself if it is not one.
fn first_item<T: for<'de> Deserialize<'de>>(value: Option<&Value>, at: &str) -> Option<String> {
    let value = value?;
    let Some(items) = value.as_sequence() else {
        return Some(at.to_owned());
    };
    items
        .iter()
        .position(|item| fails::<T>(item))
        .map(|index| join(at, &[&index.to_string()]))
}

fn paths(paths: &Value, at: &str) -> Option<String> {
    let Some(entries) = paths.as_mapping() else {
        return Some(at.to_owned());
    };
    let (name, item) = entries
        .iter()
        .find(|(_, item)| fails::<ReferenceOr<PathItem>>(item))?;
    let at = join(at, &[&key_text(name)]);
    let deeper = item.as_mapping().and_then(|item| {
        let parameters = join(&at, &["parameters"]);
        first_item::<ReferenceOr<Parameter>>(item.get("parameters"), &parameters).or_else(|| {
            super::normalize::METHODS.iter().find_map(|method| {
                let operation = item.get(*method)?;
                let at = join(&at, &[method]);
                fails::<Operation>(operation).then(|| self::operation(operation, &at))
            })
        })
    });
    Some(deeper.unwrap_or(at))
}

fn operation(operation: &Value, at: &str) -> String {
    let Some(fields) = operation.as_mapping() else {
        return at.to_owned();
    };
    let parameters = join(at, &["parameters"]);
    first_item::<ReferenceOr<Parameter>>(fields.get("parameters"), &parameters)
        .or_else(|| {
            let body = fields.get("requestBody")?;
            fails::<ReferenceOr<RequestBody>>(body).then(|| join(at, &["requestBody"]))
        })
        .or_else(|| {
            first_entry::<ReferenceOr<Response>>(fields.get("responses"), &join(at, &["responses"]))
        })
        .unwrap_or_else(|| at.to_owned())
}

fn components(components: &Value, at: &str) -> Option<String> {
    let Some(fields) = components.as_mapping() else {
        return Some(at.to_owned());
    };
    let kind = |name: &str| (fields.get(name), join(at, &[name]));
    let (schemas, schemas_at) = kind("schemas");
    if let Some(entries) = schemas.and_then(Value::as_mapping) {
        for (name, schema) in entries {
            if fails::<ReferenceOr<Schema>>(schema) {
                return Some(deepest_schema(
                    schema,
                    &join(&schemas_at, &[&key_text(name)]),
                ));
            }
        }
    }
    let (value, at) = kind("responses");
    first_entry::<ReferenceOr<Response>>(value, &at)
        .or_else(|| {
            let (value, at) = kind("parameters");
            first_entry::<ReferenceOr<Parameter>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("examples");
            first_entry::<ReferenceOr<Example>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("requestBodies");
            first_entry::<ReferenceOr<RequestBody>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("headers");
            first_entry::<ReferenceOr<Header>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("securitySchemes");
            first_entry::<ReferenceOr<SecurityScheme>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("links");
            first_entry::<ReferenceOr<Link>>(value, &at)
        })
        .or_else(|| {
            let (value, at) = kind("callbacks");
            first_entry::<ReferenceOr<Callback>>(value, &at)
        })
}

/// The deepest subschema of the failing `schema` that fails on its own.
fn deepest_schema(schema: &Value, at: &str) -> String {
    let Some(fields) = schema.as_mapping() else {
        return at.to_owned();
    };
    let mut children: Vec<(String, &Value)> = Vec::new();
    if let Some(properties) = fields.get("properties").and_then(Value::as_mapping) {
        let at = join(at, &["properties"]);
        children.extend(
            properties
                .iter()
                .map(|(name, child)| (join(&at, &[&key_text(name)]), child)),
        );
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = fields.get(key).and_then(Value::as_sequence) {
            let at = join(at, &[key]);
            children.extend(
                members
                    .iter()
                    .enumerate()
                    .map(|(index, child)| (join(&at, &[&index.to_string()]), child)),
            );
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child @ Value::Mapping(_)) = fields.get(key) {
            children.push((join(at, &[key]), child));
        }
    }
    children
        .into_iter()
        .find(|(_, child)| fails::<ReferenceOr<Schema>>(child))
        .map_or_else(|| at.to_owned(), |(at, child)| deepest_schema(child, &at))
}
