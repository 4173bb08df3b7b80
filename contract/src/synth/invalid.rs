//! Invalid values: what a schema refuses, and a one-line reason.
//!
//! Candidates come in a fixed order of preference: the root of a JSON type
//! the schema does not allow; a valid object with its first required
//! property removed; a valid object with a property of the wrong type;
//! then narrower breaks at the root (a value outside the `enum`, a string
//! that is not its `format` or too short, an array with too few items, an
//! undeclared property where `additionalProperties` is `false`).

use super::{Generator, SynthOptions, find_pointer, instance};
use serde_json::{Map, Value, json};

/// How deep `$ref`s are followed when collecting the allowed types.
const MAX_LEVEL: u32 = 32;

/// A value that `schema` (a node inside `document`) refuses, and a one-line
/// reason (`a string where the schema wants an integer at /age`, `missing
/// required property `name``), or `None` when the schema accepts
/// everything. Deterministic; not validated (see
/// [`crate::ContractValidator::synthesize_invalid`]). Prefers, in order: the
/// root of the wrong JSON type, a required property missing, a property of
/// the wrong type.
pub fn invalid_instance(document: &Value, schema: &Value) -> Option<(Value, String)> {
    candidates(document, schema).into_iter().next()
}

/// Every invalid candidate, best first.
pub(super) fn candidates(document: &Value, schema: &Value) -> Vec<(Value, String)> {
    let options = SynthOptions::default();
    let generator = Generator::new(document, &options, 0);
    let pointer = find_pointer(document, schema).unwrap_or_else(|| "#".to_owned());
    let mut found = Vec::new();
    if let Some(wrong) = wrong_type(&generator, schema, "") {
        found.push(wrong);
    }
    let Ok(flat) = generator.flatten(schema, &pointer) else {
        return found;
    };
    let valid = instance(document, schema, &options).ok();
    if let Some(Value::Object(object)) = &valid {
        object_breaks(&generator, &flat.map, object, &mut found);
    }
    scalar_breaks(&flat.map, valid.as_ref(), &mut found);
    found
}

/// Missing required properties, then properties of the wrong type.
fn object_breaks(
    generator: &Generator<'_>,
    map: &Map<String, Value>,
    object: &Map<String, Value>,
    found: &mut Vec<(Value, String)>,
) {
    let required = map.get("required").and_then(Value::as_array);
    for name in required.into_iter().flatten().filter_map(Value::as_str) {
        if object.contains_key(name) {
            let mut broken = object.clone();
            broken.remove(name);
            found.push((
                Value::Object(broken),
                format!("missing required property `{name}`"),
            ));
            break;
        }
    }
    let Some(properties) = map.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, schema) in properties {
        if !object.contains_key(name) {
            continue;
        }
        let at = format!("/{}", generator::pointer::escape_token(name));
        if let Some((value, reason)) = wrong_type(generator, schema, &at) {
            let mut broken = object.clone();
            broken.insert(name.clone(), value);
            found.push((Value::Object(broken), reason));
        }
    }
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        let mut broken = object.clone();
        let name = (0..)
            .map(|i| format!("undeclared_{i}"))
            .find(|n| !properties.contains_key(n))
            .unwrap_or_default();
        broken.insert(name.clone(), json!("value"));
        found.push((
            Value::Object(broken),
            format!("an undeclared property `{name}` where `additionalProperties` is false"),
        ));
    }
}

