"""Storage on SQLite and PostgreSQL: migrations match the tables, every writer is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workers.feeds import article_id
from workers.records import (
    ArticleExtraction,
    CasualtyMention,
    FeedEntry,
    Place,
    Transition,
    Watch,
    WatchState,
    WindowTotal,
)
from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage import extractions as extractions_db
from workers.storage import feeds as feeds_db
from workers.storage.db import engine_for, migrate, transaction
from workers.storage.tables import metadata

NOW = datetime(2024, 12, 2, 12, 0, tzinfo=UTC)


def test_migrations_create_exactly_the_declared_schema(database_url: str) -> None:
    with engine_for(database_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migrate_twice_is_harmless(database_url: str) -> None:
    migrate(database_url)
    with transaction(database_url) as conn:
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert version == "0001"


def _feed(url: str) -> int:
    with transaction(url) as conn:
        feeds_db.upsert_feed(conn, name="f", url="http://example.org/feed", allow_private=False,
                             min_interval=timedelta(seconds=5), max_interval=timedelta(hours=1))
        return conn.execute(sa.text("select id from feeds where name='f'")).scalar_one()


def test_feed_claims_are_exclusive_until_the_lease_ends(database_url: str) -> None:
    feed_id = _feed(database_url)
    lease = timedelta(minutes=1)
    with transaction(database_url) as conn:
        assert feeds_db.claim_due(conn, now=NOW, lease=lease) == [feed_id]
        assert feeds_db.claim_due(conn, now=NOW, lease=lease) == []
        assert feeds_db.claim_due(conn, now=NOW + 2 * lease, lease=lease) == [feed_id]


def test_entries_and_articles_are_recorded_once(database_url: str) -> None:
    feed_id = _feed(database_url)
    entry = FeedEntry(key="guid-1", url="http://example.org/a", title="A", published=NOW)
    aid = article_id(entry.url)
    with transaction(database_url) as conn:
        first = articles_db.add_entry(conn, feed_id=feed_id, entry=entry, article_id=aid,
                                      allow_private=False, now=NOW)
        again = articles_db.add_entry(conn, feed_id=feed_id, entry=entry, article_id=aid,
                                      allow_private=False, now=NOW)
        counts = articles_db.counts(conn)
    assert (first, again) == (True, False)
    assert counts == {"pending": 1, "entries": 1}


def test_same_body_is_not_a_new_revision_and_a_changed_body_is(database_url: str) -> None:
    feed_id = _feed(database_url)
    entry = FeedEntry(key="k", url="http://example.org/a", title="A", published=NOW)
    aid = article_id(entry.url)
    with transaction(database_url) as conn:
        articles_db.add_entry(conn, feed_id=feed_id, entry=entry, article_id=aid,
                              allow_private=False, now=NOW)
        assert articles_db.record_fetch(conn, aid, body=b"one", content_type="text/html",
                                        etag=None, last_modified=None, now=NOW)
        articles_db.mark_processed(conn, aid, now=NOW, title="A")
        unchanged = articles_db.record_fetch(conn, aid, body=b"one", content_type="text/html",
                                             etag=None, last_modified=None, now=NOW)
        changed = articles_db.record_fetch(conn, aid, body=b"two", content_type="text/html",
                                           etag=None, last_modified=None, now=NOW)
        row = articles_db.get_article(conn, aid)
    assert (unchanged, changed) == (False, True)
    assert row is not None and row.revision == 2 and row.body == b"two"


def _mention(ordinal: int, count: int) -> CasualtyMention:
    place = Place(id="gn:1", name="Town", level="locality", country_code="SY",
                  admin_ids=("cc:SY", "a1:SY.12"), admin_names=("Syria", "Idlib"))
    return CasualtyMention(ordinal=ordinal, metric="killed", count=count, qualifier="exact",
                           text=f"{count} killed", span=(0, 9), sentence=f"{count} killed.",
                           confidence=0.9, places=(place,), event_date=NOW.date())


def test_extractions_round_trip_and_the_watermark_waits_for_earlier_articles(
    database_url: str,
) -> None:
    feed_id = _feed(database_url)
    ids = []
    with transaction(database_url) as conn:
        for i, hours in enumerate((1, 2)):
            entry = FeedEntry(key=f"k{i}", url=f"http://example.org/{i}", title=f"T{i}",
                              published=NOW + timedelta(hours=hours))
            aid = article_id(entry.url)
            ids.append(aid)
            articles_db.add_entry(conn, feed_id=feed_id, entry=entry, article_id=aid,
                                  allow_private=False, now=NOW)
            articles_db.record_fetch(conn, aid, body=f"b{i}".encode(), content_type="text/html",
                                     etag=None, last_modified=None, now=NOW)
    extraction = ArticleExtraction(extractor_version="t1", mentions=(_mention(0, 4),), killed=4)
    with transaction(database_url) as conn:
        # The later article finishes first: the watermark must not pass the earlier one.
        assert extractions_db.save_extraction(conn, article_id=ids[1], revision=1, main_text="x",
                                              extraction=extraction, now=NOW)
        assert not extractions_db.save_extraction(conn, article_id=ids[1], revision=1,
                                                  main_text="x", extraction=extraction, now=NOW)
        articles_db.mark_processed(conn, ids[1], now=NOW, title="T1")
        assert articles_db.watermark(conn) is None
        extractions_db.save_extraction(conn, article_id=ids[0], revision=1, main_text="x",
                                       extraction=extraction, now=NOW)
        articles_db.mark_processed(conn, ids[0], now=NOW, title="T0")
        assert articles_db.watermark(conn) == NOW + timedelta(hours=2)
        reports = extractions_db.load_reports(conn, extractor_version="t1",
                                              through=NOW + timedelta(hours=1))
        later = extractions_db.load_reports(conn, extractor_version="t1",
                                            since=NOW + timedelta(hours=1))
    assert [r.article_id for r in reports] == [ids[0]]
    assert [r.article_id for r in later] == [ids[1]]
    assert reports[0].extraction == extraction


def _transition(seq: int) -> Transition:
    total = WindowTotal(low=6, best=6, high=8, window_start=NOW - timedelta(days=1),
                        window_end=NOW)
    return Transition(watch="w", kind="firing", seq=seq, at=NOW, band=5, total=total)


def test_outbox_rows_are_unique_and_claims_are_exclusive(database_url: str) -> None:
    watch = Watch(name="w", place_id="a1:SY.12", metric="killed", threshold=5,
                  window=timedelta(days=1), endpoints=("e1", "e2"))
    with transaction(database_url) as conn:
        alerts_db.upsert_watch(conn, watch, now=NOW)
        alerts_db.upsert_endpoint(conn, name="e1", url="http://example.org/h", secret_ref="e1",
                                  allow_private=False, enabled=True)
        alerts_db.upsert_endpoint(conn, name="e2", url="http://example.org/h", secret_ref="e2",
                                  allow_private=False, enabled=False)
        created = alerts_db.add_transition(conn, msg_id="msg_1", event_type="t", body="{}",
                                           transition=_transition(1),
                                           endpoint_names=watch.endpoints, now=NOW)
        repeated = alerts_db.add_transition(conn, msg_id="msg_1", event_type="t", body="{}",
                                            transition=_transition(1),
                                            endpoint_names=watch.endpoints, now=NOW)
        assert alerts_db.list_watches(conn) == [watch]
    assert len(created) == 1 and repeated == []  # e2 is disabled: no row for it
    lease = timedelta(seconds=30)
    with transaction(database_url) as conn:
        job = alerts_db.claim_delivery(conn, created[0], now=NOW, lease=lease)
        assert alerts_db.claim_delivery(conn, created[0], now=NOW, lease=lease) is None
        assert job is not None and job.attempt == 1 and job.msg_id == "msg_1"
        # A worker that vanished mid-attempt: the sweeper sees it once the lease is over.
        assert alerts_db.due_deliveries(conn, now=NOW) == []
        assert alerts_db.due_deliveries(conn, now=NOW + 2 * lease) == [created[0]]
        alerts_db.finish_attempt(conn, job, now=NOW, status=alerts_db.DEAD, next_attempt_at=None,
                                 outcome="failed", status_code=400, error="bad", duration_ms=1.0)
        assert alerts_db.redeliver(conn, created[0], now=NOW)
        assert alerts_db.list_deliveries(conn)[0].status == alerts_db.PENDING


def test_watch_state_round_trips(database_url: str) -> None:
    watch = Watch(name="w", place_id="p", metric="killed", threshold=5, window=timedelta(days=1))
    state = WatchState(watch="w", firing=True, band=10, total=12, since=NOW, seq=2)
    with transaction(database_url) as conn:
        alerts_db.upsert_watch(conn, watch, now=NOW)
        assert alerts_db.get_state(conn, "w") == (WatchState(watch="w"), None)
        alerts_db.save_state(conn, state, evaluated_through=NOW)
        alerts_db.save_state(conn, state, evaluated_through=NOW)
        assert alerts_db.get_state(conn, "w") == (state, NOW)

