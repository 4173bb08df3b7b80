//! Signing webhooks the way APIs do: Ed25519 over `{timestamp}|{body}`,
//! or Standard Webhooks (HMAC-SHA256 over `{id}.{timestamp}.{body}` with
//! a `whsec_` secret).
//!
//! The key bytes never appear in `Debug` or in an error; the only way out
//! is [`Signer::receiver_key`], what a receiver needs to verify (the
//! public key, or the shared test secret), printed once at start.

use super::Error;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use ed25519_dalek::Signer as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How webhooks are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Ed25519 over `{timestamp}|{body}`, base64 in the signature header.
    Ed25519,
    /// Standard Webhooks: `v1,<base64 HMAC-SHA256>` over
    /// `{id}.{timestamp}.{body}`, with a `webhook-id` header.
    Standard,
}

impl Scheme {
    /// The scheme's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Ed25519 => "ed25519",
            Scheme::Standard => "standard",
        }
    }
}

impl std::str::FromStr for Scheme {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ed25519" => Ok(Scheme::Ed25519),
            "standard" | "standard-webhooks" => Ok(Scheme::Standard),
            other => Err(Error::UnknownScheme {
                given: other.to_owned(),
            }),
        }
    }
}

/// A key given on the command line (`--webhook-key`), kept out of
/// `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyText(String);

impl KeyText {
    /// Wraps the text as given.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Whether it is written as a Standard Webhooks secret.
    pub fn is_whsec(&self) -> bool {
        self.0.trim().starts_with("whsec_")
    }
}

impl std::fmt::Debug for KeyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyText(<redacted>)")
    }
}

/// The key webhooks are signed with.
#[derive(Clone)]
pub enum Signer {
    /// An Ed25519 signing key.
    Ed25519(ed25519_dalek::SigningKey),
    /// A Standard Webhooks secret (the decoded bytes).
    Standard(Vec<u8>),
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme().name())
            .finish_non_exhaustive()
    }
}

/// The headers of one signed delivery, in the order they are sent.
pub type SignedHeaders = Vec<(String, String)>;

/// The header names one webhook is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderNames {
    /// The message id (Standard Webhooks only).
    pub id: String,
    /// The timestamp (seconds since the epoch).
    pub timestamp: String,
    /// The signature.
    pub signature: String,
}

impl Default for HeaderNames {
    fn default() -> Self {
        Self {
            id: "webhook-id".to_owned(),
            timestamp: "webhook-timestamp".to_owned(),
            signature: "webhook-signature".to_owned(),
        }
    }
}

impl Signer {
    /// A fresh random key for `scheme`.
    pub fn random(scheme: Scheme) -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(Error::NoRandomness)?;
        Ok(match scheme {
            Scheme::Ed25519 => Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(&bytes)),
            Scheme::Standard => Signer::Standard(bytes.to_vec()),
        })
    }

    /// The key given as text: for [`Scheme::Standard`] a `whsec_` secret
    /// (or bare base64); for [`Scheme::Ed25519`] a base64 seed (32 bytes)
    /// or keypair (64 bytes: the seed then the public key). Errors never
    /// repeat the text.
    pub fn parse(scheme: Scheme, text: &KeyText) -> Result<Self, Error> {
        let text = text.0.trim();
        match scheme {
            Scheme::Standard => {
                let encoded = text.strip_prefix("whsec_").unwrap_or(text);
                let bytes = decode(encoded).ok_or(Error::SecretNotBase64)?;
                if bytes.is_empty() {
                    return Err(Error::EmptySecret);
                }
                Ok(Signer::Standard(bytes))
            }
            Scheme::Ed25519 => {
                if text.starts_with("whsec_") {
                    return Err(Error::SecretForEd25519);
                }
                let bytes = decode(text).ok_or(Error::KeyNotBase64)?;
                match bytes.len() {
                    32 => {
                        let mut seed = [0u8; 32];
                        seed.copy_from_slice(&bytes);
                        Ok(Signer::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                            &seed,
                        )))
                    }
                    64 => {
                        let mut pair = [0u8; 64];
                        pair.copy_from_slice(&bytes);
                        ed25519_dalek::SigningKey::from_keypair_bytes(&pair)
                            .map(Signer::Ed25519)
                            .map_err(|_| Error::KeypairMismatch)
                    }
                    n => Err(Error::KeyLength { len: n }),
                }
            }
        }
    }

    /// The scheme this key signs with.
    pub fn scheme(&self) -> Scheme {
        match self {
            Signer::Ed25519(_) => Scheme::Ed25519,
            Signer::Standard(_) => Scheme::Standard,
        }
    }

    /// What a receiver verifies with: the base64 public key (Ed25519), or
    /// the `whsec_` secret (Standard Webhooks: the same test secret).
    pub fn receiver_key(&self) -> String {
        match self {
            Signer::Ed25519(key) => STANDARD.encode(key.verifying_key().as_bytes()),
            Signer::Standard(secret) => format!("whsec_{}", STANDARD.encode(secret)),
        }
    }

    /// The signature headers for `body` sent at `timestamp` (seconds since
    /// the epoch) with message id `id` (used by Standard Webhooks only).
    pub fn sign(
        &self,
        names: &HeaderNames,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> SignedHeaders {
        match self {
            Signer::Ed25519(key) => {
                let mut message = format!("{timestamp}|").into_bytes();
                message.extend_from_slice(body);
                let signature = key.sign(&message);
                vec![
                    (
                        names.signature.clone(),
                        STANDARD.encode(signature.to_bytes()),
                    ),
                    (names.timestamp.clone(), timestamp.to_string()),
                ]
            }
            Signer::Standard(secret) => {
                // HMAC accepts a key of any length.
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
                    .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
                mac.update(id.as_bytes());
                mac.update(b".");
                mac.update(timestamp.to_string().as_bytes());
                mac.update(b".");
                mac.update(body);
                let signature = STANDARD.encode(mac.finalize().into_bytes());
                vec![
                    (names.id.clone(), id.to_owned()),
                    (names.timestamp.clone(), timestamp.to_string()),
                    (names.signature.clone(), format!("v1,{signature}")),
                ]
            }
        }
    }
}

