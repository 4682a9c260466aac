"""Standard Webhooks v1 signatures: HMAC-SHA256 over ``{id}.{timestamp}.{body}``, whsec_ keys."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _random
from collections.abc import Mapping, Sequence

from workers.errors import PermanentError

SECRET_PREFIX = "whsec_"  # noqa: S105 - the public prefix, not a secret
HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"
DEFAULT_TOLERANCE = 300
_SECRET_BYTES = 24


class SignatureError(PermanentError):
    """A webhook failed verification: missing header, bad signature, or timestamp out of range."""


def new_secret() -> str:
    """A fresh endpoint secret: ``whsec_`` followed by base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(_SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The raw HMAC key of a secret; the ``whsec_`` prefix is optional, as in the reference lib."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("webhook secret is not valid base64 after the whsec_ prefix") from exc
    if not key:
        raise SignatureError("webhook secret is empty")
    return key


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def sign(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: one ``v1,<base64>`` per secret, space-delimited.

    Several secrets are signed at once during rotation, so receivers holding either the old
    or the new secret accept the same request.
    """
    if not secrets:
        raise SignatureError("at least one webhook secret is needed to sign")
    return " ".join(f"v1,{_digest(secret_key(s), msg_id, timestamp, body)}" for s in secrets)


def signature_headers(
    secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt (the timestamp is per attempt)."""
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: sign(secrets, msg_id, timestamp, body),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise SignatureError(f"missing {name} header")


def _timestamp(raw: str, *, now: int, tolerance: int) -> int:
    try:
        timestamp = int(raw.strip())
    except ValueError as exc:
        raise SignatureError("webhook-timestamp is not an integer") from exc
    if timestamp < now - tolerance:
        raise SignatureError("webhook-timestamp is too old")
    if timestamp > now + tolerance:
        raise SignatureError("webhook-timestamp is in the future")
    return timestamp


def _v1_signatures(header: str) -> list[bytes]:
    found = []
    for item in header.split():
        version, _, value = item.partition(",")
        if version == "v1" and value:
            found.append(value.encode("ascii", "replace"))
    return found


def verify(
    secrets: Sequence[str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE,
) -> None:
    """Check a received webhook against any of ``secrets``; raise ``SignatureError`` if it fails.

    Header names are matched case-insensitively; ``now`` is Unix seconds from the caller's clock.
    Every candidate is compared in constant time.
    """
    msg_id = _header(headers, HEADER_ID)
    timestamp = _timestamp(_header(headers, HEADER_TIMESTAMP), now=now, tolerance=tolerance)
    offered = _v1_signatures(_header(headers, HEADER_SIGNATURE))
    if not offered:
        raise SignatureError("webhook-signature carries no v1 signature")
    expected = [_digest(secret_key(s), msg_id, timestamp, body).encode() for s in secrets]
    matched = False
    for want in expected:
        for got in offered:
            matched |= hmac.compare_digest(want, got)
    if not matched:
        raise SignatureError("no webhook-signature matches a known secret")
