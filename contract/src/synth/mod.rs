//! Synthesis: deterministic values from the converted JSON Schema documents
//! (see `convert`), valid ones to send or serve, and invalid ones to check
//! that a server refuses them.
//!
//! [`instance`] walks one schema node of a document; nothing in it is
//! random and nothing reads the clock, so the same schema and
//! [`SynthOptions`] always give the same value. The rules:
//!
//! - `$ref` (`#/$defs/X`) is resolved against the document. Each `$ref`
//!   followed counts one level: past [`MAX_DEPTH`] optional properties and
//!   array items are no longer generated, so recursive schemas end (a
//!   required recursive property still gets a minimal value).
//! - `allOf` members are merged (properties, `required`, the tightest
//!   bounds, the common types) before generating; `oneOf`/`anyOf` take one
//!   branch (the first by default, another per candidate of
//!   [`ContractValidator::synthesize`]), skipping `{"type": "null"}` unless
//!   it is alone. `not` is ignored.
//! - `const` and `enum`: the first value (the first non-null one), or in a
//!   `uniqueItems` array the item's turn. A `type` list takes its first
//!   non-null type.
//! - Strings: `format`s get a fixed shape varied by the seed (`uuid` v4
//!   shaped from a hash, `email` `user{n}@example.com`, `date-time`
//!   `2024-01-01T00:00:{s}Z`, `date`, `time`, `uri`, `hostname`, `ipv4`,
//!   `ipv6`, `byte`); a `pattern` is walked (see `pattern`); otherwise the
//!   property name and a number (`name-1`), or `string-1`. With
//!   [`SynthOptions::unique`], free strings end with it and e-mails carry it
//!   as `+tag`; lengths are honoured by padding or shortening.
//! - Numbers: 1, or the nearest bound, moved by the seed inside the bounds
//!   and rounded to `multipleOf`.
//! - Booleans: `true` (alternating with the seed).
//! - Arrays: `prefixItems`, then `minItems` items (at least one under
//!   [`Fill::All`]); `uniqueItems` varies each item.
//! - Objects: the properties [`Fill`] asks for (never one whose schema is
//!   `false`), every `required` one, and more (optional ones, then members of
//!   `additionalProperties`) only to reach `minProperties`.
//! - `{}` and `true`: the string `"value"`.
//!
//! [`invalid_instance`] (in `invalid`) builds the opposite: a value the
//! schema refuses and why.

mod invalid;
mod merge;
mod pattern;
mod scalars;

pub use invalid::invalid_instance;

use crate::{ContractValidator, Target};
use generator::pointer::escape_token;
use serde_json::{Map, Value};
use std::cell::Cell;

/// How many `$ref`s deep optional members are still generated.
pub const MAX_DEPTH: u32 = 4;

/// How many `$ref`s deep required members may go before the schema is
/// taken as recursing without end.
const HARD_DEPTH: u32 = 32;

/// How many candidates [`ContractValidator::synthesize`] tries.
const CANDIDATES: u64 = 16;

/// How many schema nodes one value may take (schemas whose required
/// members double at each level, or a huge `minItems`, stop here).
const MAX_NODES: u32 = 100_000;

/// How much of an object to fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fill {
    /// Required properties only.
    Required,
    /// Every property the schema lists (the default).
    #[default]
    All,
}

/// What [`instance`] generates.
#[derive(Debug, Clone, Default)]
pub struct SynthOptions {
    /// Varies the value deterministically: the same (schema, options)
    /// always gives the same value; another seed gives another value where
    /// the schema allows (uuids, integers, strings; an `enum` keeps its
    /// first value unless uniqueness needs another).
    pub seed: u64,
    /// How much of each object to fill ([`ContractValidator::synthesize`]
    /// falls back to the other fill when no value of this one is valid).
    pub fill: Fill,
    /// When set, free strings (no enum, format or pattern fixing them) end
    /// with this text, e-mails get `+{unique}` in their local part, and
    /// uuids are derived from it, so that a create can run twice against
    /// one server without a conflict. `maxLength` is respected (the text is
    /// shortened).
    pub unique: Option<String>,
}

/// A schema node that could not be satisfied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct SynthError {
    /// Where: the pointer (`#/$defs/X/properties/y`) of the schema node in
    /// the document, or, for a candidate the validator refused, the spec
    /// pointer of its first violation.
    pub pointer: String,
    /// What could not be satisfied.
    pub message: String,
}

