//! Reading the shape of a converted JSON Schema document: the properties
//! of an object (through `$ref`, `allOf` and nullable wrappers), and
//! whether a schema is an array.
//!
//! The documents are those of [`crate::ContractValidator::json_schema`]: a
//! root schema with the components under `$defs`.

use serde_json::Value;

/// How many `$ref`s are followed before giving up (a cycle).
const MAX_REFS: usize = 32;

/// `schema` (or any node: a response, a link, a header) with its `$ref`s
/// followed into `document`.
pub(crate) fn resolve<'a>(document: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..MAX_REFS {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        else {
            return schema;
        };
        schema = target;
    }
    schema
}

/// The schemas a value must satisfy all of: `schema` itself, its `allOf`
/// members (recursively), and the non-null branch of a nullable wrapper
/// (`anyOf: [S, {type: null}]`) or of a union with one member that is
/// not null. A union of several shapes contributes its first member.
fn parts<'a>(document: &'a Value, schema: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > MAX_REFS {
        return;
    }
    let schema = resolve(document, schema);
    out.push(schema);
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for member in members {
            parts(document, member, out, depth + 1);
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get(keyword) {
            let first = members.iter().find(|member| !is_null(document, member));
            if let Some(member) = first {
                parts(document, member, out, depth + 1);
            }
        }
    }
}

fn is_null(document: &Value, schema: &Value) -> bool {
    resolve(document, schema)
        .get("type")
        .and_then(Value::as_str)
        == Some("null")
}

/// The properties of the object `schema` describes, in the order written
/// (the first definition of a name wins), with each property's schema.
pub(crate) fn properties<'a>(document: &'a Value, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut all = Vec::new();
    parts(document, schema, &mut all, 0);
    let mut found: Vec<(&str, &Value)> = Vec::new();
    for part in all {
        if let Some(Value::Object(props)) = part.get("properties") {
            for (name, property) in props {
                // `false`: read- or write-only in this direction.
                if property == &Value::Bool(false) {
                    continue;
                }
                if !found.iter().any(|(seen, _)| seen == name) {
                    found.push((name, property));
                }
            }
        }
    }
    found
}

/// The item schema when `schema` describes an array.
pub(crate) fn array_items<'a>(document: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut all = Vec::new();
    parts(document, schema, &mut all, 0);
    all.into_iter().find_map(|part| {
        let typed_array = match part.get("type") {
            Some(Value::String(ty)) => ty == "array",
            Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
            _ => false,
        };
        match part.get("items") {
            Some(items) => Some(items),
            None if typed_array => Some(&Value::Bool(true)),
            None => None,
        }
    })
}

/// Whether `schema` describes an object (has properties or says so).
pub(crate) fn is_object(document: &Value, schema: &Value) -> bool {
    let mut all = Vec::new();
    parts(document, schema, &mut all, 0);
    all.into_iter().any(|part| {
        part.get("properties").is_some()
            || match part.get("type") {
                Some(Value::String(ty)) => ty == "object",
                Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
                _ => false,
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_are_read_through_refs_all_of_and_nullable_wrappers() {
        let document = json!({
            "anyOf": [{"$ref": "#/$defs/Item"}, {"type": "null"}],
            "$defs": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}, "secret": false}},
                "Item": {"allOf": [{"$ref": "#/$defs/Base"}, {"properties": {"name": {"type": "string"}}}]}
            }
        });
        let names: Vec<&str> = properties(&document, &document)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["id", "name"]);
        assert!(is_object(&document, &document));
        assert!(array_items(&document, &document).is_none());
    }

    #[test]
    fn arrays_are_found_through_refs() {
        let document = json!({
            "$ref": "#/$defs/List",
            "$defs": {"List": {"type": "array", "items": {"type": "integer"}}}
        });
        assert_eq!(
            array_items(&document, &document),
            Some(&json!({"type": "integer"}))
        );
    }

    #[test]
    fn a_reference_cycle_ends() {
        let document = json!({"$ref": "#/$defs/A", "$defs": {"A": {"$ref": "#/$defs/A"}}});
        assert!(properties(&document, &document).is_empty());
    }
}
