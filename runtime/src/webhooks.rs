//! Webhooks: checking that a request really comes from the API (its
//! signature), then reading its body as JSON and decoding it into an
//! event's type.
//!
//! Two signature schemes are supported, chosen by the [`Key`]:
//!
//! - **Ed25519** ([`Key::ed25519`], a base64 public key). The signature
//!   header holds the base64 Ed25519 signature of `{timestamp}|{body}`,
//!   where `{timestamp}` is the timestamp header as sent (seconds since the
//!   Unix epoch). Entries written `v1a,<base64>` (the asymmetric variant of
//!   Standard Webhooks) sign `{id}.{timestamp}.{body}` instead, with the
//!   id header.
//! - **Standard Webhooks** ([`Key::standard_webhooks`], a `whsec_` secret).
//!   The signature header holds space-separated `v1,<base64>` entries, each
//!   an HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the decoded
//!   secret. One matching entry is enough (several appear while a secret is
//!   being rotated), whatever their order; entries of other versions are
//!   skipped. The comparison takes the same time wherever the bytes differ.
//!
//! Which headers carry the id, the timestamp and the signature is an API's
//! choice: [`SignatureHeaders`] lists the names to try, in order. In both
//! schemes the timestamp must lie within the key's tolerance of the current
//! time (five minutes by default, either way), so that a captured request
//! cannot be replayed later.
//!
//! Nothing here knows one API: a generated crate passes its own
//! [`SignatureHeaders`] and event types. Key bytes never appear in `Debug`
//! output or in an [`Error`].

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Standard base64, with or without padding (senders differ).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The length of an HMAC-SHA256 signature, in bytes.
const HMAC_SHA256_LENGTH: usize = 32;

/// The timestamp tolerance of a new [`Key`].
const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// What verifies a webhook's signature: the key material and the timestamp
/// tolerance. `Debug` shows the scheme and the tolerance, never key bytes.
#[derive(Clone)]
pub struct Key {
    material: Material,
    tolerance: Duration,
}

/// The key material of one scheme.
#[derive(Clone)]
enum Material {
    /// The sender's Ed25519 public key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// HMAC-SHA256 already keyed with the shared secret (cloned for each
    /// message, so the secret itself is not kept apart).
    StandardWebhooks(Hmac<Sha256>),
}

impl Material {
    fn scheme(&self) -> &'static str {
        match self {
            Material::Ed25519(_) => "ed25519",
            Material::StandardWebhooks(_) => "standard-webhooks (HMAC-SHA256)",
        }
    }
}

