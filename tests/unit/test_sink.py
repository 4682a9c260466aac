"""The webhook sink over real HTTP: accepts signed alerts, rejects bad ones, dedupes, logs JSONL."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from workers.clock import VirtualClock
from workers.delivery.payload import build_alert_payload, encode_payload, message_id
from workers.delivery.signing import SignatureError, new_secret, signature_headers
from workers.delivery.webhook import deliver_once
from workers.net import AddressPolicy, HttpOptions
from workers.records import (
    CasualtyMention,
    Figure,
    Incident,
    Place,
    SourceRef,
    Transition,
    Watch,
    WindowTotal,
)
from workers.sink import ReceivedAlert, SinkServer, format_alert

START = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
NOW = int(START.timestamp())
LOCAL = HttpOptions(total_timeout=5.0, policy=AddressPolicy(allow_loopback=True))
SECRET = new_secret()

PAYLOAD: dict[str, object] = {
    "type": "casualty.threshold.escalated",
    "timestamp": "2024-12-01T11:59:00Z",
    "data": {
        "kind": "escalated",
        "watch": {"name": "idlib-killed", "metric": "killed", "group": None},
        "place": {"name": "Sarmin", "admin_path": ["Syria", "Idlib"]},
        "totals": {"low": 9, "best": 12, "high": 15, "band": 10, "previous_best": 6},
        "incidents": [{"sources": [{"url": "https://news.example/a"}]}],
    },
}


def body_of(payload: Mapping[str, object]) -> bytes:
    return json.dumps(payload, sort_keys=True).encode()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def echoed() -> list[str]:
    return []


@pytest.fixture
def sink(tmp_path: Path, clock: VirtualClock, echoed: list[str]) -> Iterator[SinkServer]:
    out = tmp_path / "alerts.jsonl"
    with SinkServer([SECRET], out=out, clock=clock, echo=echoed.append) as server:
        yield server


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request("POST", "/alerts", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def signed(msg_id: str, body: bytes, timestamp: int = NOW) -> dict[str, str]:
    return {
        **signature_headers([SECRET], msg_id, timestamp, body),
        "content-type": "application/json",
    }


def test_accepts_a_signed_alert_from_deliver_once(
    sink: SinkServer, tmp_path: Path, echoed: list[str]
) -> None:
    body = body_of(PAYLOAD)
    headers = signature_headers([SECRET], "msg_1", NOW, body)
    result = deliver_once(sink.url, body=body, headers=headers, options=LOCAL)
    assert result.outcome.kind == "delivered"
    [alert] = sink.received
    assert (alert.webhook_id, alert.type, alert.payload) == ("msg_1", PAYLOAD["type"], PAYLOAD)
    assert alert.received_at == START
    [line] = (tmp_path / "alerts.jsonl").read_text().splitlines()
    assert json.loads(line) == {
        "webhook_id": "msg_1",
        "type": "casualty.threshold.escalated",
        "received_at": START.isoformat(),
        "payload": PAYLOAD,
    }
    assert echoed == [format_alert(PAYLOAD)]


def test_repeated_webhook_id_is_acknowledged_once(sink: SinkServer, tmp_path: Path) -> None:
    body = body_of(PAYLOAD)
    first = post(sink.url, body, signed("msg_dup", body))
    # A retry carries the same id with a new timestamp and signature.
    second = post(sink.url, body, signed("msg_dup", body, NOW + 30))
    assert first[0] == second[0] == 200
    assert "duplicate" in str(second[1]["detail"])
    assert [a.webhook_id for a in sink.received] == ["msg_dup"]
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1


def test_bad_signature_is_rejected(sink: SinkServer) -> None:
    body = body_of(PAYLOAD)
    headers = signed("msg_bad", body)
    status, answer = post(sink.url, body.replace(b"12", b"99"), headers)
    assert status == 401
    assert "no webhook-signature matches" in str(answer["detail"])
    assert sink.received == []
    [rejection] = sink.rejected
    assert (rejection.status, rejection.webhook_id) == (401, "msg_bad")


def test_missing_headers_are_rejected(sink: SinkServer) -> None:
    status, answer = post(sink.url, body_of(PAYLOAD), {"content-type": "application/json"})
    assert status == 401
    assert "missing webhook-id" in str(answer["detail"])


def test_stale_timestamp_is_rejected(sink: SinkServer, clock: VirtualClock) -> None:
    body = body_of(PAYLOAD)
    headers = signed("msg_old", body)
    clock.advance(timedelta(minutes=6))
    status, answer = post(sink.url, body, headers)
    assert status == 401
    assert "too old" in str(answer["detail"])
    assert sink.received == []


def test_rejected_request_does_not_burn_its_webhook_id(sink: SinkServer) -> None:
    body = body_of(PAYLOAD)
    assert post(sink.url, b"{}", signed("msg_x", body))[0] == 401
    assert post(sink.url, body, signed("msg_x", body))[0] == 200
    assert [a.webhook_id for a in sink.received] == ["msg_x"]


def test_signed_non_json_is_a_400(sink: SinkServer) -> None:
    for body in (b"not json", b"[1, 2]"):
        status, _ = post(sink.url, body, signed("msg_nj", body))
        assert status == 400
    assert [r.status for r in sink.rejected] == [400, 400]


def test_healthz(sink: SinkServer) -> None:
    parts = urlsplit(sink.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_wait_for_wakes_on_arrival(sink: SinkServer) -> None:
    assert not sink.wait_for(lambda received: len(received) >= 1, timeout=0.05)
    bodies = [body_of({**PAYLOAD, "n": n}) for n in range(5)]

    def send_all() -> None:
        for n, body in enumerate(bodies):
            post(sink.url, body, signed(f"msg_{n}", body))

    sender = threading.Thread(target=send_all)
    sender.start()

    def five(received: list[ReceivedAlert]) -> bool:
        return len(received) == 5

    assert sink.wait_for(five, timeout=10)
    sender.join()
    assert sorted(a.webhook_id for a in sink.received) == [f"msg_{n}" for n in range(5)]


def test_concurrent_duplicates_are_recorded_once(sink: SinkServer) -> None:
    body = body_of(PAYLOAD)
    statuses: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        status, _ = post(sink.url, body, signed("msg_race", body))
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert len(sink.received) == 1


def test_sink_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SinkServer([])
    with pytest.raises(SignatureError, match="not valid base64"):
        SinkServer(["whsec_%%%"])


def test_format_alert_summarises_kind_watch_place_totals_and_source() -> None:
    text = format_alert(PAYLOAD)
    first, second = text.splitlines()
    assert first.startswith("ESCALATED idlib-killed: Sarmin (Idlib, Syria): killed")
    assert "best 12 (low 9, high 15)" in first
    assert first.endswith("band 10")
    assert second.strip() == "source: https://news.example/a"


def test_format_alert_tolerates_foreign_payloads() -> None:
    text = format_alert({"type": "casualty.threshold.resolved", "data": "odd"})
    assert text.startswith("RESOLVED ?")
    assert len(text.splitlines()) == 1


def test_real_payload_travels_signed_from_transition_to_sink(sink: SinkServer) -> None:
    place = Place(
        id="gn:170063", name="Aleppo", level="locality", country_code="SY", admin_names=("Syria",)
    )
    watch = Watch(
        name="aleppo-killed", place_id=place.id, metric="killed", threshold=5, window=timedelta(1)
    )
    text = "seven people were killed"
    source = SourceRef(
        article_id="art-1",
        url="https://news.example/aleppo-strike",
        title="Strike on Aleppo market",
        published=START,
        mentions=(
            CasualtyMention(
                ordinal=0,
                metric="killed",
                count=7,
                qualifier="exact",
                text=text,
                span=(30, 30 + len(text)),
                sentence=f"Rescuers said {text}.",
                confidence=0.9,
            ),
        ),
    )
    incident = Incident(
        id="inc_a",
        place=place,
        event_date=None,
        first_reported=START,
        figures=(Figure("killed", None, 7, 7, 7),),
        sources=(source,),
    )
    transition = Transition(
        watch=watch.name,
        kind="firing",
        seq=1,
        at=START,
        band=5,
        total=WindowTotal(7, 7, 7, START - timedelta(1), START, (incident,)),
    )
    payload = build_alert_payload(transition, watch, place)
    body = encode_payload(payload)
    headers = signature_headers([SECRET], message_id(transition), NOW, body)
    assert deliver_once(sink.url, body=body, headers=headers, options=LOCAL).outcome.kind == (
        "delivered"
    )
    [alert] = sink.received
    assert alert.webhook_id == message_id(transition)
    assert alert.payload == json.loads(body)
    lines = format_alert(alert.payload).splitlines()
    assert lines[0] == (
        "FIRING aleppo-killed: Aleppo (Syria): killed best 7 (low 7, high 7), band 5"
    )
    assert lines[1] == "  source: https://news.example/aleppo-strike"
