//! The named checks of a live run, and the ones made on every response.
//!
//! Every response gets the four conformance checks (and the Rust round
//! trip when a generated crate is at hand); the stateful checks are made
//! on the requests the runner sends for them (see `super::run`).

use super::LiveOptions;
use super::report::Check;
use crate::ContractValidator;
use generator::ir::{EventStreamBody, Framing, Operation, Status};
use serde_json::Value;

/// Every check a live run makes, with what it means.
pub const CHECKS: &[(&str, &str)] = &[
    (
        STATUS,
        "the response's status is documented for the operation (exactly, by its range, or by `default`)",
    ),
    (
        CONTENT_TYPE,
        "a response with a body has a Content-Type the spec documents for that status",
    ),
    (
        HEADERS,
        "every response header the spec marks required for that status is present",
    ),
    (
        SCHEMA,
        "a JSON body is valid against the documented schema of that status (and a documented body is not missing); each item of an event stream against the stream's item schema",
    ),
    (
        ROUND_TRIP,
        "a JSON body deserializes into the generated crate's Rust type and serializes back",
    ),
    (
        CREATED,
        "an item just created can be retrieved (2xx) with the id the create gave",
    ),
    (
        DELETED,
        "an item just deleted is gone: retrieving it answers 404 or 410",
    ),
    (
        AUTH,
        "a secured operation sent again without credentials is refused with 401 or 403",
    ),
    (
        NEGATIVE,
        "a request body that breaks the schema is refused with a 4xx (never a 2xx or a 5xx)",
    ),
    (
        UNKNOWN_ID,
        "an id that does not exist gets a 4xx the operation documents",
    ),
];

/// `status_code_conformance`.
pub const STATUS: &str = "status_code_conformance";
/// `content_type_conformance`.
pub const CONTENT_TYPE: &str = "content_type_conformance";
/// `response_headers_conformance`.
pub const HEADERS: &str = "response_headers_conformance";
/// `response_schema_conformance`.
pub const SCHEMA: &str = "response_schema_conformance";
/// `rust_round_trip`.
pub const ROUND_TRIP: &str = "rust_round_trip";
/// `created_then_retrievable`.
pub const CREATED: &str = "created_then_retrievable";
/// `deleted_then_gone`.
pub const DELETED: &str = "deleted_then_gone";
/// `ignored_auth`.
pub const AUTH: &str = "ignored_auth";
/// `negative_data_rejection`.
pub const NEGATIVE: &str = "negative_data_rejection";
/// `unknown_id_rejection`.
pub const UNKNOWN_ID: &str = "unknown_id_rejection";

/// A check that holds.
pub(super) fn pass(name: &'static str) -> Check {
    Check {
        name,
        passed: true,
        message: None,
    }
}

/// A check that does not hold, and why.
pub(super) fn fail(name: &'static str, message: impl Into<String>) -> Check {
    Check {
        name,
        passed: false,
        message: Some(message.into()),
    }
}

/// What came back from the server.
pub(super) struct Received {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

/// The documented response headers (name, required) of `status` of the
/// operation at `pointer`, read from the document as JSON.
pub(super) fn documented_headers(
    document: &Value,
    op: &Operation,
    status: Status,
) -> Vec<(String, bool)> {
    use crate::graph::schema_view::resolve as follow;
    let key = status.to_string();
    let Some(response) = document
        .pointer(op.pointer.trim_start_matches('#'))
        .and_then(|o| o.get("responses"))
        .and_then(|r| r.get(&key))
    else {
        return Vec::new();
    };
    let Some(Value::Object(headers)) = follow(document, response).get("headers") else {
        return Vec::new();
    };
    headers
        .iter()
        .map(|(name, header)| {
            let required = follow(document, header)
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            (name.clone(), required)
        })
        .collect()
}

/// The conformance checks of one response; returns its JSON body when it
/// has one.
pub(super) fn conformance(
    validator: &ContractValidator,
    document: &Value,
    options: &LiveOptions,
    op: &Operation,
    received: &Received,
    checks: &mut Vec<Check>,
) -> Option<Value> {
    let status = received.status;
    let documented = match validator.documented_status(&op.id, status) {
        Ok(documented) => {
            checks.push(pass(STATUS));
            documented
        }
        Err(_) => {
            let known: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
            checks.push(fail(
                STATUS,
                format!(
                    "status {status} is not documented (documented: {})",
                    known.join(", ")
                ),
            ));
            // Still worth knowing whether the body is JSON.
            return serde_json::from_str(&received.text).ok();
        }
    };
    let response = op.responses.iter().find(|r| r.status == documented);
    let media_types: &[String] = response.map_or(&[], |r| &r.media_types);
    let has_body = !received.text.trim().is_empty();
    if has_body {
        let sent = received
            .content_type
            .as_deref()
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase());
        let fits = |documented: &String| {
            let documented = documented.to_ascii_lowercase();
            match (&sent, documented.split_once('/')) {
                (Some(sent), Some((kind, "*"))) => {
                    kind == "*" || sent.split('/').next() == Some(kind)
                }
                (Some(sent), _) => *sent == documented,
                (None, _) => false,
            }
        };
        if media_types.is_empty() || media_types.iter().any(fits) {
            checks.push(pass(CONTENT_TYPE));
        } else {
            checks.push(fail(
                CONTENT_TYPE,
                format!(
                    "Content-Type {} is not documented for {documented} (documented: {})",
                    sent.as_deref().unwrap_or("(none)"),
                    if media_types.is_empty() {
                        "no body".to_owned()
                    } else {
                        media_types.join(", ")
                    }
                ),
            ));
        }
    }
    let missing: Vec<String> = documented_headers(document, op, documented)
        .into_iter()
        .filter(|(name, required)| *required && !received.headers.contains_key(name.as_str()))
        .map(|(name, _)| name)
        .collect();
    if missing.is_empty() {
        checks.push(pass(HEADERS));
    } else {
        checks.push(fail(
            HEADERS,
            format!("required header(s) missing: {}", missing.join(", ")),
        ));
    }
    let expects_json = response.is_some_and(|r| r.body.is_some());
    // HTTP has no body for these, whatever the document says.
    let bodiless = matches!(status, 204 | 205 | 304) || op.method == generator::ir::Method::Head;
    if !has_body {
        if expects_json && !bodiless {
            checks.push(fail(
                SCHEMA,
                format!("status {status} documents a JSON body, but the body is empty"),
            ));
        }
        return None;
    }
    if let Some(stream) = response
        .and_then(|r| r.stream.as_ref())
        .filter(|s| essence(&s.media_type) == received.content_type.as_deref().and_then(essence))
    {
        stream_items(validator, op, stream, &received.text, checks);
        return None;
    }
    let is_json = received
        .content_type
        .as_deref()
        .is_none_or(generator::is_json_media_type);
    let value: Value = match serde_json::from_str(&received.text) {
        Ok(value) => value,
        Err(err) if expects_json => {
            checks.push(fail(SCHEMA, format!("the body is not JSON: {err}")));
            return None;
        }
        Err(_) => return None,
    };
    if !expects_json || !is_json {
        return Some(value);
    }
    match validator.validate_response(&op.id, status, &value) {
        Ok(violations) if violations.is_empty() => checks.push(pass(SCHEMA)),
        Ok(violations) => {
            let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
            checks.push(fail(SCHEMA, lines.join("; ")));
        }
        // JSON documented without a schema: nothing to check it against.
        Err(crate::ContractError::NoSchema { .. }) => {}
        Err(err) => checks.push(fail(SCHEMA, format!("cannot validate: {err}"))),
    }
    if let Some(round_trip) = &options.round_trip {
        match round_trip.check(&op.id, status, value.clone()) {
            Ok(()) => checks.push(pass(ROUND_TRIP)),
            Err(err) => checks.push(fail(
                ROUND_TRIP,
                format!("does not deserialize into the generated type: {err}"),
            )),
        }
    }
    Some(value)
}

