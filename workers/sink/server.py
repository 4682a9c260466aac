"""A webhook receiver for demos and tests: verify, dedupe by webhook-id, record, echo."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from workers.clock import Clock, SystemClock
from workers.delivery.signing import (
    DEFAULT_TOLERANCE,
    HEADER_ID,
    SignatureError,
    secret_key,
    verify,
)
from workers.serving import BackgroundServer
from workers.sink.format import format_alert

MAX_BODY_BYTES = 1_000_000
# How often serve_forever looks for a shutdown request: stop() returns within this.


@dataclass(frozen=True, slots=True)
class ReceivedAlert:
    """One accepted (verified, first-seen) alert."""

    webhook_id: str
    type: str
    payload: dict[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class Rejection:
    """A request the sink refused, with the status it answered and why."""

    status: int
    reason: str
    webhook_id: str | None
    received_at: datetime


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    reason: str


class SinkServer(BackgroundServer):
    """A threaded HTTP receiver on 127.0.0.1 that checks Standard Webhooks signatures.

    POST to any path: a missing, bad or stale signature gets 401, a malformed body 400;
    a repeated ``webhook-id`` gets 200 but is recorded once. GET /healthz answers 200.
    """

    thread_name = "tollwatch-sink"

    def __init__(
        self,
        secrets: Sequence[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        out: Path | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
        clock: Clock | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        if not secrets:
            raise ValueError("a sink needs at least one webhook secret")
        for secret in secrets:
            secret_key(secret)  # a malformed secret fails here, not on every request
        self._secrets = tuple(secrets)
        self._out = out
        self._tolerance = tolerance
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._echo = echo
        self._changed = threading.Condition()
        self._received: list[ReceivedAlert] = []
        self._rejected: list[Rejection] = []
        self._seen: set[str] = set()
        super().__init__(host, port, _handler_for(self))

    @property
    def received(self) -> list[ReceivedAlert]:
        """A snapshot of the accepted alerts, in arrival order."""
        with self._changed:
            return list(self._received)

    @property
    def rejected(self) -> list[Rejection]:
        """A snapshot of the refused requests, in arrival order."""
        with self._changed:
            return list(self._rejected)

    def wait_for(self, predicate: Callable[[list[ReceivedAlert]], bool], timeout: float) -> bool:
        """Block until ``predicate(received)`` holds or ``timeout`` seconds pass; its last value."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(list(self._received)), timeout)

    def handle_post(self, headers: Mapping[str, str], body: bytes) -> tuple[int, str]:
        """Verify, dedupe and record one POST; the status and a short reason to answer with."""
        answer = self._accept(headers, body)
        if answer.status >= 400:
            with self._changed:
                self._rejected.append(
                    Rejection(answer.status, answer.reason, _webhook_id(headers), self._clock.now())
                )
                self._changed.notify_all()
        return answer.status, answer.reason

    def _accept(self, headers: Mapping[str, str], body: bytes) -> _Answer:
        now = int(self._clock.now().timestamp())
        try:
            verify(self._secrets, headers, body, now=now, tolerance=self._tolerance)
        except SignatureError as exc:
            return _Answer(401, str(exc))
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return _Answer(400, "body is not JSON")
        if not isinstance(payload, dict):
            return _Answer(400, "body is not a JSON object")
        return self._record(_webhook_id(headers) or "", payload)

    def _record(self, webhook_id: str, payload: dict[str, Any]) -> _Answer:
        with self._changed:
            if webhook_id in self._seen:
                return _Answer(200, "duplicate webhook-id, already recorded")
            alert = ReceivedAlert(
                webhook_id, str(payload.get("type", "")), payload, self._clock.now()
            )
            self._seen.add(webhook_id)
            self._received.append(alert)
            self._write(alert)
            self._changed.notify_all()
        if self._echo is not None:
            self._echo(format_alert(payload))
        return _Answer(200, "accepted")

    def _write(self, alert: ReceivedAlert) -> None:
        if self._out is None:
            return
        line = {
            "webhook_id": alert.webhook_id,
            "type": alert.type,
            "received_at": alert.received_at.isoformat(),
            "payload": alert.payload,
        }
        with self._out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")


def _webhook_id(headers: Mapping[str, str]) -> str | None:
    for key, value in headers.items():
        if key.lower() == HEADER_ID:
            return value
    return None


def _handler_for(sink: SinkServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "tollwatch-sink"

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/healthz":
                self._reply(200, "ok")
            else:
                self._reply(404, "not found")

        def do_POST(self) -> None:
            try:
                length = int(self.headers.get("content-length") or 0)
            except ValueError:
                self._reply(400, "content-length is not an integer")
                return
            if length < 0 or length > MAX_BODY_BYTES:
                self._reply(413, "body too large")
                return
            body = self.rfile.read(length)
            status, reason = sink.handle_post(dict(self.headers.items()), body)
            self._reply(status, reason)

        def _reply(self, status: int, text: str) -> None:
            data = (json.dumps({"status": status, "detail": text}) + "\n").encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            # Requests are recorded in received/rejected; stderr noise helps nobody.
            return

    return Handler
