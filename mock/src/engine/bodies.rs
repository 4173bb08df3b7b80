//! Response bodies from the document: examples, synthesized bodies, and
//! making a built body fit its schema.
//!
//! Every documented response with a JSON body has a *template*: its
//! example when the document gives one that validates, else a body
//! synthesized from its schema (deterministic, so the same request gets
//! the same answer). Templates are built on first use and kept, so the
//! hot path neither synthesizes nor validates; the stateless success
//! answer of an operation is kept already serialized.

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode};
use contract::synth::SynthOptions;
use contract::{ContractValidator, Target, Violation};
use generator::ir::{Api, Operation, Status};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// One operation's ready answer when nothing else applies: the status,
/// the media type (none for a bodyless answer) and the serialized body.
pub type Canned = (StatusCode, Option<HeaderValue>, Bytes);

/// Templates of every documented response, built on first use.
#[derive(Debug)]
pub struct Bodies {
    /// By operation index, then by response index in `Operation::responses`.
    templates: Vec<Vec<OnceLock<Option<Value>>>>,
    /// By operation index: the stateless success answer.
    canned: Vec<OnceLock<Canned>>,
}

impl Bodies {
    /// Empty caches for the operations of `api`.
    pub fn new(api: &Api) -> Self {
        Self {
            templates: api
                .operations
                .iter()
                .map(|op| op.responses.iter().map(|_| OnceLock::new()).collect())
                .collect(),
            canned: api.operations.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The template of response `response` (index into the operation's
    /// responses) of operation `index`: its valid example, else a
    /// synthesized body; `None` when it has no JSON body or none can be
    /// built.
    pub fn template(
        &self,
        validator: &ContractValidator,
        api: &Api,
        index: usize,
        response: usize,
    ) -> Option<&Value> {
        let slot = self.templates.get(index)?.get(response)?;
        slot.get_or_init(|| {
            let op = api.operations.get(index)?;
            let documented = op.responses.get(response)?;
            documented.schema_pointer.as_ref()?;
            let target = Target::Response {
                operation: op.id.clone(),
                status: documented.status,
            };
            let valid_example = documented.example.as_ref().filter(|example| {
                validator
                    .validate(&target, example)
                    .is_ok_and(|violations| violations.is_empty())
            });
            valid_example
                .cloned()
                .or_else(|| validator.synthesize(&target, &SynthOptions::default()).ok())
        })
        .as_ref()
    }

    /// The answer of an operation that nothing else answers: its first
    /// success status with that response's template, or without a body.
    pub fn canned(&self, validator: &ContractValidator, api: &Api, index: usize) -> Canned {
        let build = || {
            let Some(op) = api.operations.get(index) else {
                return (StatusCode::NOT_FOUND, None, Bytes::new());
            };
            let Some((position, response)) = success(op) else {
                return (StatusCode::NO_CONTENT, None, Bytes::new());
            };
            let status = code_of(response.status, 200);
            if response.body.is_none() {
                return match response.media_types.first() {
                    Some(media) => (status, HeaderValue::from_str(media).ok(), raw_body(media)),
                    None => (status, None, Bytes::new()),
                };
            }
            let media = Some(json_media(&response.media_types));
            match self.template(validator, api, index, position) {
                Some(value) => (status, media, Bytes::from(to_vec(value))),
                // A schema nothing can satisfy: `null` is the least wrong.
                None => (status, media, Bytes::from_static(b"null")),
            }
        };
        match self.canned.get(index) {
            Some(slot) => slot.get_or_init(build).clone(),
            None => build(),
        }
    }
}

/// The first documented success response and its index.
pub fn success(op: &Operation) -> Option<(usize, &generator::ir::Response)> {
    op.responses
        .iter()
        .enumerate()
        .find(|(_, r)| r.status.is_success())
}

/// The documented response answering `status`: the exact code, else its
/// range (`4XX`), else `default`.
pub fn documented(op: &Operation, status: u16) -> Option<(usize, &generator::ir::Response)> {
    let find = |wanted: Status| {
        op.responses
            .iter()
            .enumerate()
            .find(|(_, r)| r.status == wanted)
    };
    find(Status::Code(status))
        .or_else(|| find(Status::Range(status / 100)))
        .or_else(|| find(Status::Default))
}

/// The status to send for a documented one (`2XX` → 200, `default` →
/// `fallback`).
pub fn code_of(status: Status, fallback: u16) -> StatusCode {
    let code = match status {
        Status::Code(code) => code,
        Status::Range(hundreds) => hundreds * 100,
        Status::Default => fallback,
    };
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}

/// The JSON media type to answer with: the first documented JSON one
/// (`application/problem+json`), else `application/json`.
pub fn json_media(media_types: &[String]) -> HeaderValue {
    media_types
        .iter()
        .find(|m| generator::is_json_media_type(m))
        .and_then(|m| HeaderValue::from_str(m).ok())
        .unwrap_or_else(|| HeaderValue::from_static("application/json"))
}

/// A body for a response documented with a non-JSON media type: a line
/// of text for `text/*`, nothing otherwise.
fn raw_body(media: &str) -> Bytes {
    if media.to_ascii_lowercase().starts_with("text/") {
        Bytes::from_static(b"ok\n")
    } else {
        Bytes::new()
    }
}

/// Serializes a value (a `Value` always serializes).
pub fn to_vec(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec())
}

/// Makes `value` valid by the `validate` rule, taking from `template`
/// (a valid value of the same schema) what it breaks: each violation's
/// property is set from the template, or removed when the template has
/// none; after a few rounds the template itself is used. Returns whether
/// `value` was kept (possibly corrected) rather than replaced.
pub fn conform(
    value: &mut Value,
    template: &Value,
    validate: impl Fn(&Value) -> Vec<Violation>,
) -> bool {
    for _ in 0..8 {
        let violations = validate(value);
        if violations.is_empty() {
            return true;
        }
        for violation in &violations {
            repair(value, template, &violation.instance_pointer);
        }
    }
    if validate(value).is_empty() {
        return true;
    }
    *value = template.clone();
    false
}

/// Sets the value at `pointer` from the template (array indices the
/// template lacks read its first item), or removes it.
fn repair(value: &mut Value, template: &Value, pointer: &str) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(generator::pointer::unescape_token)
        .collect();
    let replacement = template_at(template, &tokens).cloned();
    let Some((last, parents)) = tokens.split_last() else {
        if let Some(replacement) = replacement {
            *value = replacement;
        }
        return;
    };
    let mut parent = value;
    for token in parents {
        parent = match parent {
            Value::Object(map) => match map.get_mut(token) {
                Some(child) => child,
                None => return,
            },
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            {
                Some(child) => child,
                None => return,
            },
            _ => return,
        };
    }
    match (parent, replacement) {
        (Value::Object(map), Some(replacement)) => {
            map.insert(last.clone(), replacement);
        }
        (Value::Object(map), None) => {
            map.remove(last);
        }
        (Value::Array(items), Some(replacement)) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = replacement;
            }
        }
        _ => {}
    }
}

