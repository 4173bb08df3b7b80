//! Decoding a query string into JSON values, one per declared parameter.
//!
//! The inverse of the client's encoding, driven by the IR: `deepObject`
//! keys (`filter[email][contains]=x`) become nested objects, repeated form
//! keys become arrays, a parameter described by JSON `content` is read as
//! JSON text, and scalars are read as the schema's type (a value
//! that does not read as that type stays a string, so that validation
//! reports it against the schema). Undeclared parameters are ignored.
//! A key that cannot be decoded is a [`QueryProblem`] (the key as sent and
//! the [`Detail`]), which the engine answers with a 400.

use generator::ir::{Api, Operation, QueryStyle, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// A parameter problem found while decoding, before schema validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryProblem {
    /// The query key at fault, as sent (`filter[email][contains]`).
    pub parameter: String,
    /// What is wrong.
    pub detail: Detail,
}

/// What is wrong with one query key (the engine sends the text as the
/// 400's detail, beside the key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Detail {
    /// `a[b` and the like.
    #[error("malformed parameter name (unbalanced brackets)")]
    UnbalancedBrackets,
    /// A deepObject parameter sent without `[property]`.
    #[error("`{root}` is a deep object: send `{root}[property]=value`")]
    NotDeep {
        /// The parameter.
        root: String,
    },
    /// A JSON-content parameter sent with `[...]` or twice.
    #[error("`{root}` is one JSON value: send `{root}=<JSON>` once")]
    JsonOnce {
        /// The parameter.
        root: String,
    },
    /// A JSON-content parameter whose value is not JSON.
    #[error("`{root}` is not JSON: {message}")]
    NotJson {
        /// The parameter.
        root: String,
        /// The JSON parser's message.
        message: String,
    },
    /// A form parameter sent with `[...]`.
    #[error("`{root}` takes no `[...]` part")]
    NoBrackets {
        /// The parameter.
        root: String,
    },
    /// A key given as a value and as an object (`f=1&f[a]=2`).
    #[error("given both as a value and as an object")]
    ValueAndObject,
    /// A key given as a list and as something else.
    #[error("given both as a list and as something else")]
    ListAndOther,
    /// A declared scalar given twice.
    #[error("given more than once")]
    GivenTwice,
}

/// The decoded parameters, by wire name, in the order they were declared.
pub type Decoded = Vec<(String, Value)>;

/// Decodes `raw` (without the `?`) for `operation`.
pub fn decode(api: &Api, operation: &Operation, raw: &str) -> Result<Decoded, QueryProblem> {
    let Some(query) = &operation.query else {
        return Ok(Vec::new());
    };
    let mut values: Vec<(String, Value)> = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let (root, path) = split_key(&key).ok_or_else(|| QueryProblem {
            parameter: key.to_string(),
            detail: Detail::UnbalancedBrackets,
        })?;
        let Some(param) = query.params.iter().find(|p| p.wire_name == root) else {
            continue;
        };
        let slot = match values.iter().position(|(name, _)| name == root) {
            Some(index) => index,
            None => {
                values.push((root.to_owned(), Value::Null));
                values.len() - 1
            }
        };
        let current = &mut values[slot].1;
        match param.style {
            QueryStyle::DeepObject => {
                if path.is_empty() {
                    return Err(QueryProblem {
                        parameter: key.to_string(),
                        detail: Detail::NotDeep {
                            root: root.to_owned(),
                        },
                    });
                }
                insert_deep(api, current, &param.ty, &path, &value).map_err(|detail| {
                    QueryProblem {
                        parameter: key.to_string(),
                        detail,
                    }
                })?;
            }
            QueryStyle::Json => {
                if !path.is_empty() || !current.is_null() {
                    return Err(QueryProblem {
                        parameter: key.to_string(),
                        detail: Detail::JsonOnce {
                            root: root.to_owned(),
                        },
                    });
                }
                *current = serde_json::from_str(&value).map_err(|err| QueryProblem {
                    parameter: key.to_string(),
                    detail: Detail::NotJson {
                        root: root.to_owned(),
                        message: err.to_string(),
                    },
                })?;
            }
            QueryStyle::Form { .. } | QueryStyle::Delimited { .. } => {
                if !path.is_empty() {
                    return Err(QueryProblem {
                        parameter: key.to_string(),
                        detail: Detail::NoBrackets {
                            root: root.to_owned(),
                        },
                    });
                }
                let separator = match param.style {
                    QueryStyle::Form { explode: false } => Some(','),
                    QueryStyle::Delimited { separator } => Some(separator),
                    _ => None,
                };
                insert_form(api, current, &param.ty, separator, &value).map_err(|detail| {
                    QueryProblem {
                        parameter: key.to_string(),
                        detail,
                    }
                })?;
            }
        }
    }
    Ok(values)
}

