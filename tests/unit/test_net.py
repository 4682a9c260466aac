"""The safe HTTP client against real loopback servers: policy, deadlines, caps, redirects."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler

import pytest
from test_net_support import Route, local_server, redirect, reply

from workers.errors import (
    BlockedAddressError,
    PermanentFetchError,
    TooLargeError,
    TransientFetchError,
)
from workers.net import (
    AddressPolicy,
    HttpOptions,
    HttpResponse,
    classify_status,
    parse_retry_after,
    redact_url,
    request,
)

LOCAL = HttpOptions(policy=AddressPolicy(allow_loopback=True), total_timeout=10.0)


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "fd00::1",
        "169.254.169.254",
        "fe80::1",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a9fe:a9fe",
        "2002:a00:1::",
        "192.0.2.1",
    ],
)
def test_default_policy_blocks_non_public_addresses(ip: str) -> None:
    with pytest.raises(BlockedAddressError):
        AddressPolicy().check(ip)


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:1.1.1.1"])
def test_default_policy_allows_public_addresses(ip: str) -> None:
    AddressPolicy().check(ip)


def test_allowances_are_narrow() -> None:
    loopback = AddressPolicy(allow_loopback=True)
    loopback.check("127.0.0.1")
    loopback.check("::ffff:127.0.0.1")
    with pytest.raises(BlockedAddressError):
        loopback.check("10.0.0.1")
    private = AddressPolicy(allow_private=True)
    private.check("192.168.3.4")
    with pytest.raises(BlockedAddressError):
        private.check("169.254.169.254")
    listed = AddressPolicy(allowed_networks=("10.20.0.0/16",))
    listed.check("10.20.1.1")
    with pytest.raises(BlockedAddressError):
        listed.check("10.21.1.1")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "10.0.0.5",
        "169.254.169.254",
        "2130706433",
        "0x7f000001",
        "127.1",
        "[::ffff:127.0.0.1]",
    ],
)
def test_default_policy_refuses_before_connecting(host: str) -> None:
    with local_server() as server:
        server.routes["/"] = reply(200, b"secret")
        with pytest.raises(BlockedAddressError):
            request("GET", f"http://{host}:{server.port}/", options=HttpOptions())
        assert server.seen == []


def test_redirect_to_blocked_address_is_refused() -> None:
    only_first = HttpOptions(policy=AddressPolicy(allowed_networks=("127.0.0.1/32",)))
    with local_server() as server:
        server.routes["/start"] = redirect(server.url("/inside", host="127.0.0.2"))
        server.routes["/meta"] = redirect("http://169.254.169.254/latest/meta-data/")
        server.routes["/inside"] = reply(200, b"internal")
        with pytest.raises(BlockedAddressError):
            request("GET", server.url("/start"), options=only_first)
        with pytest.raises(BlockedAddressError):
            request("GET", server.url("/meta"), options=only_first)
        assert server.paths() == ["/start", "/meta"]


def test_get_returns_status_headers_and_body() -> None:
    with local_server() as server:
        server.routes["/a"] = reply(200, b"hello", {"X-Thing": "1", "Content-Type": "text/plain"})
        server.routes["/gone"] = reply(410, b"gone")
        response = request("GET", server.url("/a"), options=LOCAL, headers={"X-Ask": "yes"})
        gone = request("GET", server.url("/gone"), options=LOCAL)
    assert (response.status, response.body, response.url) == (200, b"hello", server.url("/a"))
    assert response.headers["x-thing"] == "1"
    assert response.headers["content-type"] == "text/plain"
    assert server.seen[0][2]["x-ask"] == "yes"
    assert server.seen[0][2]["user-agent"].startswith("tollwatch/")
    assert gone.status == 410  # statuses are returned, classification is separate


def test_redirects_are_followed_up_to_the_limit() -> None:
    with local_server() as server:
        for n in range(4):
            server.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
        server.routes["/r4"] = reply(200, b"end")
        ok = request("GET", server.url("/r1"), options=LOCAL)
        assert (ok.status, ok.body, ok.url) == (200, b"end", server.url("/r4"))
        with pytest.raises(PermanentFetchError, match="more than 3 redirects"):
            request("GET", server.url("/r0"), options=LOCAL)


def test_redirect_loop_and_unfollowed_redirects() -> None:
    with local_server() as server:
        server.routes["/x"] = redirect("/y", 301)
        server.routes["/y"] = redirect("/x", 307)
        with pytest.raises(PermanentFetchError, match="loop"):
            request("GET", server.url("/x"), options=LOCAL)
        kept = request("GET", server.url("/x"), options=LOCAL, follow_redirects=False)
    assert (kept.status, kept.headers["location"]) == (301, "/y")
    with pytest.raises(PermanentFetchError, match="not followed"):
        classify_status(kept)


def test_redirect_to_other_scheme_is_refused() -> None:
    with local_server() as server:
        server.routes["/f"] = redirect("file:///etc/passwd")
        with pytest.raises(PermanentFetchError, match="scheme"):
            request("GET", server.url("/f"), options=LOCAL)


def test_post_303_becomes_get_and_credentials_stay_on_their_origin() -> None:
    with local_server() as server:
        server.routes["/post"] = redirect("/done", 303)
        server.routes["/done"] = reply(200, b"ok")
        server.routes["/away"] = redirect(server.url("/done", host="localhost"))
        request("POST", server.url("/post"), options=LOCAL, body=b"{}")
        creds = server.url("/away").replace("http://", "http://user:pw@")
        request("GET", creds, options=LOCAL, headers={"Cookie": "c=1"})
    (_, _, post), (done_method, _, _), (_, _, away), (_, _, after) = server.seen
    assert done_method == "GET"
    assert post["content-length"] == "2"
    assert away["authorization"].startswith("Basic ")
    assert away["cookie"] == "c=1"
    assert "authorization" not in after
    assert "cookie" not in after


def test_read_timeout_is_transient() -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        server.stop.wait(5)

    with local_server() as server:
        server.routes["/slow"] = stall
        started = time.monotonic()
        with pytest.raises(TransientFetchError, match="timed out"):
            request(
                "GET",
                server.url("/slow"),
                options=HttpOptions(policy=LOCAL.policy, read_timeout=0.3),
            )
    assert time.monotonic() - started < 2


def test_dripping_body_is_cut_by_the_total_deadline() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while not server.stop.wait(0.02):
            handler.wfile.write(b"x")
            handler.wfile.flush()

    options = HttpOptions(policy=LOCAL.policy, read_timeout=0.5, total_timeout=1.0)
    with local_server() as server:
        server.routes["/drip"] = drip
        started = time.monotonic()
        with pytest.raises(TransientFetchError, match="in total"):
            request("GET", server.url("/drip"), options=options)
    assert 0.9 < time.monotonic() - started < 2.5


def test_dripping_headers_are_cut_by_the_total_deadline() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while not server.stop.wait(0.02):
            handler.wfile.write(b"X-A: b\r\n")
            handler.wfile.flush()

    options = HttpOptions(policy=LOCAL.policy, read_timeout=0.5, total_timeout=1.0)
    with local_server() as server:
        server.routes["/drip"] = drip
        started = time.monotonic()
        with pytest.raises(TransientFetchError):
            request("GET", server.url("/drip"), options=options)
    assert time.monotonic() - started < 2.5


def _stream(chunks: int, chunk: bytes, headers: dict[str, str]) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        for _ in range(chunks):
            handler.wfile.write(chunk)

    return route


def test_fifty_megabytes_are_cut_at_the_cap() -> None:
    megabyte = b"a" * 1_000_000
    options = HttpOptions(policy=LOCAL.policy, max_bytes=2_000_000)
    with local_server() as server:
        server.routes["/declared"] = _stream(50, megabyte, {"Content-Length": "50000000"})
        server.routes["/undeclared"] = _stream(50, megabyte, {})
        with pytest.raises(TooLargeError, match="declares"):
            request("GET", server.url("/declared"), options=options)
        with pytest.raises(TooLargeError, match="exceeds 2000000"):
            request("GET", server.url("/undeclared"), options=options)


def test_gzip_bomb_is_cut_without_expanding_it() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    options = HttpOptions(policy=LOCAL.policy, max_bytes=1_000_000)
    with local_server() as server:
        server.routes["/bomb"] = reply(200, bomb, {"Content-Encoding": "gzip"})
        tracemalloc.start()
        try:
            with pytest.raises(TooLargeError):
                request("GET", server.url("/bomb"), options=options)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert len(bomb) < 1_000_000
    assert peak < 8_000_000


def test_gzip_and_deflate_bodies_are_decoded() -> None:

    text = b"<rss>" + b"news " * 1000 + b"</rss>"
    with local_server() as server:
        server.routes["/gz"] = reply(200, gzip.compress(text), {"Content-Encoding": "gzip"})
        server.routes["/df"] = reply(200, zlib.compress(text), {"Content-Encoding": "deflate"})
        server.routes["/br"] = reply(200, b"???", {"Content-Encoding": "br"})
        assert request("GET", server.url("/gz"), options=LOCAL).body == text
        assert request("GET", server.url("/df"), options=LOCAL).body == text
        with pytest.raises(PermanentFetchError, match="Content-Encoding"):
            request("GET", server.url("/br"), options=LOCAL)


def test_connection_refused_is_transient() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(TransientFetchError, match="cannot connect"):
        request("GET", f"http://127.0.0.1:{port}/", options=LOCAL)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "ftp://x.org/",
        "http:///nohost",
        "http://127.0.0.1:99999/",
        "not a url",
    ],
)
def test_bad_urls_are_permanent(url: str) -> None:
    with pytest.raises(PermanentFetchError):
        request("GET", url, options=LOCAL)


def test_credentials_never_reach_error_messages() -> None:
    url = "http://alice:hunter2@127.0.0.1:1/feed?token=abc123&page=2"
    with pytest.raises(BlockedAddressError) as blocked:
        request("GET", url, options=HttpOptions())
    with pytest.raises(TransientFetchError) as refused:
        request("GET", url, options=LOCAL)
    for message in (str(blocked.value), str(refused.value), redact_url(url)):
        assert "hunter2" not in message
        assert "alice" not in message
        assert "abc123" not in message
    assert redact_url(url) == "http://***@127.0.0.1:1/feed?token=***&page=2"


def _response(status: int, headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(url="http://example.org/", status=status, headers=headers or {}, body=b"")


@pytest.mark.parametrize("status", [200, 204, 304])
def test_success_statuses_pass(status: int) -> None:
    classify_status(_response(status))


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 599])
def test_retryable_statuses_are_transient(status: int) -> None:
    with pytest.raises(TransientFetchError) as caught:
        classify_status(_response(status, {"retry-after": "120"}))
    assert caught.value.retry_after == 120.0


@pytest.mark.parametrize("status", [301, 400, 401, 403, 404, 410, 451])
def test_other_statuses_are_permanent(status: int) -> None:
    with pytest.raises(PermanentFetchError):
        classify_status(_response(status))


def test_retry_after_as_http_date_is_measured_against_the_server_date() -> None:
    headers = {
        "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT",
        "date": "Wed, 21 Oct 2015 07:26:30 GMT",
    }
    assert parse_retry_after(headers) == 90.0
    assert parse_retry_after({"retry-after": headers["retry-after"]}) is None
    assert parse_retry_after({"retry-after": "soon", "date": headers["date"]}) is None
    assert parse_retry_after({**headers, "date": "Wed, 21 Oct 2015 08:00:00 GMT"}) == 0.0


def test_head_and_304_have_no_body() -> None:
    with local_server() as server:
        server.routes["/same"] = reply(304, headers={"ETag": '"v1"'})
        response = request("GET", server.url("/same"), options=LOCAL)
    assert (response.status, response.body, response.headers["etag"]) == (304, b"", '"v1"')
