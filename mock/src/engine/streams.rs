//! Event streams: a 2xx response that offers `text/event-stream` or JSON
//! Lines (`application/jsonl`, `application/x-ndjson`, …) is answered as a
//! stream when the request asks for it (`Accept` names the stream's media
//! type, or a `type/*` range over it) or when the stream is all the
//! response offers. The body is a few items synthesized from the item
//! schema (a different seed each, so deterministic like every canned
//! answer, and built once per operation), framed as server-sent events
//! (`id: N` and `data:` lines; no `event:` name, which the document does
//! not give, and no end sentinel, which it does not document) or one
//! compact JSON value per line. A stream whose items are text (a string
//! schema) sends `event N`.

use super::bodies::code_of;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use contract::ContractValidator;
use contract::synth::SynthOptions;
use generator::ir::{Api, EventStreamBody, Framing, Operation};
use serde_json::Value;
use std::sync::OnceLock;

/// How many items a stream answer holds.
const ITEMS: u64 = 3;

/// The stream answers, built on first use.
#[derive(Debug)]
pub struct Streams {
    /// By operation index: the status, media type and framed body of its
    /// stream answer (`None` when it offers no stream).
    answers: Vec<OnceLock<Option<(StatusCode, HeaderValue, Bytes)>>>,
}

impl Streams {
    /// Empty caches for the operations of `api`.
    pub fn new(api: &Api) -> Self {
        Self {
            answers: api.operations.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The stream answer of operation `index`, when its 2xx response offers
    /// a stream and the request (its `headers`) gets one.
    pub fn answer(
        &self,
        validator: &ContractValidator,
        api: &Api,
        index: usize,
        headers: &HeaderMap,
    ) -> Option<Response> {
        let op = api.operations.get(index)?;
        let (media_types, stream) = offered(op)?;
        let only = media_types
            .iter()
            .all(|media| same_media(media, &stream.media_type));
        if !only && !accepts(headers, &stream.media_type) {
            return None;
        }
        let (status, media, body) = self
            .answers
            .get(index)?
            .get_or_init(|| build(validator, op))
            .clone()?;
        let mut response = Response::new(body.into());
        *response.status_mut() = status;
        response.headers_mut().insert(header::CONTENT_TYPE, media);
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        Some(response)
    }
}

/// The media types and the stream of the first 2xx response that offers
/// a stream.
fn offered(op: &Operation) -> Option<(&[String], &EventStreamBody)> {
    op.responses
        .iter()
        .filter(|r| r.status.is_success())
        .find_map(|r| r.stream.as_ref().map(|s| (r.media_types.as_slice(), s)))
}

/// The stream answer of `op`: its status, media type and framed items.
fn build(
    validator: &ContractValidator,
    op: &Operation,
) -> Option<(StatusCode, HeaderValue, Bytes)> {
    let response = op
        .responses
        .iter()
        .find(|r| r.status.is_success() && r.stream.is_some())?;
    let stream = response.stream.as_ref()?;
    let media = HeaderValue::from_str(&stream.media_type).ok()?;
    let mut body = String::new();
    for n in 1..=ITEMS {
        let data = item(validator, op, stream, n);
        match stream.framing {
            Framing::Sse => {
                body.push_str(&format!("id: {n}\n"));
                for line in data.split('\n') {
                    body.push_str("data: ");
                    body.push_str(line);
                    body.push('\n');
                }
                body.push('\n');
            }
            Framing::JsonLines => {
                body.push_str(&data);
                body.push('\n');
            }
        }
    }
    Some((code_of(response.status, 200), media, Bytes::from(body)))
}

/// Item `n` (from 1) of the stream, as sent: compact JSON, or the text of
/// a text item.
fn item(validator: &ContractValidator, op: &Operation, stream: &EventStreamBody, n: u64) -> String {
    if stream.item_schema_pointer.is_some() {
        let options = SynthOptions {
            seed: n - 1,
            ..SynthOptions::default()
        };
        // A schema nothing can satisfy: `null` is the least wrong.
        let value = validator
            .synthesize_stream_item(&op.id, &options)
            .unwrap_or(Value::Null);
        return serde_json::to_string(&value).unwrap_or_else(|_| "null".to_owned());
    }
    let text = format!("event {n}");
    match stream.framing {
        Framing::Sse if stream.item.is_none() => text,
        // JSON Lines of any JSON value.
        _ => Value::String(text).to_string(),
    }
}

/// Whether the `Accept` headers name `media` (its essence, or a `type/*`
/// range over it) with a non-zero quality. `*/*` does not count: a client
/// that takes anything gets the response's first representation.
fn accepts(headers: &HeaderMap, media: &str) -> bool {
    let wanted = essence(media);
    let range = wanted.split_once('/').map(|(kind, _)| format!("{kind}/*"));
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|entry| {
            let mut parts = entry.split(';');
            let named = essence(parts.next().unwrap_or(""));
            let refused = parts.any(|param| {
                param.split_once('=').is_some_and(|(key, value)| {
                    key.trim().eq_ignore_ascii_case("q")
                        && value.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)
                })
            });
            !refused && (named == wanted || Some(&named) == range.as_ref())
        })
}

/// Whether two media types have the same essence.
fn same_media(a: &str, b: &str) -> bool {
    essence(a) == essence(b)
}

/// A media type without its parameters, lowercase.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::accepts;
    use axum::http::{HeaderMap, HeaderValue, header};

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("a header"),
        );
        headers
    }

    #[test]
    fn accept_names_the_stream_by_essence_or_range_but_not_any() {
        let sse = "text/event-stream";
        assert!(accepts(&accept("text/event-stream"), sse));
        assert!(accepts(
            &accept("application/json, Text/Event-Stream; q=0.5"),
            sse
        ));
        assert!(accepts(&accept("text/*"), sse));
        assert!(!accepts(&accept("*/*"), sse));
        assert!(!accepts(&accept("application/json"), sse));
        assert!(!accepts(&accept("text/event-stream;q=0"), sse));
        assert!(!accepts(&HeaderMap::new(), sse));
    }
}