/// Base64 with or without padding.
fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_signatures_verify_with_the_public_key() {
        let signer = Signer::random(Scheme::Ed25519).unwrap();
        let headers = signer.sign(&HeaderNames::default(), "", 1_700_000_000, b"{}");
        assert_eq!(
            headers[1],
            ("webhook-timestamp".into(), "1700000000".into())
        );
        let public = decode(&signer.receiver_key()).unwrap();
        let public = ed25519_dalek::VerifyingKey::from_bytes(&public.try_into().unwrap()).unwrap();
        let signature = decode(&headers[0].1).unwrap();
        let signature = ed25519_dalek::Signature::from_slice(&signature).unwrap();
        public
            .verify_strict(b"1700000000|{}", &signature)
            .expect("the signature verifies");
        assert!(public.verify_strict(b"1700000000|{ }", &signature).is_err());
    }

    #[test]
    fn a_given_seed_is_used_and_round_trips() {
        let seed = STANDARD.encode([7u8; 32]);
        let a = Signer::parse(Scheme::Ed25519, &KeyText::new(seed.clone())).unwrap();
        let b = Signer::parse(Scheme::Ed25519, &KeyText::new(seed)).unwrap();
        assert_eq!(a.receiver_key(), b.receiver_key());
        let Signer::Ed25519(key) = &a else { panic!() };
        let pair = STANDARD.encode(key.to_keypair_bytes());
        let c = Signer::parse(Scheme::Ed25519, &KeyText::new(pair)).unwrap();
        assert_eq!(a.receiver_key(), c.receiver_key());
    }

    #[test]
    fn standard_webhooks_matches_the_specification_example() {
        // The example of the Standard Webhooks specification.
        let key = KeyText::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let signer = Signer::parse(Scheme::Standard, &key).unwrap();
        let headers = signer.sign(
            &HeaderNames::default(),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            headers[2].1,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_eq!(
            signer.receiver_key(),
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        );
    }

    #[test]
    fn bad_keys_are_refused_without_being_repeated() {
        let secret = "not-base64!!";
        for scheme in [Scheme::Ed25519, Scheme::Standard] {
            let err = Signer::parse(scheme, &KeyText::new(secret)).unwrap_err();
            assert!(!err.to_string().contains(secret), "{err}");
        }
        let short = STANDARD.encode([1u8; 16]);
        let err = Signer::parse(Scheme::Ed25519, &KeyText::new(short)).unwrap_err();
        assert!(err.to_string().contains("not 16"), "{err}");
        assert!(Signer::parse(Scheme::Ed25519, &KeyText::new("whsec_AAAA")).is_err());
        let debug = format!("{:?}", Signer::random(Scheme::Standard).unwrap());
        assert_eq!(debug, r#"Signer { scheme: "standard", .. }"#);
        assert_eq!(
            format!("{:?}", KeyText::new("whsec_x")),
            "KeyText(<redacted>)"
        );
    }
}
