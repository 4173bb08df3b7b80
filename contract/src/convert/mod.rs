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
//!
//! This module owns the documents (roots, `$defs`, `$ref`s and the
//! nullable wrapper); `keywords` converts the keywords of one schema
//! object, and `node_map` holds the map back to the spec.

mod keywords;
mod node_map;

use super::Direction;
use generator::pointer::{escape_token, join};
use generator::{Error, Result};
pub(super) use node_map::NodeMap;
use node_map::node;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

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

/// The component name of a pointer that is exactly a component schema.
pub(super) fn component_of(pointer: &str) -> Option<String> {
    generator::component_name(pointer, "schemas", "#")
        .ok()
        .map(str::to_owned)
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

    /// The schema a media type object means when it has none (`content:
    /// {application/json: {}}`): any value. `None` when `pointer` is not
    /// the `schema` of a media type object that exists.
    fn schema_left_out(&self, pointer: &str) -> Option<&'s Value> {
        static ANY_VALUE: std::sync::LazyLock<Value> =
            std::sync::LazyLock::new(|| Value::Object(serde_json::Map::new()));
        let media = pointer.strip_suffix("/schema")?;
        let media_type_object = self.at(media)?.as_object()?;
        let in_content = media.rsplit_once('/')?.0.ends_with("/content");
        (in_content && !media_type_object.contains_key("schema")).then(|| &*ANY_VALUE)
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
                    .or_else(|| self.schema_left_out(pointer))
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
        let name = generator::component_name(reference, "schemas", at)?;
        self.check_component(name, at)?;
        Ok(name.to_owned())
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
}

/// The converted `$ref` to a component under `$defs`.
fn def_ref(name: &str) -> String {
    format!("#/$defs/{}", escape_token(name))
}
