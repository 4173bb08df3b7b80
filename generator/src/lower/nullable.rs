//! Which schemas admit `null`: the one rule behind every `Option` that
//! nullability puts into a type.
//!
//! The loader has already written 3.1's forms in their 3.0 shape
//! (`type: [T, "null"]`, a `null` member of a union and `const: null` all
//! end up as `nullable: true` or `enum: [null]`, see `load::normalize`), so
//! the rule reads 3.0 only. A schema admits `null` when
//!
//! - it says `nullable: true`;
//! - its `enum` lists `null`;
//! - it is a union (`oneOf` / `anyOf`, with no `properties` beside it) and a
//!   member admits `null`;
//! - it is an `allOf` (with no `properties` beside it) and every member
//!   admits `null`;
//! - it is a `$ref` to a schema that does.
//!
//! A schema that says nothing about its type (`{}`) accepts `null` too, but
//! its Rust type (`serde_json::Value`) already holds it, so it is not
//! counted. The rule is the same wherever the schema is written: a field
//! (`Field::nullable`), an array's items, a map's values, a union member, a
//! body or a component (`Api::nullable_types`).
//!
//! One deliberate leniency: an `enum` that lists `null` beside a `type`
//! and without `nullable` admits `null` here, while JSON Schema (and so the
//! contract validator) rejects it, since `type` does not.

use super::Lowering;
use crate::refs::SchemaRef;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// How deep references and unions are followed (a cycle stops here).
const MAX_DEPTH: u8 = 16;

impl<'a> Lowering<'a> {
    /// Whether the schema at `item` admits `null` (see the module docs).
    /// A reference that does not resolve admits nothing: lowering reports it.
    pub(super) fn admits_null(&self, item: SchemaRef<'a>) -> bool {
        self.admits_null_within(item, 0)
    }

    fn admits_null_within(&self, item: SchemaRef<'a>, depth: u8) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Ok(resolved) = self.resolver.schema(item, "") else {
            return false;
        };
        let schema: &Schema = resolved.item;
        if schema.schema_data.nullable {
            return true;
        }
        let any_member = |members: &'a [ReferenceOr<Schema>]| {
            members
                .iter()
                .any(|member| self.admits_null_within(member.into(), depth + 1))
        };
        let every_member = |members: &'a [ReferenceOr<Schema>]| {
            !members.is_empty()
                && members
                    .iter()
                    .all(|member| self.admits_null_within(member.into(), depth + 1))
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Boolean(b)) => b.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Object(_) | Type::Array(_)) | SchemaKind::Not { .. } => false,
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                any_member(members)
            }
            SchemaKind::AllOf { all_of } => every_member(all_of),
            SchemaKind::Any(any) => {
                if any.enumeration.iter().any(serde_json::Value::is_null) {
                    return true;
                }
                // Beside `properties` the combinators only validate: the
                // struct comes from the properties (see `composition`).
                if !any.properties.is_empty() || any.additional_properties.is_some() {
                    return false;
                }
                // Every combinator written must let `null` through.
                // `true`: every member must admit it (`allOf`), else one.
                let written = [
                    (&any.all_of, true),
                    (&any.one_of, false),
                    (&any.any_of, false),
                ];
                let mut written = written
                    .into_iter()
                    .filter(|(members, _)| !members.is_empty())
                    .peekable();
                written.peek().is_some()
                    && written.all(|(members, every)| {
                        if every {
                            every_member(members)
                        } else {
                            any_member(members)
                        }
                    })
            }
        }
    }
}
