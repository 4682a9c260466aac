"""The seeds through a real Redis, a real Celery worker and beat, a real database and a sink."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from workers import pipeline
from workers.admin import build_watch
from workers.config import load_seed_config
from workers.extract import load_gazetteer
from workers.local.demo import Stack, local_stack, wait_drained
from workers.storage import alerts as alerts_db
from workers.storage.db import transaction
from workers.storage.tables import errors

pytestmark = pytest.mark.integration
DRAIN_TIMEOUT = 240.0
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(params=["sqlite", "postgres"])
def stack(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stack]:
    """The local stack over the seeds, on SQLite or on PostgreSQL."""
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    with local_stack(SEEDS, tmp_path / "run", interval=0.0, echo=lambda _: None,
                     database_url=url) as running:
        yield running


def _expected(base_url: str) -> list[pipeline.AlertMessage]:
    gazetteer = load_gazetteer()
    watches = [build_watch(spec, gazetteer) for spec in load_seed_config(SEEDS).watches]
    return pipeline.timeline(SEEDS, watches, gazetteer, base_url=base_url)


def test_the_alerts_delivered_are_the_timeline(stack: Stack) -> None:
    assert wait_drained(stack, timeout=DRAIN_TIMEOUT, echo=lambda _: None), "pipeline stalled"
    expected = _expected(stack.replay.url)
    assert expected, "the seeds' watchlist must produce alerts"
    received = stack.sink.received
    assert sorted(a.webhook_id for a in received) == sorted(m.msg_id for m in expected)
    by_id = {a.webhook_id: a.payload for a in received}
    for message in expected:
        assert by_id[message.msg_id] == json.loads(message.body)
    assert stack.sink.rejected == []
    with transaction(stack.database_url) as conn:
        incidents = alerts_db.list_incidents(conn)
    # The two reports of the Dec. 1, 2024 strikes are one incident with two sources.
    assert any(len(i.sources) == 2 and i.first_reported.year == 2024 for i in incidents)


def _with_extra_endpoint(tmp_path: Path, name: str, url: str, *, allow_private: bool) -> Path:
    """A copy of the seeds whose watches also notify one more endpoint."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    endpoints = yaml.safe_load((folder / "endpoints.yaml").read_text())
    endpoints["endpoints"].append({"name": name, "url": url, "secret_ref": "demo-sink",
                                   "allow_private": allow_private})
    (folder / "endpoints.yaml").write_text(yaml.safe_dump(endpoints))
    watchlist = yaml.safe_load((folder / "watchlist.yaml").read_text())
    for watch in watchlist["watches"]:
        watch["endpoints"] = [*watch.get("endpoints", []), name]
    (folder / "watchlist.yaml").write_text(yaml.safe_dump(watchlist))
    return folder


HOSTILE_FEED = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;&b;&b;&b;&b;&b;&b;&b;</title></channel></rss>"""


class _Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(HOSTILE_FEED)))
        self.end_headers()
        self.wfile.write(HOSTILE_FEED)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile_feed() -> Iterator[str]:
    """A local feed that declares XML entities (a quadratic-blowup attempt)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def test_bad_feeds_pages_and_endpoints_are_recorded_and_stop_nothing(
    tmp_path: Path, hostile_feed: str,
) -> None:
    # A private address the endpoint may not reach, a page with no article in it, and a feed
    # that declares XML entities.
    folder = _with_extra_endpoint(tmp_path, "blocked", "http://10.255.255.1/hook",
                                  allow_private=False)
    (folder / "zzz_empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    feeds = yaml.safe_load((folder / "feeds.yaml").read_text())
    feeds["feeds"].append({"name": "hostile", "url": hostile_feed, "allow_private": True})
    (folder / "feeds.yaml").write_text(yaml.safe_dump(feeds))
    with local_stack(folder, tmp_path / "run", interval=0.0, echo=lambda _: None) as running:
        assert wait_drained(running, timeout=DRAIN_TIMEOUT, echo=lambda _: None)
        with transaction(running.database_url) as conn:
            dead = alerts_db.list_deliveries(conn, status=alerts_db.DEAD)
            recorded = conn.execute(errors.select()).mappings().all()
        delivered = running.sink.received
    assert delivered, "the good endpoint still gets every alert"
    assert dead
    assert {d.endpoint for d in dead} == {"blocked"}
    assert all("10.255.255.1" in (d.last_error or "") for d in dead)
    stages = {(r["stage"], r["subject"]) for r in recorded}
    assert ("poll", "hostile") in stages, "the hostile feed is a recorded error"
    assert any(r["kind"] == "FeedParseError" for r in recorded)
    assert any(stage == "process" for stage, _ in stages), "the empty page is a recorded error"


class _FlakyReceiver(BaseHTTPRequestHandler):
    """Answers 503 to the first attempt of every webhook-id, 200 to the next: records all."""

    attempts: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        webhook_id = self.headers.get("webhook-id", "")
        first = webhook_id not in self.attempts
        self.attempts.append(webhook_id)
        self.send_response(503 if first else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_failing_endpoint_gets_each_alert_again_with_the_same_webhook_id(
    tmp_path: Path,
) -> None:
    _FlakyReceiver.attempts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlakyReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        folder = _with_extra_endpoint(tmp_path, "flaky", url, allow_private=True)
        with local_stack(folder, tmp_path / "run", interval=0.0, echo=lambda _: None) as running:
            assert wait_drained(running, timeout=DRAIN_TIMEOUT, echo=lambda _: None)
            delivered = {a.webhook_id for a in running.sink.received}
            with transaction(running.database_url) as conn:
                flaky = [d for d in alerts_db.list_deliveries(conn) if d.endpoint == "flaky"]
    finally:
        server.shutdown()
        server.server_close()
    attempts = _FlakyReceiver.attempts
    assert delivered
    # Every alert reached the flaky endpoint twice, under the id the good endpoint saw.
    assert sorted(attempts) == sorted([*delivered, *delivered])
    assert {d.status for d in flaky} == {alerts_db.DELIVERED}
    assert {d.attempts for d in flaky} == {2}
