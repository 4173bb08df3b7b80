//! Rewrites one 3.1 Schema Object (JSON Schema 2020-12) into its 3.0 form.
//!
//! A schema is normalised bottom-up: its own unsupported keywords are
//! refused first, then its subschemas are normalised where they are written
//! (so every error's pointer is a pointer into the source), then the schema
//! itself is rewritten:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `const: v` | `enum: [v]` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n, exclusiveMinimum: true`, unless a `minimum` beside it is tighter (then that alone) |
//! | `exclusiveMaximum: n` | likewise with `maximum` |
//! | `examples: [a, …]` | `example: a` (unless there is one) and the array under `x-examples` |
//! | `type` lists, `type: "null"`, null members of `oneOf`/`anyOf` | see `types` |
//! | `$ref` with siblings | `allOf: [{$ref}]` beside the siblings |
//! | the schema `true` | `{}` |
//! | `contentEncoding: base64` (or `base64url`) on a string | `format: byte` |
//! | `contentMediaType` without `contentEncoding`, on a string or an untyped schema | `type: string, format: binary` |
//!
//! Keywords that change the shape of a type and have no 3.0 form are
//! errors (`REFUSED`); keywords that only validate, or only annotate, are
//! dropped (`DROPPED`), since no generated type depends on them.

use super::types;
use crate::error::{Error, Result};
use crate::load::key_text;
use crate::pointer::join;
use serde_yaml::{Mapping, Value};

/// Keywords that shape a type and that the 3.0 model cannot carry.
const REFUSED: [(&str, &str); 12] = [
    (
        "prefixItems",
        "a tuple (`prefixItems`) has no OpenAPI 3.0 form",
    ),
    (
        "if",
        "a conditional schema (`if`/`then`/`else`) has no OpenAPI 3.0 form",
    ),
    (
        "then",
        "a conditional schema (`if`/`then`/`else`) has no OpenAPI 3.0 form",
    ),
    (
        "else",
        "a conditional schema (`if`/`then`/`else`) has no OpenAPI 3.0 form",
    ),
    (
        "dependentSchemas",
        "`dependentSchemas` has no OpenAPI 3.0 form",
    ),
    (
        "unevaluatedProperties",
        "`unevaluatedProperties` has no OpenAPI 3.0 form (`additionalProperties` has)",
    ),
    (
        "unevaluatedItems",
        "`unevaluatedItems` has no OpenAPI 3.0 form",
    ),
    (
        "patternProperties",
        "`patternProperties` has no OpenAPI 3.0 form (the `openapiv3` model has no field for it)",
    ),
    ("$dynamicRef", "`$dynamicRef` has no OpenAPI 3.0 form"),
    (
        "$defs",
        "schemas under `$defs` are not read; define them under `#/components/schemas`",
    ),
    (
        "$id",
        "`$id` changes how references resolve; only `#/…` references within the document are followed",
    ),
    (
        "$anchor",
        "`$anchor` names a schema for references; only `#/…` pointer references are followed",
    ),
];