impl SynthError {
    fn new(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

/// An instance of `schema`, a node inside `document` (refs `#/$defs/..`
/// resolve against `document`). Not validated: see
/// [`ContractValidator::synthesize`] for a checked value.
pub fn instance(
    document: &Value,
    schema: &Value,
    options: &SynthOptions,
) -> Result<Value, SynthError> {
    let pointer = find_pointer(document, schema).unwrap_or_else(|| "#".to_owned());
    Generator::new(document, options, 0).generate(schema, &pointer, Ctx::default())
}

/// The pointer (`#/…`) of `node` inside `document`, found by identity.
fn find_pointer(document: &Value, node: &Value) -> Option<String> {
    if std::ptr::eq(document, node) {
        return Some("#".to_owned());
    }
    let children: Box<dyn Iterator<Item = (String, &Value)>> = match document {
        Value::Object(map) => Box::new(map.iter().map(|(k, v)| (escape_token(k), v))),
        Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => return None,
    };
    for (token, child) in children {
        if let Some(below) = find_pointer(child, node) {
            return Some(format!("#/{token}{}", below.trim_start_matches('#')));
        }
    }
    None
}

/// Where a value is generated: how deep in `$ref`s, for which property,
/// and which item of a `uniqueItems` array.
#[derive(Debug, Clone, Copy, Default)]
struct Ctx<'n> {
    depth: u32,
    name: Option<&'n str>,
    /// Added to the seed to make items of a `uniqueItems` array differ.
    variety: u64,
}

/// One candidate's generator over one document.
struct Generator<'d> {
    document: &'d Value,
    options: &'d SynthOptions,
    seed: u64,
    /// Which `oneOf`/`anyOf` branch to take.
    rotation: u64,
    /// Whether the other branches of a `oneOf` get a property they refuse.
    decoys: bool,
    fill: Fill,
    /// Schema nodes generated so far (see [`MAX_NODES`]).
    nodes: Cell<u32>,
}

impl<'d> Generator<'d> {
    /// The generator of one candidate: candidates go through the
    /// `oneOf`/`anyOf` branches (and seeds) in turn, each first as it is
    /// and then with decoys; the last quarter tries the other [`Fill`], one
    /// branch per candidate (a `oneOf` whose branches differ only in
    /// optional members has no valid required-only value).
    fn new(document: &'d Value, options: &'d SynthOptions, candidate: u64) -> Self {
        let late = candidate >= CANDIDATES * 3 / 4;
        let turn = if late {
            candidate - CANDIDATES * 3 / 4
        } else {
            candidate / 2
        };
        Self {
            document,
            options,
            seed: options.seed.wrapping_add(turn),
            rotation: turn,
            decoys: candidate % 2 == 1,
            fill: match (late, options.fill) {
                (false, fill) => fill,
                (true, Fill::All) => Fill::Required,
                (true, Fill::Required) => Fill::All,
            },
            nodes: Cell::new(0),
        }
    }

    fn generate(&self, schema: &Value, pointer: &str, ctx: Ctx<'_>) -> Result<Value, SynthError> {
        self.nodes.set(self.nodes.get().saturating_add(1));
        if self.nodes.get() > MAX_NODES {
            return Err(SynthError::new(
                pointer,
                format!("the value grows past {MAX_NODES} nodes"),
            ));
        }
        if ctx.depth > HARD_DEPTH {
            return Err(SynthError::new(
                pointer,
                "the schema recurses without end through required members",
            ));
        }
        let flat = self.flatten(schema, pointer)?;
        let ctx = Ctx {
            depth: ctx.depth + flat.refs,
            ..ctx
        };
        let (map, pointer) = (&flat.map, flat.pointer.as_str());
        if let Some(value) = map.get("const") {
            return Ok(value.clone());
        }
        if let Some(values) = map.get("enum") {
            return pick_enum(map, values, ctx).ok_or_else(|| {
                SynthError::new(pointer, "an `enum` without a value of the schema's type")
            });
        }
        match chosen_type(map) {
            Some("string") => self.string(map, ctx, pointer),
            Some("integer") => self.integer(map, ctx, pointer),
            Some("number") => self.number(map, ctx, pointer),
            Some("boolean") => Ok(Value::Bool(self.seed.wrapping_add(ctx.variety) % 2 == 0)),
            Some("null") => Ok(Value::Null),
            Some("array") => self.array(map, ctx, pointer),
            Some("object") => self.object(map, ctx, pointer),
            _ => Ok(Value::String("value".to_owned())),
        }
    }

