"""Standard Webhooks signing and verification: the spec's vector, rotation, every rejection."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.delivery.signing import (
    SignatureError,
    new_secret,
    secret_key,
    sign,
    signature_headers,
    verify,
)
from workers.errors import PermanentError

# The test vector published with the Standard Webhooks reference libraries.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

NOW = 1_700_000_000
BODY = b'{"type":"casualty.threshold.firing","data":{"n":1}}'


def test_sign_matches_the_published_vector() -> None:
    assert sign([VECTOR_SECRET], VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIG


def test_secret_prefix_is_optional() -> None:
    bare = VECTOR_SECRET.removeprefix("whsec_")
    assert sign([bare], VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIG


def test_vector_verifies() -> None:
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TS),
        "webhook-signature": VECTOR_SIG,
    }
    verify([VECTOR_SECRET], headers, VECTOR_BODY, now=VECTOR_TS)


def test_round_trip_with_fresh_secret() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_1", NOW, BODY)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    verify([secret], headers, BODY, now=NOW)


def test_new_secret_has_24_random_bytes() -> None:
    first, second = new_secret(), new_secret()
    assert first.startswith("whsec_")
    assert len(secret_key(first)) == 24
    assert first != second


def test_rotation_signs_with_both_and_either_verifies() -> None:
    old, new = new_secret(), new_secret()
    headers = signature_headers([old, new], "msg_rot", NOW, BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    verify([old], headers, BODY, now=NOW)
    verify([new], headers, BODY, now=NOW)
    with pytest.raises(SignatureError, match="no webhook-signature matches"):
        verify([new_secret()], headers, BODY, now=NOW)


def test_receiver_holding_two_secrets_accepts_a_sender_with_one() -> None:
    old, new = new_secret(), new_secret()
    headers = signature_headers([new], "msg_rot2", NOW, BODY)
    verify([old, new], headers, BODY, now=NOW)


def test_header_names_are_case_insensitive() -> None:
    secret = new_secret()
    headers = {k.title(): v for k, v in signature_headers([secret], "m", NOW, BODY).items()}
    verify([secret], headers, BODY, now=NOW)


def test_tampered_body_is_rejected() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_t", NOW, BODY)
    with pytest.raises(SignatureError):
        verify([secret], headers, BODY.replace(b"1", b"2"), now=NOW)


def test_tampered_id_or_timestamp_is_rejected() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_t", NOW, BODY)
    with pytest.raises(SignatureError):
        verify([secret], {**headers, "webhook-id": "msg_other"}, BODY, now=NOW)
    with pytest.raises(SignatureError):
        verify([secret], {**headers, "webhook-timestamp": str(NOW - 1)}, BODY, now=NOW)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_missing_header_is_rejected(missing: str) -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_m", NOW, BODY)
    del headers[missing]
    with pytest.raises(SignatureError, match=f"missing {missing}"):
        verify([secret], headers, BODY, now=NOW)


@pytest.mark.parametrize(
    ("offset", "ok"),
    [(-300, True), (300, True), (-301, False), (301, False), (-3600, False), (3600, False)],
)
def test_timestamp_tolerance_boundaries(offset: int, ok: bool) -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_ts", NOW + offset, BODY)
    if ok:
        verify([secret], headers, BODY, now=NOW)
    else:
        with pytest.raises(SignatureError, match=r"too old|in the future"):
            verify([secret], headers, BODY, now=NOW)


def test_non_numeric_timestamp_is_rejected() -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_n", NOW, BODY)
    with pytest.raises(SignatureError, match="not an integer"):
        verify([secret], {**headers, "webhook-timestamp": "yesterday"}, BODY, now=NOW)


def test_signature_list_with_one_valid_entry_passes() -> None:
    secret = new_secret()
    good = sign([secret], "msg_l", NOW, BODY)
    junk = "v1,Zm9vYmFy v2,abc v1a,whatever"
    headers = {"webhook-id": "msg_l", "webhook-timestamp": str(NOW)}
    verify([secret], {**headers, "webhook-signature": f"{junk} {good}"}, BODY, now=NOW)
    with pytest.raises(SignatureError):
        verify([secret], {**headers, "webhook-signature": junk}, BODY, now=NOW)


def test_signature_header_without_v1_is_rejected() -> None:
    headers = {"webhook-id": "m", "webhook-timestamp": str(NOW), "webhook-signature": "v2,abc"}
    with pytest.raises(SignatureError, match="no v1 signature"):
        verify([new_secret()], headers, BODY, now=NOW)


def test_bad_secret_is_a_permanent_error() -> None:
    with pytest.raises(PermanentError, match="not valid base64"):
        sign(["whsec_not base64!!"], "m", NOW, BODY)
    with pytest.raises(SignatureError, match="at least one"):
        sign([], "m", NOW, BODY)


def test_signature_is_base64_of_32_bytes() -> None:
    value = sign([new_secret()], "m", NOW, BODY)
    version, _, encoded = value.partition(",")
    assert version == "v1"
    assert len(base64.b64decode(encoded)) == 32


def test_cross_check_with_reference_library() -> None:
    """Optional: the ``standardwebhooks`` package, when installed, agrees with us both ways."""
    standardwebhooks = pytest.importorskip("standardwebhooks")
    secret = new_secret()
    reference = standardwebhooks.Webhook(secret)
    # The reference library reads the wall clock when verifying, so use the current second.
    stamp = datetime.now(UTC).replace(microsecond=0)
    now = int(stamp.timestamp())
    theirs = reference.sign("msg_y", stamp, BODY.decode())
    assert theirs == sign([secret], "msg_y", now, BODY)
    headers = {"webhook-id": "msg_y", "webhook-timestamp": str(now), "webhook-signature": theirs}
    verify([secret], headers, BODY, now=now)
    ours = signature_headers([secret], "msg_z", now, BODY)
    assert reference.verify(BODY, ours) == json.loads(BODY)


@settings(max_examples=60, deadline=None)
@given(
    msg_id=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s != ""),
    timestamp=st.integers(min_value=0, max_value=2**40),
    body=st.binary(max_size=300),
    flip=st.integers(min_value=0),
)
def test_any_message_round_trips_and_any_flipped_byte_fails(
    msg_id: str, timestamp: int, body: bytes, flip: int
) -> None:
    secret = VECTOR_SECRET
    headers = signature_headers([secret], msg_id, timestamp, body)
    verify([secret], headers, body, now=timestamp)
    if body:
        i = flip % len(body)
        tampered = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]
        with pytest.raises(SignatureError):
            verify([secret], headers, tampered, now=timestamp)
