//! The 3.1 `type` keyword and `null`, in their 3.0 form.
//!
//! 3.0 has one type per schema and no `null` type, only `nullable: true`:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [T]` | `type: T` |
//! | `type: [S, T, …]` (several non-null types) | `oneOf`, one member per type, each with the keywords that apply to its type (string: `minLength`, `maxLength`, `pattern`, a non-numeric `format`; integer and number: the bounds, `multipleOf`, a numeric `format`; object: `properties`, `required`, `additionalProperties`, `minProperties`, `maxProperties`; array: `items`, `minItems`, `maxItems`, `uniqueItems`; `enum`: the values of the member's type). `nullable`, annotations and the keywords no member takes stay beside the `oneOf`. A type that no `enum` value has is left out; `integer` beside `number` is left out (`number` covers it). |
//! | `type: "null"` alone | `nullable: true, enum: [null]` (the only valid value is `null`) |
//! | a `null` member of `oneOf` / `anyOf` | removed; the union gets `nullable: true`. If one member is left, the union collapses into it: an inline member's keywords merge into the schema (unless one clashes with a keyword already there), a `$ref` (or a clashing member) becomes `allOf: [member]`. If none is left, the schema is the null schema above. |
//!
//! A member counts as `null` when, normalised, it is the null schema: no
//! `type`, `enum: [null]`, nothing else but annotations (so `const: null`
//! counts too).

use crate::error::{Error, Result};
use crate::pointer::join;
use serde_yaml::{Mapping, Value};

/// Keywords that say nothing about which values are valid.
const ANNOTATIONS: [&str; 10] = [
    "title",
    "description",
    "example",
    "x-examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "nullable",
];

/// Which of a split schema's keywords go to the member of which type.
const TYPE_KEYWORDS: [(&str, &[&str]); 17] = [
    ("minLength", &["string"]),
    ("maxLength", &["string"]),
    ("pattern", &["string"]),
    ("minimum", &["integer", "number"]),
    ("maximum", &["integer", "number"]),
    ("exclusiveMinimum", &["integer", "number"]),
    ("exclusiveMaximum", &["integer", "number"]),
    ("multipleOf", &["integer", "number"]),
    ("properties", &["object"]),
    ("required", &["object"]),
    ("additionalProperties", &["object"]),
    ("minProperties", &["object"]),
    ("maxProperties", &["object"]),
    ("items", &["array"]),
    ("minItems", &["array"]),
    ("maxItems", &["array"]),
    ("uniqueItems", &["array"]),
];

const NUMERIC_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

/// Rewrites `type` when it is a list or `"null"`.
pub(super) fn type_keyword(map: &mut Mapping, at: &str) -> Result<()> {
    let at = join(at, &["type"]);
    let names: Vec<&str> = match map.get("type") {
        Some(Value::String(name)) if name == "null" => vec!["null"],
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .ok_or_else(|| Error::invalid(&at, "a `type` list holds type names only"))
            })
            .collect::<Result<_>>()?,
        _ => return Ok(()),
    };
    if names.is_empty() {
        return Err(Error::invalid(&at, "an empty `type` list allows no value"));
    }
    let nullable = names.contains(&"null");
    let mut kinds: Vec<String> = Vec::new();
    for name in names {
        if name != "null" && !kinds.iter().any(|kind| kind == name) {
            kinds.push(name.to_owned());
        }
    }
    if kinds.is_empty() {
        make_null(map);
        return Ok(());
    }
    if kinds.iter().any(|kind| kind == "number") {
        kinds.retain(|kind| kind != "integer");
    }
    if let Some(Value::Sequence(values)) = map.get("enum") {
        kinds.retain(|kind| values.iter().any(|value| is_of_type(value, kind)));
        if kinds.is_empty() && !(nullable && values.contains(&Value::Null)) {
            return Err(Error::invalid(&at, "no `enum` value is of a listed type"));
        }
    }
    if nullable {
        map.insert("nullable".into(), true.into());
    }
    match kinds.as_slice() {
        [] => make_null(map),
        [kind] => {
            map.insert("type".into(), kind.as_str().into());
        }
        _ => split(map, &kinds, &at)?,
    }
    Ok(())
}

fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "boolean" => value.is_bool(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "array" => value.is_sequence(),
        "object" => value.is_mapping(),
        _ => false,
    }
}

/// Replaces `type: [S, T, …]` by `oneOf`, one member per type.
fn split(map: &mut Mapping, kinds: &[String], at: &str) -> Result<()> {
    if map.contains_key("oneOf") || map.contains_key("anyOf") {
        return Err(Error::unsupported(
            at,
            "several types beside `oneOf` or `anyOf` have no OpenAPI 3.0 form",
        ));
    }
    map.shift_remove("type");
    let values = match map.shift_remove("enum") {
        Some(Value::Sequence(values)) => Some(values),
        _ => None,
    };
    let format = map.get("format").and_then(Value::as_str).map(str::to_owned);
    let format_kinds: &[&str] = match &format {
        Some(format) if NUMERIC_FORMATS.contains(&format.as_str()) => &["integer", "number"],
        Some(_) => &["string"],
        None => &[],
    };
    let format_row = [("format", format_kinds)];
    let mut moved = Vec::new();
    let mut members = Vec::new();
    for kind in kinds {
        let mut member = Mapping::new();
        member.insert("type".into(), kind.as_str().into());
        for (keyword, applies_to) in TYPE_KEYWORDS.iter().chain(&format_row) {
            if let Some(value) = map.get(*keyword) {
                if applies_to.contains(&kind.as_str()) {
                    member.insert((*keyword).into(), value.clone());
                    moved.push(*keyword);
                }
            }
        }
        if let Some(values) = &values {
            let own = values.iter().filter(|value| is_of_type(value, kind));
            member.insert("enum".into(), Value::Sequence(own.cloned().collect()));
        }
        members.push(Value::Mapping(member));
    }
    map.retain(|key, _| !key.as_str().is_some_and(|key| moved.contains(&key)));
    map.insert("oneOf".into(), Value::Sequence(members));
    Ok(())
}

/// The schema that only `null` is valid against, in 3.0 terms.
fn make_null(map: &mut Mapping) {
    map.shift_remove("type");
    map.insert("nullable".into(), true.into());
    map.insert("enum".into(), Value::Sequence(vec![Value::Null]));
}

fn is_null_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_mapping() else {
        return false;
    };
    map.get("enum") == Some(&Value::Sequence(vec![Value::Null]))
        && map.iter().all(|(key, _)| {
            key.as_str().is_some_and(|key| {
                key == "enum" || key.starts_with("x-") || ANNOTATIONS.contains(&key)
            })
        })
}

/// Removes the `null` members of `oneOf` and `anyOf` (their members are
/// already normalised), making the union nullable.
pub(super) fn null_members(map: &mut Mapping) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_schema(member));
        let left = members.len();
        if left == before {
            continue;
        }
        map.insert("nullable".into(), true.into());
        match left {
            0 => {
                map.shift_remove(key);
                make_null(map);
            }
            1 => collapse(map, key),
            _ => {}
        }
    }
}

/// Replaces a one-member union `map[key]` by its member.
fn collapse(map: &mut Mapping, key: &str) {
    let Some(Value::Sequence(mut members)) = map.shift_remove(key) else {
        return;
    };
    let Some(member) = members.pop() else {
        return;
    };
    if let Value::Mapping(fields) = &member {
        let mergeable = !fields.contains_key("$ref")
            && fields.iter().all(|(field, value)| {
                map.get(field).is_none_or(|existing| existing == value)
                    || field.as_str() == Some("nullable")
            });
        if mergeable {
            for (field, value) in fields {
                if field.as_str() != Some("nullable") {
                    map.insert(field.clone(), value.clone());
                }
            }
            return;
        }
    }
    match map.get_mut("allOf") {
        Some(Value::Sequence(all_of)) => all_of.push(member),
        _ => {
            map.insert("allOf".into(), Value::Sequence(vec![member]));
        }
    }
}
