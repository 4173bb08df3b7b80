//! `allOf`: the members' object schemas merged into one struct.
//!
//! Members are followed through `$ref`s and nested `allOf`s (each merged
//! once); a later member may tighten a property an earlier one declared,
//! which keeps its first place. `allOf: [X]` alone is X. Beside
//! `properties` (see `composition`), the schema's own properties are the
//! first member. A `not` member only excludes values and adds no field.

use super::Lowering;
use super::path_segment::describe;
use super::schema::ObjectShape;
use crate::error::{Error, Result, Warning};
use crate::ir::{Field, TypeRef};
use crate::names::{self, Namespace};
use crate::pointer::join;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

/// What the members of an `allOf` add up to.
#[derive(Default)]
struct AllOfMerge {
    /// The merged fields, in the order they were first declared.
    fields: Vec<Field>,
    /// The value type of the last member's `additionalProperties`.
    additional: Option<TypeRef>,
    /// Members already merged, by pointer (a member reached twice through
    /// nested `allOf`s is merged once).
    seen: BTreeSet<String>,
    /// Every member's `required` names, with the pointer of that list: a
    /// member may require a property that another member declares.
    required: Vec<(String, String)>,
}

impl<'a> Lowering<'a> {
    /// Merges the object schemas of an `allOf`, after the schema's `own`
    /// properties when it has some beside it, into one struct.
    pub(super) fn lower_all_of(
        &mut self,
        schema: &'a Schema,
        parts: &'a [ReferenceOr<Schema>],
        own: Option<&ObjectShape<'a>>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        if let ([only], None) = (parts, own) {
            // `allOf: [X]` is the 3.0 idiom for "X, with a description".
            let at = join(pointer, &["allOf", "0"]);
            return Ok(self.lower_schema_ref(only.into(), &at, hint)?.ty);
        }
        let name = self.name_for(pointer, hint);
        let mut merge = AllOfMerge::default();
        if let Some(own) = own {
            merge.seen.insert(pointer.to_owned());
            merge.fields = self.lower_fields(own.properties, own.required, pointer, &name)?;
            let required_at = join(pointer, &["required"]);
            merge.required.extend(
                own.required
                    .iter()
                    .map(|name| (name.clone(), required_at.clone())),
            );
            merge.additional = match own.additional {
                Some(AdditionalProperties::Schema(value)) => Some(
                    self.lower_schema_ref(
                        value.as_ref().into(),
                        &join(pointer, &["additionalProperties"]),
                        &format!("{name}_value"),
                    )?
                    .ty,
                ),
                Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
                Some(AdditionalProperties::Any(false)) | None => None,
            };
        }
        self.collect_all_of(parts, pointer, &name, &mut merge)?;
        for (wire_name, at) in &merge.required {
            match merge.fields.iter_mut().find(|f| &f.wire_name == wire_name) {
                Some(field) => field.required = true,
                None => self.warnings.push(Warning {
                    pointer: at.clone(),
                    message: format!(
                        "`{wire_name}` is required but not among the properties of any `allOf` \
                         member: no field is generated for it (contract checks still require it)"
                    ),
                }),
            }
        }
        // Field names were claimed per member; make them unique across the merge.
        let mut field_names = Namespace::new();
        for field in &mut merge.fields {
            field.name = field_names.claim(names::field_name(&field.wire_name));
        }
        self.define_struct(name, schema, pointer, merge.fields, merge.additional)
    }

    fn collect_all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &str,
        owner: &str,
        merge: &mut AllOfMerge,
    ) -> Result<()> {
        for (index, part) in parts.iter().enumerate() {
            let at = join(pointer, &["allOf", &index.to_string()]);
            let resolved = self.resolver.schema(part.into(), &at)?;
            if !merge.seen.insert(resolved.pointer.clone()) {
                continue;
            }
            let (properties, required, extra) = match &resolved.item.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    (&o.properties, &o.required, o.additional_properties.as_ref())
                }
                SchemaKind::Any(a)
                    if a.one_of.is_empty() && a.any_of.is_empty() && a.all_of.is_empty() =>
                {
                    (&a.properties, &a.required, a.additional_properties.as_ref())
                }
                SchemaKind::AllOf { all_of } => {
                    self.collect_all_of(all_of, &resolved.pointer, owner, merge)?;
                    continue;
                }
                // Only excludes values: no field to add.
                SchemaKind::Not { .. } => continue,
                _ => {
                    return Err(Error::unsupported(
                        &resolved.pointer,
                        "an `allOf` member that is not an object schema cannot be merged into a struct",
                    ));
                }
            };
            let mut part_fields =
                self.lower_fields(properties, required, &resolved.pointer, owner)?;
            // A later member may tighten an earlier property (e.g. make it
            // required); it keeps its first place.
            for field in part_fields.drain(..) {
                match merge
                    .fields
                    .iter_mut()
                    .find(|f| f.wire_name == field.wire_name)
                {
                    Some(existing) => {
                        let (before, after) = (describe(&existing.ty), describe(&field.ty));
                        let both_named = matches!(
                            (&existing.ty, &field.ty),
                            (TypeRef::Named(_), TypeRef::Named(_))
                        );
                        if existing.ty == TypeRef::Any {
                            // An earlier member left it open (`{}`): the
                            // later one says what it is.
                            existing.ty = field.ty.clone();
                        } else if before != after && !both_named && field.ty != TypeRef::Any {
                            self.warnings.push(Warning {
                                pointer: field.pointer.clone(),
                                message: format!(
                                    "`{}` is {after} here but {before} in an earlier `allOf` \
                                     member: the field keeps the first type (a value must \
                                     match both; contract checks still check both)",
                                    field.wire_name
                                ),
                            });
                        }
                        existing.required |= field.required;
                        existing.docs = existing.docs.take().or(field.docs);
                    }
                    None => merge.fields.push(field),
                }
            }
            let required_at = join(&resolved.pointer, &["required"]);
            merge.required.extend(
                required
                    .iter()
                    .map(|name| (name.clone(), required_at.clone())),
            );
            if let Some(AdditionalProperties::Schema(value)) = extra {
                let value = self.lower_schema_ref(
                    value.as_ref().into(),
                    &join(&resolved.pointer, &["additionalProperties"]),
                    &format!("{owner}_value"),
                )?;
                merge.additional = Some(value.ty);
            }
        }
        Ok(())
    }
}
