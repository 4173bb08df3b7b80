//! `discriminator` on a `oneOf`/`anyOf`: which tag values select which
//! member.
//!
//! Every member must be a `$ref` to a component schema (or `allOf: [$ref]`,
//! the form a 3.1 `$ref` with annotations beside it is read as); a union
//! with an inline member is untagged, with a warning. A member
//! is selected by the `mapping` keys whose value names its component (a
//! reference `#/components/schemas/X` or the bare name `X`), in mapping
//! order, else by its component key, as OpenAPI says. Its variant is named
//! after its first mapping key, else after the component. A mapping entry
//! naming a schema that is not a member selects nothing here (the union
//! rejects such a payload anyway) and is only checked for a dangling
//! reference. The union also gets a variant that keeps any other payload
//! (an unknown tag, or none) as a JSON value.

use super::Lowering;
use crate::error::{Error, Result};
use crate::pointer::join;
use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind};

/// How one member of a discriminated union is selected and named.
pub(super) struct MemberTag {
    /// What the variant is named after.
    pub label: String,
    /// The tag values that select it.
    pub values: Vec<String>,
}

impl<'a> Lowering<'a> {
    /// The tag values and variant label of each of `members`, in order.
    pub(super) fn discriminator_tags(
        &self,
        discriminator: &'a Discriminator,
        members: &'a [ReferenceOr<Schema>],
        pointer: &str,
        key: &str,
    ) -> Result<Vec<MemberTag>> {
        let mapping_at = join(pointer, &["discriminator", "mapping"]);
        let mut mapped: Vec<(&'a str, &'a str)> = Vec::new();
        for (value, target) in &discriminator.mapping {
            let component = if target.starts_with('#') {
                self.resolver
                    .schema_ref_target(target, &join(&mapping_at, &[value]))?
            } else {
                target.as_str()
            };
            mapped.push((value, component));
        }
        let mut tags: Vec<MemberTag> = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let at = join(pointer, &[key, &index.to_string()]);
            let component = self.member_component(member, &at)?;
            let values: Vec<String> = mapped
                .iter()
                .filter(|(_, target)| *target == component)
                .map(|(value, _)| (*value).to_owned())
                .collect();
            let (label, values) = match values.first() {
                Some(first) => (first.clone(), values),
                None => (component.to_owned(), vec![component.to_owned()]),
            };
            if let Some(taken) = values
                .iter()
                .find(|value| tags.iter().any(|tag| tag.values.contains(value)))
            {
                return Err(Error::invalid(
                    &at,
                    format!(
                        "the discriminator value `{taken}` selects this member and an earlier one"
                    ),
                ));
            }
            tags.push(MemberTag { label, values });
        }
        Ok(tags)
    }

    /// Whether a member is a `$ref` (or `allOf: [$ref]`), the members a
    /// discriminator can select.
    pub(super) fn names_a_component(member: &ReferenceOr<Schema>) -> bool {
        match member {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(schema) => matches!(
                &schema.schema_kind,
                SchemaKind::AllOf { all_of } if matches!(all_of.as_slice(), [ReferenceOr::Reference { .. }])
            ),
        }
    }

    /// The component key a member of a discriminated union refers to.
    fn member_component(&self, member: &'a ReferenceOr<Schema>, at: &str) -> Result<&'a str> {
        match member {
            ReferenceOr::Reference { reference } => self.resolver.schema_ref_target(reference, at),
            ReferenceOr::Item(schema) => match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                    [ReferenceOr::Reference { reference }] => self
                        .resolver
                        .schema_ref_target(reference, &join(at, &["allOf", "0"])),
                    _ => Err(not_a_reference(at)),
                },
                _ => Err(not_a_reference(at)),
            },
        }
    }
}

fn not_a_reference(at: &str) -> Error {
    Error::unsupported(
        at,
        "a member of a union with a `discriminator` must be a `$ref` to a component schema",
    )
}
