//! OpenAPI 3.0 schema objects → JSON Schema 2020-12 documents.
//!
//! The spec is read as JSON (the `openapiv3` model serialized back, so the
//! layout and the pointers are those of the file). Each schema to check
//! becomes one document: the converted schema at its root and every
//! component it reaches, converted once per direction, under `$defs`
//! (`#/components/schemas/X` → `#/$defs/X`).
//!
//! What changes on the way (OpenAPI 3.0 semantics made explicit):
//!
//! | OpenAPI 3.0 | JSON Schema |
//! |---|---|
//! | `nullable: true` | `"null"` added to `type` (and to `enum`); without `type`, an `anyOf` with `{"type": "null"}` around a schema that has combinators |
//! | `readOnly` property, in a request | the property's schema becomes `false`, and it leaves `required` |
//! | `writeOnly` property, in a response | likewise |
//! | `format: int32` / `int64` on integers | `minimum`/`maximum` at the type's range (unless the spec's own bounds are tighter) |
//! | other `format`s on strings | kept; `uuid`, `email`, `date-time`, `date` are checked, unknown ones ignored |
//! | `exclusiveMinimum: true` beside `minimum` (3.0 booleans) | `exclusiveMinimum: <minimum>` (2020-12 numbers); likewise for maximum |
//! | `$ref` (siblings ignored, as 3.0 says) | `$ref` into `$defs` |
//! | annotations (`description`, `example`, `default`, `x-*`, …) | dropped |
//!
//! While converting, every schema object written is recorded with the spec
//! pointer it came from, so a validation error's schema location can be
//! mapped back into the spec file (see [`NodeMap::locate`]).

use super::Direction;
use generator::pointer::{escape_token, join};
use generator::{Error, Result};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Why a property's schema became `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Forbidden {
    /// `readOnly`, and the document checks a request.
    ReadOnly,
    /// `writeOnly`, and the document checks a response.
    WriteOnly,
}

/// What the converter knows about one schema object it wrote.
#[derive(Debug, Clone, Default)]
pub(super) struct Node {
    /// The spec pointer of the schema object it came from (shared with
    /// every violation that names it).
    pub spec: Arc<str>,
    /// Set when the object is a `false` standing for a forbidden property.
    pub forbidden: Option<Forbidden>,
    /// Keywords written for a spec keyword of another name
    /// (`maximum` written for `format: int32`): converted → spec keyword.
    pub synthesized: Vec<(&'static str, &'static str)>,
    /// Set on the `anyOf` written around a nullable schema without `type`.
    pub nullable_wrapper: bool,
    /// Set when the value is a secret by its schema's markers
    /// ([`generator::is_sensitive`]: `format: password` or
    /// `x-sensitive: true`, never a property's name): messages then never
    /// show the value.
    pub sensitive: bool,
}

/// Converted-document pointer → the node written there.
///
/// A hash map: its keys share long prefixes (`/$defs/X/properties/…`),
/// which make ordered lookups compare many bytes, and nothing iterates it
/// in an order that reaches any output.
#[derive(Debug, Clone, Default)]
pub(super) struct NodeMap {
    nodes: HashMap<String, Node>,
}

/// Where an error's schema location lands in the spec.
#[derive(Debug, Clone)]
pub(super) struct Located<'a> {
    /// The node holding the failing keyword.
    pub node: Option<&'a Node>,
    /// The spec pointer of the schema object holding the keyword.
    pub spec: Arc<str>,
    /// The keyword as the spec writes it.
    pub keyword: &'static str,
}

impl NodeMap {
    fn insert(&mut self, at: String, node: Node) {
        self.nodes.insert(at, node);
    }

    fn extend_under(&mut self, prefix: &str, other: &NodeMap) {
        for (at, node) in &other.nodes {
            self.nodes.insert(format!("{prefix}{at}"), node.clone());
        }
    }

