//! Inline schemas that are a component written out again: an API
//! description generated from code often repeats a component in place (the
//! items of a list, a property) instead of writing a `$ref`. Such an
//! inline schema reuses the component's type instead of defining a
//! duplicate (`Vec<Collection>`, not `Vec<VecItem>` with the same fields).
//!
//! Two schemas are the same when they are equal after dropping their
//! annotations (`description`, `title`, `example`, `examples`,
//! `externalDocs`), at every level where a schema sits (properties,
//! items, `additionalProperties`, combinator members, `not`). Everything
//! else counts, extensions (`x-sensitive`) and `nullable` included, and
//! `$ref`s are compared as written. Only schemas that define a type of
//! their own (objects with properties, enums, unions, merged `allOf`s) are
//! looked up: a plain `type: string` never becomes a component's alias.
//! The first component in document order wins, so the result is
//! deterministic.

use openapiv3::{AdditionalProperties, Schema, SchemaKind, Type};
use serde_json::Value;
use std::collections::BTreeMap;

/// The keywords that only describe a schema.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
];

/// Component schemas written in place, by their normalised text.
#[derive(Debug, Default)]
pub(super) struct ComponentShapes {
    /// Normalised schema text → the first component key with that shape.
    by_shape: BTreeMap<String, String>,
}

impl ComponentShapes {
    /// Indexes the inline component schemas that define a type, in
    /// document order.
    pub(super) fn new<'s>(components: impl IntoIterator<Item = (&'s String, &'s Schema)>) -> Self {
        let mut by_shape = BTreeMap::new();
        for (key, schema) in components {
            if let Some(shape) = shape_of(schema) {
                by_shape.entry(shape).or_insert_with(|| key.clone());
            }
        }
        Self { by_shape }
    }

    /// The component key whose schema `schema` repeats, if one does.
    pub(super) fn component_for(&self, schema: &Schema) -> Option<&str> {
        if self.by_shape.is_empty() {
            return None;
        }
        self.by_shape.get(&shape_of(schema)?).map(String::as_str)
    }
}

/// The normalised text of a schema that defines a type of its own.
fn shape_of(schema: &Schema) -> Option<String> {
    if !defines_type(schema) {
        return None;
    }
    let mut value = serde_json::to_value(schema).ok()?;
    strip_annotations(&mut value);
    Some(value.to_string())
}

/// Whether lowering `schema` defines a named type (rather than a
/// primitive, a list, a map or a free-form value).
fn defines_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(i)) => !i.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(n)) => !n.enumeration.is_empty(),
        SchemaKind::Type(Type::Boolean(b)) => !b.enumeration.is_empty(),
        SchemaKind::Type(Type::Object(o)) => {
            !o.properties.is_empty()
                || matches!(
                    o.additional_properties,
                    Some(AdditionalProperties::Any(false))
                )
        }
        SchemaKind::Type(Type::Array(_)) | SchemaKind::Not { .. } => false,
        SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members }
        | SchemaKind::AllOf { all_of: members } => members.len() > 1,
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
                || any.all_of.len() > 1
                || !any.enumeration.is_empty()
        }
    }
}

/// Drops the annotations of the schema `value` and of every schema inside
/// it.
fn strip_annotations(value: &mut Value) {
    let Value::Object(object) = value else { return };
    for annotation in ANNOTATIONS {
        object.remove(*annotation);
    }
    for (key, inner) in object.iter_mut() {
        match (key.as_str(), inner) {
            ("properties", Value::Object(properties)) => {
                properties.values_mut().for_each(strip_annotations);
            }
            ("items" | "additionalProperties" | "not", schema) => strip_annotations(schema),
            ("oneOf" | "anyOf" | "allOf", Value::Array(members)) => {
                members.iter_mut().for_each(strip_annotations);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).expect("a schema")
    }

    #[test]
    fn a_repeated_component_is_found_whatever_its_annotations() {
        let thing = schema(
            "type: object\ndescription: A thing.\nproperties:\n  id: {type: string, description: Its id.}\n  items: {type: array, items: {type: string, title: T}}",
        );
        let key = "Thing".to_owned();
        let shapes = ComponentShapes::new([(&key, &thing)]);
        let repeated = schema(
            "type: object\nproperties:\n  id: {type: string, example: x}\n  items: {type: array, items: {type: string}}",
        );
        assert_eq!(shapes.component_for(&repeated), Some("Thing"));
        // A property named like an annotation is not one.
        let other = schema(
            "type: object\nproperties:\n  id: {type: string}\n  items: {type: array, items: {type: string}}\n  description: {type: string}",
        );
        assert_eq!(shapes.component_for(&other), None);
        // A different constraint is a different schema.
        let longer = schema(
            "type: object\nproperties:\n  id: {type: string, minLength: 1}\n  items: {type: array, items: {type: string}}",
        );
        assert_eq!(shapes.component_for(&longer), None);
    }

    #[test]
    fn schemas_that_define_no_type_are_never_matched() {
        let text = schema("type: string");
        let key = "Text".to_owned();
        let shapes = ComponentShapes::new([(&key, &text)]);
        assert_eq!(shapes.component_for(&schema("type: string")), None);
    }
}
