//! The cost of receiving one event through a generated `webhooks` module
//! (crate `tests/clients/webhooks`): reading a 767-byte body as JSON alone,
//! `Event::parse` (JSON, the tag, the event's typed struct), and
//! `webhooks::unwrap` (the Ed25519 signature check, then the same parse),
//! as a handler calls it.
//!
//! Run: `cargo bench -p tests --bench webhook_event`.

use base64::Engine as _;
use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use ed25519_dalek::{Signer as _, SigningKey};
use fixture_client_webhooks::reqwest::header::{HeaderMap, HeaderValue};
use fixture_client_webhooks::webhooks::{self, Event, Key};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    divan::main();
}

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A `call.answered` event of 767 bytes: the fields the fixture's schema
/// declares, and the kind of extra the API may add (kept out of the typed
/// struct, as unknown properties are).
const BODY: &str = r#"{"data":{"id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","event_type":"call.answered","occurred_at":"2024-05-01T10:00:00.000000Z","payload":{"call_id":"v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg","from":"+15550100","to":"+15550199","client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d","connection_id":"7267xxxxxxxxxxxxxx","call_leg_id":"428c31b6-7af4-4bcb-b7f5-5013ef9657c1","call_session_id":"428c31b6-abf3-3bc1-b7f4-5013ef9657c1","start_time":"2024-05-01T09:59:51.000000Z","state":"answered","tags":["priority","renewal"],"custom_headers":[{"name":"X-Campaign","value":"spring"},{"name":"X-Agent","value":"42"}],"sip_headers":[{"name":"User-to-User","value":"value"}]}},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks/calls"},"record_type":"event"}"#;

/// The body signed now with a fixed key, under the document's header names.
fn signed() -> (Key, HeaderMap) {
    let signing = SigningKey::from_bytes(&[7; 32]);
    let key = Key::ed25519(&BASE64.encode(signing.verifying_key().as_bytes())).unwrap();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signature = signing.sign(format!("{timestamp}|{BODY}").as_bytes());
    let mut headers = HeaderMap::new();
    headers.insert(
        "acme-signature-ed25519",
        HeaderValue::from_str(&BASE64.encode(signature.to_bytes())).unwrap(),
    );
    headers.insert("acme-timestamp", HeaderValue::from(timestamp));
    (key, headers)
}

#[divan::bench]
fn json_value_only(bencher: Bencher) {
    bencher
        .counter(BytesCount::of_str(BODY))
        .bench(|| serde_json::from_slice::<serde_json::Value>(black_box(BODY.as_bytes())).unwrap());
}

#[divan::bench]
fn event_parse(bencher: Bencher) {
    assert!(matches!(
        Event::parse(BODY.as_bytes()),
        Ok(Event::CallAnswered(_))
    ));
    bencher
        .counter(BytesCount::of_str(BODY))
        .bench(|| Event::parse(black_box(BODY.as_bytes())).unwrap());
}

#[divan::bench]
fn unwrap_verify_and_parse(bencher: Bencher) {
    let (key, headers) = signed();
    assert!(matches!(
        webhooks::unwrap(BODY.as_bytes(), &headers, &key),
        Ok(Event::CallAnswered(_))
    ));
    bencher
        .counter(BytesCount::of_str(BODY))
        .bench(|| webhooks::unwrap(black_box(BODY.as_bytes()), &headers, &key).unwrap());
}
