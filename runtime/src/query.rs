//! Query strings: a parameters struct is serialized to JSON, and each
//! top-level field is written in the style the spec gives its parameter.
//!
//! - `deepObject`: `name[key]=value`, nesting for nested objects
//!   (`filter[email][contains]=john`); arrays as repeated `name[key][]=value`.
//! - `form` with `explode` (the default): `name=value`; arrays repeat the
//!   name (`id=1&id=2`); objects spread their properties (`key=value`).
//! - `form` without `explode`: `name=value`; arrays and objects as one
//!   comma-separated value (`id=1,2`, `point=x,1,y,2`).
//! - `spaceDelimited` / `pipeDelimited` without `explode`: the same with
//!   `%20` / `%7C` between the items (`id=1%202`, `id=1%7C2`).
//!
//! Absent and `null` values are skipped; booleans are `true`/`false`;
//! enums are their wire value; a value with no query form of its own (an
//! object inside an array) is written as compact JSON. Names, keys and
//! values are percent-encoded, leaving only the unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`) and the brackets of the deepObject syntax as
//! they are. Fields come in the order the spec lists the parameters, keys
//! inside an object in the order `serde_json` keeps them.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// Encodes every top-level field of `body` as an exploded `form`
/// parameter, in the order `serde_json` keeps keys (sorted): the
/// `application/x-www-form-urlencoded` body of a request.
pub fn encode_all<B: Serialize>(body: &B) -> Result<String, String> {
    let value = serde_json::to_value(body).map_err(|err| err.to_string())?;
    let fields = match value {
        Value::Object(fields) => fields,
        Value::Null => return Ok(String::new()),
        other => return Err(format!("a form body must be an object, not `{other}`")),
    };
    let mut query = Query::default();
    for (name, value) in &fields {
        query.form_exploded(&component(name), value);
    }
    Ok(query.pairs.join("&"))
}

/// Characters written as-is in a query name or value.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How one query parameter is written (the spec's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`.
    Form {
        /// `explode`.
        explode: bool,
    },
    /// `style: deepObject`.
    DeepObject,
    /// `style: spaceDelimited` (`' '`) or `pipeDelimited` (`'|'`) without
    /// `explode`: like `form` without `explode`, with this separator.
    Delimited {
        /// The separator.
        separator: char,
    },
    /// A parameter described by `content` with a JSON media type: the
    /// value as compact JSON text.
    Json,
}

/// Encodes `params` (a struct whose fields are named as the parameters on
/// the wire) into a query string without the leading `?`.
pub fn encode<P: Serialize>(params: &P, styles: &[(&str, Style)]) -> Result<String, String> {
    let value = serde_json::to_value(params).map_err(|err| err.to_string())?;
    let fields = match value {
        Value::Object(fields) => fields,
        Value::Null => return Ok(String::new()),
        other => {
            return Err(format!(
                "parameters must serialize to an object, not `{other}`"
            ));
        }
    };
    let mut query = Query::default();
    for (name, style) in styles {
        let Some(value) = fields.get(*name) else {
            continue;
        };
        let name = component(name);
        match style {
            Style::DeepObject => query.deep(name, value),
            Style::Form { explode: true } => query.form_exploded(&name, value),
            Style::Form { explode: false } => query.form_joined(&name, value, ","),
            Style::Delimited { separator } => {
                query.form_joined(&name, value, &component(&separator.to_string()));
            }
            Style::Json if value.is_null() => {}
            Style::Json => query.push(&name, &value.to_string()),
        }
    }
    Ok(query.pairs.join("&"))
}

#[derive(Default)]
struct Query {
    pairs: Vec<String>,
}

impl Query {
    /// Adds `key=value`; `key` is already encoded.
    fn push(&mut self, key: &str, value: &str) {
        self.pairs.push(format!("{key}={}", component(value)));
    }

    fn deep(&mut self, key: String, value: &Value) {
        match value {
            Value::Null => {}
            Value::Object(fields) => {
                for (field, value) in fields {
                    self.deep(format!("{key}[{}]", component(field)), value);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.deep(format!("{key}[]"), item);
                }
            }
            scalar => self.push(&key, &text(scalar)),
        }
    }

    fn form_exploded(&mut self, key: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    self.push(key, &text(item));
                }
            }
            Value::Object(fields) => {
                for (field, value) in fields.iter().filter(|(_, value)| !value.is_null()) {
                    self.push(&component(field), &text(value));
                }
            }
            scalar => self.push(key, &text(scalar)),
        }
    }

    /// `key=a,b`: items joined by `separator` (already encoded).
    fn form_joined(&mut self, key: &str, value: &Value, separator: &str) {
        // The separators separate items, so each item is encoded on its own.
        let joined = match value {
            Value::Null => return,
            Value::Array(items) => items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| component(&text(item)))
                .collect::<Vec<_>>()
                .join(separator),
            Value::Object(fields) => fields
                .iter()
                .filter(|(_, value)| !value.is_null())
                .flat_map(|(field, value)| [component(field), component(&text(value))])
                .collect::<Vec<_>>()
                .join(separator),
            scalar => component(&text(scalar)),
        };
        self.pairs.push(format!("{key}={joined}"));
    }
}

