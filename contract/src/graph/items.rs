//! Naming heuristics: which field of an item is its id, where an item
//! sits in a response body (the body itself or an envelope field), and
//! where a list's items are.

use super::{schema_view, segments};
use serde_json::Value;

/// Names of an envelope's field holding one item, most likely first.
pub const ITEM_FIELDS: [&str; 5] = ["data", "item", "result", "resource", "object"];
/// Names of an envelope's field holding a list's items.
pub(super) const LIST_FIELDS: [&str; 6] =
    ["data", "items", "results", "records", "entries", "values"];

/// The names an item's id field may have for path parameter `param` of
/// collection `collection`, most likely first.
pub(crate) fn id_candidates(param: &str, collection: &str) -> Vec<String> {
    let mut out = vec![param.to_owned()];
    let lower = param.to_ascii_lowercase();
    let snake = snake_case(param);
    let noun = segments(collection)
        .last()
        .map(|s| singular(&s.to_ascii_lowercase()))
        .unwrap_or_default();
    // `b_id` → `id`; `b_name` → `name`; `bId` → `id`.
    let suffix = ["id", "uuid", "name", "key", "slug", "code"]
        .into_iter()
        .find(|suffix| snake.ends_with(&format!("_{suffix}")) || snake == *suffix);
    let names_a_name = suffix.is_some_and(|s| s != "id" && s != "uuid")
        || (suffix.is_none() && (lower == noun || noun.starts_with(&lower)));
    let mut push = |name: String| {
        if !out.contains(&name) {
            out.push(name);
        }
    };
    if let Some(suffix) = suffix {
        push(suffix.to_owned());
    }
    push(snake.clone());
    if suffix.is_none() {
        // `thing` → `thing_id`, `thingId`.
        push(format!("{snake}_id"));
        push(format!("{param}Id"));
    }
    let fallbacks: &[&str] = if names_a_name {
        &["name", "id", "key", "slug", "uuid"]
    } else {
        &["id", "uuid", "name", "key", "slug"]
    };
    for name in fallbacks {
        push((*name).to_owned());
    }
    out
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out
}

/// The singular of a collection's noun (`databases` → `database`,
/// `policies` → `policy`, `boxes` → `box`).
pub fn singular(noun: &str) -> String {
    if let Some(stem) = noun.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "uses", "xes", "ches", "shes"] {
        if noun.ends_with(suffix) {
            return noun[..noun.len() - 2].to_owned();
        }
    }
    noun.strip_suffix('s').unwrap_or(noun).to_owned()
}

/// Where the item is in a body of schema `schema` (the body itself, or
/// under an envelope field), and its id field among `candidates`.
pub(super) fn find_item(
    document: &Value,
    schema: &Value,
    candidates: &[String],
) -> Option<(String, String)> {
    let id_in = |schema: &Value| {
        let names = schema_view::properties(document, schema);
        candidates
            .iter()
            .find(|c| names.iter().any(|(name, _)| name == *c))
            .cloned()
    };
    if let Some(field) = id_in(schema) {
        return Some((String::new(), field));
    }
    let properties = schema_view::properties(document, schema);
    let mut envelopes: Vec<&(&str, &Value)> = properties
        .iter()
        .filter(|(_, s)| schema_view::is_object(document, s))
        .collect();
    envelopes.sort_by_key(|(name, _)| {
        ITEM_FIELDS
            .iter()
            .position(|f| f == name)
            .unwrap_or(ITEM_FIELDS.len())
    });
    envelopes.into_iter().find_map(|(name, inner)| {
        id_in(inner).map(|field| {
            (
                format!("/{}", generator::pointer::escape_token(name)),
                field,
            )
        })
    })
}

/// Where a list's items are (the body, or an envelope's array field), and
/// their schema.
pub(super) fn find_items<'a>(document: &'a Value, collection: &str) -> Option<(String, &'a Value)> {
    if let Some(items) = schema_view::array_items(document, document) {
        return Some((String::new(), items));
    }
    let noun = segments(collection)
        .last()
        .map(|s| (*s).to_owned())
        .unwrap_or_default();
    let mut arrays: Vec<(&str, &Value)> = schema_view::properties(document, document)
        .into_iter()
        .filter_map(|(name, s)| schema_view::array_items(document, s).map(|items| (name, items)))
        .collect();
    arrays.sort_by_key(|(name, _)| {
        LIST_FIELDS
            .iter()
            .position(|f| f == name)
            .unwrap_or(if *name == noun {
                LIST_FIELDS.len()
            } else {
                LIST_FIELDS.len() + 1
            })
    });
    arrays.into_iter().next().map(|(name, items)| {
        (
            format!("/{}", generator::pointer::escape_token(name)),
            items,
        )
    })
}