/// The template's value at `tokens`, reading item 0 of an array for an
/// index it does not have.
fn template_at<'t>(template: &'t Value, tokens: &[String]) -> Option<&'t Value> {
    let mut at = template;
    for token in tokens {
        at = match at {
            Value::Object(map) => map.get(token)?,
            Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .or_else(|| items.first())?,
            _ => return None,
        };
    }
    Some(at)
}

/// Writes `value` at the JSON pointer `pointer` of `into` ("" replaces
/// the whole), creating objects on the way; false when a step is not an
/// object.
pub fn put(into: &mut Value, pointer: &str, value: Value) -> bool {
    if pointer.is_empty() {
        *into = value;
        return true;
    }
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(generator::pointer::unescape_token)
        .collect();
    let Some((last, parents)) = tokens.split_last() else {
        return false;
    };
    let mut at = into;
    for token in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return false };
        at = map.entry(token.clone()).or_insert(Value::Null);
    }
    if at.is_null() {
        *at = Value::Object(Map::new());
    }
    match at {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            true
        }
        _ => false,
    }
}

/// Puts a problem's message into a synthesized error body: string fields
/// named like a message (`detail`, `message`, `error`, …) at the top, in
/// an `error` object or in the first item of an `errors` array; an
/// integer `status`/`code` field gets the status. Fields the schema does
/// not take back are corrected by [`conform`] afterwards.
pub fn fill_message(body: &mut Value, status: u16, title: &str, detail: &str) {
    let Value::Object(map) = body else { return };
    for (key, value) in map.iter_mut() {
        match (key.to_ascii_lowercase().as_str(), &*value) {
            (
                "detail" | "message" | "error" | "description" | "error_description" | "msg",
                Value::String(_),
            ) => {
                *value = Value::String(detail.to_owned());
            }
            ("title" | "reason", Value::String(_)) => *value = Value::String(title.to_owned()),
            ("status" | "code" | "status_code" | "statuscode", Value::Number(_)) => {
                *value = Value::from(status);
            }
            ("error" | "problem", Value::Object(_)) => fill_message(value, status, title, detail),
            ("errors", Value::Array(_)) => {
                if let Some(first) = value.as_array_mut().and_then(|items| items.first_mut()) {
                    fill_message(first, status, title, detail);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{conform, fill_message, put};
    use contract::{Violation, ViolationKind};
    use serde_json::{Value, json};

    /// A rule: `/n` must be a number, and nothing but `n` and `s` may be
    /// there.
    fn rule(value: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut violation = |pointer: &str| {
            out.push(Violation {
                instance_pointer: pointer.to_owned(),
                schema_pointer: "#".into(),
                keyword: "type",
                kind: ViolationKind::Type,
                message: String::new(),
            })
        };
        if !value["n"].is_number() {
            violation("/n");
        }
        if let Some(map) = value.as_object() {
            for key in map.keys().filter(|k| *k != "n" && *k != "s") {
                violation(&format!("/{key}"));
            }
        }
        out
    }

    #[test]
    fn conform_takes_broken_fields_from_the_template_and_drops_unknown_ones() {
        let template = json!({"n": 1, "s": "x"});
        let mut value = json!({"n": "one", "s": "kept", "extra": true});
        assert!(conform(&mut value, &template, rule));
        assert_eq!(value, json!({"n": 1, "s": "kept"}));
    }

    #[test]
    fn put_writes_at_a_pointer_and_fill_message_finds_message_fields() {
        let mut body = json!({"meta": {}});
        assert!(put(&mut body, "/data", json!([1])));
        assert!(put(&mut body, "/meta/total", json!(1)));
        assert_eq!(body, json!({"meta": {"total": 1}, "data": [1]}));
        let mut error = json!({"error": {"message": "m", "code": 0}, "title": "t"});
        fill_message(&mut error, 404, "Not found", "no such thing");
        assert_eq!(
            error,
            json!({"error": {"message": "no such thing", "code": 404}, "title": "Not found"})
        );
    }
}