    fn object(
        &self,
        map: &Map<String, Value>,
        ctx: Ctx<'_>,
        pointer: &str,
    ) -> Result<Value, SynthError> {
        let empty = Map::new();
        let properties = map
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let additional = map
            .get("additionalProperties")
            .unwrap_or(&Value::Bool(true));
        let shallow = ctx.depth <= MAX_DEPTH;
        let mut out = Map::new();
        let member = |name: &str, schema: &Value, at: String| {
            let ctx = Ctx {
                name: Some(name),
                ..ctx
            };
            self.generate(schema, &at, ctx)
        };
        for (name, schema) in properties {
            let is_required = required.contains(&name.as_str());
            let wanted = is_required || (self.fill == Fill::All && shallow);
            if !wanted || schema == &Value::Bool(false) {
                continue;
            }
            let at = format!("{pointer}/properties/{}", escape_token(name));
            match member(name, schema, at) {
                Ok(value) => {
                    out.insert(name.clone(), value);
                }
                Err(err) if is_required => return Err(err),
                // An optional member that cannot be made is left out.
                Err(_) => {}
            }
        }
        for &name in &required {
            if !out.contains_key(name) && !properties.contains_key(name) {
                let at = format!("{pointer}/additionalProperties");
                out.insert(name.to_owned(), member(name, additional, at)?);
            }
        }
        let min = map
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let min = usize::try_from(min).unwrap_or(usize::MAX);
        for (name, schema) in properties {
            if out.len() >= min {
                break;
            }
            if !out.contains_key(name) && schema != &Value::Bool(false) {
                let at = format!("{pointer}/properties/{}", escape_token(name));
                if let Ok(value) = member(name, schema, at) {
                    out.insert(name.clone(), value);
                }
            }
        }
        let mut extra = 1;
        while out.len() < min && additional != &Value::Bool(false) && extra <= min + 1 {
            let name = format!("key{extra}");
            extra += 1;
            if !out.contains_key(&name) {
                let value = member(&name, additional, format!("{pointer}/additionalProperties"))?;
                out.insert(name, value);
            }
        }
        if let Some(max) = map.get("maxProperties").and_then(Value::as_u64) {
            let max = usize::try_from(max).unwrap_or(usize::MAX);
            while out.len() > max {
                let optional = out.keys().rev().find(|k| !required.contains(&k.as_str()));
                let Some(optional) = optional.cloned() else {
                    break;
                };
                out.remove(&optional);
            }
        }
        Ok(Value::Object(out))
    }

    fn array(
        &self,
        map: &Map<String, Value>,
        ctx: Ctx<'_>,
        pointer: &str,
    ) -> Result<Value, SynthError> {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = map.get("maxItems").and_then(Value::as_u64);
        let empty = Vec::new();
        let prefix = map
            .get("prefixItems")
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let items = map.get("items").unwrap_or(&Value::Bool(true));
        let mut wanted = if self.fill == Fill::All && ctx.depth <= MAX_DEPTH {
            min.max(1)
        } else {
            min
        };
        if let Some(max) = max {
            wanted = wanted.min(max);
        }
        if items == &Value::Bool(false) {
            wanted = wanted.min(prefix.len() as u64);
        }
        let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
        let mut out = Vec::new();
        for index in 0..wanted {
            let position = usize::try_from(index).unwrap_or(usize::MAX);
            let (schema, at) = match prefix.get(position) {
                Some(schema) => (schema, format!("{pointer}/prefixItems/{index}")),
                None => (items, format!("{pointer}/items")),
            };
            let item_ctx = Ctx {
                variety: if unique {
                    ctx.variety.wrapping_add(index)
                } else {
                    ctx.variety
                },
                ..ctx
            };
            match self.generate(schema, &at, item_ctx) {
                Ok(value) => out.push(value),
                Err(err) if index < min => return Err(err),
                // Items beyond `minItems` are optional.
                Err(_) => break,
            }
        }
        Ok(Value::Array(out))
    }
}

