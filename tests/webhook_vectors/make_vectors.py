"""Writes vectors.json: webhook requests signed by an implementation other
than ours (pyca/cryptography for Ed25519, the standard library's hmac and
hashlib for Standard Webhooks), each with the outcome the Rust verifier
must reach. Keys are derived from fixed seeds and Ed25519 signatures are
deterministic, so running this again writes the same file.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install cryptography
    /tmp/v/bin/python tests/webhook_vectors/make_vectors.py
"""

import base64
import hashlib
import hmac
import json
import pathlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

NOW = 1_700_000_000
TOLERANCE = 300

# Where an API with its own header names puts them (the first present wins),
# and the Standard Webhooks ones.
CUSTOM = {
    "id": ["webhook-id"],
    "timestamp": ["telnyx-timestamp", "webhook-timestamp"],
    "signature": ["telnyx-signature-ed25519", "webhook-signature"],
}
STANDARD = {
    "id": ["webhook-id"],
    "timestamp": ["webhook-timestamp"],
    "signature": ["webhook-signature"],
}

BODY = json.dumps(
    {
        "data": {
            "event_type": "call.answered",
            "id": "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0",
            "occurred_at": "2023-11-14T22:13:20Z",
            "payload": {"to": "+13125550100", "caller": "Zoë Müller", "state": "answered"},
        },
        "meta": {"attempt": 1},
    },
    ensure_ascii=False,
    separators=(",", ":"),
)
TAMPERED = BODY.replace("answered", "hangup", 1)
NOT_JSON = "event=call.answered&id=42"
MESSAGE_ID = "msg_2Lh9KRb0pzN4LePdKj6"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def ed25519_key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def public_base64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return b64(raw)


def ed25519_sign(key: Ed25519PrivateKey, timestamp: int, body: str) -> str:
    """The signature of `{timestamp}|{body}`."""
    return b64(key.sign(f"{timestamp}|{body}".encode()))


def ed25519_sign_v1a(key: Ed25519PrivateKey, msg_id: str, timestamp: int, body: str) -> str:
    """A Standard Webhooks asymmetric entry: `{id}.{timestamp}.{body}`."""
    return "v1a," + b64(key.sign(f"{msg_id}.{timestamp}.{body}".encode()))


