"""parse_feed on real-shaped RSS and Atom, hostile XML, arbitrary bytes; identity; scheduling."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.errors import FeedParseError
from workers.feeds import MAX_FEED_BYTES, canonical_url, entry_key, next_check, parse_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="2.0"><channel>
  <title>Wire &amp; Co</title><link>https://news.example/</link><ttl>45</ttl>
  <item>
    <title>Shelling kills 4 in &lt;b&gt;Kharkiv&lt;/b&gt;</title>
    <link>https://news.example/a/1?utm_source=rss&amp;id=7</link>
    <guid isPermaLink="false">wire-1</guid>
    <pubDate>Mon, 02 Jan 2023 10:00:00 +0200</pubDate>
    <description>&lt;p&gt;At least four people were killed.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Floods in Sindh</title>
    <link>/a/2#comments</link>
    <pubDate>not a date</pubDate>
  </item>
  <item><title>No link at all</title><description>skipped</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Agence &lt;i&gt;Sud&lt;/i&gt;</title>
  <id>urn:uuid:feed</id><updated>2024-05-01T12:00:00Z</updated>
  <entry>
    <title>Frappe à Goma : 12 morts</title>
    <link rel="alternate" href="https://sud.example/goma"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-05-01T09:30:00-04:00</updated>
    <published>2024-05-01T08:00:00+01:00</published>
    <summary>Douze personnes tuées.</summary>
  </entry>
</feed>""".encode()


def test_rss_entries_keys_times_and_ttl() -> None:
    feed = parse_feed(RSS, content_type="application/rss+xml", base_url="https://news.example/f")
    assert (feed.title, feed.ttl_minutes) == ("Wire & Co", 45)
    first, second = feed.entries
    assert first.key == "guid:wire-1"
    assert first.title == "Shelling kills 4 in Kharkiv"
    assert first.summary == "At least four people were killed."
    assert first.published == datetime(2023, 1, 2, 8, 0, tzinfo=UTC)
    assert second.url == "https://news.example/a/2#comments"
    assert second.key == "url:https://news.example/a/2"
    assert second.published is None


def test_atom_entries_and_utc_times() -> None:
    feed = parse_feed(ATOM, content_type="application/atom+xml")
    assert feed.title == "Agence Sud"
    assert feed.ttl_minutes is None
    (entry,) = feed.entries
    assert entry.key == "guid:urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert entry.title == "Frappe à Goma : 12 morts"
    assert entry.url == "https://sud.example/goma"
    assert entry.published == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)


def test_utf16_and_latin1_feeds_parse() -> None:
    text = ATOM.decode().replace('encoding="utf-8"', 'encoding="utf-16"')
    assert parse_feed(text.encode("utf-16")).entries[0].title == "Frappe à Goma : 12 morts"
    latin = ATOM.decode().replace('encoding="utf-8"', 'encoding="iso-8859-1"').encode("latin-1")
    assert parse_feed(latin).entries[0].title == "Frappe à Goma : 12 morts"


def test_keys_are_stable_across_polls_and_reordering() -> None:
    once = parse_feed(RSS, base_url="https://news.example/f")
    again = parse_feed(RSS.replace(b"<ttl>45</ttl>", b""), base_url="https://news.example/f")
    assert [e.key for e in once.entries] == [e.key for e in again.entries]
    assert len({e.key for e in once.entries}) == len(once.entries)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><link>https://x.example/</link><title>&xxe;</title></item></channel></rss>"""


def _quadratic(entity_size: int, refs: int) -> bytes:
    entity = b"A" * entity_size
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + entity + b'">]>\n'
        b'<rss version="2.0"><channel><title>' + b"&a;" * refs + b"</title></channel></rss>"
    )


def _spaced(payload: bytes) -> bytes:
    return b" " * 20_000 + payload.replace(b'<?xml version="1.0"?>', b"")


