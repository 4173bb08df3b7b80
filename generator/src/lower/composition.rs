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
//! A `oneOf`/`anyOf` beside it narrows the object. Each member, after
//! following `$ref`s, must be one of:
//!
//! - `not: …` (any schema: it only excludes);
//! - a schema without `type` or with `type: object`, whose only keywords
//!   are `required`, `properties`, `additionalProperties` (any form: it
//!   only says which other properties may appear), `minProperties`,
//!   `maxProperties`, `not`, nested `oneOf`/`anyOf`/`allOf` of such
//!   members, and annotations (`description`, `title`, `example`, …).
//!
//! A member that adds no property is a rule: "when `status` is
//! `completed`, `conclusion` is required" is a `required` and an `enum` on
//! declared properties. A member's property schema may constrain a declared
//! property (`minLength`, `enum`, …); the field keeps the type the object
//! part gives it. The members' `required` do not make fields required:
//! only one alternative needs them, so each named field stays as the object
//! part declares it (usually an `Option`). The rule is kept by the contract
//! checks, which read the schema as written.
//!
//! A member that declares a property the object part does not is an
//! alternative with more fields: the property becomes an optional field of
//! the struct (typed as the first member declaring it says), since only a
//! payload matching that member has it. Every name a member requires must
//! be declared beside `properties` or by some member. A member that
//! constrains a non-object value (`type: string`, `items`, `enum`,
//! `pattern`, …) is a shape alternative the struct cannot hold: that is an
//! error at the member's pointer, as are new properties beside a schema
//! that is only a map.

use super::Lowering;
use super::schema::{Lowered, ObjectShape};
use crate::error::{Error, Result};
use crate::ir::{TypeKind, TypeRef};
use crate::names::Namespace;
use crate::pointer::join;
use crate::refs::SchemaRef;
use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

/// What the `oneOf`/`anyOf` members beside `properties` add up to.
#[derive(Default)]
struct MemberRules<'a> {
    /// Properties no schema beside declares, in the order first met, with
    /// the schema and pointer of the member that declares them.
    added: Vec<(String, &'a ReferenceOr<Box<Schema>>, String)>,
    /// Every name a member requires, with the pointer of that member.
    required: Vec<(String, String)>,
}

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
        let mut rules = MemberRules::default();
        for (key, members) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            self.check_members(members, pointer, key, &declared, &mut rules)?;
        }
        for (name, at) in &rules.required {
            if !declared.contains(name) && !rules.added.iter().any(|(added, ..)| added == name) {
                return Err(Error::unsupported(
                    at,
                    format!(
                        "a member beside `properties` requires `{name}`, which neither the \
                         object nor any member declares"
                    ),
                ));
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
        if !rules.added.is_empty() {
            self.add_member_fields(&ty, rules.added)?;
        }
        Ok(Lowered {
            ty,
            nullable: schema.schema_data.nullable,
        })
    }

    /// Adds the properties that only members declare to the struct `ty`, as
    /// optional fields.
    fn add_member_fields(
        &mut self,
        ty: &TypeRef,
        added: Vec<(String, &'a ReferenceOr<Box<Schema>>, String)>,
    ) -> Result<()> {
        let owner = match ty {
            TypeRef::Named(name)
                if matches!(
                    self.types.get(name).map(|def| &def.kind),
                    Some(TypeKind::Struct(_))
                ) =>
            {
                name.clone()
            }
            _ => {
                return Err(Error::unsupported(
                    &added[0].2,
                    "a member beside `additionalProperties` declares properties, but the \
                     object part is a map, not a struct that could hold them",
                ));
            }
        };
        let mut fields = Vec::with_capacity(added.len());
        for (wire_name, property, member) in added {
            let at = join(&member, &["properties", &wire_name]);
            fields.push(self.lower_field(&wire_name, property, &at, &owner)?);
        }
        if let Some(TypeKind::Struct(def)) = self.types.get_mut(&owner).map(|def| &mut def.kind) {
            let mut field_names = Namespace::new();
            for field in def.fields.iter().chain(&def.additional) {
                field_names.reserve(&field.name);
            }
            for mut field in fields {
                field.name = field_names.claim(field.name);
                def.fields.push(field);
            }
        }
        Ok(())
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

    /// Fails unless the `oneOf`/`anyOf` member at `pointer` is a rule on,
    /// or an extension of, an object declaring `declared`; notes in `rules`
    /// the properties it adds and the names it requires.
    fn check_member(
        &self,
        member: SchemaRef<'a>,
        pointer: &str,
        declared: &BTreeSet<String>,
        rules: &mut MemberRules<'a>,
    ) -> Result<()> {
        let resolved = self.resolver.schema(member, pointer)?;
        let at = resolved.pointer.as_str();
        let not_a_rule = |what: &str| {
            Error::unsupported(
                at,
                format!(
                    "a member beside `properties` that {what} is a shape alternative, not a rule \
                     on the object or an extension of it"
                ),
            )
        };
        let mut note = |properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
                        required: &[String]| {
            for (name, property) in properties {
                let known =
                    declared.contains(name) || rules.added.iter().any(|(added, ..)| added == name);
                if !known {
                    rules.added.push((name.clone(), property, at.to_owned()));
                }
            }
            rules
                .required
                .extend(required.iter().map(|name| (name.clone(), at.to_owned())));
        };
        match &resolved.item.schema_kind {
            SchemaKind::Not { .. } => Ok(()),
            SchemaKind::Type(Type::Object(object)) => {
                note(&object.properties, &object.required);
                Ok(())
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
                self.check_members(members, at, key, declared, rules)
            }
            SchemaKind::Any(any) => {
                if !matches!(any.typ.as_deref(), None | Some("object")) {
                    return Err(not_a_rule("is not an object schema"));
                }
                if let Some(keyword) = non_object_keyword(any) {
                    return Err(not_a_rule(&format!(
                        "constrains a non-object value (`{keyword}`)"
                    )));
                }
                note(&any.properties, &any.required);
                self.check_members(&any.one_of, at, "oneOf", declared, rules)?;
                self.check_members(&any.any_of, at, "anyOf", declared, rules)?;
                self.check_members(&any.all_of, at, "allOf", declared, rules)
            }
        }
    }

    fn check_members(
        &self,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
        declared: &BTreeSet<String>,
        rules: &mut MemberRules<'a>,
    ) -> Result<()> {
        for (index, member) in members.iter().enumerate() {
            let at = join(pointer, &[key, &index.to_string()]);
            self.check_member(member.into(), &at, declared, rules)?;
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
