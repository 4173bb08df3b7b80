//! Flattening: one schema object without `$ref`, `allOf`, `oneOf` or
//! `anyOf`, ready to be generated from.
//!
//! A pure `$ref` is followed (the result is the target's node, one level
//! deeper); `allOf` members are merged into the schema beside them, and so
//! is the chosen `oneOf`/`anyOf` branch (the null-only branches are skipped
//! unless alone). Merging keeps the tightest bounds, the union of
//! `properties` (a property two members type becomes their `allOf`) and of
//! `required`, and the intersection of `type` and `enum`.

use super::invalid::wrong_type;
use super::{Generator, SynthError};
use serde_json::{Map, Number, Value};

/// Guards against `$ref`/`allOf` cycles that never reach a type.
const MAX_FLATTEN: u32 = 64;

/// A schema flattened to one object.
#[derive(Debug, Clone)]
pub(super) struct Flat {
    pub map: Map<String, Value>,
    /// The document pointer of the node the schema came from (the target
    /// of a pure `$ref`, else the node itself).
    pub pointer: String,
    /// How many `$ref`s were followed on the way.
    pub refs: u32,
}

impl Generator<'_> {
    /// `schema`, at `pointer`, flattened.
    pub(super) fn flatten(&self, schema: &Value, pointer: &str) -> Result<Flat, SynthError> {
        self.flatten_at(schema, pointer, 0)
    }

    fn flatten_at(&self, schema: &Value, pointer: &str, level: u32) -> Result<Flat, SynthError> {
        if level > MAX_FLATTEN {
            return Err(SynthError::new(
                pointer,
                "`$ref`/`allOf` cycle that never reaches a type",
            ));
        }
        let map = match schema {
            Value::Bool(true) => {
                return Ok(Flat {
                    map: Map::new(),
                    pointer: pointer.to_owned(),
                    refs: 0,
                });
            }
            Value::Bool(false) => return Err(SynthError::new(pointer, "the schema `false`")),
            Value::Object(map) => map,
            other => return Err(SynthError::new(pointer, format!("not a schema: {other}"))),
        };
        let combined = ["$ref", "allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| map.contains_key(*k));
        if !combined {
            return Ok(Flat {
                map: map.clone(),
                pointer: pointer.to_owned(),
                refs: 0,
            });
        }
        if let (Some(Value::String(reference)), 1) = (map.get("$ref"), map.len()) {
            let (target, target_pointer) = self.resolve(reference, pointer)?;
            let mut flat = self.flatten_at(target, &target_pointer, level + 1)?;
            flat.refs += 1;
            return Ok(flat);
        }
        let mut merged: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "$ref" | "allOf" | "oneOf" | "anyOf"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut refs = 0;
        let mut absorb = |merged: &mut Map<String, Value>, member: &Value, at: &str| {
            let flat = self.flatten_at(member, at, level + 1)?;
            refs = refs.max(flat.refs);
            merge_into(merged, &flat.map);
            Ok::<Flat, SynthError>(flat)
        };
        if let Some(Value::String(reference)) = map.get("$ref") {
            let reference_schema = Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String(reference.clone()),
            )]));
            absorb(&mut merged, &reference_schema, pointer)?;
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            for (index, member) in members.iter().enumerate() {
                absorb(&mut merged, member, &format!("{pointer}/allOf/{index}"))?;
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = map.get(keyword) else {
                continue;
            };
            let Some(index) = self.choose_branch(members) else {
                return Err(SynthError::new(
                    &format!("{pointer}/{keyword}"),
                    format!("an empty `{keyword}`"),
                ));
            };
            let at = format!("{pointer}/{keyword}/{index}");
            let chosen = absorb(&mut merged, &members[index], &at)?;
            if keyword == "oneOf" && self.decoys {
                self.add_decoys(&mut merged, &chosen.map, members, index, pointer, level);
            }
        }
        Ok(Flat {
            map: merged,
            pointer: pointer.to_owned(),
            refs,
        })
    }

    /// Makes the other branches of a `oneOf` refuse the value: for each,
    /// one property it declares and the chosen branch does not, set to a
    /// value of a type that branch refuses (objects whose branches differ
    /// only by optional properties otherwise match several).
    fn add_decoys(
        &self,
        merged: &mut Map<String, Value>,
        chosen: &Map<String, Value>,
        members: &[Value],
        index: usize,
        pointer: &str,
        level: u32,
    ) {
        let open = |map: &Map<String, Value>| {
            map.get("additionalProperties")
                .is_none_or(|a| a == &Value::Bool(true))
        };
        if !open(chosen) || !open(merged) {
            return;
        }
        let declared = |map: &Map<String, Value>, name: &str| {
            map.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.contains_key(name))
        };
        for (other, member) in members.iter().enumerate() {
            if other == index || is_null_only(member) {
                continue;
            }
            let at = format!("{pointer}/oneOf/{other}");
            let Ok(flat) = self.flatten_at(member, &at, level + 1) else {
                continue;
            };
            let Some(properties) = flat.map.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let decoy = properties.iter().find_map(|(name, schema)| {
                if declared(chosen, name) || declared(merged, name) {
                    return None;
                }
                let (value, _) = wrong_type(self, schema, "")?;
                Some((name.clone(), value))
            });
            let Some((name, value)) = decoy else { continue };
            let schema = Value::Object(Map::from_iter([("const".to_owned(), value)]));
            let mut decoy_map = Map::new();
            decoy_map.insert(
                "properties".to_owned(),
                Value::Object(Map::from_iter([(name.clone(), schema)])),
            );
            decoy_map.insert(
                "required".to_owned(),
                Value::Array(vec![Value::String(name)]),
            );
            merge_into(merged, &decoy_map);
        }
    }

    /// The branch of a `oneOf`/`anyOf` this candidate takes: by rotation
    /// among the branches that are not only `null`, else the first.
    fn choose_branch(&self, members: &[Value]) -> Option<usize> {
        let candidates: Vec<usize> = (0..members.len())
            .filter(|&i| !is_null_only(&members[i]))
            .collect();
        if candidates.is_empty() {
            return (!members.is_empty()).then_some(0);
        }
        let rotation = usize::try_from(self.rotation % candidates.len() as u64).unwrap_or(0);
        candidates.get(rotation).copied()
    }
}

