"""One webhook POST against real local servers: each status, a closed port, a blocked address."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from workers.delivery.signing import new_secret, signature_headers, verify
from workers.delivery.webhook import EXCERPT_BYTES, deliver_once
from workers.net import AddressPolicy, HttpOptions

LOCAL = HttpOptions(
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=5.0,
    max_bytes=64_000,
    policy=AddressPolicy(allow_loopback=True),
)
BODY = b'{"type":"casualty.threshold.firing","data":{}}'


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 whose answer a test sets, and which records requests."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    reply: bytes = b"ok"
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tollwatch"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append((self.command, self.path, dict(self.headers), body))
            self.send_response(state.status)
            for name, value in state.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(state.reply)))
            self.end_headers()
            self.wfile.write(state.reply)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def test_2xx_is_delivered_with_signed_json_post(receiver: Receiver) -> None:
    secret = new_secret()
    headers = signature_headers([secret], "msg_abc", 1_700_000_000, BODY)
    result = deliver_once(receiver.url, body=BODY, headers=headers, options=LOCAL)
    assert result.outcome.kind == "delivered"
    assert result.status == 200
    assert result.error is None
    assert result.response_excerpt == "ok"
    [(method, path, sent, body)] = receiver.requests
    assert (method, path, body) == ("POST", "/hooks/tollwatch", BODY)
    lowered = {k.lower(): v for k, v in sent.items()}
    assert lowered["content-type"] == "application/json"
    verify([secret], lowered, body, now=1_700_000_000)


def test_204_is_delivered(receiver: Receiver) -> None:
    receiver.status, receiver.reply = 204, b""
    result = deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL)
    assert (result.outcome.kind, result.status) == ("delivered", 204)


def test_redirect_is_a_retry_and_is_not_followed(receiver: Receiver) -> None:
    receiver.status = 301
    receiver.headers = {"location": f"http://127.0.0.1:{receiver.port}/elsewhere"}
    result = deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL)
    assert (result.outcome.kind, result.status) == ("retry", 301)
    assert [r[1] for r in receiver.requests] == ["/hooks/tollwatch"]


def test_410_disables_the_endpoint(receiver: Receiver) -> None:
    receiver.status = 410
    result = deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL)
    assert result.outcome.kind == "disable_endpoint"
    assert result.error is not None


def test_429_with_retry_after(receiver: Receiver) -> None:
    receiver.status, receiver.headers = 429, {"Retry-After": "30"}
    result = deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL)
    assert (result.outcome.kind, result.outcome.retry_after, result.status) == ("retry", 30.0, 429)


def test_500_is_a_retry(receiver: Receiver) -> None:
    receiver.status = 500
    assert deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL).outcome.kind == "retry"


def test_400_fails_and_keeps_a_short_excerpt(receiver: Receiver) -> None:
    receiver.status, receiver.reply = 400, ("é" * 2000).encode()
    result = deliver_once(receiver.url, body=BODY, headers={}, options=LOCAL)
    assert (result.outcome.kind, result.status) == ("failed", 400)
    assert 0 < len(result.response_excerpt.encode()) <= EXCERPT_BYTES
    assert set(result.response_excerpt) == {"é"}


def test_closed_port_is_a_retry() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port was bound and released: nothing listens there now.
    url = f"http://user:s3cret@127.0.0.1:{port}/hook"
    result = deliver_once(url, body=BODY, headers={}, options=LOCAL)
    assert result.outcome.kind == "retry"
    assert result.status is None
    assert result.error is not None
    assert "s3cret" not in result.error


def test_loopback_under_default_policy_is_refused_and_nothing_is_sent(receiver: Receiver) -> None:
    strict = HttpOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0)
    result = deliver_once(receiver.url, body=BODY, headers={}, options=strict)
    assert result.outcome.kind == "failed"
    assert result.status is None
    assert result.error is not None
    assert "BlockedAddressError" in result.error
    assert receiver.requests == []


@pytest.mark.parametrize("host", ["10.1.2.3", "192.168.0.10", "169.254.169.254", "[::1]"])
def test_private_addresses_are_refused(host: str) -> None:
    strict = HttpOptions(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0)
    result = deliver_once(f"http://{host}:8080/hook", body=BODY, headers={}, options=strict)
    assert result.outcome.kind == "failed"
    assert result.error is not None
    assert "BlockedAddressError" in result.error


def test_malformed_url_fails_permanently() -> None:
    result = deliver_once("ftp://example.invalid/hook", body=BODY, headers={}, options=LOCAL)
    assert result.outcome.kind == "failed"
    assert result.status is None
