//! Media types: which are JSON (one rule for the generator, the contract
//! checks and the mock server), which are text, and how a request body of
//! each is sent.
//!
//! Text is any concrete `text/…` type (the wildcard `text/*` names no one
//! type and stays bytes) and the textual types registered outside `text/`:
//! XML, YAML, JavaScript, SQL and GraphQL (`application/xml`, any `+xml`,
//! `application/yaml`, any `+yaml`, …). A body of a text media type is a
//! Rust `String` unless its schema says `format: binary`; everything else
//! that is not JSON, a form or multipart is bytes.

use crate::ir::{BodyEncoding, Framing};
use indexmap::IndexMap;
use openapiv3::MediaType;

/// Whether a media type (`application/json; charset=utf-8`,
/// `application/vnd.api+json`) carries JSON.
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The JSON entry of a `content` map: `application/json` first, else any
/// other JSON media type.
pub fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(key, _)| {
            is_json_media_type(key) && key.to_ascii_lowercase().starts_with("application/json")
        })
        .or_else(|| content.iter().find(|(key, _)| is_json_media_type(key)))
        .map(|(key, media)| (key.as_str(), media))
}

/// The application types outside `text/` whose bodies are text.
const TEXTUAL_APPLICATION_TYPES: &[&str] = &[
    "application/xml",
    "application/yaml",
    "application/x-yaml",
    "application/javascript",
    "application/ecmascript",
    "application/sql",
    "application/graphql",
];

/// Whether a body of this media type is text (see the module doc): a
/// concrete `text/…` type, or a textual application type.
pub fn is_text_media_type(media_type: &str) -> bool {
    let essence = essence(media_type);
    if essence.contains('*') {
        return false;
    }
    essence.starts_with("text/")
        || TEXTUAL_APPLICATION_TYPES.contains(&essence.as_str())
        || essence.ends_with("+xml")
        || essence.ends_with("+yaml")
}

/// The essence of a media type: lowercase, without parameters.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The framing of an event stream's media type: `text/event-stream`
/// (server-sent events), or JSON Lines (`application/jsonl`,
/// `application/x-jsonl`, `application/x-ndjson`, `application/jsonlines`,
/// `application/x-jsonlines`). `application/json-seq` (RFC 7464, records
/// led by RS) is not one: its bodies stay bytes.
pub fn stream_framing(media_type: &str) -> Option<Framing> {
    match essence(media_type).as_str() {
        "text/event-stream" => Some(Framing::Sse),
        "application/jsonl"
        | "application/x-jsonl"
        | "application/x-ndjson"
        | "application/jsonlines"
        | "application/x-jsonlines" => Some(Framing::JsonLines),
        _ => None,
    }
}

/// How a request body of this media type is written.
pub fn request_encoding(media_type: &str) -> BodyEncoding {
    let essence = essence(media_type);
    if is_json_media_type(&essence) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence.starts_with("multipart/") {
        BodyEncoding::Multipart
    } else if is_text_media_type(&essence) {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The entry of a request body's `content` the client sends: JSON when it
/// is offered, else the first entry in document order.
pub fn request_media(
    content: &IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType, BodyEncoding)> {
    json_media(content)
        .map(|(key, media)| (key, media, BodyEncoding::Json))
        .or_else(|| {
            content
                .iter()
                .next()
                .map(|(key, media)| (key.as_str(), media, request_encoding(key)))
        })
}

/// The `Content-Type` a body of this spec media type is sent with: the
/// type itself, or `application/octet-stream` for a wildcard (`*/*`,
/// `image/*`).
pub fn sent_content_type(media_type: &str) -> &str {
    if media_type.contains('*') {
        "application/octet-stream"
    } else {
        media_type
    }
}

#[cfg(test)]
mod tests {
    use super::{
        BodyEncoding, is_json_media_type, is_text_media_type, request_encoding, sent_content_type,
    };

    #[test]
    fn request_encodings() {
        for (media, encoding) in [
            ("application/json", BodyEncoding::Json),
            ("application/merge-patch+json", BodyEncoding::Json),
            ("application/x-www-form-urlencoded", BodyEncoding::Form),
            ("multipart/form-data", BodyEncoding::Multipart),
            ("text/plain; charset=utf-8", BodyEncoding::Text),
            ("application/xml", BodyEncoding::Text),
            ("application/atom+xml", BodyEncoding::Text),
            ("application/x-yaml", BodyEncoding::Text),
            ("application/octet-stream", BodyEncoding::Binary),
            ("*/*", BodyEncoding::Binary),
            ("text/*", BodyEncoding::Binary),
            ("image/png", BodyEncoding::Binary),
        ] {
            assert_eq!(request_encoding(media), encoding, "{media}");
        }
        assert_eq!(sent_content_type("*/*"), "application/octet-stream");
        assert_eq!(sent_content_type("audio/wav"), "audio/wav");
    }

    #[test]
    fn recognises_text_media_types() {
        for text in [
            "text/plain",
            "Text/CSV; charset=iso-8859-1",
            "text/event-stream",
            "application/xml",
            "application/soap+xml",
            "application/yaml",
            "application/vnd.oai.openapi+yaml",
        ] {
            assert!(is_text_media_type(text), "{text}");
        }
        for other in [
            "text/*",
            "*/*",
            "application/json",
            "application/octet-stream",
            "application/pdf",
            "image/svg",
            "application/xmlish",
        ] {
            assert!(!is_text_media_type(other), "{other}");
        }
    }

    #[test]
    fn recognises_json_media_types() {
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.api+json",
        ] {
            assert!(is_json_media_type(json), "{json}");
        }
        for other in [
            "",
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
        ] {
            assert!(!is_json_media_type(other), "{other}");
        }
    }
}
