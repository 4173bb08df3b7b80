//! Synthesizing a value of a target's schema.
//!
//! A stand-in until the contract crate's synthesizer lands: a small,
//! deterministic walk of the converted JSON Schema (first alternative of a
//! `oneOf`/`anyOf`, every declared property, one item per array, values
//! that fit the common formats and bounds). Its result is validated by
//! the caller's use of [`conform`](super::bodies::conform).

use contract::{ContractValidator, Target};
use serde_json::{Map, Value, json};

/// A value of `target`'s schema, if one can be built that validates.
pub fn synthesize(validator: &ContractValidator, target: &Target) -> Option<Value> {
    let schema = validator.json_schema(target).ok()?;
    let value = instance(schema, schema, 0);
    validator
        .validate(target, &value)
        .ok()
        .filter(Vec::is_empty)
        .map(|_| value)
}

fn resolve<'s>(root: &'s Value, schema: &'s Value) -> &'s Value {
    let mut schema = schema;
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let Some(found) = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
        else {
            return schema;
        };
        schema = found;
    }
    schema
}

fn instance(root: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(root, schema);
    if depth > 12 {
        return Value::Null;
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.iter().find(|v| !v.is_null()).or(v.first()))
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return instance(root, first, depth + 1);
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(map) = instance(root, part, depth + 1) {
                merged.extend(map);
            }
        }
        if let Value::Object(own) = object(root, schema, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    let ty = match schema.get("type") {
        Some(Value::String(ty)) => ty.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => return json!({}),
    };
    match ty {
        "object" => object(root, schema, depth),
        "array" => {
            let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            let item = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..count.min(3))
                    .map(|_| instance(root, &item, depth + 1))
                    .collect(),
            )
        }
        "string" => string(schema),
        "integer" => json!(number(schema).round() as i64),
        "number" => json!(number(schema)),
        "boolean" => json!(true),
        _ => Value::Null,
    }
}

fn object(root: &Value, schema: &Value, depth: usize) -> Value {
    let mut map = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if property == &Value::Bool(false) {
                continue;
            }
            map.insert(name.clone(), instance(root, property, depth + 1));
        }
    }
    Value::Object(map)
}

fn number(schema: &Value) -> f64 {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    match (min, max) {
        (Some(min), _) if min > 1.0 => min,
        (_, Some(max)) if max < 1.0 => max,
        _ => 1.0,
    }
}

fn string(schema: &Value) -> Value {
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => "00000000-0000-4000-8000-000000000001".to_owned(),
        Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
        Some("date") => "2024-01-01".to_owned(),
        Some("email") => "user@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/".to_owned(),
        Some("ipv4") => "192.0.2.1".to_owned(),
        _ => "string".to_owned(),
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let mut text = text;
    while (text.len() as u64) < min {
        text.push('x');
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        text.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    Value::String(text)
}