impl<'d> Generator<'d> {
    /// The target of a local reference and its pointer (`#/$defs/X`).
    pub(super) fn resolve(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<(&'d Value, String), SynthError> {
        let pointer = reference.strip_prefix('#').ok_or_else(|| {
            SynthError::new(
                at,
                format!("only local references are followed: {reference}"),
            )
        })?;
        let target = self
            .document
            .pointer(pointer)
            .ok_or_else(|| SynthError::new(at, format!("dangling reference {reference}")))?;
        Ok((target, format!("#{pointer}")))
    }
}

/// Whether a schema only allows `null` (`{"type": "null"}` and the like).
pub(super) fn is_null_only(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(ty)) => ty == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => schema.get("enum") == Some(&Value::Array(vec![Value::Null])),
    }
}

/// Merges `member` into `acc` (both flattened) as `allOf` would.
pub(super) fn merge_into(acc: &mut Map<String, Value>, member: &Map<String, Value>) {
    for (key, value) in member {
        let Some(existing) = acc.get(key) else {
            acc.insert(key.clone(), value.clone());
            continue;
        };
        if existing == value {
            continue;
        }
        let merged = match key.as_str() {
            "type" => merge_types(existing, value),
            "properties" => merge_properties(existing, value),
            "required" => union(existing, value),
            "enum" => intersect(existing, value),
            "minimum" | "exclusiveMinimum" | "minLength" | "minItems" | "minProperties" => {
                tighter(existing, value, true)
            }
            "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" | "maxProperties" => {
                tighter(existing, value, false)
            }
            "uniqueItems" => {
                Value::Bool(existing == &Value::Bool(true) || value == &Value::Bool(true))
            }
            "items" | "additionalProperties" => both(existing, value),
            // format, pattern, multipleOf, const, …: the first member's; the
            // validator loop catches what is left unsatisfied.
            _ => existing.clone(),
        };
        acc.insert(key.clone(), merged);
    }
}

fn types_of(value: &Value) -> Vec<&str> {
    match value {
        Value::String(ty) => vec![ty.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn merge_types(existing: &Value, value: &Value) -> Value {
    let (left, right) = (types_of(existing), types_of(value));
    let mut kept = Vec::new();
    for ty in &left {
        let found = if right.contains(ty) {
            Some(*ty)
        } else if (*ty == "number" && right.contains(&"integer"))
            || (*ty == "integer" && right.contains(&"number"))
        {
            Some("integer")
        } else {
            None
        };
        if let Some(found) = found {
            if !kept.contains(&found) {
                kept.push(found);
            }
        }
    }
    match kept.as_slice() {
        // Contradictory types: the later member's, for the validator to judge.
        [] => value.clone(),
        [one] => Value::String((*one).to_owned()),
        many => Value::Array(
            many.iter()
                .map(|t| Value::String((*t).to_owned()))
                .collect(),
        ),
    }
}

fn merge_properties(existing: &Value, value: &Value) -> Value {
    let (Value::Object(left), Value::Object(right)) = (existing, value) else {
        return existing.clone();
    };
    let mut merged = left.clone();
    for (name, schema) in right {
        let combined = match merged.get(name) {
            None => schema.clone(),
            Some(old) => both(old, schema),
        };
        merged.insert(name.clone(), combined);
    }
    Value::Object(merged)
}

/// Two schemas that must both hold: `false` wins, `true` gives way.
fn both(left: &Value, right: &Value) -> Value {
    match (left, right) {
        (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
        (Value::Bool(true), other) | (other, Value::Bool(true)) => other.clone(),
        _ if left == right => left.clone(),
        _ => Value::Object(Map::from_iter([(
            "allOf".to_owned(),
            Value::Array(vec![left.clone(), right.clone()]),
        )])),
    }
}

fn union(existing: &Value, value: &Value) -> Value {
    let mut merged = existing.as_array().cloned().unwrap_or_default();
    for item in value.as_array().into_iter().flatten() {
        if !merged.contains(item) {
            merged.push(item.clone());
        }
    }
    Value::Array(merged)
}

fn intersect(existing: &Value, value: &Value) -> Value {
    let (Value::Array(left), Value::Array(right)) = (existing, value) else {
        return existing.clone();
    };
    Value::Array(left.iter().filter(|v| right.contains(v)).cloned().collect())
}

/// The tighter of two numeric bounds (the larger lower bound, the smaller
/// upper one).
fn tighter(existing: &Value, value: &Value, lower: bool) -> Value {
    let (Some(left), Some(right)) = (existing.as_f64(), value.as_f64()) else {
        return existing.clone();
    };
    let keep_left = if lower { left >= right } else { left <= right };
    let chosen = if keep_left { existing } else { value };
    match chosen {
        Value::Number(n) => Value::Number(Number::clone(n)),
        other => other.clone(),
    }
}
