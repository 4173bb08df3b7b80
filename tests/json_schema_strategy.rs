//! A proptest strategy for the instances of a JSON Schema document, as the
//! contract validator converts the spec's schemas
//! (`ContractValidator::json_schema`): a root schema with its components
//! under `$defs`.
//!
//! It covers the keywords that conversion writes: `type` (one or a list,
//! for `nullable`), `enum`, `format` (`uuid`, `email`, `date-time`, `date`),
//! numeric bounds (inclusive and exclusive), string lengths and `pattern`,
//! array `items` and sizes, object `properties` (a `false` property, read-
//! or write-only in this direction, is never generated), `required`,
//! `additionalProperties` (free-form objects get a few extra members;
//! objects with properties get none), `allOf` of objects (merged),
//! `oneOf`/`anyOf` (one alternative), and `$ref` into `$defs` (bounded
//! depth, so recursive schemas end). Values shrink with proptest's usual
//! combinators: optional members disappear, numbers move towards a bound,
//! strings and arrays get shorter.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Map, Value, json};

/// How deep `$ref`s are followed before optional members and array items
/// stop being generated.
const MAX_DEPTH: u32 = 4;

/// The strategy for instances of `document`.
pub fn instances(document: &Value) -> Result<BoxedStrategy<Value>, String> {
    Builder { root: document }.build(document, 0)
}

struct Builder<'a> {
    root: &'a Value,
}

impl Builder<'_> {
    fn build(&self, schema: &Value, depth: u32) -> Result<BoxedStrategy<Value>, String> {
        let map = match schema {
            Value::Bool(true) => return Ok(any_json()),
            Value::Bool(false) => return Err("a `false` schema has no instances".to_owned()),
            Value::Object(map) => map,
            other => return Err(format!("not a schema: {other}")),
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(reference)?;
            return self.build(target, depth + 1);
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if values.is_empty() {
                return Err("an empty `enum` has no instances".to_owned());
            }
            return Ok(proptest::sample::select(values.clone()).boxed());
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = map.get(keyword) {
                let branches = members
                    .iter()
                    .map(|member| self.build(member, depth))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Union::new(branches).boxed());
            }
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            let merged = self.merge_all_of(map, members)?;
            return self.build(&merged, depth);
        }
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(ty)) => vec![ty.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ if map.contains_key("properties") || map.contains_key("additionalProperties") => {
                vec!["object"]
            }
            _ if map.contains_key("items") => vec!["array"],
            _ => return Ok(any_json()),
        };
        let branches = types
            .into_iter()
            .map(|ty| self.typed(ty, map, depth))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Union::new(branches).boxed())
    }

    fn resolve(&self, reference: &str) -> Result<&Value, String> {
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| format!("only local references are followed: {reference}"))?;
        self.root
            .pointer(pointer)
            .ok_or_else(|| format!("dangling reference {reference}"))
    }

    /// One object schema out of an `allOf` of object schemas.
    fn merge_all_of(&self, outer: &Map<String, Value>, members: &[Value]) -> Result<Value, String> {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut merged = outer.clone();
        merged.remove("allOf");
        for member in members {
            let mut member = member;
            while let Some(reference) = member.get("$ref").and_then(Value::as_str) {
                member = self.resolve(reference)?;
            }
            if let Some(Value::Object(props)) = member.get("properties") {
                properties.extend(props.clone());
            }
            if let Some(Value::Array(names)) = member.get("required") {
                required.extend(names.iter().cloned());
            }
        }
        merged.insert("type".into(), json!("object"));
        merged.insert("properties".into(), Value::Object(properties));
        merged.insert("required".into(), Value::Array(required));
        Ok(Value::Object(merged))
    }

    fn typed(
        &self,
        ty: &str,
        map: &Map<String, Value>,
        depth: u32,
    ) -> Result<BoxedStrategy<Value>, String> {
        Ok(match ty {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "integer" => integers(map)?,
            "number" => numbers(map),
            "string" => strings(map)?,
            "array" => {
                let items = match map.get("items") {
                    Some(items) => self.build(items, depth)?,
                    None => any_json(),
                };
                let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = map
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(min + 3, |m| m as usize);
                let max = if depth >= MAX_DEPTH {
                    min
                } else {
                    max.min(min + 3)
                };
                proptest::collection::vec(items, min..=max)
                    .prop_map(Value::Array)
                    .boxed()
            }
            "object" => self.object(map, depth)?,
            other => return Err(format!("unknown type `{other}`")),
        })
    }

    fn object(&self, map: &Map<String, Value>, depth: u32) -> Result<BoxedStrategy<Value>, String> {
        let required: Vec<&str> = match map.get("required") {
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let empty = Map::new();
        let properties = match map.get("properties") {
            Some(Value::Object(properties)) => properties,
            _ => &empty,
        };
        let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, schema) in properties {
            if schema == &Value::Bool(false) {
                continue;
            }
            let value = self.build(schema, depth)?;
            let name = name.clone();
            if required.contains(&name.as_str()) {
                members.push(value.prop_map(move |v| Some((name.clone(), v))).boxed());
            } else if depth < MAX_DEPTH {
                members
                    .push(proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed());
            }
        }
        let free_form = properties.is_empty()
            && !matches!(map.get("additionalProperties"), Some(Value::Bool(false)));
        let extras = if free_form && depth < MAX_DEPTH {
            let value = match map.get("additionalProperties") {
                Some(schema @ Value::Object(_)) => self.build(schema, depth + 1)?,
                _ => scalar_json(),
            };
            proptest::collection::btree_map("[a-z][a-z0-9_]{0,7}", value, 0..3).boxed()
        } else {
            Just(Default::default()).boxed()
        };
        Ok((members, extras)
            .prop_map(|(members, extras)| {
                let mut object: Map<String, Value> = extras.into_iter().collect();
                object.extend(members.into_iter().flatten());
                Value::Object(object)
            })
            .boxed())
    }
}

