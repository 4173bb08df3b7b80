//! Rewrites an OpenAPI 3.1 document into the 3.0 form `openapiv3` reads.
//!
//! Only 3.1 documents come here (a 3.0 document is parsed as written). This
//! module walks the parts of the document that are not schemas, knowing
//! where schemas sit (components, parameters, headers, media types, and
//! through path items, operations, callbacks and responses), and hands each
//! schema to `schema`. Outside schemas, 3.1 differs from 3.0 only in what it
//! adds:
//!
//! - `webhooks` (and a Redoc-style `x-webhooks`) are normalised like
//!   `paths` (each entry is a path item); the typed parse drops
//!   `webhooks`, so loading puts it back among the document's
//!   `extensions`, where serializing the document writes it in place;
//! - `jsonSchemaDialect`, `components.pathItems`, `info.summary` and
//!   `info.license.identifier` are removed (the 3.0 model has no place for
//!   them; nothing is generated from them);
//! - a Reference Object that is not a schema may carry `summary` and
//!   `description` beside `$ref` in 3.1; 3.0 allows nothing beside it, so
//!   they are dropped;
//! - `paths` and an operation's `responses` may be absent: they become
//!   empty;
//! - `openapi` becomes `3.0.3` ([`crate::Spec::source_version`] keeps the
//!   original).
//!
//! A value of the wrong kind (a list where a mapping belongs, …) is left as
//! it is, for the typed parse to report.

mod schema;
mod types;

use super::key_text;
use crate::error::Result;
use crate::pointer::join;
use serde_yaml::{Mapping, Value};

/// Normalises a whole 3.1 document in place.
pub(super) fn document(root: &mut Value) -> Result<()> {
    let Some(root) = root.as_mapping_mut() else {
        return Ok(());
    };
    root.insert("openapi".into(), "3.0.3".into());
    root.shift_remove("jsonSchemaDialect");
    if let Some(info) = mapping(root, "info") {
        info.shift_remove("summary");
        if let Some(license) = mapping(info, "license") {
            license.shift_remove("identifier");
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Mapping::new().into());
    }
    each_entry(root, "paths", "#", path_item)?;
    for key in WEBHOOK_KEYS {
        each_entry(root, key, "#", path_item)?;
    }
    if let Some(components) = mapping(root, "components") {
        components.shift_remove("pathItems");
        let at = "#/components";
        each_entry(components, "schemas", at, schema::normalize)?;
        each_entry(components, "responses", at, response)?;
        each_entry(components, "parameters", at, parameter)?;
        each_entry(components, "examples", at, reference_only)?;
        each_entry(components, "requestBodies", at, request_body)?;
        each_entry(components, "headers", at, header)?;
        each_entry(components, "securitySchemes", at, reference_only)?;
        each_entry(components, "links", at, reference_only)?;
        each_entry(components, "callbacks", at, callback)?;
    }
    Ok(())
}

/// The top-level keys whose entries are webhooks (path items): 3.1's own,
/// and the `x-webhooks` extension Redoc reads in 3.0 documents.
pub(crate) const WEBHOOK_KEYS: [&str; 2] = ["webhooks", "x-webhooks"];

/// What normalises one node, given its pointer.
type Step = fn(&mut Value, &str) -> Result<()>;

/// The mapping under `key`, if there is one.
fn mapping<'m>(map: &'m mut Mapping, key: &str) -> Option<&'m mut Mapping> {
    map.get_mut(key).and_then(Value::as_mapping_mut)
}

/// Applies `step` to every entry of the mapping `map[key]`.
fn each_entry(map: &mut Mapping, key: &str, at: &str, step: Step) -> Result<()> {
    let at = join(at, &[key]);
    if let Some(entries) = mapping(map, key) {
        for (name, value) in entries.iter_mut() {
            step(value, &join(&at, &[&key_text(name)]))?;
        }
    }
    Ok(())
}

