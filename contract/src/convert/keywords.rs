//! One schema object's keywords, converted: the rows of the table in
//! [`super`]'s documentation, one method per concern.
//!
//! [`Converter::convert_object`] writes the keywords in a fixed order
//! (type and enum, format and bounds, the plain keywords, items,
//! properties, required, additionalProperties, combinators) and records the
//! object's [`Node`]; subschemas go back through [`Converter::convert`].

use super::node_map::{Forbidden, Node, node};
use super::{Converted, Converter, Direction};
use generator::pointer::join;
use generator::{Error, Result};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Keywords copied as they are: 3.0 and 2020-12 agree on them.
pub(super) const PLAIN_KEYWORDS: [&str; 9] = [
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

impl<'s> Converter<'s> {
    /// Converts a schema object that is not a `$ref` (nor the `anyOf`
    /// wrapper [`Converter::convert`] writes for a nullable schema without
    /// `type`), placed at `out` in the converted unit.
    pub(super) fn convert_object(
        &self,
        map: &'s Map<String, Value>,
        at: &str,
        out: &str,
        direction: Direction,
        unit: &mut Converted,
    ) -> Result<Value> {
        let mut object = ObjectConversion {
            converter: self,
            map,
            at,
            out,
            direction,
            unit,
            result: Map::new(),
            record: node(at),
        };
        let ty = object.type_and_enum()?;
        object.format_and_bounds(ty)?;
        object.plain_keywords();
        object.items()?;
        let forbidden_names = object.properties()?;
        object.required(&forbidden_names)?;
        object.additional_properties()?;
        object.combinators()?;
        let ObjectConversion {
            unit,
            result,
            record,
            ..
        } = object;
        unit.nodes.insert(out.to_owned(), record);
        Ok(Value::Object(result))
    }
}

/// One schema object being converted: what it reads (the spec's object at
/// `at`) and what it writes (`result`, placed at `out`, and its node).
struct ObjectConversion<'c, 's> {
    converter: &'c Converter<'s>,
    map: &'s Map<String, Value>,
    at: &'c str,
    out: &'c str,
    direction: Direction,
    unit: &'c mut Converted,
    result: Map<String, Value>,
    record: Node,
}

impl<'s> ObjectConversion<'_, 's> {
    /// Converts the subschema at `path` below both the spec pointer and the
    /// converted pointer.
    fn child(&mut self, schema: &'s Value, path: &[&str]) -> Result<Value> {
        let (at, out) = (join(self.at, path), join(self.out, path));
        self.converter
            .convert(schema, &at, &out, self.direction, self.unit)
    }

    /// An error at the object's keyword `keyword`.
    fn invalid(&self, keyword: &str, message: impl Into<String>) -> Error {
        Error::invalid(&join(self.at, &[keyword]), message)
    }

    /// `type` (3.0 allows a single string only) and `enum`, with `"null"`
    /// (and `null`) added when `nullable`. Returns the type.
    fn type_and_enum(&mut self) -> Result<Option<&'s str>> {
        let nullable = self.map.get("nullable") == Some(&Value::Bool(true));
        let ty = match self.map.get("type") {
            None => None,
            Some(Value::String(ty)) => Some(ty.as_str()),
            Some(_) => {
                return Err(Error::unsupported(
                    &join(self.at, &["type"]),
                    "`type` must be a single string in OpenAPI 3.0 (use `nullable` for null)",
                ));
            }
        };
        if let Some(ty) = ty {
            let written = if nullable {
                json!([ty, "null"])
            } else {
                json!(ty)
            };
            self.result.insert("type".into(), written);
        }
        if let Some(values) = self.map.get("enum") {
            let Value::Array(values) = values else {
                return Err(self.invalid("enum", "`enum` must be an array"));
            };
            let mut values = values.clone();
            if nullable && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            self.result.insert("enum".into(), Value::Array(values));
        }
        Ok(ty)
    }

    /// `format` (kept on strings; an integer width becomes bounds) and the
    /// bounds; also marks the node sensitive by its schema's markers.
    fn format_and_bounds(&mut self, ty: Option<&str>) -> Result<()> {
        let format = self.map.get("format").and_then(Value::as_str);
        self.record.sensitive = generator::is_sensitive(format, self.map.get("x-sensitive"));
        let integer_range = match (ty, format) {
            (Some("integer"), Some("int32")) => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            (Some("integer"), Some("int64")) => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        if let Some(format) = format {
            // Number formats (`float`, `double`) and the integer widths
            // handled by the bounds are not string formats.
            if matches!(ty, None | Some("string")) {
                self.result.insert("format".into(), json!(format));
            }
        }
        self.bounds(integer_range)
    }

    /// `minimum`/`maximum` with 3.0's boolean exclusivity, tightened to an
    /// integer format's range.
    fn bounds(&mut self, integer_range: Option<(i64, i64)>) -> Result<()> {
        let sides = [
            (
                "minimum",
                "exclusiveMinimum",
                integer_range.map(|r| r.0),
                true,
            ),
            (
                "maximum",
                "exclusiveMaximum",
                integer_range.map(|r| r.1),
                false,
            ),
        ];
        let map = self.map;
        for (inclusive, exclusive, format_bound, is_lower) in sides {
            let bound = map.get(inclusive);
            if bound.is_some_and(|b| !b.is_number()) {
                return Err(self.invalid(inclusive, format!("`{inclusive}` must be a number")));
            }
            let spec_bound = bound.and_then(Value::as_f64);
            match map.get(exclusive) {
                Some(Value::Bool(true)) => {
                    if let Some(bound) = bound {
                        self.result.insert(exclusive.into(), bound.clone());
                    }
                }
                // A 2020-12 style number is taken as meant.
                Some(Value::Number(n)) => {
                    self.result
                        .insert(exclusive.into(), Value::Number(n.clone()));
                    if let Some(bound) = bound {
                        self.result.insert(inclusive.into(), bound.clone());
                    }
                }
                _ => {
                    if let Some(bound) = bound {
                        self.result.insert(inclusive.into(), bound.clone());
                    }
                }
            }
            if let Some(format_bound) = format_bound {
                // The spec's own bound wins where it is at least as tight.
                let tighter = match spec_bound {
                    None => false,
                    Some(b) if is_lower => b >= format_bound as f64,
                    Some(b) => b <= format_bound as f64,
                };
                if !tighter {
                    self.result.insert(inclusive.into(), json!(format_bound));
                    self.record.synthesized.push((inclusive, "format"));
                }
            }
        }
        Ok(())
    }

    /// The keywords 3.0 and 2020-12 agree on, copied.
    fn plain_keywords(&mut self) {
        for keyword in PLAIN_KEYWORDS {
            if let Some(value) = self.map.get(keyword) {
                self.result.insert(keyword.into(), value.clone());
            }
        }
    }

    /// `items`, converted.
    fn items(&mut self) -> Result<()> {
        if let Some(items) = self.map.get("items") {
            let converted = self.child(items, &["items"])?;
            self.result.insert("items".into(), converted);
        }
        Ok(())
    }

    /// `properties`, each converted, except that a property forbidden in
    /// the direction (`readOnly` in a request, `writeOnly` in a response)
    /// becomes `false`. Returns the names of the forbidden ones, which
    /// leave `required`.
    fn properties(&mut self) -> Result<BTreeSet<&'s str>> {
        let mut forbidden_names = BTreeSet::new();
        let Some(properties) = self.map.get("properties") else {
            return Ok(forbidden_names);
        };
        let Value::Object(properties) = properties else {
            return Err(self.invalid("properties", "`properties` must be an object"));
        };
        let mut converted = Map::new();
        for (name, property) in properties {
            let property_at = join(self.at, &["properties", name]);
            let target = self.converter.resolve(property, &property_at)?;
            let value = match forbidden_in(target, self.direction) {
                Some(forbidden) => {
                    let mut dropped = node(&property_at);
                    dropped.forbidden = Some(forbidden);
                    let property_out = join(self.out, &["properties", name]);
                    self.unit.nodes.insert(property_out, dropped);
                    forbidden_names.insert(name.as_str());
                    Value::Bool(false)
                }
                None => self.child(property, &["properties", name])?,
            };
            converted.insert(name.clone(), value);
        }
        self.result
            .insert("properties".into(), Value::Object(converted));
        Ok(forbidden_names)
    }

    /// `required`, without the properties that became `false`.
    fn required(&mut self, forbidden_names: &BTreeSet<&str>) -> Result<()> {
        let Some(required) = self.map.get("required") else {
            return Ok(());
        };
        let Value::Array(required) = required else {
            return Err(self.invalid("required", "`required` must be an array"));
        };
        let kept: Vec<Value> = required
            .iter()
            .filter(|name| !name.as_str().is_some_and(|n| forbidden_names.contains(n)))
            .cloned()
            .collect();
        if !kept.is_empty() {
            self.result.insert("required".into(), Value::Array(kept));
        }
        Ok(())
    }

    /// `additionalProperties`: a boolean as it is, a schema converted.
    fn additional_properties(&mut self) -> Result<()> {
        const KEYWORD: &str = "additionalProperties";
        let converted = match self.map.get(KEYWORD) {
            None => return Ok(()),
            Some(Value::Bool(allowed)) => Value::Bool(*allowed),
            Some(schema) => self.child(schema, &[KEYWORD])?,
        };
        self.result.insert(KEYWORD.into(), converted);
        Ok(())
    }

    /// `allOf`, `oneOf`, `anyOf` (each member converted) and `not`.
    fn combinators(&mut self) -> Result<()> {
        for keyword in ["allOf", "oneOf", "anyOf"] {
            let Some(members) = self.map.get(keyword) else {
                continue;
            };
            let Value::Array(members) = members else {
                return Err(self.invalid(keyword, format!("`{keyword}` must be an array")));
            };
            let mut converted = Vec::with_capacity(members.len());
            for (index, member) in members.iter().enumerate() {
                converted.push(self.child(member, &[keyword, &index.to_string()])?);
            }
            self.result.insert(keyword.into(), Value::Array(converted));
        }
        if let Some(not) = self.map.get("not") {
            let converted = self.child(not, &["not"])?;
            self.result.insert("not".into(), converted);
        }
        Ok(())
    }
}

/// Whether the property whose (resolved) schema is `target` is forbidden
/// in `direction`, and why.
fn forbidden_in(target: &Value, direction: Direction) -> Option<Forbidden> {
    let flag = |key: &str| target.get(key) == Some(&Value::Bool(true));
    match direction {
        Direction::Request if flag("readOnly") => Some(Forbidden::ReadOnly),
        Direction::Response if flag("writeOnly") => Some(Forbidden::WriteOnly),
        _ => None,
    }
}