def hmac_sign(secret: bytes, msg_id: str, timestamp: int, body: str) -> str:
    """A Standard Webhooks symmetric entry: HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    digest = hmac.new(secret, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + b64(digest)


SENDER = ed25519_key("webhook vectors: sender")
OTHER = ed25519_key("webhook vectors: another sender")
SECRET = hashlib.sha256(b"webhook vectors: shared secret").digest()[:24]
OTHER_SECRET = hashlib.sha256(b"webhook vectors: another secret").digest()[:24]

ED25519 = {"scheme": "ed25519", "public_key": public_base64(SENDER)}
ED25519_WHPK = {"scheme": "ed25519", "public_key": "whpk_" + public_base64(SENDER)}
HMAC = {"scheme": "standard-webhooks", "secret": "whsec_" + b64(SECRET)}
HMAC_BARE = {"scheme": "standard-webhooks", "secret": b64(SECRET)}


def custom_headers(timestamp, signature):
    return [["telnyx-timestamp", str(timestamp)], ["telnyx-signature-ed25519", signature]]


def standard_headers(timestamp, signature, msg_id=MESSAGE_ID):
    return [
        ["webhook-id", msg_id],
        ["webhook-timestamp", str(timestamp)],
        ["webhook-signature", signature],
    ]


def vector(name, description, key, names, headers, expect, body=BODY):
    return {
        "name": name,
        "description": description,
        "key": key,
        "names": names,
        "headers": headers,
        "body": body,
        "expect": expect,
    }


def vectors():
    good = ed25519_sign(SENDER, NOW, BODY)
    good_hmac = hmac_sign(SECRET, MESSAGE_ID, NOW, BODY)
    other_hmac = hmac_sign(OTHER_SECRET, MESSAGE_ID, NOW, BODY)
    old, future = NOW - 600, NOW + 600
    yield vector("ed25519_valid", "Ed25519 over {timestamp}|{body}, the API's own header names",
                 ED25519, CUSTOM, custom_headers(NOW, good), "ok")
    yield vector("ed25519_valid_standard_header_names",
                 "the same signature under webhook-timestamp/webhook-signature, the fallbacks",
                 ED25519, CUSTOM,
                 [["webhook-timestamp", str(NOW)], ["webhook-signature", good]], "ok")
    yield vector("ed25519_valid_within_tolerance",
                 "signed 299 seconds before now",
                 ED25519, CUSTOM,
                 custom_headers(NOW - 299, ed25519_sign(SENDER, NOW - 299, BODY)), "ok")
    yield vector("ed25519_several_signatures_reordered",
                 "another key's signature first, then the sender's",
                 ED25519, CUSTOM,
                 custom_headers(NOW, ed25519_sign(OTHER, NOW, BODY) + " " + good), "ok")
    yield vector("ed25519_v1a_valid",
                 "Standard Webhooks asymmetric: v1a over {id}.{timestamp}.{body}, whpk_ key",
                 ED25519_WHPK, STANDARD,
                 standard_headers(NOW, "v1,AAAA " + ed25519_sign_v1a(SENDER, MESSAGE_ID, NOW, BODY)),
                 "ok")
    yield vector("ed25519_tampered_body", "the body changed after signing",
                 ED25519, CUSTOM, custom_headers(NOW, good), "WrongSignature", body=TAMPERED)
    yield vector("ed25519_wrong_key", "signed by another key",
                 ED25519, CUSTOM, custom_headers(NOW, ed25519_sign(OTHER, NOW, BODY)),
                 "WrongSignature")
    yield vector("ed25519_old_timestamp", "validly signed 600 seconds before now",
                 ED25519, CUSTOM, custom_headers(old, ed25519_sign(SENDER, old, BODY)),
                 "TimestampOutOfTolerance")
    yield vector("ed25519_future_timestamp", "validly signed 600 seconds after now",
                 ED25519, CUSTOM, custom_headers(future, ed25519_sign(SENDER, future, BODY)),
                 "TimestampOutOfTolerance")
    yield vector("ed25519_missing_signature", "no signature header",
                 ED25519, CUSTOM, [["telnyx-timestamp", str(NOW)]], "MissingHeader")
    yield vector("ed25519_missing_timestamp", "no timestamp header",
                 ED25519, CUSTOM, [["telnyx-signature-ed25519", good]], "MissingHeader")
    yield vector("ed25519_signature_not_base64", "the signature is not base64",
                 ED25519, CUSTOM, custom_headers(NOW, good.replace("+", "*").replace("/", "*") + "*"),
                 "MalformedSignature")
    yield vector("ed25519_timestamp_not_integer", "the timestamp is not an integer",
                 ED25519, CUSTOM, custom_headers("yesterday", good), "MalformedHeader")
    not_json = ed25519_sign(SENDER, NOW, NOT_JSON)
    yield vector("ed25519_body_not_json", "validly signed, but the body is a form, not JSON",
                 ED25519, CUSTOM, custom_headers(NOW, not_json), "BodyNotJson", body=NOT_JSON)

    yield vector("hmac_valid", "Standard Webhooks v1 with a whsec_ secret",
                 HMAC, STANDARD, standard_headers(NOW, good_hmac), "ok")
    yield vector("hmac_valid_bare_secret", "the same, the secret without its whsec_ prefix",
                 HMAC_BARE, STANDARD, standard_headers(NOW, good_hmac), "ok")
    yield vector("hmac_several_signatures_reordered",
                 "a rotated secret's entry and an unknown version before the matching entry",
                 HMAC, STANDARD,
                 standard_headers(NOW, f"{other_hmac} v2,{b64(b'future scheme')} {good_hmac}"),
                 "ok")
    yield vector("hmac_several_signatures_matching_first",
                 "the matching entry first, then a rotated secret's",
                 HMAC, STANDARD, standard_headers(NOW, f"{good_hmac} {other_hmac}"), "ok")
    yield vector("hmac_tampered_body", "the body changed after signing",
                 HMAC, STANDARD, standard_headers(NOW, good_hmac), "WrongSignature", body=TAMPERED)
    yield vector("hmac_wrong_id", "the id header is not the one signed",
                 HMAC, STANDARD, standard_headers(NOW, good_hmac, msg_id="msg_other"),
                 "WrongSignature")
    yield vector("hmac_wrong_key", "signed with another secret",
                 HMAC, STANDARD, standard_headers(NOW, other_hmac), "WrongSignature")
    yield vector("hmac_old_timestamp", "validly signed 600 seconds before now",
                 HMAC, STANDARD, standard_headers(old, hmac_sign(SECRET, MESSAGE_ID, old, BODY)),
                 "TimestampOutOfTolerance")
    yield vector("hmac_future_timestamp", "validly signed 600 seconds after now",
                 HMAC, STANDARD,
                 standard_headers(future, hmac_sign(SECRET, MESSAGE_ID, future, BODY)),
                 "TimestampOutOfTolerance")
    yield vector("hmac_missing_id", "no webhook-id header",
                 HMAC, STANDARD, standard_headers(NOW, good_hmac)[1:], "MissingHeader")
    yield vector("hmac_missing_signature", "no webhook-signature header",
                 HMAC, STANDARD, standard_headers(NOW, good_hmac)[:2], "MissingHeader")
    yield vector("hmac_signature_not_base64", "the v1 entry is not base64",
                 HMAC, STANDARD, standard_headers(NOW, "v1,%%%not-base64%%%"),
                 "MalformedSignature")
    yield vector("hmac_no_v1_entry", "only an unknown version",
                 HMAC, STANDARD, standard_headers(NOW, "v2," + good_hmac[3:]),
                 "MalformedSignature")
    not_json = hmac_sign(SECRET, MESSAGE_ID, NOW, NOT_JSON)
    yield vector("hmac_body_not_json", "validly signed, but the body is a form, not JSON",
                 HMAC, STANDARD, standard_headers(NOW, not_json), "BodyNotJson", body=NOT_JSON)


def main():
    out = pathlib.Path(__file__).with_name("vectors.json")
    document = {
        "about": "Written by make_vectors.py (see README.md); do not edit by hand.",
        "now": NOW,
        "tolerance_seconds": TOLERANCE,
        "vectors": list(vectors()),
    }
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(document['vectors'])} vectors to {out}")


if __name__ == "__main__":
    main()