/// Applies `step` to every item of the list `map[key]`.
fn each_item(map: &mut Mapping, key: &str, at: &str, step: Step) -> Result<()> {
    let at = join(at, &[key]);
    if let Some(Value::Sequence(items)) = map.get_mut(key) {
        for (index, item) in items.iter_mut().enumerate() {
            step(item, &join(&at, &[&index.to_string()]))?;
        }
    }
    Ok(())
}

/// Applies `step` to `map[key]`, if present.
fn one(map: &mut Mapping, key: &str, at: &str, step: Step) -> Result<()> {
    match map.get_mut(key) {
        Some(value) => step(value, &join(at, &[key])),
        None => Ok(()),
    }
}

/// The object's fields, unless it is a Reference Object: then it loses
/// every sibling of `$ref` and `None` is returned.
fn unless_reference(node: &mut Value) -> Option<&mut Mapping> {
    let map = node.as_mapping_mut()?;
    if map.contains_key("$ref") {
        map.retain(|key, _| key.as_str() == Some("$ref"));
        return None;
    }
    Some(map)
}

fn reference_only(node: &mut Value, _at: &str) -> Result<()> {
    unless_reference(node);
    Ok(())
}

/// The operations of a path item.
pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_item(node: &mut Value, at: &str) -> Result<()> {
    let Some(item) = unless_reference(node) else {
        return Ok(());
    };
    each_item(item, "parameters", at, parameter)?;
    for method in METHODS {
        one(item, method, at, operation)?;
    }
    Ok(())
}

fn operation(node: &mut Value, at: &str) -> Result<()> {
    let Some(operation) = node.as_mapping_mut() else {
        return Ok(());
    };
    if !operation.contains_key("responses") {
        operation.insert("responses".into(), Mapping::new().into());
    }
    each_item(operation, "parameters", at, parameter)?;
    one(operation, "requestBody", at, request_body)?;
    each_entry(operation, "responses", at, response)?;
    each_entry(operation, "callbacks", at, callback)
}

/// A callback maps expressions to path items.
fn callback(node: &mut Value, at: &str) -> Result<()> {
    let Some(callback) = unless_reference(node) else {
        return Ok(());
    };
    for (expression, item) in callback.iter_mut() {
        path_item(item, &join(at, &[&key_text(expression)]))?;
    }
    Ok(())
}

fn parameter(node: &mut Value, at: &str) -> Result<()> {
    let Some(parameter) = unless_reference(node) else {
        return Ok(());
    };
    one(parameter, "schema", at, schema::normalize)?;
    each_entry(parameter, "content", at, media_type)?;
    each_entry(parameter, "examples", at, reference_only)
}

fn request_body(node: &mut Value, at: &str) -> Result<()> {
    match unless_reference(node) {
        Some(body) => each_entry(body, "content", at, media_type),
        None => Ok(()),
    }
}

fn response(node: &mut Value, at: &str) -> Result<()> {
    let Some(response) = unless_reference(node) else {
        return Ok(());
    };
    each_entry(response, "headers", at, header)?;
    each_entry(response, "content", at, media_type)?;
    each_entry(response, "links", at, reference_only)
}

fn header(node: &mut Value, at: &str) -> Result<()> {
    let Some(header) = unless_reference(node) else {
        return Ok(());
    };
    one(header, "schema", at, schema::normalize)?;
    each_entry(header, "content", at, media_type)?;
    each_entry(header, "examples", at, reference_only)
}

fn media_type(node: &mut Value, at: &str) -> Result<()> {
    let Some(media) = node.as_mapping_mut() else {
        return Ok(());
    };
    one(media, "schema", at, schema::normalize)?;
    each_entry(media, "examples", at, reference_only)?;
    each_entry(media, "encoding", at, encoding)
}

fn encoding(node: &mut Value, at: &str) -> Result<()> {
    match node.as_mapping_mut() {
        Some(encoding) => each_entry(encoding, "headers", at, header),
        None => Ok(()),
    }
}