    /// Maps a keyword location in the converted document (jsonschema's
    /// `schema_path`, e.g. `/$defs/Balance/properties/currency/type`) to
    /// the spec: the schema object and the keyword. A `false_schema` error's
    /// path is the schema itself, not one of its keywords.
    pub fn locate<'p>(&'p self, schema_path: &str, false_schema: bool) -> Located<'p> {
        // A `false` schema fails as a whole: its path is the node itself.
        if let Some(node) = self.nodes.get(schema_path).filter(|_| false_schema) {
            if let Some(forbidden) = node.forbidden {
                let keyword = match forbidden {
                    Forbidden::ReadOnly => "readOnly",
                    Forbidden::WriteOnly => "writeOnly",
                };
                return Located {
                    node: Some(node),
                    spec: Arc::clone(&node.spec),
                    keyword,
                };
            }
        }
        let (parent, keyword) = schema_path.rsplit_once('/').unwrap_or(("", schema_path));
        let mut probe = parent;
        loop {
            if let Some(node) = self.nodes.get(probe) {
                let rest = &parent[probe.len()..];
                let keyword = node
                    .synthesized
                    .iter()
                    .find(|(written, _)| *written == keyword)
                    .map_or_else(|| static_keyword(keyword), |(_, spec)| *spec);
                let spec = if rest.is_empty() {
                    Arc::clone(&node.spec)
                } else {
                    Arc::from(format!("{}{rest}", node.spec))
                };
                return Located {
                    node: Some(node),
                    spec,
                    keyword,
                };
            }
            match probe.rsplit_once('/') {
                Some((up, _)) => probe = up,
                None => {
                    return Located {
                        node: None,
                        spec: Arc::from(format!("#{parent}")),
                        keyword: static_keyword(keyword),
                    };
                }
            }
        }
    }
}

/// One schema converted on its own: the JSON Schema, its nodes (relative
/// to its root) and the components it refers to.
#[derive(Debug, Clone)]
struct Converted {
    schema: Value,
    nodes: NodeMap,
    refs: BTreeSet<String>,
}

/// A compiled-to-be JSON Schema document and its map back to the spec.
#[derive(Debug, Clone)]
pub(super) struct Document {
    /// The JSON Schema (root schema plus `$defs`).
    pub schema: Value,
    /// Converted pointer → spec pointer.
    pub nodes: NodeMap,
}

/// Converts schemas of one spec, caching each component per direction.
pub(super) struct Converter<'s> {
    spec: &'s Value,
    components: BTreeMap<(String, Direction), Converted>,
}

const COMPONENTS: &str = "#/components/schemas/";

