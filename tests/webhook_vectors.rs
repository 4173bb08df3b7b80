//! Webhook signature verification (`runtime::webhooks`) against requests
//! signed by another implementation: `webhook_vectors/vectors.json`, written
//! by `webhook_vectors/make_vectors.py` with Python's `cryptography` (Ed25519)
//! and `hmac`/`hashlib` (Standard Webhooks). Each vector names the outcome:
//! `ok` (verified, and the body is JSON) or the kind of error.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use runtime::webhooks::{self, Error, Key, SignatureHeaders};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The vectors file, parsed.
fn document() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("webhook_vectors/vectors.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {value}"))
}

fn key_of(vector: &Value) -> Key {
    let key = &vector["key"];
    match text(key, "scheme") {
        "ed25519" => Key::ed25519(text(key, "public_key")),
        "standard-webhooks" => Key::standard_webhooks(text(key, "secret")),
        other => panic!("unknown scheme {other}"),
    }
    .unwrap_or_else(|err| panic!("{}: {err}", text(vector, "name")))
}

/// The header names of a vector; leaked, as `SignatureHeaders` holds
/// `'static` names (a generated crate passes constants).
fn names_of(vector: &Value) -> SignatureHeaders {
    let list = |key: &str| -> &'static [&'static str] {
        let names: Vec<&'static str> = vector["names"][key]
            .as_array()
            .unwrap_or_else(|| panic!("names.{key} is not a list"))
            .iter()
            .map(|name| &*String::leak(name.as_str().expect("a header name").to_owned()))
            .collect();
        names.leak()
    };
    SignatureHeaders {
        id: list("id"),
        timestamp: list("timestamp"),
        signature: list("signature"),
    }
}

fn headers_of(vector: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for pair in vector["headers"].as_array().expect("headers is a list") {
        let name = HeaderName::from_bytes(pair[0].as_str().unwrap().as_bytes()).unwrap();
        let value = HeaderValue::from_str(pair[1].as_str().unwrap()).unwrap();
        headers.append(name, value);
    }
    headers
}

fn kind(err: &Error) -> &'static str {
    match err {
        Error::InvalidKey { .. } => "InvalidKey",
        Error::MissingHeader { .. } => "MissingHeader",
        Error::MalformedHeader { .. } => "MalformedHeader",
        Error::MalformedSignature { .. } => "MalformedSignature",
        Error::WrongSignature { .. } => "WrongSignature",
        Error::TimestampOutOfTolerance { .. } => "TimestampOutOfTolerance",
        Error::BodyNotJson { .. } => "BodyNotJson",
        Error::PayloadMismatch { .. } => "PayloadMismatch",
        _ => "another error",
    }
}

/// Verifies the vector's body, then reads it as JSON.
fn outcome(vector: &Value, now: SystemTime, tolerance: Duration) -> Result<Value, Error> {
    let body = text(vector, "body").as_bytes();
    let key = key_of(vector).with_tolerance(tolerance);
    webhooks::verify(body, &headers_of(vector), &key, &names_of(vector), now)?;
    webhooks::parse_json(body)
}

#[test]
fn every_vector_signed_elsewhere_has_its_expected_outcome() {
    let document = document();
    let now = UNIX_EPOCH + Duration::from_secs(document["now"].as_u64().expect("now"));
    let tolerance = Duration::from_secs(document["tolerance_seconds"].as_u64().expect("tolerance"));
    let vectors = document["vectors"].as_array().expect("a list of vectors");
    let mut failures = Vec::new();
    let mut expected_kinds = BTreeSet::new();
    for vector in vectors {
        let name = text(vector, "name");
        let expected = text(vector, "expect");
        expected_kinds.insert(expected);
        let got = match outcome(vector, now, tolerance) {
            Ok(_) => "ok",
            Err(err) => {
                // Whatever failed, the message names no key material.
                let message = err.to_string();
                let key = &vector["key"];
                for secret in [&key["secret"], &key["public_key"]] {
                    if let Some(secret) = secret.as_str() {
                        assert!(!message.contains(secret), "{name}: {message}");
                    }
                }
                kind(&err)
            }
        };
        if got != expected {
            failures.push(format!("{name}: expected {expected}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The file covers what it is meant to: a truncated one fails here.
    for kind in [
        "ok",
        "WrongSignature",
        "TimestampOutOfTolerance",
        "MissingHeader",
        "MalformedSignature",
        "MalformedHeader",
        "BodyNotJson",
    ] {
        assert!(expected_kinds.contains(kind), "no vector expects {kind}");
    }
    assert!(vectors.len() >= 20, "only {} vectors", vectors.len());
}

#[test]
fn the_valid_vectors_fail_once_tampered_with() {
    let document = document();
    let now = UNIX_EPOCH + Duration::from_secs(document["now"].as_u64().unwrap());
    let tolerance = Duration::from_secs(document["tolerance_seconds"].as_u64().unwrap());
    let mut checked = 0;
    for vector in document["vectors"].as_array().unwrap() {
        if vector["expect"] != "ok" {
            continue;
        }
        let name = text(vector, "name");
        // One more byte at the end of the body.
        let mut tampered = vector.clone();
        tampered["body"] = Value::String(format!("{} ", text(vector, "body")));
        let err = outcome(&tampered, now, tolerance).unwrap_err();
        assert_eq!(kind(&err), "WrongSignature", "{name}: {err}");
        // The same request a day later.
        let later = now + Duration::from_secs(86_400);
        let err = outcome(vector, later, tolerance).unwrap_err();
        assert_eq!(kind(&err), "TimestampOutOfTolerance", "{name}: {err}");
        // With the tolerance widened, the old vectors pass.
        outcome(vector, later, Duration::from_secs(2 * 86_400))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} valid vectors");
}
