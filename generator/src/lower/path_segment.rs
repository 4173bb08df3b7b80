//! Which types a path parameter may have, and how each is written into
//! its segment ([`PathValue`]).
//!
//! A segment is text, so a parameter's type must have a scalar JSON form:
//! a string, number or boolean, a string enum, or a named type that is one
//! of those (an alias, possibly of an alias) or a union of them (`oneOf`
//! of an integer and a string). Lists, maps, objects and free-form values
//! are refused with a reason that names the type as the spec does.

use crate::ir::{PathValue, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// How a value of `ty` is written into a path segment, or why it cannot be
/// one.
pub(super) fn path_value(
    types: &BTreeMap<String, TypeDef>,
    ty: &TypeRef,
) -> Result<PathValue, String> {
    classify(types, ty, 0)
}

/// Aliases and unions nest; a chain this long is a cycle.
const MAX_DEPTH: usize = 32;

fn classify(
    types: &BTreeMap<String, TypeDef>,
    ty: &TypeRef,
    depth: usize,
) -> Result<PathValue, String> {
    match ty {
        TypeRef::String { .. } => Ok(PathValue::Text),
        TypeRef::Integer { .. } | TypeRef::Number | TypeRef::Boolean => Ok(PathValue::Scalar),
        TypeRef::Boxed(inner) => classify(types, inner, depth + 1),
        TypeRef::Named(name) => named(types, name, depth),
        other => Err(format!("{} cannot be a path segment", describe(other))),
    }
}

fn named(types: &BTreeMap<String, TypeDef>, name: &str, depth: usize) -> Result<PathValue, String> {
    let Some(def) = types.get(name).filter(|_| depth < MAX_DEPTH) else {
        return Err(format!("`{name}` cannot be a path segment"));
    };
    // A component is named as the spec names it; an inline schema is only
    // described.
    let label = |what: String| match &def.component {
        Some(key) => format!("`{key}` ({what}) cannot be a path segment"),
        None => format!("{what} cannot be a path segment"),
    };
    match &def.kind {
        TypeKind::Enum(_) => Ok(PathValue::Enum),
        // A newtype of a scalar: written as its JSON scalar.
        TypeKind::Constants(_) => Ok(PathValue::Json),
        TypeKind::Alias(target) => {
            classify(types, target, depth + 1).map_err(|_| label(describe(target)))
        }
        TypeKind::Union(variants) => {
            for variant in variants {
                if classify(types, &variant.ty, depth + 1).is_err() {
                    return Err(label(format!("a union with {}", describe(&variant.ty))));
                }
            }
            Ok(PathValue::Json)
        }
        TypeKind::Struct(_) => Err(label("an object".to_owned())),
    }
}

/// A type expression in the words of the spec.
pub(super) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "a string".to_owned(),
        TypeRef::Integer { .. } => "an integer".to_owned(),
        TypeRef::Number => "a number".to_owned(),
        TypeRef::Boolean => "a boolean".to_owned(),
        TypeRef::Any => "any JSON value".to_owned(),
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::Array(_) => "a list".to_owned(),
        TypeRef::Map(_) => "a map".to_owned(),
        TypeRef::Boxed(inner) => describe(inner),
        TypeRef::Nullable(inner) => format!("{} or null", describe(inner)),
        TypeRef::Binary => "a file".to_owned(),
    }
}