/// Breaks of the root's own keywords.
fn scalar_breaks(
    map: &Map<String, Value>,
    valid: Option<&Value>,
    found: &mut Vec<(Value, String)>,
) {
    if let Some(Value::Array(values)) = map.get("enum") {
        let outside = (0..)
            .map(|i| Value::String(format!("not-in-enum-{i}")))
            .find(|v| !values.contains(v));
        if let Some(outside) = outside {
            found.push((outside, "a value outside the `enum`".to_owned()));
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        found.push((
            Value::String("%not a valid value%".to_owned()),
            format!("a string that is not a `{format}`"),
        ));
    }
    if let Some(min) = map
        .get("minLength")
        .and_then(Value::as_u64)
        .filter(|m| *m > 0)
    {
        found.push((json!(""), format!("a string shorter than {min} characters")));
    }
    if let Some(Value::String(pattern)) = map.get("pattern") {
        found.push((
            json!("\u{1}"),
            format!("a string that does not match `{pattern}`"),
        ));
    }
    if let Some(min) = map
        .get("minItems")
        .and_then(Value::as_u64)
        .filter(|m| *m > 0)
    {
        found.push((json!([]), format!("an array with fewer than {min} items")));
    }
    if let Some(max) = map.get("maxItems").and_then(Value::as_u64) {
        if let Some(Value::Array(items)) = valid {
            if let Some(first) = items.first() {
                let count = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
                if count <= 1024 {
                    let too_many = vec![first.clone(); count];
                    found.push((
                        Value::Array(too_many),
                        format!("an array with more than {max} items"),
                    ));
                }
            }
        }
    }
    if let Some(Value::Number(max)) = map.get("maximum") {
        if let Some(above) = max
            .as_f64()
            .and_then(|m| serde_json::Number::from_f64(m + 1.0))
        {
            found.push((
                Value::Number(above),
                format!("a number above the maximum {max}"),
            ));
        }
    }
    if let Some(Value::Number(min)) = map.get("minimum") {
        if let Some(below) = min
            .as_f64()
            .and_then(|m| serde_json::Number::from_f64(m - 1.0))
        {
            found.push((
                Value::Number(below),
                format!("a number below the minimum {min}"),
            ));
        }
    }
}

/// A value of a JSON type `schema` does not allow, and the reason, when
/// the schema restricts types.
pub(super) fn wrong_type(
    generator: &Generator<'_>,
    schema: &Value,
    at: &str,
) -> Option<(Value, String)> {
    let allowed = allowed_types(generator, schema, 0)?;
    let candidates = [
        ("string", json!("not-the-right-type")),
        ("integer", json!(12345)),
        ("boolean", json!(true)),
        ("object", json!({})),
        ("array", json!([])),
        ("null", Value::Null),
    ];
    let (ty, value) = candidates.into_iter().find(|(ty, _)| {
        let allowed_here = allowed
            .iter()
            .any(|a| a == ty || (*ty == "integer" && a == "number"));
        !allowed_here
    })?;
    let wanted = if allowed.is_empty() {
        "nothing".to_owned()
    } else {
        allowed
            .iter()
            .map(|t| described(t))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let place = if at.is_empty() {
        String::new()
    } else {
        format!(" at {at}")
    };
    Some((
        value,
        format!("{} where the schema wants {wanted}{place}", described(ty)),
    ))
}

/// A type with its article, as the reasons say it.
fn described(ty: &str) -> String {
    match ty {
        "null" => "null".to_owned(),
        "integer" | "object" | "array" => format!("an {ty}"),
        other => format!("a {other}"),
    }
}

/// The JSON types `schema` allows, or `None` when it allows any.
fn allowed_types(generator: &Generator<'_>, schema: &Value, level: u32) -> Option<Vec<String>> {
    if level > MAX_LEVEL {
        return None;
    }
    let map = match schema {
        Value::Bool(false) => return Some(Vec::new()),
        Value::Object(map) => map,
        _ => return None,
    };
    let mut allowed: Option<Vec<String>> = None;
    let narrow = |allowed: &mut Option<Vec<String>>, types: Option<Vec<String>>| {
        if let Some(types) = types {
            *allowed = Some(match allowed.take() {
                None => types,
                Some(current) => intersect(&current, &types),
            });
        }
    };
    if let Some(ty) = map.get("type") {
        let types = match ty {
            Value::String(t) => vec![t.clone()],
            Value::Array(list) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        narrow(&mut allowed, Some(types));
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let mut types: Vec<String> = Vec::new();
        for value in values {
            let ty = type_of(value).to_owned();
            if !types.contains(&ty) {
                types.push(ty);
            }
        }
        narrow(&mut allowed, Some(types));
    }
    if let Some(value) = map.get("const") {
        narrow(&mut allowed, Some(vec![type_of(value).to_owned()]));
    }
    if let Some(Value::String(reference)) = map.get("$ref") {
        let target = generator.resolve(reference, "#").ok()?.0;
        narrow(&mut allowed, allowed_types(generator, target, level + 1));
    }
    if let Some(Value::Array(members)) = map.get("allOf") {
        for member in members {
            narrow(&mut allowed, allowed_types(generator, member, level + 1));
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get(keyword) {
            let mut union: Option<Vec<String>> = Some(Vec::new());
            for member in members {
                union = match (union, allowed_types(generator, member, level + 1)) {
                    (Some(mut all), Some(types)) => {
                        for ty in types {
                            if !all_contains(&all, &ty) {
                                all.push(ty);
                            }
                        }
                        Some(all)
                    }
                    _ => None,
                };
            }
            narrow(&mut allowed, union);
        }
    }
    allowed
}

fn all_contains(all: &[String], ty: &str) -> bool {
    all.iter().any(|t| t == ty)
}

/// The types in both lists (`integer` is in `number`).
fn intersect(left: &[String], right: &[String]) -> Vec<String> {
    let mut kept = Vec::new();
    for ty in left {
        let found = if right.contains(ty) {
            Some(ty.as_str())
        } else if (ty == "number" && all_contains(right, "integer"))
            || (ty == "integer" && all_contains(right, "number"))
        {
            Some("integer")
        } else {
            None
        };
        if let Some(found) = found.filter(|f| !all_contains(&kept, f)) {
            kept.push(found.to_owned());
        }
    }
    kept
}

/// The JSON type of a value (`integer` for whole numbers).
fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_of_the_wrong_type_comes_first() {
        let document = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
        let (value, reason) = invalid_instance(&document, &document).unwrap_or_default();
        assert_eq!(value, json!("not-the-right-type"));
        assert_eq!(reason, "a string where the schema wants an object");
        let all = candidates(&document, &document);
        assert_eq!(all[1].1, "missing required property `name`");
        assert_eq!(
            all[2].1,
            "an integer where the schema wants a string at /name"
        );
    }

    #[test]
    fn an_open_schema_has_no_invalid_value() {
        let document = json!({});
        assert_eq!(invalid_instance(&document, &document), None);
    }
}