fn integers(map: &Map<String, Value>) -> Result<BoxedStrategy<Value>, String> {
    let bound = |key: &str| map.get(key).and_then(Value::as_f64);
    let mut low = i64::MIN;
    let mut high = i64::MAX;
    if let Some(min) = bound("minimum") {
        low = low.max(min.ceil() as i64);
    }
    if let Some(min) = bound("exclusiveMinimum") {
        low = low.max(min.floor() as i64 + 1);
    }
    if let Some(max) = bound("maximum") {
        high = high.min(max.floor() as i64);
    }
    if let Some(max) = bound("exclusiveMaximum") {
        high = high.min(max.ceil() as i64 - 1);
    }
    if low > high {
        return Err(format!("no integer between {low} and {high}"));
    }
    // The bounds themselves are the interesting values; the rest anywhere.
    Ok(prop_oneof![
        1 => Just(low),
        1 => Just(high),
        6 => low..=high,
    ]
    .prop_map(|n| json!(n))
    .boxed())
}

fn numbers(map: &Map<String, Value>) -> BoxedStrategy<Value> {
    let bound = |key: &str| map.get(key).and_then(Value::as_f64);
    let low = bound("minimum")
        .or(bound("exclusiveMinimum").map(|m| m + 1.0))
        .unwrap_or(-1e9);
    let high = bound("maximum")
        .or(bound("exclusiveMaximum").map(|m| m - 1.0))
        .unwrap_or(1e9);
    (low..=high.max(low)).prop_map(|n| json!(n)).boxed()
}

fn strings(map: &Map<String, Value>) -> Result<BoxedStrategy<Value>, String> {
    let regex = |pattern: &str| {
        proptest::string::string_regex(pattern)
            .map(|s| s.prop_map(Value::String).boxed())
            .map_err(|err| format!("pattern {pattern}: {err}"))
    };
    match map.get("format").and_then(Value::as_str) {
        Some("uuid") => {
            return regex(
                "[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
            );
        }
        Some("email") => {
            return regex("[a-z0-9]{1,10}(\\.[a-z0-9]{1,5})?@[a-z]{1,10}\\.(com|org|net)");
        }
        Some("date-time") => return Ok(date_times()),
        Some("date") => return Ok(dates().prop_map(Value::String).boxed()),
        _ => {}
    }
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
        return regex(pattern);
    }
    let min = map.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = map
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(min + 16)
        .min(min + 16);
    // Any characters but controls, so quoting and Unicode are exercised.
    regex(&format!("\\PC{{{min},{max}}}"))
}

fn dates() -> impl Strategy<Value = String> {
    (1970u32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn date_times() -> BoxedStrategy<Value> {
    let offset = prop_oneof![
        Just("Z".to_owned()),
        (0u32..=14, prop_oneof![Just(0u32), Just(30)], any::<bool>())
            .prop_map(|(h, m, east)| format!("{}{h:02}:{m:02}", if east { '+' } else { '-' })),
    ];
    let fraction = proptest::option::of(0u32..1000)
        .prop_map(|f| f.map(|f| format!(".{f:03}")).unwrap_or_default());
    (dates(), 0u32..24, 0u32..60, 0u32..60, fraction, offset)
        .prop_map(|(date, h, m, s, fraction, offset)| {
            Value::String(format!("{date}T{h:02}:{m:02}:{s:02}{fraction}{offset}"))
        })
        .boxed()
}

/// A scalar JSON value.
fn scalar_json() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "\\PC{0,8}".prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON value, small.
fn any_json() -> BoxedStrategy<Value> {
    scalar_json()
        .prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}