/// A media type without its parameters, lowercase.
fn essence(media: &str) -> Option<String> {
    media
        .split(';')
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
}

/// Checks each item of an event stream body against the stream's item
/// schema, when it has one: the data of each server-sent event (up to a
/// `[DONE]` sentinel, as the generated clients read it) or each non-blank
/// JSON line.
fn stream_items(
    validator: &ContractValidator,
    op: &Operation,
    stream: &EventStreamBody,
    text: &str,
    checks: &mut Vec<Check>,
) {
    if !validator.has_stream_item(&op.id) {
        return;
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let items: Vec<String> = match stream.framing {
        Framing::Sse => text
            .split("\n\n")
            .filter_map(|event| {
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(|data| data.strip_prefix(' ').unwrap_or(data))
                    .collect();
                (!data.is_empty()).then(|| data.join("\n"))
            })
            .take_while(|data| data != "[DONE]")
            .collect(),
        Framing::JsonLines => text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let mut problems = Vec::new();
    for (number, data) in items.iter().enumerate().map(|(i, d)| (i + 1, d)) {
        match serde_json::from_str::<Value>(data) {
            Ok(item) => match validator.validate_stream_item(&op.id, &item) {
                Ok(violations) => problems.extend(
                    violations
                        .iter()
                        .map(|violation| format!("event {number}: {violation}")),
                ),
                Err(err) => problems.push(format!("cannot validate: {err}")),
            },
            Err(err) => problems.push(format!("event {number} is not JSON: {err}")),
        }
    }
    if problems.is_empty() {
        checks.push(pass(SCHEMA));
    } else {
        checks.push(fail(SCHEMA, problems.join("; ")));
    }
}

#[cfg(test)]
mod tests {
    use super::stream_items;
    use crate::ContractValidator;
    use std::path::Path;

    #[test]
    fn each_item_of_a_stream_is_checked_against_the_item_schema() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/specs/event_streams.yaml");
        let spec = generator::load_file(&path).expect("the fixture loads");
        let api = generator::build_ir(&spec).expect("the IR");
        let validator = ContractValidator::new(&spec).expect("the contract");
        let check = |id: &str, text: &str| {
            let op = api.operations.iter().find(|op| op.id == id).expect("op");
            let stream = op.event_stream().expect("a stream");
            let mut checks = Vec::new();
            stream_items(&validator, op, stream, text, &mut checks);
            checks
                .into_iter()
                .map(|c| (c.passed, c.message.unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        let good = "id: 1\r\ndata: {\"sequence\":1,\r\ndata: \"price\":2}\r\n\r\ndata: [DONE]\n\ndata: {}\n\n";
        assert_eq!(check("watchTicks", good), [(true, String::new())]);
        let bad = check(
            "watchTicks",
            "data: {\"sequence\":1,\"price\":2}\n\ndata: {\"price\":2}\n\ndata: nope\n\n",
        );
        assert!(!bad[0].0);
        assert!(bad[0].1.contains("event 2: "), "{}", bad[0].1);
        assert!(bad[0].1.contains("event 3 is not JSON"), "{}", bad[0].1);
        let rows = check("streamExportRows", "{\"id\":1}\n\n{\"id\":\"two\"}\n");
        assert!(!rows[0].0 && rows[0].1.contains("event 2: "), "{rows:?}");
        // A text stream has no item schema: nothing to check.
        assert!(check("tailLogs", "data: anything\n\n").is_empty());
    }
}
