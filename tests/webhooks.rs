//! Behaviour of a generated `webhooks` module (crate
//! `tests/clients/webhooks`, from `fixtures/specs/webhooks_ed25519.yaml`):
//! every event is dispatched by its tag, an unknown one is kept, a payload
//! that names an event but does not match it is an error saying where, and
//! `verify`/`unwrap` check Ed25519 signatures made here with a fixed key,
//! under the document's header names and the standard ones.

use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use fixture_client_webhooks::reqwest::header::{HeaderMap, HeaderValue};
use fixture_client_webhooks::webhooks::{self, Error, Event, Key, SIGNATURE_HEADERS};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A fixed signing key: the tests are deterministic.
fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

/// The verifying side of [`signing_key`], as an API publishes it.
fn key() -> Key {
    let public = BASE64.encode(signing_key().verifying_key().as_bytes());
    Key::ed25519(&public).expect("a valid public key")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The headers of `body` signed at `timestamp`, under the given names.
fn signed(body: &[u8], timestamp: u64, names: (&'static str, &'static str)) -> HeaderMap {
    let mut message = format!("{timestamp}|").into_bytes();
    message.extend_from_slice(body);
    let signature = BASE64.encode(signing_key().sign(&message).to_bytes());
    let mut headers = HeaderMap::new();
    headers.insert(names.0, HeaderValue::from_str(&signature).unwrap());
    headers.insert(names.1, HeaderValue::from(timestamp));
    headers
}

/// Under the names the document gives.
fn signed_as_documented(body: &[u8], timestamp: u64) -> HeaderMap {
    signed(
        body,
        timestamp,
        ("acme-signature-ed25519", "acme-timestamp"),
    )
}

fn call_answered() -> Value {
    json!({"data": {
        "id": "ev-1",
        "event_type": "call.answered",
        "occurred_at": "2024-05-01T10:00:00Z",
        "payload": {"call_id": "call-1", "from": "+15550100"}
    }})
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

#[test]
fn every_event_is_dispatched_by_its_tag() {
    let cases = [
        ("callAnswered", call_answered()),
        (
            "callHangup",
            json!({"data": {
                "id": "ev-2", "event_type": "call.hangup", "occurred_at": "2024-05-01T10:05:00Z",
                "payload": {"call_id": "call-1", "hangup_cause": "normal_clearing"}
            }}),
        ),
        (
            "messageStatus",
            json!({"data": {"event_type": "message.sent", "message_id": "m-1"}}),
        ),
        (
            "messageStatus",
            json!({"data": {"event_type": "message.delivered", "message_id": "m-1"}}),
        ),
        (
            "floorChanged",
            json!({"event_type": "conference.floor.changed", "conference_id": "conf-1", "speaker": "ana"}),
        ),
        (
            "number.ported",
            json!({"data": {"event_type": "number.ported", "phone_number": "+15550101"}}),
        ),
    ];
    for (name, payload) in cases {
        let event = Event::parse(&bytes(&payload)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(event.name(), Some(name), "{payload}");
    }
    let Event::CallAnswered(event) = Event::parse(&bytes(&call_answered())).unwrap() else {
        panic!("not a callAnswered event");
    };
    assert_eq!(event.data.payload.call_id, "call-1");
    let floor = json!({"event_type": "conference.floor.changed", "conference_id": "conf-9"});
    let Event::FloorChanged(event) = Event::from_value(floor).unwrap() else {
        panic!("not a floorChanged event");
    };
    assert_eq!(event.conference_id, "conf-9");
}

#[test]
fn an_unknown_event_is_kept_with_its_type_and_payload() {
    let payload = json!({"data": {"event_type": "call.transferred", "call_id": "call-1"}});
    let event = Event::parse(&bytes(&payload)).unwrap();
    assert_eq!(event.name(), None);
    assert_eq!(
        event,
        Event::Unknown {
            event_type: Some("call.transferred".to_owned()),
            raw: payload
        }
    );
    // `orderStatus` allows any `data.event_type`: its `data.payload.status`
    // is not taken as a tag, so a newer event carrying a status is not
    // claimed by it either. Both are kept.
    for event_type in ["order.completed", "invoice.paid"] {
        let order = json!({"data": {"event_type": event_type, "payload": {"status": "done"}}});
        assert_eq!(
            Event::parse(&bytes(&order)).unwrap(),
            Event::Unknown {
                event_type: Some(event_type.to_owned()),
                raw: order
            }
        );
    }
    // `ping` has no tag: its payloads cannot be told apart, and are kept.
    let ping = json!({"message": "hello"});
    assert_eq!(
        Event::parse(&bytes(&ping)).unwrap(),
        Event::Unknown {
            event_type: None,
            raw: ping
        }
    );
}

#[test]
fn a_payload_that_names_an_event_but_does_not_match_it_says_where() {
    let mut payload = call_answered();
    payload["data"]["payload"]
        .as_object_mut()
        .unwrap()
        .remove("call_id");
    match Event::parse(&bytes(&payload)) {
        Err(Error::PayloadMismatch {
            event,
            path,
            message,
        }) => {
            assert_eq!(event, "callAnswered");
            assert_eq!(path, "data.payload");
            assert!(message.contains("call_id"), "{message}");
        }
        other => panic!("expected a payload mismatch, got {other:?}"),
    }
}

#[test]
fn a_body_that_is_not_json_is_refused_with_its_position() {
    match Event::parse(b"{\"data\": \n  nope}") {
        Err(Error::BodyNotJson { line, column, .. }) => {
            assert_eq!(line, 2);
            assert!(column >= 3, "column {column}");
        }
        other => panic!("expected BodyNotJson, got {other:?}"),
    }
}

#[test]
fn the_signature_headers_are_the_documented_ones_then_the_standard_ones() {
    assert_eq!(
        SIGNATURE_HEADERS.signature,
        ["acme-signature-ed25519", "webhook-signature"]
    );
    assert_eq!(
        SIGNATURE_HEADERS.timestamp,
        ["acme-timestamp", "webhook-timestamp"]
    );
    assert_eq!(SIGNATURE_HEADERS.id, ["webhook-id"]);
}

#[test]
fn a_signed_event_is_verified_and_unwrapped() {
    let body = bytes(&call_answered());
    let headers = signed_as_documented(&body, now());
    webhooks::verify(&body, &headers, &key()).expect("the signature verifies");
    let event = webhooks::unwrap(&body, &headers, &key()).expect("unwraps");
    assert_eq!(event.name(), Some("callAnswered"));
    // The standard header names are read as well.
    let standard = signed(&body, now(), ("webhook-signature", "webhook-timestamp"));
    assert_eq!(
        webhooks::unwrap(&body, &standard, &key()).unwrap().name(),
        Some("callAnswered")
    );
}

#[test]
fn a_tampered_body_is_refused() {
    let body = bytes(&call_answered());
    let headers = signed_as_documented(&body, now());
    let tampered = String::from_utf8(body)
        .unwrap()
        .replace("call-1", "call-2")
        .into_bytes();
    match webhooks::unwrap(&tampered, &headers, &key()) {
        Err(Error::WrongSignature { header }) => assert_eq!(header, "acme-signature-ed25519"),
        other => panic!("expected WrongSignature, got {other:?}"),
    }
}

#[test]
fn another_key_missing_headers_and_an_old_timestamp_are_refused() {
    let body = bytes(&call_answered());
    let headers = signed_as_documented(&body, now());
    let other = SigningKey::from_bytes(&[8; 32]);
    let other_key = Key::ed25519(&BASE64.encode(other.verifying_key().as_bytes())).unwrap();
    assert!(matches!(
        webhooks::verify(&body, &headers, &other_key),
        Err(Error::WrongSignature { .. })
    ));
    match webhooks::verify(&body, &HeaderMap::new(), &key()) {
        Err(Error::MissingHeader { names }) => {
            assert_eq!(names, ["acme-signature-ed25519", "webhook-signature"]);
        }
        other => panic!("expected MissingHeader, got {other:?}"),
    }
    let old = signed_as_documented(&body, now() - 3600);
    assert!(matches!(
        webhooks::verify(&body, &old, &key()),
        Err(Error::TimestampOutOfTolerance { .. })
    ));
    // A wider tolerance lets it through.
    let patient = key().with_tolerance(Duration::from_secs(2 * 3600));
    webhooks::verify(&body, &old, &patient).expect("within two hours");
}

#[test]
fn a_key_never_shows_its_bytes() {
    let public = BASE64.encode(signing_key().verifying_key().as_bytes());
    let shown = format!("{:?}", key());
    assert!(!shown.contains(&public), "{shown}");
    assert!(!shown.contains(&public[..12]), "{shown}");
}
