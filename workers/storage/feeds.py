"""Feeds: configuration upserts, due-feed claims by compare-and-set, and poll outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, or_, select, update

from workers.storage.common import insert_ignore
from workers.storage.tables import feeds


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A feed as the poller needs it."""

    id: int
    name: str
    url: str
    allow_private: bool
    min_interval: timedelta
    max_interval: timedelta
    etag: str | None
    last_modified: str | None
    error_count: int


def upsert_feed(
    conn: Connection, *, name: str, url: str, allow_private: bool,
    min_interval: timedelta, max_interval: timedelta,
) -> None:
    """Create or update a feed by name; a changed URL resets its validators and schedule."""
    values = {"url": url, "allow_private": allow_private,
              "min_interval_s": min_interval.total_seconds(),
              "max_interval_s": max_interval.total_seconds()}
    if insert_ignore(conn, feeds, {"name": name, "error_count": 0, **values}):
        return
    old = conn.execute(select(feeds.c.url).where(feeds.c.name == name)).scalar_one()
    if old != url:
        values |= {"etag": None, "last_modified": None, "next_check_at": None}
    conn.execute(update(feeds).where(feeds.c.name == name).values(**values))


def claim_due(conn: Connection, *, now: datetime, lease: timedelta) -> list[int]:
    """Claim every feed whose check is due and not leased by another poller."""
    due = conn.execute(
        select(feeds.c.id).where(
            or_(feeds.c.next_check_at.is_(None), feeds.c.next_check_at <= now),
            or_(feeds.c.claimed_until.is_(None), feeds.c.claimed_until < now),
        ).order_by(feeds.c.id)
    ).scalars().all()
    claimed = []
    for feed_id in due:
        result = conn.execute(
            update(feeds)
            .where(feeds.c.id == feed_id)
            .where(or_(feeds.c.claimed_until.is_(None), feeds.c.claimed_until < now))
            .values(claimed_until=now + lease)
        )
        if result.rowcount == 1:
            claimed.append(feed_id)
    return claimed


def get_feed(conn: Connection, feed_id: int) -> FeedRow | None:
    """Load one feed."""
    row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).mappings().first()
    if row is None:
        return None
    return FeedRow(
        id=row["id"], name=row["name"], url=row["url"], allow_private=row["allow_private"],
        min_interval=timedelta(seconds=row["min_interval_s"]),
        max_interval=timedelta(seconds=row["max_interval_s"]),
        etag=row["etag"], last_modified=row["last_modified"], error_count=row["error_count"],
    )


def record_poll(
    conn: Connection, feed_id: int, *, now: datetime, next_check_at: datetime,
    etag: str | None = None, last_modified: str | None = None,
    ttl_minutes: int | None = None, error: str | None = None,
) -> None:
    """Store a poll's outcome and release the claim; an error bumps the backoff counter."""
    values: dict[str, object] = {
        "last_polled_at": now, "next_check_at": next_check_at, "claimed_until": None,
    }
    if error is None:
        values |= {"error_count": 0, "last_error": None, "ttl_minutes": ttl_minutes}
        if etag is not None or last_modified is not None:
            values |= {"etag": etag, "last_modified": last_modified}
    else:
        values |= {"error_count": feeds.c.error_count + 1, "last_error": error[:2000]}
    conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))

