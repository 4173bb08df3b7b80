//! Paging a list by the parameters its operation declares.
//!
//! Recognized by name: `limit`/`offset` (and `skip`, `start`), `page` with
//! `per_page`/`page_size`/`size`, the deep object `page[number]`/
//! `page[size]`, and cursors (`cursor`, `after`, `starting_after`,
//! `page_token`…), which are opaque to the client and hold the index of
//! the next item here (or name the item to start after). The envelope's
//! paging fields (`total`, `page`, `per_page`, `total_pages`, `has_more`,
//! `next_cursor`…) are filled where the body has them.

use super::query::Decoded;
use generator::ir::{Api, Operation, QueryStyle, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// A query parameter (or a property of a deep-object one) and its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    name: String,
    /// The property of a deep object (`number` of `page[number]`).
    property: Option<String>,
    default: Option<i64>,
}

/// How an operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// Every item at once.
    None,
    /// A start index and a size.
    Offset {
        /// The size parameter.
        limit: Option<Param>,
        /// The start parameter.
        offset: Option<Param>,
    },
    /// A page number (from 1, or from 0 when its default is 0) and a size.
    Page {
        /// The page parameter.
        page: Param,
        /// The size parameter.
        size: Option<Param>,
    },
    /// An opaque cursor and a size.
    Cursor {
        /// The cursor parameter.
        cursor: Param,
        /// The size parameter.
        size: Option<Param>,
    },
}

/// The part of a list one request sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Index of the first item.
    pub start: usize,
    /// Items per page.
    pub size: usize,
    /// The page number as the client counts it.
    pub page: usize,
    /// The cursor of the next page, if there is one.
    pub next_cursor: Option<String>,
}

const SIZE: [&str; 9] = [
    "limit",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "size",
    "count",
    "max_results",
    "maxresults",
];
const OFFSET: [&str; 3] = ["offset", "skip", "start"];
const PAGE: [&str; 3] = ["page", "page_number", "pagenumber"];
const CURSOR: [&str; 9] = [
    "cursor",
    "after",
    "starting_after",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
];

/// How `op` pages, from the names of its query parameters.
pub fn detect(api: &Api, op: &Operation) -> Paging {
    let Some(query) = &op.query else {
        return Paging::None;
    };
    let defaults = api
        .types
        .get(&query.type_name)
        .and_then(|def| match &def.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        });
    let default_of = |wire: &str| {
        defaults?
            .fields
            .iter()
            .find(|f| f.wire_name == wire)?
            .default
            .as_ref()?
            .as_i64()
    };
    let find = |names: &[&str]| {
        query
            .params
            .iter()
            .filter(|p| p.style != QueryStyle::DeepObject)
            .find(|p| names.contains(&p.wire_name.to_ascii_lowercase().as_str()))
            .map(|p| Param {
                name: p.wire_name.clone(),
                property: None,
                default: default_of(&p.wire_name),
            })
    };
    let size = find(&SIZE);
    if let Some(cursor) = find(&CURSOR) {
        return Paging::Cursor { cursor, size };
    }
    if let Some(offset) = find(&OFFSET) {
        return Paging::Offset {
            limit: size,
            offset: Some(offset),
        };
    }
    if let Some(page) = find(&PAGE) {
        return Paging::Page { page, size };
    }
    if let Some(deep) = query
        .params
        .iter()
        .find(|p| p.style == QueryStyle::DeepObject && p.wire_name == "page")
    {
        let property = |names: &[&str]| {
            let s = deep_struct(api, &deep.ty)?;
            let field = s
                .fields
                .iter()
                .find(|f| names.contains(&f.wire_name.as_str()))?;
            Some(Param {
                name: deep.wire_name.clone(),
                property: Some(field.wire_name.clone()),
                default: field.default.as_ref().and_then(Value::as_i64),
            })
        };
        if let Some(page) = property(&["number", "page"]) {
            return Paging::Page {
                page,
                size: property(&["size", "per_page", "limit"]),
            };
        }
        if let Some(after) = property(&["after", "cursor"]) {
            return Paging::Cursor {
                cursor: after,
                size: property(&["size", "limit"]),
            };
        }
    }
    match size {
        Some(size) => Paging::Offset {
            limit: Some(size),
            offset: None,
        },
        None => Paging::None,
    }
}

fn deep_struct<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<&'a generator::ir::StructDef> {
    match &generator::ir::struct_behind(&api.types, ty)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

fn value<'q>(query: &'q Decoded, param: &Param) -> Option<&'q Value> {
    let (_, value) = query.iter().find(|(name, _)| *name == param.name)?;
    match &param.property {
        Some(property) => value.get(property),
        None => Some(value),
    }
}

fn number(query: &Decoded, param: Option<&Param>) -> Option<i64> {
    let param = param?;
    value(query, param)
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .or(param.default)
}

