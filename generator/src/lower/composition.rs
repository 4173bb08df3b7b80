//! Combinators beside `properties`: an object schema whose `oneOf`, `anyOf`
//! or `allOf` sits next to its own `properties` (or `additionalProperties`),
//! or an `allOf` next to a `oneOf`/`anyOf`.
//!
//! The struct comes from the object part: the schema's own `properties`
//! merged with its `allOf` members (as in `all_of`; the schema's own
//! properties come first, and every `required`, its own or a member's,
//! applies). `not` members of that `allOf` only exclude values and are
//! skipped.
//!
//! A `oneOf`/`anyOf` beside it must only add validation. Each member,
//! after following `$ref`s, must be one of:
//!
//! - `not: …` (any schema: it only excludes);
//! - a schema without `type` or with `type: object`, whose only keywords
//!   are `required`, `properties`, `minProperties`, `maxProperties`, `not`,
//!   nested `oneOf`/`anyOf`/`allOf` of such members, and annotations
//!   (`description`, `title`, `example`, …), where every name in
//!   `required` and `properties` is a property the object part declares.
//!   A member's property schema may constrain that property (`minLength`,
//!   `enum`, …); the field keeps the type the object part gives it.
//!
//! The members' `required` do not make fields required: only one
//! alternative needs them, so each named field stays as the object part
//! declares it (usually an `Option`). The rule is kept by the contract
//! checks, which read the schema as written. A member that adds a property,
//! requires an undeclared one, sets `additionalProperties`, or constrains a
//! non-object value (`type: string`, `items`, `enum`, `pattern`, …) is a
//! shape alternative, not a rule on this shape: that is an error at the
//! member's pointer.

use super::Lowering;
use super::schema::{Lowered, ObjectShape};
use crate::error::{Error, Result};
use crate::pointer::join;
use crate::refs::SchemaRef;
use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

impl<'a> Lowering<'a> {
    /// Lowers an object schema with combinators beside its properties (see
    /// the module doc).
    pub(super) fn lower_composed_object(
        &mut self,
        schema: &'a Schema,
        any: &'a AnySchema,
        pointer: &str,
        hint: &str,
    ) -> Result<Lowered> {
        let mut declared: BTreeSet<String> = any.properties.keys().cloned().collect();
        self.declared_in_all_of(&any.all_of, pointer, &mut declared)?;
        for (key, members) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            for (index, member) in members.iter().enumerate() {
                let at = join(pointer, &[key, &index.to_string()]);
                self.check_validation_only(member.into(), &at, &declared)?;
            }
        }
        let shape = ObjectShape {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        };
        let ty = if any.all_of.is_empty() {
            self.lower_object(schema, &shape, pointer, hint)?
        } else {
            self.lower_all_of(schema, &any.all_of, Some(&shape), pointer, hint)?
        };
        Ok(Lowered {
            ty,
            nullable: schema.schema_data.nullable,
        })
    }

    /// Adds the property names that the `allOf` members `parts` declare,
    /// through `$ref`s and nested `allOf`s.
    fn declared_in_all_of(
        &self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &str,
        declared: &mut BTreeSet<String>,
    ) -> Result<()> {
        for (index, part) in parts.iter().enumerate() {
            let at = join(pointer, &["allOf", &index.to_string()]);
            let resolved = self.resolver.schema(part.into(), &at)?;
            match &resolved.item.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    declared.extend(object.properties.keys().cloned());
                }
                SchemaKind::Any(any) => {
                    declared.extend(any.properties.keys().cloned());
                    self.declared_in_all_of(&any.all_of, &resolved.pointer, declared)?;
                }
                SchemaKind::AllOf { all_of } => {
                    self.declared_in_all_of(all_of, &resolved.pointer, declared)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Fails unless the `oneOf`/`anyOf` member at `pointer` only adds
    /// validation to an object declaring `declared`.
    fn check_validation_only(
        &self,
        member: SchemaRef<'a>,
        pointer: &str,
        declared: &BTreeSet<String>,
    ) -> Result<()> {
        let resolved = self.resolver.schema(member, pointer)?;
        let at = resolved.pointer.as_str();
        let not_a_rule = |what: &str| {
            Error::unsupported(
                at,
                format!(
                    "a member beside `properties` that {what} is a shape alternative, not a rule \
                     on the object (alternatives adding fields are not supported)"
                ),
            )
        };
        let check_names = |properties: &indexmap::IndexMap<_, _>, required: &[String]| {
            let undeclared = |name: &String| !declared.contains(name);
            if let Some(name) = properties.keys().find(|name| undeclared(name)) {
                return Err(not_a_rule(&format!("declares the new property `{name}`")));
            }
            if let Some(name) = required.iter().find(|name| undeclared(name)) {
                return Err(not_a_rule(&format!(
                    "requires the undeclared property `{name}`"
                )));
            }
            Ok(())
        };
        match &resolved.item.schema_kind {
            SchemaKind::Not { .. } => Ok(()),
            SchemaKind::Type(Type::Object(object)) => {
                if object.additional_properties.is_some() {
                    return Err(not_a_rule("sets `additionalProperties`"));
                }
                check_names(&object.properties, &object.required)
            }
            SchemaKind::Type(_) => Err(not_a_rule("is not an object schema")),
            SchemaKind::OneOf { one_of: members }
            | SchemaKind::AnyOf { any_of: members }
            | SchemaKind::AllOf { all_of: members } => {
                let key = match &resolved.item.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    _ => "allOf",
                };
                self.check_members(members, at, key, declared)
            }
            SchemaKind::Any(any) => {
                if !matches!(any.typ.as_deref(), None | Some("object")) {
                    return Err(not_a_rule("is not an object schema"));
                }
                if any.additional_properties.is_some() {
                    return Err(not_a_rule("sets `additionalProperties`"));
                }
                if let Some(keyword) = non_object_keyword(any) {
                    return Err(not_a_rule(&format!(
                        "constrains a non-object value (`{keyword}`)"
                    )));
                }
                check_names(&any.properties, &any.required)?;
                self.check_members(&any.one_of, at, "oneOf", declared)?;
                self.check_members(&any.any_of, at, "anyOf", declared)?;
                self.check_members(&any.all_of, at, "allOf", declared)
            }
        }
    }

    fn check_members(
        &self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
        declared: &BTreeSet<String>,
    ) -> Result<()> {
        for (index, member) in members.iter().enumerate() {
            let at = join(pointer, &[key, &index.to_string()]);
            self.check_validation_only(member.into(), &at, declared)?;
        }
        Ok(())
    }
}

/// The first keyword of `any` that only applies to strings, numbers or
/// arrays.
fn non_object_keyword(any: &AnySchema) -> Option<&'static str> {
    [
        (any.items.is_some(), "items"),
        (!any.enumeration.is_empty(), "enum"),
        (any.format.is_some(), "format"),
        (any.pattern.is_some(), "pattern"),
        (any.min_length.is_some(), "minLength"),
        (any.max_length.is_some(), "maxLength"),
        (any.minimum.is_some(), "minimum"),
        (any.maximum.is_some(), "maximum"),
        (any.exclusive_minimum.is_some(), "exclusiveMinimum"),
        (any.exclusive_maximum.is_some(), "exclusiveMaximum"),
        (any.multiple_of.is_some(), "multipleOf"),
        (any.min_items.is_some(), "minItems"),
        (any.max_items.is_some(), "maxItems"),
        (any.unique_items.is_some(), "uniqueItems"),
    ]
    .into_iter()
    .find_map(|(present, keyword)| present.then_some(keyword))
}
