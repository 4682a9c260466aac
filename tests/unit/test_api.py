"""The read-only HTTP API over real HTTP, on SQLite and PostgreSQL, with data the workers write."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from workers import codec
from workers.api import ApiServer
from workers.api.views import MAX_LIMIT
from workers.errors import FeedParseError, PermanentFetchError
from workers.feeds import article_id
from workers.local.redis_server import RedisServer, free_port
from workers.records import (
    CasualtyMention,
    FeedEntry,
    Figure,
    Incident,
    Place,
    SourceRef,
    Transition,
    Watch,
    WatchState,
    WindowTotal,
)
from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage import feeds as feeds_db
from workers.storage.common import record_error
from workers.storage.db import transaction

NOW = datetime(2024, 12, 2, 12, 0, tzinfo=UTC)
SECRETS = ("hook-pass-1", "feed-pass-2", "tok-3", "db-pass-4", "redis-pass-5")
ENDPOINT_URL = "https://ops:hook-pass-1@hooks.example/in?token=tok-3"
BAD_FEED = 'bad "feed" \\ one'
PLACE = Place(id="gn:1", name="Town", level="locality", country_code="SY",
              admin_ids=("cc:SY",), admin_names=("Syria",))


# --- HTTP and exposition-format helpers ----------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers["content-type"] == "application/json"
        return json.loads(self.body)


def call(server: ApiServer, path: str, method: str = "GET") -> Reply:
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Reply(response.status, headers, response.read())
    finally:
        conn.close()


@dataclass
class Exposition:
    types: dict[str, str] = field(default_factory=dict)
    helps: dict[str, str] = field(default_factory=dict)
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = field(default_factory=dict)

    def value(self, name: str, **labels: str) -> float:
        return self.samples[(name, frozenset(labels.items()))]

    def names(self) -> set[str]:
        return {name for name, _ in self.samples}


SAMPLE = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def parse_labels(text: str) -> frozenset[tuple[str, str]]:
    labels, pos = [], 0
    while pos < len(text):
        match = LABEL.match(text, pos)
        assert match, f"bad label set: {text!r}"
        labels.append((match.group(1), unescape(match.group(2))))
        pos = match.end()
    return frozenset(labels)


def parse_exposition(text: str) -> Exposition:
    """A strict reader of the text format: every sample after its own HELP and TYPE."""
    assert text.endswith("\n")
    out = Exposition()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            assert name not in out.helps, f"HELP twice for {name}"
            out.helps[name] = help_text
        elif line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            assert name in out.helps and name not in out.types, line
            assert kind in {"gauge", "counter"}, line
            out.types[name] = kind
        else:
            match = SAMPLE.fullmatch(line)
            assert match, f"not a sample line: {line!r}"
            name, labels = match.group(1), parse_labels(match.group(2) or "")
            assert name in out.types, f"{name} sampled before its TYPE"
            assert (name, labels) not in out.samples, f"duplicate series {line!r}"
            out.samples[(name, labels)] = float(match.group(3))
    return out


# --- data written through the storage layer ------------------------------------------------


def _mention(count: int) -> CasualtyMention:
    return CasualtyMention(ordinal=0, metric="killed", count=count, qualifier="exact",
                           text=f"{count} killed", span=(0, 9), sentence=f"{count} killed.",
                           confidence=0.9, places=(PLACE,))


def _incident(n: int, reported: datetime) -> Incident:
    url = f"https://news.example/{n}"  # one of the articles _articles writes
    source = SourceRef(article_id=article_id(url), url=url, title=f"T{n}",
                       published=reported, mentions=(_mention(n),))
    return Incident(id=f"inc-{n}", place=PLACE, event_date=date(2024, 12, n),
                    first_reported=reported, sources=(source,),
                    figures=(Figure(metric="killed", group=None, low=n, best=n, high=n + 1),))


INCIDENTS = (_incident(1, NOW - timedelta(days=1)), _incident(2, NOW))
WATCHES = (
    Watch(name="w-killed", place_id="cc:SY", metric="killed", threshold=5,
          window=timedelta(days=1), endpoints=("ops",)),
    Watch(name="w-injured", place_id="cc:SY", metric="injured", threshold=20,
          window=timedelta(days=2)),
)
STATES = (WatchState(watch="w-killed", firing=True, band=10, total=12, since=NOW, seq=2),)


def _feeds(conn: sa.Connection) -> int:
    for name in ("good", BAD_FEED):
        feeds_db.upsert_feed(conn, name=name, url="https://u:feed-pass-2@feeds.example/rss",
                             allow_private=False, min_interval=timedelta(minutes=5),
                             max_interval=timedelta(hours=1))
    ids = {str(r[0]): int(r[1]) for r in conn.execute(sa.text("select name, id from feeds"))}
    for _ in range(2):
        feeds_db.record_poll(conn, ids[BAD_FEED], now=NOW, next_check_at=NOW, error="HTTP 503")
    return int(ids["good"])


def _articles(conn: sa.Connection, feed_id: int) -> None:
    # Published 3h, 2h and 1h ago: failed, processed, still pending. The watermark stops at 2h.
    aids = []
    for i, hours in enumerate((3, 2, 1)):
        entry = FeedEntry(key=f"k{i}", url=f"https://news.example/{i}", title=f"T{i}",
                          published=NOW - timedelta(hours=hours))
        aids.append(article_id(entry.url))
        articles_db.add_entry(conn, feed_id=feed_id, entry=entry, article_id=aids[-1],
                              allow_private=False, now=NOW)
    articles_db.record_failure(conn, aids[0], error="gone", final=True)
    articles_db.mark_processed(conn, aids[1], now=NOW, title="T1")


def _errors(conn: sa.Connection) -> None:
    leaky = PermanentFetchError("HTTP 401 from https://u:feed-pass-2@feeds.example/rss?key=tok-3")
    record_error(conn, stage="poll", subject=BAD_FEED, error=FeedParseError("not XML"),
                 now=NOW - timedelta(minutes=2))
    record_error(conn, stage="poll", subject=BAD_FEED, error=leaky, now=NOW - timedelta(minutes=1))
    record_error(conn, stage="fetch", subject="https://u:feed-pass-2@news.example/x",
                 error=PermanentFetchError("HTTP 404"), now=NOW)


def _alerts(conn: sa.Connection) -> None:
    for watch in WATCHES:
        alerts_db.upsert_watch(conn, watch, now=NOW)
    for state in STATES:
        alerts_db.save_state(conn, state, evaluated_through=NOW)
    alerts_db.upsert_endpoint(conn, name="ops", url=ENDPOINT_URL, secret_ref="ops",
                              allow_private=False, enabled=True)
    total = WindowTotal(low=6, best=6, high=8, window_start=NOW - timedelta(days=1),
                        window_end=NOW)
    ids = []
    for seq in (1, 2):
        transition = Transition(watch="w-killed", kind="firing", seq=seq, at=NOW, band=5,
                                total=total)
        ids += alerts_db.add_transition(conn, msg_id=f"msg_{seq}", event_type="t", body="{}",
                                        transition=transition, endpoint_names=("ops",), now=NOW)
    job = alerts_db.claim_delivery(conn, ids[0], now=NOW, lease=timedelta(minutes=1))
    assert job is not None
    alerts_db.finish_attempt(conn, job, now=NOW, status=alerts_db.DEAD, next_attempt_at=None,
                             outcome="failed", status_code=500,
                             error=f"HTTP 500 from {ENDPOINT_URL}", duration_ms=3.0)
    alerts_db.replace_incidents(conn, INCIDENTS, now=NOW)


@pytest.fixture
def populated(database_url: str) -> str:
    with transaction(database_url) as conn:
        _articles(conn, _feeds(conn))
        _errors(conn)
        _alerts(conn)
    return database_url


@pytest.fixture
def api(populated: str, redis_server: RedisServer) -> Iterator[ApiServer]:
    with ApiServer(populated, broker_url=redis_server.url) as server:
        yield server


def assert_no_secrets(body: bytes) -> None:
    text = body.decode("utf-8")
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, leaked


# --- health and readiness ------------------------------------------------------------------


def test_healthz_answers_ok(api: ApiServer) -> None:
    reply = call(api, "/healthz")
    assert reply.status == 200
    assert reply.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_broker(api: ApiServer) -> None:
    reply = call(api, "/readyz")
    assert reply.status == 200
    assert reply.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_without_a_broker_checks_the_database_only(populated: str) -> None:
    with ApiServer(populated, broker_url=None) as server:
        reply = call(server, "/readyz")
    assert reply.status == 200
    assert reply.json()["checks"] == {"database": "ok"}


def test_readyz_fails_when_redis_is_down(populated: str) -> None:
    closed = f"redis://:redis-pass-5@127.0.0.1:{free_port()}/0"
    with ApiServer(populated, broker_url=closed) as server:
        reply = call(server, "/readyz")
        alive = call(server, "/healthz")
    body = reply.json()
    assert reply.status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("ConnectionError")
    assert alive.status == 200
    assert_no_secrets(reply.body)


def test_readyz_and_data_fail_when_the_database_is_unreachable(
    redis_server: RedisServer,
) -> None:
    url = f"postgresql+psycopg://tollwatch:db-pass-4@127.0.0.1:{free_port()}/tollwatch"
    with ApiServer(url, broker_url=redis_server.url) as server:
        ready = call(server, "/readyz")
        scraped = call(server, "/metrics")
        listed = call(server, "/api/v1/watches")
        alive = call(server, "/healthz")
    assert ready.status == 503
    assert ready.json()["checks"]["broker"] == "ok"
    assert ready.json()["checks"]["database"].startswith("OperationalError")
    assert (scraped.status, listed.status) == (503, 503)
    assert scraped.json()["error"] == listed.json()["error"] == "database unavailable"
    assert alive.status == 200
    for reply in (ready, scraped, listed):
        assert_no_secrets(reply.body)


def test_a_malformed_broker_url_makes_readyz_fail_and_a_bad_database_url_fails_at_start(
    populated: str,
) -> None:
    with ApiServer(populated, broker_url="memcached://127.0.0.1:1") as server:
        reply = call(server, "/readyz")
    assert reply.status == 503
    assert reply.json()["checks"]["broker"].startswith("ValueError")
    with pytest.raises(sa.exc.ArgumentError):
        ApiServer("not a database url", broker_url=None)


# --- metrics -------------------------------------------------------------------------------


def test_metrics_report_the_store_in_the_prometheus_text_format(api: ApiServer) -> None:
    reply = call(api, "/metrics")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    m = parse_exposition(reply.body.decode("utf-8"))
    statuses = {"pending": 1, "fetched": 0, "processed": 1, "failed": 1}
    for status, n in statuses.items():
        assert m.value("tollwatch_articles", status=status) == n
    assert m.value("tollwatch_feed_errors", feed=BAD_FEED) == 2
    assert m.value("tollwatch_feed_errors", feed="good") == 0
    assert m.value("tollwatch_feed_errors_all") == 2
    assert m.value("tollwatch_deliveries", status="dead") == 1
    assert m.value("tollwatch_deliveries", status="pending") == 1
    assert m.value("tollwatch_deliveries", status="delivered") == 0
    assert m.value("tollwatch_deliveries_dead") == 1
    assert m.value("tollwatch_errors_total", stage="poll") == 2
    assert m.value("tollwatch_errors_total", stage="fetch") == 1
    assert m.value("tollwatch_errors_total", stage="process") == 0
    assert m.types["tollwatch_errors_total"] == "counter"
    assert m.value("tollwatch_incidents") == len(INCIDENTS)
    assert m.value("tollwatch_watch_firing", watch="w-killed", metric="killed") == 1
    assert m.value("tollwatch_watch_firing", watch="w-injured", metric="injured") == 0
    assert m.value("tollwatch_watch_total", watch="w-killed", metric="killed") == 12
    assert m.value("tollwatch_watch_band", watch="w-killed", metric="killed") == 10
    watermark = m.value("tollwatch_watermark_timestamp_seconds")
    assert watermark == (NOW - timedelta(hours=2)).timestamp()
    assert all(m.types[n] == "gauge" for n in m.names() - {"tollwatch_errors_total"})
    assert_no_secrets(reply.body)


def test_metrics_of_an_empty_store_are_zero_and_omit_the_unknown_watermark(
    database_url: str,
) -> None:
    with ApiServer(database_url, broker_url=None) as server:
        m = parse_exposition(call(server, "/metrics").body.decode("utf-8"))
    assert "tollwatch_watermark_timestamp_seconds" not in m.types
    assert m.value("tollwatch_deliveries", status="dead") == 0
    assert m.value("tollwatch_incidents") == 0
    assert "tollwatch_watch_firing" in m.types
    assert not any(name.startswith("tollwatch_watch_") for name in m.names())


# --- JSON views ----------------------------------------------------------------------------


def test_watches_list_each_watch_with_its_state(api: ApiServer) -> None:
    reply = call(api, "/api/v1/watches")
    assert reply.status == 200
    found = {w["name"]: w for w in reply.json()["watches"]}
    assert set(found) == {"w-killed", "w-injured"}
    assert codec.from_data(WatchState, found["w-killed"]["state"]) == STATES[0]
    assert found["w-killed"]["evaluated_through"] == NOW.isoformat()
    assert found["w-killed"]["window"] == timedelta(days=1).total_seconds()
    assert found["w-injured"]["state"]["firing"] is False
    assert found["w-injured"]["evaluated_through"] is None


def test_incidents_newest_first_round_trip_and_honour_the_limit(api: ApiServer) -> None:
    every = call(api, "/api/v1/incidents").json()["incidents"]
    one = call(api, "/api/v1/incidents?limit=1").json()["incidents"]
    assert [codec.from_data(Incident, i) for i in every] == list(reversed(INCIDENTS))
    assert [i["id"] for i in one] == ["inc-2"]


def test_deliveries_filter_by_status_and_redact_the_endpoint(api: ApiServer) -> None:
    dead = call(api, "/api/v1/deliveries?status=dead")
    every = call(api, "/api/v1/deliveries").json()["deliveries"]
    rows = dead.json()["deliveries"]
    assert [r["webhook_id"] for r in rows] == ["msg_1"]
    assert rows[0]["status"] == "dead" and rows[0]["attempts"] == 1
    assert rows[0]["endpoint"] == "ops"
    assert rows[0]["endpoint_url"] == "https://***@hooks.example/in?token=***"
    assert rows[0]["last_error"] == "HTTP 500 from https://***@hooks.example/in?token=***"
    assert [(r["webhook_id"], r["status"]) for r in every] == [("msg_2", "pending"),
                                                               ("msg_1", "dead")]
    assert call(api, "/api/v1/deliveries?status=delivered").json() == {"deliveries": []}
    assert_no_secrets(dead.body)


def test_errors_filter_by_stage_newest_first_and_redact_urls(api: ApiServer) -> None:
    poll = call(api, "/api/v1/errors?stage=poll")
    rows = poll.json()["errors"]
    assert [r["kind"] for r in rows] == ["PermanentFetchError", "FeedParseError"]
    assert rows[0]["subject"] == BAD_FEED
    assert rows[0]["message"] == "HTTP 401 from https://***@feeds.example/rss?key=***"
    assert rows[0]["at"] == (NOW - timedelta(minutes=1)).isoformat()
    latest = call(api, "/api/v1/errors?limit=1").json()["errors"]
    assert [(r["stage"], r["subject"]) for r in latest] == [("fetch",
                                                             "https://***@news.example/x")]
    assert call(api, "/api/v1/errors?stage=process").json() == {"errors": []}
    assert_no_secrets(poll.body)


def test_limit_is_capped(database_url: str) -> None:
    with transaction(database_url) as conn:
        for i in range(MAX_LIMIT + 5):
            record_error(conn, stage="fetch", subject=f"a{i}", error=ValueError("x"), now=NOW)
    with ApiServer(database_url, broker_url=None) as server:
        reply = call(server, f"/api/v1/errors?limit={MAX_LIMIT * 10}")
    assert reply.status == 200
    assert len(reply.json()["errors"]) == MAX_LIMIT


def test_no_endpoint_exposes_a_secret(api: ApiServer) -> None:
    paths = ["/metrics", "/readyz", "/api/v1/watches", "/api/v1/incidents",
             "/api/v1/deliveries", "/api/v1/errors"]
    for path in paths:
        reply = call(api, path)
        assert reply.status == 200, path
        assert_no_secrets(reply.body)


# --- bad requests --------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "reason"), [
    ("/api/v1/incidents?limit=0", "limit"),
    ("/api/v1/incidents?limit=-3", "limit"),
    ("/api/v1/incidents?limit=ten", "limit"),
    ("/api/v1/incidents?limit=", "limit"),
    ("/api/v1/incidents?limit=%C2%B2", "limit"),
    ("/api/v1/deliveries?status=lost", "status must be one of"),
    ("/api/v1/errors?stage=Poll%21", "stage"),
    ("/api/v1/errors?stage=poll&stage=fetch", "2 times"),
    ("/api/v1/deliveries?stauts=dead", "unknown parameter 'stauts'"),
    ("/api/v1/watches?limit=3", "unknown parameter 'limit'"),
    ("/api/v1/errors?limit", "malformed query string"),
])
def test_bad_query_parameters_get_400_with_a_reason(
    populated: str, path: str, reason: str,
) -> None:
    with ApiServer(populated, broker_url=None) as server:
        reply = call(server, path)
    assert reply.status == 400
    assert reason in reply.json()["error"]


def test_unknown_paths_get_404_and_other_methods_405(populated: str) -> None:
    with ApiServer(populated, broker_url=None) as server:
        missing = call(server, "/api/v1/nothing")
        nested = call(server, "/healthz/extra")
        refused = {m: call(server, "/api/v1/watches", m) for m in ("POST", "PUT", "DELETE")}
        head = call(server, "/healthz", "HEAD")
    assert (missing.status, nested.status) == (404, 404)
    assert missing.json() == {"error": "no such path: /api/v1/nothing"}
    for method, reply in refused.items():
        assert reply.status == 405, method
        assert reply.headers["allow"] == "GET"
        assert "read-only" in reply.json()["error"]
    assert head.status == 405
    assert head.body == b""
