//! The components a set of path items uses, transitively.

use super::METHODS;
use crate::error::{Error, Result};
use crate::pointer::{escape_token, join, unescape_token};
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The used components, by kind (`schemas`, …), then name.
pub(super) type Components = BTreeMap<String, Mapping>;

/// Keys whose values are data, not parts of the document: a `$ref` in an
/// example is text, not a reference.
const DATA: [&str; 5] = ["example", "default", "enum", "const", "value"];

/// Every component that `paths` (and the document's `security`) use,
/// following references inside components too.
pub(super) fn components(root: &Mapping, paths: &Mapping) -> Result<Components> {
    let empty = Mapping::new();
    let source = root
        .get("components")
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut work: Vec<(String, &Value)> = Vec::new();
    let mut schemes: Vec<(String, String)> = Vec::new();
    security(root.get("security"), "#/security", &mut schemes);
    for (key, item) in paths {
        let at = join("#/paths", &[key.as_str().unwrap_or_default()]);
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let at = join(&at, &[method, "security"]);
                security(operation.get("security"), &at, &mut schemes);
            }
        }
        work.push((at, item));
    }
    for (at, name) in schemes {
        let declared = source
            .get("securitySchemes")
            .and_then(|s| s.get(name.as_str()))
            .is_some();
        if !declared {
            return Err(Error::invalid(
                &at,
                format!("`{name}` is not declared in `components.securitySchemes`"),
            ));
        }
        found.insert(("securitySchemes".to_owned(), name));
    }
    while let Some((at, value)) = work.pop() {
        let mut refs = Vec::new();
        scan(value, &at, false, &mut refs);
        for (at, reference) in refs {
            let Some((kind, name)) = component_of(&reference, &at, paths)? else {
                continue;
            };
            let Some(component) = source.get(kind.as_str()).and_then(|k| k.get(name.as_str()))
            else {
                return Err(Error::DanglingRef {
                    pointer: at,
                    reference,
                });
            };
            if found.insert((kind.clone(), name.clone())) {
                work.push((join("#/components", &[&kind, &name]), component));
            }
        }
    }
    let mut out = Components::new();
    for (kind, name) in found {
        let value = source[kind.as_str()][name.as_str()].clone();
        out.entry(kind).or_default().insert(name.into(), value);
    }
    Ok(out)
}

/// The scheme names of a `security` list, with where each is written.
fn security(list: Option<&Value>, at: &str, out: &mut Vec<(String, String)>) {
    for (index, requirement) in list
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .enumerate()
    {
        for name in requirement
            .as_mapping()
            .into_iter()
            .flatten()
            .filter_map(|(k, _)| k.as_str())
        {
            out.push((join(at, &[&index.to_string(), name]), name.to_owned()));
        }
    }
}

/// Keys whose values map names (property names, statuses, media types,
/// header names) to parts of the document, so that no key in them is data
/// (a `default` response is a response, not a default value).
const NAME_MAPS: [&str; 7] = [
    "properties",
    "responses",
    "content",
    "headers",
    "encoding",
    "links",
    "callbacks",
];

/// Whether the value of `key` is data (examples, defaults, enum values),
/// where a `$ref` key is text, not a reference.
fn is_data(key: &str, value: &Value) -> bool {
    DATA.contains(&key) || key == "examples" && value.is_sequence()
}

/// Collects `(pointer, reference)` for every `$ref` and discriminator
/// mapping under `value`, written at `at`. `names` says that `value` is a
/// map of names to parts ([`NAME_MAPS`]), where no key is data.
fn scan(value: &Value, at: &str, names: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = key.as_str().unwrap_or_default();
                let here = join(at, &[key]);
                if !names && key == "$ref" {
                    if let Some(reference) = child.as_str() {
                        out.push((here, reference.to_owned()));
                    }
                } else if !names && key == "discriminator" {
                    let mapping = child.get("mapping").and_then(Value::as_mapping);
                    for (tag, target) in mapping.into_iter().flatten() {
                        let Some(target) = target.as_str() else {
                            continue;
                        };
                        let reference = if target.starts_with('#') || target.contains('/') {
                            target.to_owned()
                        } else {
                            format!("#/components/schemas/{}", escape_token(target))
                        };
                        let tag = tag.as_str().unwrap_or_default();
                        out.push((join(&here, &["mapping", tag]), reference));
                    }
                } else if names || !is_data(key, child) {
                    scan(child, &here, !names && NAME_MAPS.contains(&key), out);
                }
            }
        }
        Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                scan(item, &join(at, &[&index.to_string()]), false, out);
            }
        }
        _ => {}
    }
}

/// The component `(kind, name)` that `reference` (written at `at`) points
/// into; `None` for a reference elsewhere in the fragment.
fn component_of(reference: &str, at: &str, paths: &Mapping) -> Result<Option<(String, String)>> {
    let Some(pointer) = reference.strip_prefix('#') else {
        return Err(Error::unsupported(
            at,
            format!("external reference `{reference}`: a sync reads one document"),
        ));
    };
    let parts: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
    match parts.as_slice() {
        [first, kind, name, ..] if first == "components" => Ok(Some((kind.clone(), name.clone()))),
        [first, path, ..] if first == "paths" => {
            if paths.contains_key(path.as_str()) {
                Ok(None)
            } else {
                Err(Error::unsupported(
                    at,
                    format!("`{reference}` points into a path that is not selected"),
                ))
            }
        }
        _ => Ok(None),
    }
}

/// The tags the operations of `paths` use.
pub(super) fn used_tags(paths: &Mapping) -> BTreeSet<String> {
    let mut tags = BTreeSet::new();
    for (_, item) in paths {
        for method in METHODS {
            let list = item
                .get(method)
                .and_then(|op| op.get("tags"))
                .and_then(Value::as_sequence);
            tags.extend(
                list.into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned),
            );
        }
    }
    tags
}
