"""fetch_page against a real loopback server, and decode_body on charset evidence."""

from __future__ import annotations

import pytest
from test_net_support import local_server, reply

from workers.errors import BlockedAddressError, PermanentFetchError, TransientFetchError
from workers.fetch import decode_body, fetch_page
from workers.net import AddressPolicy, HttpOptions
from workers.records import FetchedPage

LOCAL = HttpOptions(policy=AddressPolicy(allow_loopback=True), total_timeout=10.0)


def test_fetch_records_validators_and_content_type() -> None:
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"', "Last-Modified": "x"}
    with local_server() as server:
        server.routes["/a"] = reply(200, b"<p>hi</p>", headers)
        page = fetch_page(server.url("/a"), options=LOCAL)
    assert page.body == b"<p>hi</p>"
    assert (page.status, page.content_type) == (200, "text/html; charset=utf-8")
    assert (page.etag, page.last_modified, page.not_modified) == ('"v1"', "x", False)
    assert "application/rss+xml" in server.seen[0][2]["accept"]


def test_conditional_get_sends_validators_and_maps_304() -> None:
    with local_server() as server:
        server.routes["/feed"] = reply(304)
        page = fetch_page(server.url("/feed"), options=LOCAL, etag='"v1"', last_modified="Mon")
    sent = server.seen[0][2]
    assert (sent["if-none-match"], sent["if-modified-since"]) == ('"v1"', "Mon")
    assert page.not_modified
    assert (page.body, page.etag, page.last_modified) == (b"", '"v1"', "Mon")


def test_final_url_follows_redirects() -> None:
    with local_server() as server:
        server.routes["/old"] = reply(301, headers={"Location": "/new"})
        server.routes["/new"] = reply(200, b"ok")
        page = fetch_page(server.url("/old"), options=LOCAL)
    assert (page.url, page.final_url) == (server.url("/old"), server.url("/new"))


def test_statuses_are_classified() -> None:
    with local_server() as server:
        server.routes["/busy"] = reply(429, headers={"Retry-After": "30"})
        server.routes["/down"] = reply(503)
        server.routes["/missing"] = reply(404)
        with pytest.raises(TransientFetchError) as busy:
            fetch_page(server.url("/busy"), options=LOCAL)
        with pytest.raises(TransientFetchError):
            fetch_page(server.url("/down"), options=LOCAL)
        with pytest.raises(PermanentFetchError):
            fetch_page(server.url("/missing"), options=LOCAL)
    assert busy.value.retry_after == 30.0


def test_default_options_refuse_loopback() -> None:
    with local_server() as server, pytest.raises(BlockedAddressError):
        fetch_page(server.url("/a"), options=HttpOptions())
    assert server.seen == []


def _page(body: bytes, content_type: str = "") -> FetchedPage:
    return FetchedPage(
        url="http://x/", final_url="http://x/", status=200, body=body, content_type=content_type
    )


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("Ḥalab é".encode(), "text/html", "Ḥalab é"),
        ("café".encode("cp1252"), "text/html; charset=ISO-8859-1", "café"),
        ("“quoted”".encode("cp1252"), "text/html; charset=iso-8859-1", "“quoted”"),
        ("حلب".encode("cp1256"), 'text/html; charset="windows-1256"', "حلب"),
        (b'<meta charset="koi8-r">' + "Москва".encode("koi8-r"), "text/html", None),
        (
            b'<?xml version="1.0" encoding="iso-8859-7"?><a>' + "Αθήνα".encode("iso-8859-7"),
            "",
            None,
        ),
        (b"\xef\xbb\xbfplain", "text/plain; charset=latin-1", "plain"),
        ("utf16".encode("utf-16"), "", "utf16"),
        (b"bad \xff byte", "text/html; charset=zlib", "bad \ufffd byte"),
        (b"bad \xff byte", "text/html; charset=no-such", "bad \ufffd byte"),
    ],
)
def test_decode_body_uses_the_best_charset_evidence(
    body: bytes, content_type: str, expected: str | None
) -> None:
    text = decode_body(_page(body, content_type))
    if expected is None:
        assert "Москва" in text or "Αθήνα" in text
    else:
        assert text == expected