/// The window a request asks for over `ids` (the ids of the whole list,
/// in order, for cursors that name the item to start after).
pub fn window(paging: &Paging, query: &Decoded, ids: &[String]) -> Window {
    let total = ids.len();
    let size_of = |size: Option<&Param>| {
        number(query, size)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(20)
    };
    match paging {
        Paging::None => Window {
            start: 0,
            size: total.max(1),
            page: 1,
            next_cursor: None,
        },
        Paging::Offset { limit, offset } => {
            let size = size_of(limit.as_ref());
            let start = number(query, offset.as_ref())
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0);
            Window {
                start,
                size,
                page: start / size + 1,
                next_cursor: None,
            }
        }
        Paging::Page { page, size } => {
            let size = size_of(size.as_ref());
            let first = if page.default == Some(0) { 0 } else { 1 };
            let number = number(query, Some(page))
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(first)
                .max(first);
            Window {
                start: (number - first).saturating_mul(size),
                size,
                page: number,
                next_cursor: None,
            }
        }
        Paging::Cursor { cursor, size } => {
            let size = size_of(size.as_ref());
            let start = match value(query, cursor).and_then(Value::as_str) {
                Some(text) => match ids.iter().position(|id| id == text) {
                    Some(at) => at + 1,
                    None => text.parse().unwrap_or(total),
                },
                None => 0,
            };
            let next = start.saturating_add(size);
            Window {
                start,
                size,
                page: start / size + 1,
                next_cursor: (next < total).then(|| next.to_string()),
            }
        }
    }
}

/// Fills the paging fields of a list body (at its root and in objects one
/// level down, such as `meta`), where the template holds a value of the
/// same JSON type.
pub fn fill_meta(body: &mut Value, window: &Window, shown: usize, total: usize) {
    let Value::Object(map) = body else { return };
    fill_object(map, window, shown, total);
    for (_, value) in map.iter_mut() {
        if let Value::Object(inner) = value {
            fill_object(inner, window, shown, total);
        }
    }
}

fn fill_object(map: &mut Map<String, Value>, window: &Window, shown: usize, total: usize) {
    let pages = total.div_ceil(window.size.max(1)).max(1);
    let more = window.start.saturating_add(shown) < total;
    for (key, value) in map.iter_mut() {
        let key: String = key
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        let number = match key.as_str() {
            "total" | "totalcount" | "totalresults" | "totalitems" | "totalentries" => Some(total),
            "totalpages" | "pagecount" | "pages" => Some(pages),
            "page" | "pagenumber" | "currentpage" | "number" => Some(window.page),
            "perpage" | "pagesize" | "limit" | "size" => Some(window.size),
            "offset" | "skip" | "start" => Some(window.start),
            "count" => Some(shown),
            _ => None,
        };
        match (number, &*value) {
            (Some(n), Value::Number(_)) => *value = Value::from(n),
            (None, Value::Bool(_))
                if matches!(key.as_str(), "hasmore" | "hasnext" | "hasnextpage" | "more") =>
            {
                *value = Value::Bool(more);
            }
            (None, Value::String(_) | Value::Null)
                if matches!(
                    key.as_str(),
                    "nextcursor" | "nextpagetoken" | "nexttoken" | "next" | "endcursor"
                ) =>
            {
                *value = match &window.next_cursor {
                    Some(cursor) => Value::String(cursor.clone()),
                    None => Value::Null,
                };
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Paging, Param, Window, fill_meta, window};
    use serde_json::json;

    fn param(name: &str, property: Option<&str>, default: Option<i64>) -> Param {
        Param {
            name: name.to_owned(),
            property: property.map(str::to_owned),
            default,
        }
    }

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("i{i}")).collect()
    }

    #[test]
    fn windows_for_each_style() {
        let offset = Paging::Offset {
            limit: Some(param("limit", None, Some(2))),
            offset: Some(param("offset", None, None)),
        };
        let w = window(&offset, &vec![("offset".into(), json!(3))], &ids(5));
        assert_eq!((w.start, w.size, w.page), (3, 2, 2));
        let deep = Paging::Page {
            page: param("page", Some("number"), None),
            size: Some(param("page", Some("size"), None)),
        };
        let w = window(
            &deep,
            &vec![("page".into(), json!({"number": 2, "size": 2}))],
            &ids(5),
        );
        assert_eq!((w.start, w.size, w.page), (2, 2, 2));
        let cursor = Paging::Cursor {
            cursor: param("after", None, None),
            size: Some(param("limit", None, None)),
        };
        let query = vec![("after".into(), json!("i2")), ("limit".into(), json!(2))];
        let w = window(&cursor, &query, &ids(5));
        assert_eq!((w.start, w.next_cursor.as_deref()), (2, Some("4")));
        let last = vec![("after".into(), json!("4")), ("limit".into(), json!(2))];
        assert_eq!(window(&cursor, &last, &ids(5)).next_cursor, None);
    }

    #[test]
    fn meta_fields_of_the_template_are_filled() {
        let w = Window {
            start: 2,
            size: 2,
            page: 2,
            next_cursor: Some("4".into()),
        };
        let mut body = json!({
            "data": [], "has_more": false, "next_cursor": null,
            "meta": {"total_results": 0, "total_pages": 0, "page_number": 0, "page_size": 0},
            "label": "kept"
        });
        fill_meta(&mut body, &w, 2, 5);
        assert_eq!(
            body,
            json!({
                "data": [], "has_more": true, "next_cursor": "4",
                "meta": {"total_results": 5, "total_pages": 3, "page_number": 2, "page_size": 2},
                "label": "kept"
            })
        );
    }
}
