//! Whole-graph passes over the named types: boxing recursion and deciding
//! which types can implement `Default`.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Named types a type expression holds directly (inline in memory): not
/// behind a `Vec`, a map or a `Box`.
fn direct_names(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        // `Option<T>` holds its `T` inline.
        TypeRef::Nullable(inner) => direct_names(inner, out),
        TypeRef::Boxed(_) | TypeRef::Array(_) | TypeRef::Map(_) => {}
        TypeRef::String { .. }
        | TypeRef::Integer { .. }
        | TypeRef::Number
        | TypeRef::Boolean
        | TypeRef::Binary
        | TypeRef::Any => {}
    }
}

fn direct_edges(def: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct_names(&f.ty, &mut out)),
        TypeKind::Union(variants) => variants.iter().for_each(|v| direct_names(&v.ty, &mut out)),
        TypeKind::Alias(ty) => direct_names(ty, &mut out),
        TypeKind::Enum(_) | TypeKind::Constants(_) => {}
    }
    out
}

/// Whether `to` can reach `from` through direct edges.
fn reaches(types: &BTreeMap<String, TypeDef>, start: &str, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(name) = stack.pop() {
        if name == target {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(def) = types.get(&name) {
            stack.extend(direct_edges(def));
        }
    }
    false
}

/// Wraps in `Box` every direct field or variant whose type leads back to
/// the type that holds it, so that recursive types have a finite size.
pub fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    for name in names {
        let mut to_box: Vec<usize> = Vec::new();
        {
            let def = &types[&name];
            let slots: Vec<&TypeRef> = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union(v) => v.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::Constants(_) => Vec::new(),
            };
            for (index, ty) in slots.into_iter().enumerate() {
                if let TypeRef::Named(target) = ty {
                    if reaches(types, target, &name) {
                        to_box.push(index);
                    }
                }
            }
        }
        let def = types.get_mut(&name).expect("name taken from the map");
        for index in to_box {
            let slot = match &mut def.kind {
                TypeKind::Struct(s) => &mut s.fields[index].ty,
                TypeKind::Union(v) => &mut v[index].ty,
                TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::Constants(_) => continue,
            };
            let inner = std::mem::replace(slot, TypeRef::Any);
            *slot = TypeRef::Boxed(Box::new(inner));
        }
    }
}

fn ty_has_default(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => types.get(name).is_some_and(|t| t.has_default),
        TypeRef::Boxed(inner) => ty_has_default(types, inner),
        TypeRef::String { .. }
        | TypeRef::Integer { .. }
        | TypeRef::Number
        | TypeRef::Boolean
        | TypeRef::Any
        | TypeRef::Binary
        | TypeRef::Array(_)
        | TypeRef::Map(_)
        | TypeRef::Nullable(_) => true,
    }
}

/// Sets `has_default` on every type whose fields all have defaults (the
/// least fixed point, so a type that requires itself never does).
pub fn mark_defaults(types: &mut BTreeMap<String, TypeDef>) {
    loop {
        let mut changed = Vec::new();
        for (name, def) in types.iter() {
            if def.has_default {
                continue;
            }
            let ok = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.is_optional() || ty_has_default(types, &f.ty)),
                TypeKind::Alias(ty) => ty_has_default(types, ty),
                TypeKind::Enum(e) => e.default.is_some(),
                TypeKind::Union(_) | TypeKind::Constants(_) => false,
            };
            if ok {
                changed.push(name.clone());
            }
        }
        if changed.is_empty() {
            return;
        }
        for name in changed {
            types
                .get_mut(&name)
                .expect("name taken from the map")
                .has_default = true;
        }
    }
}