/// Keywords that only validate or annotate, and have no 3.0 form: dropped.
const DROPPED: [&str; 11] = [
    "$schema",
    "$comment",
    "$dynamicAnchor",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

/// Normalises the schema `node`, written at `at`.
pub(super) fn normalize(node: &mut Value, at: &str) -> Result<()> {
    match node {
        Value::Bool(true) => {
            *node = Mapping::new().into();
            return Ok(());
        }
        Value::Bool(false) => {
            return Err(Error::unsupported(
                at,
                "the schema `false` (no value is valid) has no OpenAPI 3.0 form",
            ));
        }
        _ => {}
    }
    let Some(map) = node.as_mapping_mut() else {
        return Ok(());
    };
    if let Some((keyword, reason)) = REFUSED.iter().find(|(k, _)| map.contains_key(*k)) {
        return Err(Error::unsupported(&join(at, &[keyword]), *reason));
    }
    binary_content(map);
    map.retain(|key, _| !key.as_str().is_some_and(|key| DROPPED.contains(&key)));
    subschemas(map, at)?;
    const_to_enum(map, at)?;
    exclusive_bound(
        map,
        "exclusiveMinimum",
        "minimum",
        |inclusive, exclusive| inclusive > exclusive,
    );
    exclusive_bound(
        map,
        "exclusiveMaximum",
        "maximum",
        |inclusive, exclusive| inclusive < exclusive,
    );
    examples(map, at)?;
    types::type_keyword(map, at)?;
    types::null_members(map);
    ref_with_siblings(map);
    Ok(())
}

/// Normalises the schemas inside `map`, each at its own pointer.
fn subschemas(map: &mut Mapping, at: &str) -> Result<()> {
    if let Some(Value::Mapping(properties)) = map.get_mut("properties") {
        let at = join(at, &["properties"]);
        for (name, property) in properties.iter_mut() {
            normalize(property, &join(&at, &[&key_text(name)]))?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Sequence(members)) = map.get_mut(key) {
            let at = join(at, &[key]);
            for (index, member) in members.iter_mut().enumerate() {
                normalize(member, &join(&at, &[&index.to_string()]))?;
            }
        }
    }
    if let Some(Value::Sequence(_)) = map.get("items") {
        return Err(Error::unsupported(
            &join(at, &["items"]),
            "`items` as a list (a tuple) has no OpenAPI 3.0 form",
        ));
    }
    for key in ["items", "not"] {
        if let Some(child) = map.get_mut(key) {
            normalize(child, &join(at, &[key]))?;
        }
    }
    // `additionalProperties: true` / `false` mean the same in 3.0.
    if let Some(child @ Value::Mapping(_)) = map.get_mut("additionalProperties") {
        normalize(child, &join(at, &["additionalProperties"]))?;
    }
    Ok(())
}

/// 3.1 says "this string is a file" with `contentMediaType` (raw bytes) or
/// `contentEncoding: base64` (encoded text), where 3.0 says `format: binary`
/// or `format: byte`. A `format` written beside them wins.
fn binary_content(map: &mut Mapping) {
    if map.contains_key("format") {
        return;
    }
    let ty = map.get("type").map(|ty| ty.as_str());
    if !matches!(ty, None | Some(Some("string"))) {
        return;
    }
    let format = match map.get("contentEncoding").and_then(Value::as_str) {
        Some("base64" | "base64url") => "byte",
        Some(_) => return,
        None if map.contains_key("contentMediaType") => "binary",
        None => return,
    };
    map.insert("type".into(), "string".into());
    map.insert("format".into(), format.into());
}

fn const_to_enum(map: &mut Mapping, at: &str) -> Result<()> {
    let Some(value) = map.shift_remove("const") else {
        return Ok(());
    };
    if let Some(Value::Sequence(values)) = map.get("enum") {
        if !values.contains(&value) {
            return Err(Error::invalid(
                &join(at, &["const"]),
                "the `const` value is not among the `enum` values: no value is valid",
            ));
        }
    }
    map.insert("enum".into(), Value::Sequence(vec![value]));
    Ok(())
}

/// A numeric `exclusive` bound becomes the 3.0 pair (`inclusive: n`,
/// `exclusive: true`), unless the `inclusive` bound beside it is tighter
/// (`tighter(inclusive, exclusive)`), which then stands alone. A boolean
/// (already 3.0) is left as it is.
fn exclusive_bound(
    map: &mut Mapping,
    exclusive: &str,
    inclusive: &str,
    tighter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(bound)) = map.get(exclusive) else {
        return;
    };
    let bound = bound.clone();
    let other = map.get(inclusive).and_then(Value::as_f64);
    let keep_inclusive = match (other, bound.as_f64()) {
        (Some(other), Some(bound)) => tighter(other, bound),
        _ => false,
    };
    if keep_inclusive {
        map.shift_remove(exclusive);
    } else {
        map.insert(inclusive.into(), Value::Number(bound));
        map.insert(exclusive.into(), true.into());
    }
}

/// A schema's `examples` list: the first becomes the 3.0 `example` (an
/// `example` written beside it wins), the whole list is kept under our
/// extension `x-examples`.
fn examples(map: &mut Mapping, at: &str) -> Result<()> {
    if !matches!(map.get("examples"), Some(Value::Sequence(_))) {
        return Ok(());
    }
    if map.contains_key("x-examples") {
        return Err(Error::unsupported(
            &join(at, &["x-examples"]),
            "`x-examples` beside `examples`: the generator keeps a 3.1 schema's `examples` under `x-examples`",
        ));
    }
    let Some(Value::Sequence(list)) = map.shift_remove("examples") else {
        return Ok(());
    };
    if !map.contains_key("example") {
        if let Some(first) = list.first() {
            map.insert("example".into(), first.clone());
        }
    }
    map.insert("x-examples".into(), Value::Sequence(list));
    Ok(())
}

/// In 3.1, keywords beside a `$ref` apply too (as if both were `allOf`
/// members); in 3.0 they would be ignored. So the reference moves into an
/// `allOf`, first among its members, and the siblings stay beside it.
fn ref_with_siblings(map: &mut Mapping) {
    if map.len() < 2 {
        return;
    }
    let Some(reference) = map.shift_remove("$ref") else {
        return;
    };
    let mut member = Mapping::new();
    member.insert("$ref".into(), reference);
    match map.get_mut("allOf") {
        Some(Value::Sequence(members)) => members.insert(0, member.into()),
        _ => {
            map.insert("allOf".into(), Value::Sequence(vec![member.into()]));
        }
    }
}