/// `a[b][c]` → (`a`, [`b`, `c`]); `None` when the brackets do not pair up.
fn split_key(key: &str) -> Option<(&str, Vec<&str>)> {
    let Some(open) = key.find('[') else {
        return (!key.contains(']')).then_some((key, Vec::new()));
    };
    let (root, mut rest) = key.split_at(open);
    let mut path = Vec::new();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[')?;
        let close = inner.find(']')?;
        let part = &inner[..close];
        if part.contains('[') {
            return None;
        }
        path.push(part);
        rest = &inner[close + 1..];
    }
    Some((root, path))
}

/// Follows aliases to the type a value has on the wire.
pub(super) fn resolve<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Named(name) => match api.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            // An item that may be `null` is read as the item when given.
            TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => ty = inner,
            _ => return ty,
        }
    }
    ty
}

/// Reads a scalar as `ty`; text that does not fit stays a string.
fn scalar(api: &Api, ty: &TypeRef, text: &str) -> Value {
    match resolve(api, ty) {
        // Integers beyond i64 stay numbers, so that validation reports them
        // as out of range rather than as text.
        TypeRef::Integer { .. } => text
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| {
                let digits = text.strip_prefix('-').unwrap_or(text);
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| {
                        text.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                    })
                    .flatten()
                    .map(Value::Number)
            })
            .unwrap_or_else(|| Value::String(text.to_owned())),
        TypeRef::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_owned())),
        TypeRef::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    }
}

/// Whether values of `ty` are JSON objects.
fn is_object(api: &Api, ty: &TypeRef) -> bool {
    match resolve(api, ty) {
        TypeRef::Map(_) => true,
        TypeRef::Named(name) => matches!(
            api.types.get(name).map(|t| &t.kind),
            Some(TypeKind::Struct(_))
        ),
        _ => false,
    }
}

/// The type of property `name` of an object type, if known.
fn property_type<'a>(api: &'a Api, ty: &'a TypeRef, name: &str) -> Option<&'a TypeRef> {
    match resolve(api, ty) {
        TypeRef::Named(type_name) => match &api.types.get(type_name)?.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.wire_name == name)
                .map(|f| &f.ty)
                .or(s.additional.as_ref().and_then(|a| match &a.ty {
                    TypeRef::Map(value) => Some(value.as_ref()),
                    _ => None,
                })),
            _ => None,
        },
        TypeRef::Map(value) => Some(value),
        _ => None,
    }
}

fn insert_deep(
    api: &Api,
    slot: &mut Value,
    ty: &TypeRef,
    path: &[&str],
    text: &str,
) -> Result<(), Detail> {
    let Some((first, rest)) = path.split_first() else {
        return set_scalar(api, slot, ty, text);
    };
    if first.is_empty() && matches!(resolve(api, ty), TypeRef::Array(_)) {
        // `name[]=a&name[]=b`: a declared array. Elsewhere `[]` names the
        // property whose name is empty.
        return push_item(api, slot, ty, rest, text);
    }
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    let Value::Object(map) = slot else {
        return Err(Detail::ValueAndObject);
    };
    let entry = map.entry((*first).to_owned()).or_insert(Value::Null);
    // An undeclared property keeps its text; the schema decides whether it
    // is allowed (`additionalProperties`).
    let any = TypeRef::Any;
    let child = property_type(api, ty, first).unwrap_or(&any);
    insert_deep(api, entry, child, rest, text)
}