/// The `enum` value to use: the first non-null one of the schema's type,
/// or the item's turn among them in a `uniqueItems` array.
fn pick_enum(map: &Map<String, Value>, values: &Value, ctx: Ctx<'_>) -> Option<Value> {
    let values = values.as_array()?;
    let types = types_of(map);
    let fits = |v: &&Value| types.is_empty() || types.iter().any(|ty| is_of_type(v, ty));
    let non_null: Vec<&Value> = values
        .iter()
        .filter(|v| !v.is_null())
        .filter(fits)
        .collect();
    if non_null.is_empty() {
        return values.iter().find(|v| v.is_null()).cloned();
    }
    let index = usize::try_from(ctx.variety % non_null.len() as u64).unwrap_or(0);
    non_null.get(index).map(|v| (*v).clone())
}

/// The `type` keyword as a list (empty when absent).
fn types_of(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is of the JSON Schema type `ty`.
fn is_of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// The type to generate: the first non-null of `type`, else the one the
/// keywords imply, else none (any value).
fn chosen_type(map: &Map<String, Value>) -> Option<&str> {
    let types = types_of(map);
    if let Some(ty) = types.iter().find(|t| **t != "null") {
        return Some(ty);
    }
    if !types.is_empty() {
        return Some("null");
    }
    let has = |keys: &[&str]| keys.iter().any(|k| map.contains_key(*k));
    if has(&[
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
    ]) {
        Some("object")
    } else if has(&[
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
    ]) {
        Some("array")
    } else if has(&["pattern", "format", "minLength", "maxLength"]) {
        Some("string")
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        Some("number")
    } else {
        None
    }
}

impl ContractValidator {
    /// A value that passes `target`'s schema: [`instance`] of the target's
    /// document, validated. When a candidate fails (a `oneOf` that matched
    /// two branches, a pattern the generator could not honour, …), others
    /// are tried (another `oneOf`/`anyOf` branch and seed, properties that
    /// the other `oneOf` branches refuse, at last the other [`Fill`]), up
    /// to 16, then the error names the
    /// violations of the last candidate.
    pub fn synthesize(&self, target: &Target, options: &SynthOptions) -> Result<Value, SynthError> {
        let compiled = self
            .compiled(target)
            .map_err(|err| SynthError::new("#", err.to_string()))?;
        synthesize_compiled(compiled, options)
    }

    /// An item of the event stream an operation's 2xx response offers,
    /// valid against the stream's item schema, as
    /// [`ContractValidator::synthesize`] makes one (another seed in
    /// `options` gives another item where the schema allows).
    pub fn synthesize_stream_item(
        &self,
        operation: &str,
        options: &SynthOptions,
    ) -> Result<Value, SynthError> {
        let compiled = self
            .stream_item(operation)
            .map_err(|err| SynthError::new("#", err.to_string()))?;
        synthesize_compiled(compiled, options)
    }
}

/// A value that passes a compiled schema (see
/// [`ContractValidator::synthesize`]).
fn synthesize_compiled(
    compiled: &crate::Compiled,
    options: &SynthOptions,
) -> Result<Value, SynthError> {
    let document = &compiled.document;
    let mut last = SynthError::new("#", "no candidate was generated");
    for candidate in 0..CANDIDATES {
        let generator = Generator::new(document, options, candidate);
        match generator.generate(document, "#", Ctx::default()) {
            Ok(value) => {
                let violations = compiled.validate(&value);
                let Some(first) = violations.first() else {
                    return Ok(value);
                };
                let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
                last = SynthError::new(
                    &first.schema_pointer,
                    format!(
                        "no valid value after {CANDIDATES} candidates; the last one breaks: {}",
                        listed.join("; ")
                    ),
                );
            }
            Err(err) => last = err,
        }
    }
    Err(last)
}

impl ContractValidator {
    /// A value `target`'s schema refuses (checked with the validator), with
    /// the reason; `None` when the schema accepts everything or no refused
    /// value was found.
    pub fn synthesize_invalid(&self, target: &Target) -> Option<(Value, String)> {
        let compiled = self.compiled(target).ok()?;
        invalid::candidates(&compiled.document, &compiled.document)
            .into_iter()
            .find(|(value, _)| !compiled.validate(value).is_empty())
    }
}