/// The text of a parameter value whose JSON form is a scalar (a union of
/// strings and numbers, say), as a path segment or header writes it: a
/// string as is, a number or boolean as JSON writes it. Anything else is
/// written as compact JSON (the generator only passes scalar types here).
pub fn parameter_text<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .map(|value| text(&value))
        .unwrap_or_default()
}

/// A value as query text.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Null => String::new(),
        nested => nested.to_string(),
    }
}

fn component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::{Style, encode};
    use serde_json::json;

    // Keys are written in sorted order, which is also the order with
    // `serde_json`'s `preserve_order` feature, so the tests hold either way.

    const DEEP: Style = Style::DeepObject;
    const FORM: Style = Style::Form { explode: true };
    const JOINED: Style = Style::Form { explode: false };

    #[test]
    fn deep_objects_nest_and_skip_nulls() {
        let params = json!({
            "filter": {"active": true, "email": {"contains": "john doe&co", "eq": null}},
            "page": {"number": 2, "size": 50},
        });
        let query = encode(&params, &[("filter", DEEP), ("page", DEEP)]).unwrap();
        assert_eq!(
            query,
            "filter[active]=true&filter[email][contains]=john%20doe%26co&page[number]=2&page[size]=50"
        );
    }

    #[test]
    fn deep_object_arrays_and_odd_keys() {
        let params = json!({"f[x]": {"a b": "c", "ids": [1, 2]}});
        let query = encode(&params, &[("f[x]", DEEP)]).unwrap();
        assert_eq!(
            query,
            "f%5Bx%5D[a%20b]=c&f%5Bx%5D[ids][]=1&f%5Bx%5D[ids][]=2"
        );
    }

    #[test]
    fn json_content_parameters_are_compact_json_text() {
        let params = json!({"filter": {"owner": "a&b"}, "ids": [1, 2], "none": null});
        let query = encode(
            &params,
            &[
                ("filter", Style::Json),
                ("ids", Style::Json),
                ("none", Style::Json),
            ],
        )
        .unwrap();
        assert_eq!(
            query,
            "filter=%7B%22owner%22%3A%22a%26b%22%7D&ids=%5B1%2C2%5D"
        );
    }

    #[test]
    fn form_styles() {
        let params = json!({
            "id": [1, 2],
            "tags": ["a,b", "c"],
            "sort": "-created_at",
            "point": {"x": 1, "y": null},
            "flag": false,
            "skip": null,
        });
        let styles = [
            ("id", FORM),
            ("tags", JOINED),
            ("sort", FORM),
            ("point", FORM),
            ("flag", FORM),
            ("skip", FORM),
            ("missing", FORM),
        ];
        let query = encode(&params, &styles).unwrap();
        assert_eq!(
            query,
            "id=1&id=2&tags=a%2Cb,c&sort=-created_at&x=1&flag=false"
        );
    }

    #[test]
    fn space_and_pipe_delimited_arrays() {
        let params = json!({"ids": [1, 2], "tags": ["a b", "c|d"]});
        let styles = [
            ("ids", Style::Delimited { separator: ' ' }),
            ("tags", Style::Delimited { separator: '|' }),
        ];
        assert_eq!(
            encode(&params, &styles).unwrap(),
            "ids=1%202&tags=a%20b%7Cc%7Cd"
        );
    }

    #[test]
    fn parameter_text_writes_scalars_bare() {
        assert_eq!(super::parameter_text(&json!("a b/c")), "a b/c");
        assert_eq!(super::parameter_text(&json!(42)), "42");
        assert_eq!(super::parameter_text(&json!(1.5)), "1.5");
        assert_eq!(super::parameter_text(&json!(false)), "false");
        assert_eq!(super::parameter_text(&json!([1, "x"])), "[1,\"x\"]");
    }

    #[test]
    fn joined_object_and_empty_params() {
        let params = json!({"point": {"x": 1, "y": 2}});
        assert_eq!(
            encode(&params, &[("point", JOINED)]).unwrap(),
            "point=x,1,y,2"
        );
        assert_eq!(encode(&json!({}), &[("point", DEEP)]).unwrap(), "");
        assert!(encode(&json!([1]), &[]).is_err());
    }
}
