//! The cost of receiving one webhook: verifying its signature (Ed25519
//! over `{timestamp}|{body}`, and Standard Webhooks' HMAC-SHA256 over
//! `{id}.{timestamp}.{body}` with two entries in the header, the matching
//! one last), parsing its ~1 KB JSON body, and both in turn as a handler
//! does.
//!
//! Run: `cargo bench -p client-runtime --features webhooks --bench webhooks`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use ed25519_dalek::{Signer, SigningKey};
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderValue};
use runtime::webhooks::{self, Key, SignatureHeaders};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    divan::main();
}

const TIMESTAMP: u64 = 1_700_000_000;
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A realistic event of about 1 KB: an envelope, a nested payload, an
/// array and a few nulls.
const BODY: &str = r#"{"data":{"event_type":"invoice.payment_succeeded","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2023-11-14T22:13:20.000000Z","payload":{"invoice_id":"in_1NvK2f2eZvKYlo2C8Zr3XyQb","customer":{"id":"cus_9s6XKzkNRiz8i3","email":"jenny.rosen@example.com","name":"Jenny Rosen","address":{"line1":"510 Townsend St","line2":null,"city":"San Francisco","state":"CA","postal_code":"94103","country":"US"}},"amount_due":12500,"amount_paid":12500,"currency":"usd","status":"paid","lines":[{"id":"il_1","description":"Pro plan (monthly)","amount":9900,"quantity":1,"period":{"start":1697328000,"end":1699920000}},{"id":"il_2","description":"Extra seats","amount":2600,"quantity":2,"period":{"start":1697328000,"end":1699920000}}],"metadata":{"order_id":"6735","channel":"web"},"client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d","tags":["priority","renewal"],"discount":null}},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks/billing"},"record_type":"event"}"#;

const CUSTOM: SignatureHeaders = SignatureHeaders {
    id: &["webhook-id"],
    timestamp: &["x-timestamp", "webhook-timestamp"],
    signature: &["x-signature-ed25519", "webhook-signature"],
};

struct Signed {
    key: Key,
    headers: HeaderMap,
    names: SignatureHeaders,
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(TIMESTAMP)
}

fn ed25519() -> Signed {
    let signing = SigningKey::from_bytes(&[7; 32]);
    let message = format!("{TIMESTAMP}|{BODY}");
    let signature = BASE64.encode(signing.sign(message.as_bytes()).to_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("x-timestamp", HeaderValue::from(TIMESTAMP));
    headers.insert(
        "x-signature-ed25519",
        HeaderValue::from_str(&signature).unwrap(),
    );
    let key = Key::ed25519(&BASE64.encode(signing.verifying_key().as_bytes())).unwrap();
    Signed {
        key,
        headers,
        names: CUSTOM,
    }
}

fn standard_webhooks() -> Signed {
    let secret = BASE64.decode(&SECRET["whsec_".len()..]).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
    mac.update(format!("msg_2Lh9KRb0pzN4LePd.{TIMESTAMP}.{BODY}").as_bytes());
    let good = BASE64.encode(mac.finalize().into_bytes());
    let old = BASE64.encode([0u8; 32]);
    let mut headers = HeaderMap::new();
    headers.insert(
        "webhook-id",
        HeaderValue::from_static("msg_2Lh9KRb0pzN4LePd"),
    );
    headers.insert("webhook-timestamp", HeaderValue::from(TIMESTAMP));
    headers.insert(
        "webhook-signature",
        HeaderValue::from_str(&format!("v1,{old} v1,{good}")).unwrap(),
    );
    Signed {
        key: Key::standard_webhooks(SECRET).unwrap(),
        headers,
        names: SignatureHeaders::STANDARD,
    }
}

fn scheme(name: &str) -> Signed {
    match name {
        "ed25519" => ed25519(),
        _ => standard_webhooks(),
    }
}

#[divan::bench(args = ["ed25519", "hmac"])]
fn verify(bencher: Bencher, name: &str) {
    let signed = scheme(name);
    bencher.counter(BytesCount::new(BODY.len())).bench(|| {
        webhooks::verify(
            black_box(BODY.as_bytes()),
            &signed.headers,
            &signed.key,
            &signed.names,
            now(),
        )
        .unwrap()
    });
}

#[divan::bench]
fn parse_json(bencher: Bencher) {
    bencher
        .counter(BytesCount::new(BODY.len()))
        .bench(|| webhooks::parse_json(black_box(BODY.as_bytes())).unwrap());
}

#[divan::bench(args = ["ed25519", "hmac"])]
fn verify_then_parse_json(bencher: Bencher, name: &str) {
    let signed = scheme(name);
    bencher.counter(BytesCount::new(BODY.len())).bench(|| {
        let body = black_box(BODY.as_bytes());
        webhooks::verify(body, &signed.headers, &signed.key, &signed.names, now()).unwrap();
        webhooks::parse_json(body).unwrap()
    });
}
