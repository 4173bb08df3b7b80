//! Comparing two type expressions of the IR, property by property, in the
//! direction of the exchange they are part of.

use super::{Context, Direction};
use crate::api_manifest::ChangeClass::{self, Additive, Breaking, Documentation};
use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// A type expression with aliases and boxes looked through.
enum Shape<'a> {
    Scalar(&'a TypeRef),
    Array(&'a TypeRef),
    Map(&'a TypeRef),
    Def(&'a TypeDef),
}

fn shape<'a>(api: &'a Api, mut ty: &'a TypeRef) -> Shape<'a> {
    // Aliases cannot loop (the IR is built from a resolved document), but
    // stay bounded regardless.
    for _ in 0..64 {
        match ty {
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Array(item) => return Shape::Array(item),
            TypeRef::Map(value) => return Shape::Map(value),
            TypeRef::Named(name) => match api.types.get(name) {
                Some(TypeDef {
                    kind: TypeKind::Alias(target),
                    ..
                }) => ty = target,
                Some(def) => return Shape::Def(def),
                None => return Shape::Scalar(ty),
            },
            _ => return Shape::Scalar(ty),
        }
    }
    Shape::Scalar(ty)
}

fn describe(shape: &Shape<'_>) -> String {
    match shape {
        Shape::Scalar(TypeRef::String { format: Some(f) }) => format!("string ({f})"),
        Shape::Scalar(TypeRef::String { format: None }) => "string".to_owned(),
        Shape::Scalar(TypeRef::Integer { bits }) => format!("integer (int{bits})"),
        Shape::Scalar(TypeRef::Number) => "number".to_owned(),
        Shape::Scalar(TypeRef::Boolean) => "boolean".to_owned(),
        Shape::Scalar(_) => "any value".to_owned(),
        Shape::Array(_) => "array".to_owned(),
        Shape::Map(_) => "map".to_owned(),
        Shape::Def(def) => match def.kind {
            TypeKind::Struct(_) => "object".to_owned(),
            TypeKind::Enum(_) | TypeKind::Constants(_) => "enum".to_owned(),
            TypeKind::Union(_) => "union".to_owned(),
            TypeKind::Alias(_) => "alias".to_owned(),
        },
    }
}

/// The class of a change that loosens what one side may send (`looser`
/// true) or tightens it, in `direction`: a request that must say more
/// breaks writers, a response that may say less breaks readers.
fn class_for(direction: Direction, stricter_for_writers: bool) -> ChangeClass {
    match (direction, stricter_for_writers) {
        (Direction::Request, true) | (Direction::Response, false) => Breaking,
        _ => Additive,
    }
}

impl Context<'_> {
    /// Compares `old` (in the old spec) with `new` (in the new one), found
    /// at `location` (new pointer `pointer`).
    pub(super) fn types(
        &mut self,
        direction: Direction,
        location: &str,
        pointer: &str,
        old: &TypeRef,
        new: &TypeRef,
    ) {
        let (a, b) = (shape(self.old, old), shape(self.new, new));
        match (&a, &b) {
            (Shape::Array(x), Shape::Array(y)) => {
                self.types(direction, &format!("{location}[]"), pointer, x, y);
            }
            (Shape::Map(x), Shape::Map(y)) => {
                self.types(direction, &format!("{location}{{}}"), pointer, x, y);
            }
            (Shape::Def(x), Shape::Def(y)) if same_kind(&x.kind, &y.kind) => {
                if self
                    .seen
                    .insert((x.name.clone(), y.name.clone(), direction))
                {
                    self.defs(direction, location, x, y);
                }
            }
            (Shape::Scalar(x), Shape::Scalar(y)) if x == y => {}
            (Shape::Scalar(x), Shape::Scalar(y)) if same_scalar(x, y) => {
                let class = match narrower(x, y) {
                    Some(stricter) => class_for(direction, stricter),
                    None => Breaking,
                };
                self.change(
                    class,
                    direction,
                    "format-changed",
                    location.to_owned(),
                    pointer,
                    format!("{} -> {}", describe(&a), describe(&b)),
                );
            }
            _ => self.change(
                Breaking,
                direction,
                "type-changed",
                location.to_owned(),
                pointer,
                format!("{} -> {}", describe(&a), describe(&b)),
            ),
        }
    }

    fn defs(&mut self, direction: Direction, location: &str, old: &TypeDef, new: &TypeDef) {
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                let by_wire = |fields: &'_ [Field]| -> BTreeMap<String, Field> {
                    fields
                        .iter()
                        .map(|f| (f.wire_name.clone(), f.clone()))
                        .collect()
                };
                let (a, b) = (by_wire(&a.fields), by_wire(&b.fields));
                let mut names: Vec<_> = a.keys().chain(b.keys()).cloned().collect();
                names.sort();
                names.dedup();
                for name in names {
                    let at = if location.is_empty() {
                        name.clone()
                    } else {
                        format!("{location}.{name}")
                    };
                    self.field(direction, &at, a.get(&name), b.get(&name));
                }
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let values = |e: &crate::ir::EnumDef| -> Vec<String> {
                    e.variants
                        .iter()
                        .map(|v| v.wire_value.to_string())
                        .collect()
                };
                let (a, b) = (values(a), values(b));
                self.members(direction, location, &new.pointer, &a, &b, "enum-value");
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                let names = |u: &[crate::ir::UnionVariant]| -> Vec<String> {
                    u.iter().map(|v| v.name.clone()).collect()
                };
                self.members(
                    direction,
                    location,
                    &new.pointer,
                    &names(a),
                    &names(b),
                    "union-member",
                );
            }
            _ => {}
        }
    }

    /// Values (or union members) added and removed: a new one is more a
    /// writer may send and more a reader may see; generated enums keep
    /// values they do not know, so neither breaks a reader.
    fn members(
        &mut self,
        direction: Direction,
        location: &str,
        pointer: &str,
        old: &[String],
        new: &[String],
        what: &'static str,
    ) {
        let (added, removed) = match what {
            "enum-value" => ("enum-value-added", "enum-value-removed"),
            _ => ("union-member-added", "union-member-removed"),
        };
        let enums = what == "enum-value";
        for value in new.iter().filter(|v| !old.contains(v)) {
            let class = if enums {
                Additive
            } else {
                class_for(direction, false)
            };
            self.change(
                class,
                direction,
                added,
                location.to_owned(),
                pointer,
                format!("new {} `{value}`", noun(what)),
            );
        }
        for value in old.iter().filter(|v| !new.contains(v)) {
            self.change(
                class_for(direction, true),
                direction,
                removed,
                location.to_owned(),
                pointer,
                format!("{} `{value}` removed", noun(what)),
            );
        }
    }

    fn field(&mut self, direction: Direction, at: &str, old: Option<&Field>, new: Option<&Field>) {
        match (old, new) {
            (Some(f), None) => self.change(
                Breaking,
                direction,
                "property-removed",
                at.to_owned(),
                &f.pointer,
                "property removed".to_owned(),
            ),
            (None, Some(f)) if f.required => self.change(
                class_for(direction, true),
                direction,
                "property-added-required",
                at.to_owned(),
                &f.pointer,
                "new required property".to_owned(),
            ),
            (None, Some(f)) => self.change(
                Additive,
                direction,
                "property-added-optional",
                at.to_owned(),
                &f.pointer,
                "new optional property".to_owned(),
            ),
            (Some(a), Some(b)) => {
                let p = &b.pointer;
                if a.required != b.required {
                    let (rule, what) = if b.required {
                        ("property-became-required", "became required")
                    } else {
                        ("property-became-optional", "became optional")
                    };
                    self.change(
                        class_for(direction, b.required),
                        direction,
                        rule,
                        at.to_owned(),
                        p,
                        what.to_owned(),
                    );
                }
                if a.nullable != b.nullable {
                    let (rule, what) = if b.nullable {
                        ("property-became-nullable", "may now be null")
                    } else {
                        ("property-became-non-nullable", "may no longer be null")
                    };
                    self.change(
                        class_for(direction, !b.nullable),
                        direction,
                        rule,
                        at.to_owned(),
                        p,
                        what.to_owned(),
                    );
                }
                if a.docs != b.docs {
                    self.change(
                        Documentation,
                        direction,
                        "description-changed",
                        at.to_owned(),
                        p,
                        "description changed".to_owned(),
                    );
                }
                self.types(direction, at, p, &a.ty, &b.ty);
            }
            (None, None) => {}
        }
    }
}

fn same_scalar(a: &TypeRef, b: &TypeRef) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Whether `new` accepts fewer values than `old` (`Some(true)`), more
/// (`Some(false)`), or neither contains the other (`None`): a narrower
/// integer, or a string that gains a format, is stricter.
fn narrower(old: &TypeRef, new: &TypeRef) -> Option<bool> {
    match (old, new) {
        (TypeRef::Integer { bits: a }, TypeRef::Integer { bits: b }) => Some(b < a),
        (TypeRef::String { format: None }, TypeRef::String { format: Some(_) }) => Some(true),
        (TypeRef::String { format: Some(_) }, TypeRef::String { format: None }) => Some(false),
        _ => None,
    }
}

fn noun(what: &str) -> &'static str {
    if what == "enum-value" {
        "value"
    } else {
        "member"
    }
}

fn same_kind(a: &TypeKind, b: &TypeKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}