fn push_item(
    api: &Api,
    slot: &mut Value,
    ty: &TypeRef,
    rest: &[&str],
    text: &str,
) -> Result<(), Detail> {
    if slot.is_null() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(items) = slot else {
        return Err(Detail::ListAndOther);
    };
    let item_ty = match resolve(api, ty) {
        TypeRef::Array(item) => item.as_ref(),
        _ => &TypeRef::Any,
    };
    let mut item = Value::Null;
    insert_deep(api, &mut item, item_ty, rest, text)?;
    items.push(item);
    Ok(())
}

fn set_scalar(api: &Api, slot: &mut Value, ty: &TypeRef, text: &str) -> Result<(), Detail> {
    if let TypeRef::Array(item) = resolve(api, ty) {
        return push_item(api, slot, &TypeRef::Array(item.clone()), &[], text);
    }
    if text.is_empty() && is_object(api, ty) {
        // `filter[status]=`: an empty object, as deepObject writes `{}`.
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        return Ok(());
    }
    if !slot.is_null() {
        // An undeclared property given more than once is a list of its
        // values; a declared scalar given twice is ambiguous.
        if !matches!(resolve(api, ty), TypeRef::Any) {
            return Err(Detail::GivenTwice);
        }
        let value = scalar(api, ty, text);
        match slot {
            Value::Array(items) => items.push(value),
            other => *other = Value::Array(vec![other.take(), value]),
        }
        return Ok(());
    }
    *slot = scalar(api, ty, text);
    Ok(())
}

/// Adds a `form` (or delimited) value; an array's items are split at
/// `separator`, or each comes in its own pair when it is `None` (exploded).
fn insert_form(
    api: &Api,
    slot: &mut Value,
    ty: &TypeRef,
    separator: Option<char>,
    text: &str,
) -> Result<(), Detail> {
    match resolve(api, ty) {
        TypeRef::Array(item) => {
            let parts: Vec<&str> = match separator {
                Some(separator) => text.split(separator).collect(),
                None => vec![text],
            };
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(items) = slot {
                items.extend(parts.into_iter().map(|p| scalar(api, item, p)));
            }
            Ok(())
        }
        _ => set_scalar(api, slot, ty, text),
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, split_key};
    use serde_json::json;

    const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /reports:
    get:
      operationId: SearchReports
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema:
                type: object
                properties:
                  owner: {type: string}
        - name: page
          in: query
          schema: {type: integer}
      responses:
        '204': {description: Searched.}
";

    #[test]
    fn a_json_content_parameter_is_read_as_json_text() {
        let spec = generator::load_str(SPEC, std::path::Path::new("inline.yaml")).unwrap();
        let api = generator::build_ir(&spec).unwrap();
        let op = &api.operations[0];
        let decoded = decode(&api, op, "filter=%7B%22owner%22%3A%22a%20b%22%7D&page=2").unwrap();
        assert_eq!(
            decoded,
            [
                ("filter".to_owned(), json!({"owner": "a b"})),
                ("page".to_owned(), json!(2)),
            ]
        );
        let bad = decode(&api, op, "filter=%7Bowner").unwrap_err();
        assert_eq!(bad.parameter, "filter");
        assert!(
            bad.detail.to_string().starts_with("`filter` is not JSON: "),
            "{}",
            bad.detail
        );
        let twice = decode(&api, op, "filter=%7B%7D&filter=%7B%7D").unwrap_err();
        assert_eq!(
            twice.detail.to_string(),
            "`filter` is one JSON value: send `filter=<JSON>` once"
        );
    }

    #[test]
    fn splits_deep_keys() {
        assert_eq!(
            split_key("filter[email][contains]"),
            Some(("filter", vec!["email", "contains"]))
        );
        assert_eq!(split_key("sort"), Some(("sort", vec![])));
        assert_eq!(split_key("a[]"), Some(("a", vec![""])));
        assert_eq!(split_key("filter[email"), None);
        assert_eq!(split_key("filter]"), None);
    }
}