impl Key {
    /// An Ed25519 public key, in base64 (standard alphabet, padding
    /// optional), optionally prefixed with `whpk_` as Standard Webhooks
    /// writes it.
    pub fn ed25519(public_key_base64: &str) -> Result<Key, Error> {
        let text = public_key_base64.trim();
        let text = text.strip_prefix("whpk_").unwrap_or(text);
        let bytes = decode_key(text, "the Ed25519 public key")?;
        let bytes: [u8; ed25519_dalek::PUBLIC_KEY_LENGTH] =
            bytes.as_slice().try_into().map_err(|_| Error::InvalidKey {
                reason: format!(
                    "the Ed25519 public key is {} bytes once decoded, not {}",
                    bytes.len(),
                    ed25519_dalek::PUBLIC_KEY_LENGTH
                ),
            })?;
        let key =
            ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| Error::InvalidKey {
                reason: "the Ed25519 public key is not a point on the curve".to_owned(),
            })?;
        Ok(Key {
            material: Material::Ed25519(key),
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// A Standard Webhooks symmetric secret: `whsec_` followed by base64,
    /// or the base64 alone.
    pub fn standard_webhooks(secret: &str) -> Result<Key, Error> {
        let text = secret.trim();
        let text = text.strip_prefix("whsec_").unwrap_or(text);
        let bytes = decode_key(text, "the secret")?;
        if bytes.is_empty() {
            return Err(Error::InvalidKey {
                reason: "the secret is empty".to_owned(),
            });
        }
        let mac = Hmac::<Sha256>::new_from_slice(&bytes).map_err(|_| Error::InvalidKey {
            reason: "the secret cannot key HMAC-SHA256".to_owned(),
        })?;
        Ok(Key {
            material: Material::StandardWebhooks(mac),
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Replaces the timestamp tolerance (five minutes by default): a
    /// timestamp further than this from the current time, before or after
    /// it, is refused.
    pub fn with_tolerance(self, tolerance: Duration) -> Key {
        Key { tolerance, ..self }
    }

    /// How far a timestamp may be from the current time, either way.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("scheme", &self.material.scheme())
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Decodes key material; the error names `what` but never the text (a
/// base64 error would quote the offending character of the secret).
fn decode_key(text: &str, what: &str) -> Result<Vec<u8>, Error> {
    BASE64.decode(text).map_err(|_| Error::InvalidKey {
        reason: format!("{what} is not base64 (standard alphabet, padding optional)"),
    })
}

/// Where one API puts its signature headers, as its document says. Each
/// list is tried in order; the first header present is used.
#[derive(Debug, Clone, Copy)]
pub struct SignatureHeaders {
    /// The message id (signed by Standard Webhooks), e.g. `webhook-id`.
    pub id: &'static [&'static str],
    /// The timestamp in seconds since the Unix epoch, e.g.
    /// `webhook-timestamp`.
    pub timestamp: &'static [&'static str],
    /// The signature(s), e.g. `webhook-signature`.
    pub signature: &'static [&'static str],
}

impl SignatureHeaders {
    /// The headers of the Standard Webhooks specification: `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature`.
    pub const STANDARD: SignatureHeaders = SignatureHeaders {
        id: &["webhook-id"],
        timestamp: &["webhook-timestamp"],
        signature: &["webhook-signature"],
    };
}

/// Checks that `body` was signed with `key`, as `headers` say, at a time
/// within the key's tolerance of `now` (a generated crate passes
/// `SystemTime::now()`).
///
/// With an Ed25519 key the signature header holds base64 signatures of
/// `{timestamp}|{body}`, or `v1a,<base64>` entries signing
/// `{id}.{timestamp}.{body}`. With a Standard Webhooks key it holds
/// space-separated `v1,<base64>` HMAC-SHA256 signatures of
/// `{id}.{timestamp}.{body}`. Any one matching entry passes; entries of
/// other versions are skipped.
pub fn verify(
    body: &[u8],
    headers: &HeaderMap,
    key: &Key,
    names: &SignatureHeaders,
    now: SystemTime,
) -> Result<(), Error> {
    let (signature_header, entries) = signature_entries(headers, names.signature)?;
    let (timestamp_header, timestamp_text) = first_header(headers, names.timestamp)?;
    let timestamp: i64 = timestamp_text.parse().map_err(|_| Error::MalformedHeader {
        name: timestamp_header.to_owned(),
        reason: format!(
            "{} is not an integer (seconds since the Unix epoch)",
            quoted(timestamp_text)
        ),
    })?;
    check_tolerance(timestamp, now, key.tolerance)?;
    // The entries are decoded before the id header is looked up, so that a
    // malformed signature is reported as such even when the id is missing.
    let header = signature_header;
    match &key.material {
        Material::StandardWebhooks(mac) => {
            let candidates = decode_entries(&entries, HMAC_SHA256_LENGTH, |version| {
                version == Some("v1")
            });
            let signatures = candidates.usable(header, "no `v1,` entry", &entries)?;
            let (_, id) = first_header(headers, names.id)?;
            let mut signed = mac.clone();
            for part in [id.as_bytes(), b".", timestamp_text.as_bytes(), b".", body] {
                signed.update(part);
            }
            // `verify_slice` compares in constant time.
            if signatures
                .iter()
                .any(|(_, bytes)| signed.clone().verify_slice(bytes).is_ok())
            {
                return Ok(());
            }
        }
        Material::Ed25519(public_key) => {
            let candidates = decode_entries(&entries, ed25519_dalek::SIGNATURE_LENGTH, |version| {
                matches!(version, None | Some("v1a"))
            });
            let signatures = candidates.usable(header, "no Ed25519 signature", &entries)?;
            let mut plain_message = None;
            let mut versioned_message = None;
            for (version, bytes) in &signatures {
                let message = match version {
                    None => plain_message
                        .get_or_insert_with(|| [timestamp_text.as_bytes(), b"|", body].concat()),
                    Some(_) => {
                        if versioned_message.is_none() {
                            let (_, id) = first_header(headers, names.id)?;
                            versioned_message = Some(
                                [id.as_bytes(), b".", timestamp_text.as_bytes(), b".", body]
                                    .concat(),
                            );
                        }
                        versioned_message.get_or_insert_default()
                    }
                };
                let signature = ed25519_dalek::Signature::from_slice(bytes);
                if signature.is_ok_and(|s| public_key.verify_strict(message, &s).is_ok()) {
                    return Ok(());
                }
            }
        }
    }
    Err(Error::WrongSignature {
        header: header.to_owned(),
    })
}

/// The entries of a signature header a key could check, decoded.
struct Candidates<'e> {
    /// Each well-formed entry's version (`None` when it has none) and bytes.
    decoded: Vec<(Option<&'e str>, Vec<u8>)>,
    /// Why the first malformed entry of a wanted version is malformed.
    malformed: Option<String>,
}

impl<'e> Candidates<'e> {
    /// The well-formed signatures; an error if there is none (naming why
    /// the first candidate was malformed, or `missing` when there was none).
    #[allow(clippy::type_complexity)]
    fn usable(
        self,
        header: &str,
        missing: &str,
        entries: &[&str],
    ) -> Result<Vec<(Option<&'e str>, Vec<u8>)>, Error> {
        if !self.decoded.is_empty() {
            return Ok(self.decoded);
        }
        let reason = self
            .malformed
            .unwrap_or_else(|| format!("{missing}{}", found_versions(entries)));
        Err(Error::MalformedSignature {
            header: header.to_owned(),
            reason,
        })
    }
}

/// Decodes the entries (`version,base64` or bare base64) whose version
/// `wanted` accepts, each expected to be `length` bytes.
fn decode_entries<'e>(
    entries: &[&'e str],
    length: usize,
    wanted: impl Fn(Option<&str>) -> bool,
) -> Candidates<'e> {
    let mut candidates = Candidates {
        decoded: Vec::new(),
        malformed: None,
    };
    for entry in entries {
        let (version, text) = match entry.split_once(',') {
            Some((version, text)) => (Some(version), text),
            None => (None, *entry),
        };
        if !wanted(version) {
            continue;
        }
        match decode_signature(text, length) {
            Ok(bytes) => candidates.decoded.push((version, bytes)),
            Err(reason) => {
                candidates.malformed.get_or_insert(reason);
            }
        }
    }
    candidates
}

/// The base64 signature `text`, which must decode to `length` bytes.
fn decode_signature(text: &str, length: usize) -> Result<Vec<u8>, String> {
    let bytes = BASE64
        .decode(text)
        .map_err(|_| format!("{} is not base64", quoted(text)))?;
    if bytes.len() != length {
        return Err(format!(
            "{} is {} bytes once decoded, not {length}",
            quoted(text),
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// `, found: v2, v1a` naming the versions of the entries there were.
fn found_versions(entries: &[&str]) -> String {
    let versions: Vec<&str> = entries
        .iter()
        .map(|entry| entry.split_once(',').map_or("(unversioned)", |(v, _)| v))
        .collect();
    if versions.is_empty() {
        " (the header is empty)".to_owned()
    } else {
        format!(" (found: {})", versions.join(", "))
    }
}

/// The first of `names` present in `headers`, with its value.
fn first_header<'h>(
    headers: &'h HeaderMap,
    names: &[&'static str],
) -> Result<(&'static str, &'h str), Error> {
    let (name, value) = names
        .iter()
        .find_map(|name| Some((*name, headers.get(*name)?)))
        .ok_or_else(|| Error::MissingHeader {
            names: names.to_vec(),
        })?;
    let text = value.to_str().map_err(|_| Error::MalformedHeader {
        name: name.to_owned(),
        reason: "the value is not visible ASCII".to_owned(),
    })?;
    Ok((name, text.trim()))
}

/// The first of `names` present in `headers`, with the whitespace-separated
/// entries of all its values.
fn signature_entries<'h>(
    headers: &'h HeaderMap,
    names: &[&'static str],
) -> Result<(&'static str, Vec<&'h str>), Error> {
    let name = names
        .iter()
        .copied()
        .find(|name| headers.contains_key(*name))
        .ok_or_else(|| Error::MissingHeader {
            names: names.to_vec(),
        })?;
    let mut entries = Vec::new();
    for value in headers.get_all(name) {
        let text = value.to_str().map_err(|_| Error::MalformedHeader {
            name: name.to_owned(),
            reason: "the value is not visible ASCII".to_owned(),
        })?;
        entries.extend(text.split_ascii_whitespace());
    }
    Ok((name, entries))
}

/// Refuses a timestamp further than `tolerance` from `now`.
fn check_tolerance(timestamp: i64, now: SystemTime, tolerance: Duration) -> Result<(), Error> {
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    };
    if Duration::from_secs(timestamp.abs_diff(now)) > tolerance {
        return Err(Error::TimestampOutOfTolerance {
            timestamp,
            now,
            tolerance,
        });
    }
    Ok(())
}

/// A header value for an error message: quoted, and cut if long.
fn quoted(text: &str) -> String {
    const LIMIT: usize = 40;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

/// The body as JSON.
pub fn parse_json(body: &[u8]) -> Result<serde_json::Value, Error> {
    serde_json::from_slice(body).map_err(|err| {
        let (line, column) = (err.line(), err.column());
        let text = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        Error::BodyNotJson {
            line,
            column,
            message,
        }
    })
}

/// The string at `path` (object keys, outermost first) inside `value`, if
/// there is one: where an event's type is written.
pub fn tag_at<'v>(value: &'v serde_json::Value, path: &[&str]) -> Option<&'v str> {
    path.iter()
        .try_fold(value, |inner, key| inner.get(*key))?
        .as_str()
}

/// Decodes `value` into the type of the event named `event` (the webhook's
/// name in the document). A failure says where inside the payload.
pub fn decode_event<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    event: &'static str,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|err| Error::PayloadMismatch {
        event,
        path: err.path().to_string(),
        message: err.into_inner().to_string(),
    })
}

/// Why a webhook was refused. Never contains key or secret bytes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// A [`Key`] constructor was given something that is not a key.
    InvalidKey {
        /// What is wrong with it (without its bytes).
        reason: String,
    },
    /// None of the headers that could carry a value is present.
    MissingHeader {
        /// The names tried, in order.
        names: Vec<&'static str>,
    },
    /// A header is present but unreadable (a timestamp that is not an
    /// integer, a value that is not ASCII).
    MalformedHeader {
        /// The header.
        name: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// The signature header holds no signature the key could check: not
    /// base64, the wrong length, or no entry of the key's scheme.
    MalformedSignature {
        /// The header.
        header: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The signature is well formed but does not match the body and key.
    WrongSignature {
        /// The header.
        header: String,
    },
    /// The timestamp is further from the current time than the key's
    /// tolerance allows (a replay, or a clock far off).
    TimestampOutOfTolerance {
        /// The signed timestamp, in seconds since the Unix epoch.
        timestamp: i64,
        /// The time of the check, in seconds since the Unix epoch.
        now: i64,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// The body is not JSON.
    BodyNotJson {
        /// One-based line of the error.
        line: usize,
        /// One-based column of the error.
        column: usize,
        /// What the JSON parser expected.
        message: String,
    },
    /// The body is JSON but does not match the type of its event.
    PayloadMismatch {
        /// The webhook's name in the document.
        event: &'static str,
        /// Where inside the payload (`data.payload.to`, `.` for the top).
        path: String,
        /// What did not match.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidKey { reason } => write!(f, "invalid webhook key: {reason}"),
            Error::MissingHeader { names } => match names.as_slice() {
                [name] => write!(f, "the header {name} is not present"),
                _ => write!(f, "none of the headers {} is present", names.join(", ")),
            },
            Error::MalformedHeader { name, reason } => write!(f, "header {name}: {reason}"),
            Error::MalformedSignature { header, reason } => {
                write!(f, "malformed signature in header {header}: {reason}")
            }
            Error::WrongSignature { header } => write!(
                f,
                "the signature in header {header} does not match the body and key"
            ),
            Error::TimestampOutOfTolerance {
                timestamp,
                now,
                tolerance,
            } => {
                let (distance, direction) = if timestamp <= now {
                    (now.abs_diff(*timestamp), "before")
                } else {
                    (timestamp.abs_diff(*now), "after")
                };
                write!(
                    f,
                    "the webhook timestamp {timestamp} is {distance}s {direction} the current \
                     time {now}, beyond the tolerance of {}s",
                    tolerance.as_secs()
                )
            }
            Error::BodyNotJson {
                line,
                column,
                message,
            } => write!(
                f,
                "the webhook body is not JSON: {message} at line {line}, column {column}"
            ),
            Error::PayloadMismatch {
                event,
                path,
                message,
            } => write!(
                f,
                "the webhook body does not match the event {event} at {path}: {message}"
            ),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use reqwest::header::HeaderValue;

    /// The time of every check, and the timestamp of every fresh message.
    const NOW: i64 = 1_700_000_000;
    /// 24 bytes, in base64.
    const SECRET: &str = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;
    /// Telnyx-like names: the API's own first, then the standard ones.
    const CUSTOM: SignatureHeaders = SignatureHeaders {
        id: &["webhook-id"],
        timestamp: &["x-api-timestamp", "webhook-timestamp"],
        signature: &["x-api-signature-ed25519", "webhook-signature"],
    };

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds.unsigned_abs())
    }

    fn signing_key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    fn ed25519_key() -> Key {
        Key::ed25519(&BASE64.encode(signing_key().verifying_key().as_bytes())).unwrap()
    }

    fn hmac_key() -> Key {
        Key::standard_webhooks(&format!("whsec_{SECRET}")).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// `{timestamp}|{body}` signed with the Ed25519 test key, in base64.
    fn ed25519_signature(timestamp: &str, body: &[u8]) -> String {
        let message = [timestamp.as_bytes(), b"|", body].concat();
        BASE64.encode(signing_key().sign(&message).to_bytes())
    }

    /// `{id}.{timestamp}.{body}` signed with HMAC-SHA256 and `secret`.
    fn hmac_signature(secret: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&BASE64.decode(secret).unwrap()).unwrap();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        BASE64.encode(mac.finalize().into_bytes())
    }

    fn standard_headers(signature: &str, timestamp: i64) -> HeaderMap {
        headers(&[
            ("webhook-id", "msg_1"),
            ("webhook-timestamp", &timestamp.to_string()),
            ("webhook-signature", signature),
        ])
    }

    fn verify_standard(signature: &str) -> Result<(), Error> {
        let map = standard_headers(signature, NOW);
        verify(
            BODY,
            &map,
            &hmac_key(),
            &SignatureHeaders::STANDARD,
            at(NOW),
        )
    }

    fn verify_custom(map: &HeaderMap, body: &[u8]) -> Result<(), Error> {
        verify(body, map, &ed25519_key(), &CUSTOM, at(NOW))
    }

    fn custom_headers(signature: &str) -> HeaderMap {
        headers(&[
            ("x-api-timestamp", &NOW.to_string()),
            ("x-api-signature-ed25519", signature),
        ])
    }

    #[test]
    fn a_valid_ed25519_signature_under_the_apis_own_headers_passes() {
        let signature = ed25519_signature(&NOW.to_string(), BODY);
        verify_custom(&custom_headers(&signature), BODY).unwrap();
        // Padding is optional.
        let unpadded = signature.trim_end_matches('=');
        verify_custom(&custom_headers(unpadded), BODY).unwrap();
    }

    #[test]
    fn the_first_header_present_of_each_list_is_used() {
        let signature = ed25519_signature(&NOW.to_string(), BODY);
        let map = headers(&[
            ("webhook-timestamp", &NOW.to_string()),
            ("webhook-signature", &signature),
        ]);
        verify_custom(&map, BODY).unwrap();
        // The API's own header wins over the standard one.
        let map = headers(&[
            ("x-api-timestamp", &NOW.to_string()),
            ("webhook-timestamp", "1"),
            ("x-api-signature-ed25519", &signature),
            ("webhook-signature", "bm90IGl0"),
        ]);
        verify_custom(&map, BODY).unwrap();
    }

    #[test]
    fn a_tampered_body_or_another_key_is_a_wrong_signature() {
        let signature = ed25519_signature(&NOW.to_string(), BODY);
        let tampered = br#"{"type":"invoice.paid","data":{"id":"in_2"}}"#;
        let err = verify_custom(&custom_headers(&signature), tampered).unwrap_err();
        assert!(
            matches!(&err, Error::WrongSignature { header } if header == "x-api-signature-ed25519"),
            "{err:?}"
        );
        let other = SigningKey::from_bytes(&[8; 32]);
        let key = Key::ed25519(&BASE64.encode(other.verifying_key().as_bytes())).unwrap();
        let err = verify(BODY, &custom_headers(&signature), &key, &CUSTOM, at(NOW)).unwrap_err();
        assert!(matches!(err, Error::WrongSignature { .. }), "{err:?}");
        // The timestamp is signed too.
        let map = headers(&[
            ("x-api-timestamp", &(NOW + 1).to_string()),
            ("x-api-signature-ed25519", &signature),
        ]);
        let err = verify_custom(&map, BODY).unwrap_err();
        assert!(matches!(err, Error::WrongSignature { .. }), "{err:?}");
    }

    #[test]
    fn a_missing_header_names_every_header_tried() {
        let signature = ed25519_signature(&NOW.to_string(), BODY);
        let err = verify_custom(&headers(&[("x-api-timestamp", "1")]), BODY).unwrap_err();
        assert!(
            matches!(&err, Error::MissingHeader { names } if names == &["x-api-signature-ed25519", "webhook-signature"]),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "none of the headers x-api-signature-ed25519, webhook-signature is present"
        );
        let map = headers(&[("x-api-signature-ed25519", &signature)]);
        let err = verify_custom(&map, BODY).unwrap_err();
        assert!(
            matches!(&err, Error::MissingHeader { names } if names == &["x-api-timestamp", "webhook-timestamp"]),
            "{err:?}"
        );
        // Standard Webhooks signs the id: without it there is nothing to check.
        let good = hmac_signature(SECRET, "msg_1", &NOW.to_string(), BODY);
        let map = headers(&[
            ("webhook-timestamp", &NOW.to_string()),
            ("webhook-signature", &format!("v1,{good}")),
        ]);
        let err = verify(
            BODY,
            &map,
            &hmac_key(),
            &SignatureHeaders::STANDARD,
            at(NOW),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "the header webhook-id is not present");
    }

    #[test]
    fn a_timestamp_that_is_not_an_integer_is_a_malformed_header() {
        let signature = ed25519_signature("soon", BODY);
        for timestamp in ["soon", "1700000000.5", "", "-"] {
            let map = headers(&[
                ("x-api-timestamp", timestamp),
                ("x-api-signature-ed25519", &signature),
            ]);
            let err = verify_custom(&map, BODY).unwrap_err();
            assert!(
                matches!(&err, Error::MalformedHeader { name, .. } if name == "x-api-timestamp"),
                "{timestamp:?}: {err:?}"
            );
            assert!(err.to_string().contains("not an integer"), "{err}");
        }
        let mut map = custom_headers(&signature);
        map.insert(
            "x-api-timestamp",
            HeaderValue::from_bytes("17000000é".as_bytes()).unwrap(),
        );
        let err = verify_custom(&map, BODY).unwrap_err();
        assert!(
            matches!(&err, Error::MalformedHeader { reason, .. } if reason.contains("ASCII")),
            "{err:?}"
        );
    }

    #[test]
    fn a_signature_that_is_not_base64_or_of_the_wrong_length_is_malformed() {
        for (signature, reason) in [
            ("not base64!", "is not base64"),
            ("AAAA", "is 3 bytes once decoded, not 64"),
            ("v1a,AAAA", "is 3 bytes once decoded, not 64"),
            ("v1,AAAA", "no Ed25519 signature (found: v1)"),
            ("", "the header is empty"),
        ] {
            let err = verify_custom(&custom_headers(signature), BODY).unwrap_err();
            match &err {
                Error::MalformedSignature {
                    header,
                    reason: got,
                } => {
                    assert_eq!(header, "x-api-signature-ed25519");
                    assert!(got.contains(reason), "{signature:?}: {got}");
                }
                _ => panic!("{signature:?}: {err:?}"),
            }
        }
        for (signature, reason) in [
            ("v1,not-base64!", "is not base64"),
            ("v1,AAAA", "is 3 bytes once decoded, not 32"),
            ("v1a,AAAA v2,AAAA", "no `v1,` entry (found: v1a, v2)"),
            ("AAAA", "no `v1,` entry (found: (unversioned))"),
        ] {
            let err = verify_standard(signature).unwrap_err();
            match &err {
                Error::MalformedSignature {
                    header,
                    reason: got,
                } => {
                    assert_eq!(header, "webhook-signature");
                    assert!(got.contains(reason), "{signature:?}: {got}");
                }
                _ => panic!("{signature:?}: {err:?}"),
            }
        }
    }

    #[test]
    fn one_well_formed_entry_makes_a_mismatch_a_wrong_signature() {
        let wrong = hmac_signature(SECRET, "msg_2", &NOW.to_string(), BODY);
        let err = verify_standard(&format!("v1,garbage! v1,{wrong}")).unwrap_err();
        assert!(matches!(err, Error::WrongSignature { .. }), "{err:?}");
    }

    #[test]
    fn timestamps_beyond_the_tolerance_either_way_are_refused() {
        let key = ed25519_key();
        assert_eq!(key.tolerance(), Duration::from_secs(300));
        for (offset, ok) in [(-300, true), (300, true), (-301, false), (301, false)] {
            let timestamp = (NOW + offset).to_string();
            let map = headers(&[
                ("x-api-timestamp", &timestamp),
                (
                    "x-api-signature-ed25519",
                    &ed25519_signature(&timestamp, BODY),
                ),
            ]);
            let result = verify(BODY, &map, &key, &CUSTOM, at(NOW));
            match result {
                Ok(()) => assert!(ok, "{offset}"),
                Err(Error::TimestampOutOfTolerance {
                    timestamp,
                    now,
                    tolerance,
                }) => {
                    assert!(!ok, "{offset}");
                    assert_eq!((timestamp, now), (NOW + offset, NOW));
                    assert_eq!(tolerance, Duration::from_secs(300));
                }
                Err(err) => panic!("{offset}: {err:?}"),
            }
        }
        let old = Error::TimestampOutOfTolerance {
            timestamp: NOW - 400,
            now: NOW,
            tolerance: Duration::from_secs(300),
        };
        assert_eq!(
            old.to_string(),
            "the webhook timestamp 1699999600 is 400s before the current time 1700000000, \
             beyond the tolerance of 300s"
        );
    }

    #[test]
    fn the_tolerance_can_be_set() {
        let timestamp = (NOW - 600).to_string();
        let map = headers(&[
            ("x-api-timestamp", &timestamp),
            (
                "x-api-signature-ed25519",
                &ed25519_signature(&timestamp, BODY),
            ),
        ]);
        let wide = ed25519_key().with_tolerance(Duration::from_secs(900));
        assert_eq!(wide.tolerance(), Duration::from_secs(900));
        verify(BODY, &map, &wide, &CUSTOM, at(NOW)).unwrap();
        let narrow = ed25519_key().with_tolerance(Duration::ZERO);
        let err = verify(BODY, &map, &narrow, &CUSTOM, at(NOW)).unwrap_err();
        assert!(
            matches!(err, Error::TimestampOutOfTolerance { .. }),
            "{err:?}"
        );
        verify(BODY, &map, &narrow, &CUSTOM, at(NOW - 600)).unwrap();
    }

    #[test]
    fn standard_webhooks_passes_with_any_one_matching_entry_in_any_order() {
        let timestamp = NOW.to_string();
        let good = hmac_signature(SECRET, "msg_1", &timestamp, BODY);
        let rotated = hmac_signature("c2Vjb25kIHNlY3JldA==", "msg_1", &timestamp, BODY);
        verify_standard(&format!("v1,{good}")).unwrap();
        verify_standard(&format!("v1,{rotated} v1,{good}")).unwrap();
        verify_standard(&format!("v1,{good} v1,{rotated}")).unwrap();
        // Unknown versions are skipped, wherever they are.
        verify_standard(&format!("v2,{rotated} v1a,{good} v1,{good}")).unwrap();
        verify_standard(&format!("v1,{good}  v9,whatever")).unwrap();
        let err = verify_standard(&format!("v1,{rotated}")).unwrap_err();
        assert!(
            matches!(&err, Error::WrongSignature { header } if header == "webhook-signature"),
            "{err:?}"
        );
        // Entries split over several header values count as well.
        let mut map = standard_headers(&format!("v1,{rotated}"), NOW);
        map.append(
            "webhook-signature",
            HeaderValue::from_str(&format!("v1,{good}")).unwrap(),
        );
        verify(
            BODY,
            &map,
            &hmac_key(),
            &SignatureHeaders::STANDARD,
            at(NOW),
        )
        .unwrap();
    }

    #[test]
    fn a_standard_webhooks_signature_covers_id_timestamp_and_body() {
        let timestamp = NOW.to_string();
        let good = format!("v1,{}", hmac_signature(SECRET, "msg_1", &timestamp, BODY));
        let mut map = standard_headers(&good, NOW);
        map.insert("webhook-id", HeaderValue::from_static("msg_2"));
        let err = verify(
            BODY,
            &map,
            &hmac_key(),
            &SignatureHeaders::STANDARD,
            at(NOW),
        );
        assert!(matches!(err, Err(Error::WrongSignature { .. })), "{err:?}");
        let map = standard_headers(&good, NOW);
        let err = verify(
            b"{}",
            &map,
            &hmac_key(),
            &SignatureHeaders::STANDARD,
            at(NOW),
        );
        assert!(matches!(err, Err(Error::WrongSignature { .. })), "{err:?}");
    }

    #[test]
    fn a_whsec_secret_works_with_and_without_its_prefix() {
        let signature = format!(
            "v1,{}",
            hmac_signature(SECRET, "msg_1", &NOW.to_string(), BODY)
        );
        let map = standard_headers(&signature, NOW);
        for secret in [format!("whsec_{SECRET}"), SECRET.to_owned()] {
            let key = Key::standard_webhooks(&secret).unwrap();
            verify(BODY, &map, &key, &SignatureHeaders::STANDARD, at(NOW)).unwrap();
        }
        for bad in ["whsec_", "", "whsec_not*base64"] {
            let err = Key::standard_webhooks(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidKey { .. }), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn ed25519_v1a_entries_sign_id_timestamp_and_body() {
        let timestamp = NOW.to_string();
        let message = format!("msg_1.{timestamp}.").into_bytes();
        let message = [message.as_slice(), BODY].concat();
        let v1a = BASE64.encode(signing_key().sign(&message).to_bytes());
        let key = Key::ed25519(&format!(
            "whpk_{}",
            BASE64.encode(signing_key().verifying_key().as_bytes())
        ))
        .unwrap();
        let names = SignatureHeaders::STANDARD;
        let map = standard_headers(&format!("v1,AAAA v1a,{v1a}"), NOW);
        verify(BODY, &map, &key, &names, at(NOW)).unwrap();
        // Over `{timestamp}|{body}` instead, it does not match.
        let plain = ed25519_signature(&timestamp, BODY);
        let map = standard_headers(&format!("v1a,{plain}"), NOW);
        let err = verify(BODY, &map, &key, &names, at(NOW)).unwrap_err();
        assert!(matches!(err, Error::WrongSignature { .. }), "{err:?}");
        // Unversioned entries sign `{timestamp}|{body}`; both kinds may mix.
        let map = standard_headers(&format!("v1a,{plain} {plain}"), NOW);
        verify(BODY, &map, &key, &names, at(NOW)).unwrap();
        // A `v1a` entry needs the id.
        let map = headers(&[
            ("webhook-timestamp", &timestamp),
            ("webhook-signature", &format!("v1a,{v1a}")),
        ]);
        let err = verify(BODY, &map, &key, &names, at(NOW)).unwrap_err();
        assert!(matches!(err, Error::MissingHeader { .. }), "{err:?}");
    }

    #[test]
    fn an_ed25519_key_must_be_32_bytes_of_base64() {
        for bad in ["", "not base64!", "AAAA", "whpk_AAAA"] {
            let err = Key::ed25519(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidKey { .. }), "{bad:?}: {err:?}");
        }
        let unpadded = BASE64.encode(signing_key().verifying_key().as_bytes());
        Key::ed25519(unpadded.trim_end_matches('=')).unwrap();
    }

    #[test]
    fn keys_and_errors_never_show_the_secret() {
        let secret_bytes = BASE64.decode(SECRET).unwrap();
        let key = hmac_key();
        let debug = format!("{key:?}");
        assert_eq!(
            debug,
            r#"Key { scheme: "standard-webhooks (HMAC-SHA256)", tolerance: 300s }"#
        );
        assert_eq!(
            format!("{:?}", ed25519_key()),
            r#"Key { scheme: "ed25519", tolerance: 300s }"#
        );
        // A secret that is almost base64: the error must not quote it.
        let almost = format!("whsec_{SECRET}*");
        let mut errors = vec![
            Key::standard_webhooks(&almost).unwrap_err(),
            Key::ed25519(&almost).unwrap_err(),
            Key::ed25519(SECRET).unwrap_err(),
        ];
        let timestamp = NOW.to_string();
        let good = hmac_signature(SECRET, "msg_1", &timestamp, BODY);
        for signature in [
            String::new(),
            "v1,AAAA".to_owned(),
            format!("v1,{}", hmac_signature(SECRET, "msg_2", &timestamp, BODY)),
        ] {
            errors.push(verify_standard(&signature).unwrap_err());
        }
        let stale = standard_headers(&format!("v1,{good}"), NOW - 1000);
        errors.push(verify(BODY, &stale, &key, &SignatureHeaders::STANDARD, at(NOW)).unwrap_err());
        errors.push(verify(BODY, &HeaderMap::new(), &key, &CUSTOM, at(NOW)).unwrap_err());
        let bad_timestamp = headers(&[("webhook-signature", "v1,x"), ("webhook-timestamp", "x")]);
        errors.push(
            verify(
                BODY,
                &bad_timestamp,
                &key,
                &SignatureHeaders::STANDARD,
                at(NOW),
            )
            .unwrap_err(),
        );
        errors.push(parse_json(b"{").unwrap_err());
        errors.push(decode_event::<u8>(serde_json::json!("x"), "paid").unwrap_err());
        // Every kind of error is there.
        let kinds: std::collections::BTreeSet<String> = errors
            .iter()
            .map(|err| format!("{err:?}").split(' ').next().unwrap().to_owned())
            .collect();
        assert_eq!(kinds.len(), 8, "{kinds:?}");
        let bytes_debug = format!("{secret_bytes:?}");
        let inner = &bytes_debug[1..bytes_debug.len() - 1];
        for err in &errors {
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(!text.contains(SECRET), "{text}");
                assert!(!text.contains(&SECRET[..8]), "{text}");
                assert!(!text.contains(inner), "{text}");
            }
        }
        for text in [debug, format!("{:?}", key.clone())] {
            assert!(!text.contains(SECRET) && !text.contains(inner), "{text}");
        }
    }

    #[test]
    fn a_body_that_is_not_json_says_where() {
        let err = parse_json(b"{\n  \"a\": x\n}").unwrap_err();
        match &err {
            Error::BodyNotJson {
                line,
                column,
                message,
            } => {
                assert_eq!((*line, *column), (2, 8));
                assert_eq!(message, "expected value");
            }
            _ => panic!("{err:?}"),
        }
        assert_eq!(
            err.to_string(),
            "the webhook body is not JSON: expected value at line 2, column 8"
        );
        assert_eq!(parse_json(BODY).unwrap()["data"]["id"], "in_1");
    }

    #[test]
    fn a_tag_is_read_at_its_path() {
        let value = parse_json(BODY).unwrap();
        assert_eq!(tag_at(&value, &["type"]), Some("invoice.paid"));
        assert_eq!(tag_at(&value, &["data", "id"]), Some("in_1"));
        assert_eq!(tag_at(&value, &["data"]), None);
        assert_eq!(tag_at(&value, &["data", "missing"]), None);
        assert_eq!(tag_at(&value, &["type", "deeper"]), None);
    }

    #[test]
    fn a_payload_that_does_not_match_its_event_names_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Paid {
            data: Data,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Data {
            id: String,
            amount: u64,
        }
        let value = serde_json::json!({"data": {"id": "in_1", "amount": "ten"}});
        let err = decode_event::<Paid>(value, "invoicePaid").unwrap_err();
        match &err {
            Error::PayloadMismatch {
                event,
                path,
                message,
            } => {
                assert_eq!(*event, "invoicePaid");
                assert_eq!(path, "data.amount");
                assert!(
                    message.contains("invalid type: string \"ten\""),
                    "{message}"
                );
            }
            _ => panic!("{err:?}"),
        }
        assert!(
            err.to_string().starts_with(
                "the webhook body does not match the event invoicePaid at data.amount: "
            ),
            "{err}"
        );
        let value = serde_json::json!({"data": {"id": "in_1", "amount": 10}});
        let paid = decode_event::<Paid>(value, "invoicePaid").unwrap();
        assert_eq!(paid.data.amount, 10);
    }
}