/// The component name of a pointer that is exactly a component schema.
pub(super) fn component_of(pointer: &str) -> Option<String> {
    let name = pointer.strip_prefix(COMPONENTS)?;
    (!name.is_empty() && !name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

impl<'s> Converter<'s> {
    /// A converter over the spec document (as JSON).
    pub fn new(spec: &'s Value) -> Self {
        Self {
            spec,
            components: BTreeMap::new(),
        }
    }

    /// The value at a spec pointer (`#/…`).
    pub fn at(&self, pointer: &str) -> Option<&'s Value> {
        self.spec
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }

    /// The JSON Schema document for the schema at `pointer`, checked in
    /// `direction`.
    pub fn document(&mut self, pointer: &str, direction: Direction) -> Result<Document> {
        let root = match component_of(pointer) {
            // A component is converted once, into `$defs`, and the root
            // refers to it.
            Some(name) => {
                self.check_component(&name, pointer)?;
                let mut nodes = NodeMap::default();
                nodes.insert(String::new(), node(pointer));
                Converted {
                    schema: json!({ "$ref": def_ref(&name) }),
                    nodes,
                    refs: BTreeSet::from([name]),
                }
            }
            None => {
                let schema = self
                    .at(pointer)
                    .ok_or_else(|| Error::invalid(pointer, "no schema at this pointer"))?;
                self.convert_unit(schema, pointer, direction)?
            }
        };
        self.assemble(root, direction)
    }

    /// The schema of a query: one object whose properties are the
    /// parameters, each with its own schema (`params`: wire name, pointer of
    /// the parameter object, required).
    pub fn query_document(
        &mut self,
        operation_pointer: &str,
        params: &[(String, String, bool)],
    ) -> Result<Document> {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut unit = Converted {
            schema: Value::Null,
            nodes: NodeMap::default(),
            refs: BTreeSet::new(),
        };
        let parameters = join(operation_pointer, &["parameters"]);
        unit.nodes.insert(String::new(), node(&parameters));
        for (name, pointer, is_required) in params {
            let at = join(pointer, &["schema"]);
            let schema = self
                .at(&at)
                .ok_or_else(|| Error::unsupported(pointer, "a parameter without a `schema`"))?;
            let out = join("", &["properties", name]);
            let converted = self.convert(schema, &at, &out, Direction::Request, &mut unit)?;
            properties.insert(name.clone(), converted);
            if *is_required {
                required.push(Value::String(name.clone()));
            }
        }
        let mut root = Map::new();
        root.insert("type".into(), json!("object"));
        root.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            root.insert("required".into(), Value::Array(required));
        }
        unit.schema = Value::Object(root);
        self.assemble(unit, Direction::Request)
    }

    /// Puts the components a converted root reaches (and those they reach)
    /// under its `$defs`.
    fn assemble(&mut self, root: Converted, direction: Direction) -> Result<Document> {
        let mut defs = Map::new();
        let mut nodes = root.nodes;
        let mut pending: Vec<String> = root.refs.iter().cloned().collect();
        let mut seen = root.refs;
        while let Some(name) = pending.pop() {
            let converted = self.component(&name, direction)?;
            for next in &converted.refs {
                if seen.insert(next.clone()) {
                    pending.push(next.clone());
                }
            }
            nodes.extend_under(&format!("/$defs/{}", escape_token(&name)), &converted.nodes);
            defs.insert(name, converted.schema.clone());
        }
        let mut schema = root.schema;
        // A boolean root has no room for `$defs`, and needs none.
        if let (false, Value::Object(map)) = (defs.is_empty(), &mut schema) {
            map.insert("$defs".to_owned(), Value::Object(defs));
        }
        Ok(Document { schema, nodes })
    }

    fn check_component(&self, name: &str, at: &str) -> Result<&'s Value> {
        self.at(&join("#/components/schemas", &[name]))
            .ok_or_else(|| Error::DanglingRef {
                pointer: at.to_owned(),
                reference: join("#/components/schemas", &[name]),
            })
    }

    /// A component converted for `direction` (converted on first use).
    fn component(&mut self, name: &str, direction: Direction) -> Result<&Converted> {
        let key = (name.to_owned(), direction);
        if !self.components.contains_key(&key) {
            let pointer = join("#/components/schemas", &[name]);
            let schema = self.check_component(name, &pointer)?;
            let converted = self.convert_unit(schema, &pointer, direction)?;
            self.components.insert(key.clone(), converted);
        }
        Ok(&self.components[&key])
    }

    fn convert_unit(
        &self,
        schema: &Value,
        pointer: &str,
        direction: Direction,
    ) -> Result<Converted> {
        let mut unit = Converted {
            schema: Value::Null,
            nodes: NodeMap::default(),
            refs: BTreeSet::new(),
        };
        unit.schema = self.convert(schema, pointer, "", direction, &mut unit)?;
        Ok(unit)
    }

    /// Follows `$ref`s from a schema to the schema object they lead to.
    fn resolve(&self, mut schema: &'s Value, at: &str) -> Result<&'s Value> {
        let mut seen = BTreeSet::new();
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = self.ref_target(reference, at)?;
            if !seen.insert(name.clone()) {
                return Err(Error::RefCycle {
                    pointer: at.to_owned(),
                    chain: seen.into_iter().collect(),
                });
            }
            schema = self.check_component(&name, at)?;
        }
        Ok(schema)
    }

    fn ref_target(&self, reference: &str, at: &str) -> Result<String> {
        match component_of(reference) {
            Some(name) => {
                self.check_component(&name, at)?;
                Ok(name)
            }
            None => Err(Error::unsupported(
                at,
                format!("reference `{reference}`: only `#/components/schemas/<name>` is followed"),
            )),
        }
    }

    /// Converts one schema object written at spec pointer `at`, placed at
    /// `out` in the converted unit.
    fn convert(
        &self,
        schema: &'s Value,
        at: &str,
        out: &str,
        direction: Direction,
        unit: &mut Converted,
    ) -> Result<Value> {
        let map = match schema {
            Value::Object(map) => map,
            Value::Bool(_) => {
                unit.nodes.insert(out.to_owned(), node(at));
                return Ok(schema.clone());
            }
            _ => return Err(Error::invalid(at, "a schema must be an object")),
        };
        if let Some(reference) = map.get("$ref") {
            let reference = reference
                .as_str()
                .ok_or_else(|| Error::invalid(&join(at, &["$ref"]), "`$ref` must be a string"))?;
            let name = self.ref_target(reference, at)?;
            unit.nodes.insert(out.to_owned(), node(at));
            let converted = json!({ "$ref": def_ref(&name) });
            unit.refs.insert(name);
            return Ok(converted);
        }
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        let has_type = map.contains_key("type");
        let combinators = ["allOf", "oneOf", "anyOf", "not"]
            .iter()
            .any(|k| map.contains_key(*k));
        if nullable && !has_type && combinators {
            // 3.0.3 ties `nullable` to `type`; the generator (and common
            // usage, e.g. `allOf: [$ref]` + `nullable`) lets it stand
            // alone, so null is accepted beside the schema.
            let mut wrapper = node(at);
            wrapper.nullable_wrapper = true;
            unit.nodes.insert(out.to_owned(), wrapper);
            let inner =
                self.convert_object(map, at, &join(out, &["anyOf", "1"]), direction, unit)?;
            return Ok(json!({ "anyOf": [{ "type": "null" }, inner] }));
        }
        self.convert_object(map, at, out, direction, unit)
    }

    fn convert_object(
        &self,
        map: &'s Map<String, Value>,
        at: &str,
        out: &str,
        direction: Direction,
        unit: &mut Converted,
    ) -> Result<Value> {
        let mut record = node(at);
        let mut result = Map::new();
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        let ty = match map.get("type") {
            None => None,
            Some(Value::String(ty)) => Some(ty.as_str()),
            Some(_) => {
                return Err(Error::unsupported(
                    &join(at, &["type"]),
                    "`type` must be a single string in OpenAPI 3.0 (use `nullable` for null)",
                ));
            }
        };
        if let Some(ty) = ty {
            result.insert(
                "type".into(),
                if nullable {
                    json!([ty, "null"])
                } else {
                    json!(ty)
                },
            );
        }
        if let Some(values) = map.get("enum") {
            let Value::Array(values) = values else {
                return Err(Error::invalid(
                    &join(at, &["enum"]),
                    "`enum` must be an array",
                ));
            };
            let mut values = values.clone();
            if nullable && !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
            result.insert("enum".into(), Value::Array(values));
        }

        let format = map.get("format").and_then(Value::as_str);
        record.sensitive = generator::is_sensitive(format, map.get("x-sensitive"));
        let integer_range = match (ty, format) {
            (Some("integer"), Some("int32")) => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            (Some("integer"), Some("int64")) => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        if let Some(format) = format {
            // Number formats (`float`, `double`) and the integer widths
            // handled below are not string formats.
            if matches!(ty, None | Some("string")) {
                result.insert("format".into(), json!(format));
            }
        }
        self.convert_bounds(map, at, integer_range, &mut result, &mut record)?;

        for keyword in [
            "multipleOf",
            "minLength",
            "maxLength",
            "pattern",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(value) = map.get(keyword) {
                result.insert(keyword.into(), value.clone());
            }
        }

        if let Some(items) = map.get("items") {
            let converted = self.convert(
                items,
                &join(at, &["items"]),
                &join(out, &["items"]),
                direction,
                unit,
            )?;
            result.insert("items".into(), converted);
        }

        let mut forbidden_names = BTreeSet::new();
        if let Some(properties) = map.get("properties") {
            let Value::Object(properties) = properties else {
                return Err(Error::invalid(
                    &join(at, &["properties"]),
                    "`properties` must be an object",
                ));
            };
            let mut converted = Map::new();
            for (name, property) in properties {
                let property_at = join(at, &["properties", name]);
                let property_out = join(out, &["properties", name]);
                let target = self.resolve(property, &property_at)?;
                let flag = |key: &str| target.get(key) == Some(&Value::Bool(true));
                let forbidden = match direction {
                    Direction::Request if flag("readOnly") => Some(Forbidden::ReadOnly),
                    Direction::Response if flag("writeOnly") => Some(Forbidden::WriteOnly),
                    _ => None,
                };
                let value = match forbidden {
                    Some(forbidden) => {
                        let mut dropped = node(&property_at);
                        dropped.forbidden = Some(forbidden);
                        unit.nodes.insert(property_out, dropped);
                        forbidden_names.insert(name.as_str());
                        Value::Bool(false)
                    }
                    None => self.convert(property, &property_at, &property_out, direction, unit)?,
                };
                converted.insert(name.clone(), value);
            }
            result.insert("properties".into(), Value::Object(converted));
        }
        if let Some(required) = map.get("required") {
            let Value::Array(required) = required else {
                return Err(Error::invalid(
                    &join(at, &["required"]),
                    "`required` must be an array",
                ));
            };
            let kept: Vec<Value> = required
                .iter()
                .filter(|name| !name.as_str().is_some_and(|n| forbidden_names.contains(n)))
                .cloned()
                .collect();
            if !kept.is_empty() {
                result.insert("required".into(), Value::Array(kept));
            }
        }
        match map.get("additionalProperties") {
            None => {}
            Some(Value::Bool(allowed)) => {
                result.insert("additionalProperties".into(), Value::Bool(*allowed));
            }
            Some(schema) => {
                let converted = self.convert(
                    schema,
                    &join(at, &["additionalProperties"]),
                    &join(out, &["additionalProperties"]),
                    direction,
                    unit,
                )?;
                result.insert("additionalProperties".into(), converted);
            }
        }

        for keyword in ["allOf", "oneOf", "anyOf"] {
            let Some(members) = map.get(keyword) else {
                continue;
            };
            let Value::Array(members) = members else {
                return Err(Error::invalid(
                    &join(at, &[keyword]),
                    format!("`{keyword}` must be an array"),
                ));
            };
            let mut converted = Vec::with_capacity(members.len());
            for (index, member) in members.iter().enumerate() {
                let index = index.to_string();
                converted.push(self.convert(
                    member,
                    &join(at, &[keyword, &index]),
                    &join(out, &[keyword, &index]),
                    direction,
                    unit,
                )?);
            }
            result.insert(keyword.into(), Value::Array(converted));
        }
        if let Some(not) = map.get("not") {
            let converted = self.convert(
                not,
                &join(at, &["not"]),
                &join(out, &["not"]),
                direction,
                unit,
            )?;
            result.insert("not".into(), converted);
        }

        unit.nodes.insert(out.to_owned(), record);
        Ok(Value::Object(result))
    }

    /// `minimum`/`maximum` with 3.0's boolean exclusivity, tightened to an
    /// integer format's range.
    fn convert_bounds(
        &self,
        map: &Map<String, Value>,
        at: &str,
        integer_range: Option<(i64, i64)>,
        result: &mut Map<String, Value>,
        record: &mut Node,
    ) -> Result<()> {
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
        for (inclusive, exclusive, format_bound, is_lower) in sides {
            let bound = map.get(inclusive);
            if bound.is_some_and(|b| !b.is_number()) {
                return Err(Error::invalid(
                    &join(at, &[inclusive]),
                    format!("`{inclusive}` must be a number"),
                ));
            }
            let spec_bound = bound.and_then(Value::as_f64);
            match map.get(exclusive) {
                Some(Value::Bool(true)) => {
                    if let Some(bound) = bound {
                        result.insert(exclusive.into(), bound.clone());
                    }
                }
                // A 2020-12 style number is taken as meant.
                Some(Value::Number(n)) => {
                    result.insert(exclusive.into(), Value::Number(n.clone()));
                    if let Some(bound) = bound {
                        result.insert(inclusive.into(), bound.clone());
                    }
                }
                _ => {
                    if let Some(bound) = bound {
                        result.insert(inclusive.into(), bound.clone());
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
                    result.insert(inclusive.into(), json!(format_bound));
                    record.synthesized.push((inclusive, "format"));
                }
            }
        }
        Ok(())
    }
}

/// The keywords the converter writes, as static strings (violations
/// carry them without allocating).
fn static_keyword(keyword: &str) -> &'static str {
    const KEYWORDS: [&str; 24] = [
        "type",
        "enum",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "items",
        "properties",
        "required",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
    ];
    KEYWORDS
        .iter()
        .find(|k| **k == keyword)
        .copied()
        .unwrap_or("$ref")
}

fn node(spec: &str) -> Node {
    Node {
        spec: Arc::from(spec),
        ..Node::default()
    }
}

fn def_ref(name: &str) -> String {
    format!("#/$defs/{}", escape_token(name))
}