@pytest.mark.parametrize(
    "payload",
    [
        BILLION_LAUGHS,
        XXE,
        _quadratic(100_000, 20_000),
        _quadratic(10_000, 10_000),
        _spaced(_quadratic(100_000, 10_000)),
        BILLION_LAUGHS.replace(b"ENTITY", b"entity"),
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ATTLIST rss a CDATA "x">]><rss/>',
        _quadratic(10_000, 10_000).decode().encode("utf-16"),
        _quadratic(10_000, 10_000).decode().encode("utf-16-be"),
        b'<?xml version="1.0" encoding="utf-7"?>'
        + "<!DOCTYPE rss [<!ENTITY a 'x'>]><rss/>".encode("utf-7"),
    ],
)
def test_entity_attacks_are_refused_quickly(payload: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(FeedParseError):
        parse_feed(payload)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not xml at all",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b"<html><body><p>Just a page</p></body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>broken',
        b"\x00\x01\x02\xff" * 100,
    ],
)
def test_malformed_feeds_raise_feed_parse_error(payload: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse_feed(payload, content_type="text/html")


def test_oversized_feed_is_refused_before_parsing() -> None:
    big = b'<?xml version="1.0"?><rss version="2.0"><channel>' + b" " * MAX_FEED_BYTES
    with pytest.raises(FeedParseError, match="cap"):
        parse_feed(big)


def test_valid_empty_feed_is_not_an_error() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title></channel></rss>'
    assert parse_feed(empty).entries == ()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000) | st.binary(max_size=500).map(lambda b: b"<rss><item><link>" + b))
def test_arbitrary_bytes_raise_only_feed_parse_error(data: bytes) -> None:
    _check_parses_or_refuses(data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_in_an_rss_shell_raises_only_feed_parse_error(text: str) -> None:
    body = f'<rss version="2.0"><channel><item><link>{text}</link><title>{text}</title>'
    _check_parses_or_refuses(body.encode("utf-8", "surrogatepass"))


def _check_parses_or_refuses(data: bytes) -> None:
    """Either a clear FeedParseError, or entries that all honour the ParsedFeed contract."""
    try:
        feed = parse_feed(data, base_url="https://base.example/feed")
    except FeedParseError as exc:
        refused = str(exc)
    else:
        refused = ""
        assert isinstance(feed.title, str)
    if refused:
        return
    for entry in feed.entries:
        assert entry.url.startswith(("http://", "https://"))
        assert entry.key.startswith(("guid:", "guid-sha256:", "url:"))
        assert entry.published is None or entry.published.tzinfo is UTC


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example.COM:443/a/b?z=1&a=2#frag", "https://news.example.com/a/b?a=2&z=1"),
        ("http://x.org:80", "http://x.org/"),
        (
            "http://x.org:8080/p?utm_source=tw&utm_medium=s&id=3&fbclid=abc",
            "http://x.org:8080/p?id=3",
        ),
        ("https://user:pw@x.org/p?gclid=1", "https://x.org/p"),
        ("https://x.org/Case/Path?b=&a=1", "https://x.org/Case/Path?a=1&b="),
        ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
        ("https://x.org./p", "https://x.org/p"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


def test_entry_key_prefers_guid_then_url_then_content() -> None:
    assert entry_key(" g ", "https://x.org/a", "t", "s") == "guid:g"
    assert entry_key(None, "https://X.org/a?utm_campaign=1", "t", "s") == "url:https://x.org/a"
    by_content = entry_key("", "", "Title", "Summary")
    assert by_content.startswith("sha256:")
    assert by_content == entry_key(None, None, " Title ", "Summary")
    assert by_content != entry_key(None, None, "Title", "Other")
    assert entry_key("x" * 600, None, "", "").startswith("guid-sha256:")


NOW = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
MIN, MAX = timedelta(minutes=5), timedelta(hours=24)


@pytest.mark.parametrize(
    ("ttl", "retry_after", "errors", "expected"),
    [
        (None, None, 0, MIN),
        (60, None, 0, timedelta(minutes=60)),
        (1, None, 0, MIN),
        (None, 7200.0, 0, timedelta(hours=2)),
        (60, 7200.0, 0, timedelta(hours=2)),
        (None, None, 1, timedelta(minutes=10)),
        (None, None, 3, timedelta(minutes=40)),
        (None, None, 500, MAX),
        (10**9, None, 0, MAX),
        (None, 1e12, 0, MAX),
    ],
)
def test_next_check(
    ttl: int | None, retry_after: float | None, errors: int, expected: timedelta
) -> None:
    got = next_check(
        NOW,
        ttl_minutes=ttl,
        retry_after=retry_after,
        error_count=errors,
        min_interval=MIN,
        max_interval=MAX,
    )
    assert got == NOW + expected


def test_next_check_needs_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_check(
            datetime(2024, 1, 1),
            ttl_minutes=None,
            retry_after=None,
            error_count=0,
            min_interval=MIN,
            max_interval=MAX,
        )
