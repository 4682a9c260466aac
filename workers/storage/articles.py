"""Articles and feed entries: discovery, fetched bodies and revisions, processing state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from workers.records import FeedEntry
from workers.storage.common import aware, insert_ignore, must
from workers.storage.tables import articles, entries

PENDING, FETCHED, PROCESSED, FAILED = "pending", "fetched", "processed", "failed"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An article as the fetch and process stages need it."""

    id: str
    url: str
    title: str
    published: datetime | None
    status: str
    allow_private: bool
    etag: str | None
    last_modified: str | None
    body: bytes | None
    content_type: str | None
    revision: int
    discovered_at: datetime


def add_entry(
    conn: Connection, *, feed_id: int, entry: FeedEntry, article_id: str,
    allow_private: bool, now: datetime,
) -> bool:
    """Record a feed entry and its article; True if the article is new and needs a fetch."""
    created = insert_ignore(conn, articles, {
        "id": article_id, "url": entry.url, "title": entry.title, "published": entry.published,
        "status": PENDING, "attempts": 0, "allow_private": allow_private, "revision": 0,
        "discovered_at": now,
    })
    insert_ignore(conn, entries, {
        "feed_id": feed_id, "entry_key": entry.key, "article_id": article_id,
        "title": entry.title, "published": entry.published, "first_seen": now,
    })
    return created


def get_article(conn: Connection, article_id: str) -> ArticleRow | None:
    """Load one article with its stored body."""
    row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:
        return None
    return ArticleRow(
        id=row["id"], url=row["url"], title=row["title"], published=aware(row["published"]),
        status=row["status"], allow_private=row["allow_private"], etag=row["etag"],
        last_modified=row["last_modified"], body=row["body"], content_type=row["content_type"],
        revision=row["revision"], discovered_at=must(row["discovered_at"]),
    )


def record_fetch(
    conn: Connection, article_id: str, *, body: bytes, content_type: str,
    etag: str | None, last_modified: str | None, now: datetime,
) -> bool:
    """Store a fetched body; a changed body is a new revision. True if there is work to do."""
    digest = hashlib.sha256(body).hexdigest()
    old = conn.execute(
        select(articles.c.content_hash, articles.c.status).where(articles.c.id == article_id)
    ).first()
    if old is not None and old.content_hash == digest and old.status == PROCESSED:
        conn.execute(update(articles).where(articles.c.id == article_id).values(fetched_at=now))
        return False
    conn.execute(update(articles).where(articles.c.id == article_id).values(
        body=body, content_type=content_type, etag=etag, last_modified=last_modified,
        content_hash=digest, status=FETCHED, fetched_at=now, last_error=None,
        revision=articles.c.revision + (0 if old and old.content_hash == digest else 1),
        attempts=articles.c.attempts + 1,
    ))
    return True


def record_failure(conn: Connection, article_id: str, *, error: str, final: bool) -> None:
    """Count a failed attempt; a final failure stops the article (the error row says why)."""
    values: dict[str, object] = {"attempts": articles.c.attempts + 1, "last_error": error[:2000]}
    if final:
        values["status"] = FAILED
    conn.execute(update(articles).where(articles.c.id == article_id).values(**values))


def mark_processed(conn: Connection, article_id: str, *, now: datetime, title: str) -> None:
    """The article's extraction is stored."""
    conn.execute(update(articles).where(articles.c.id == article_id).values(
        status=PROCESSED, processed_at=now, title=title))


def counts(conn: Connection) -> dict[str, int]:
    """Articles per status, and entries seen, for progress displays."""
    rows = conn.execute(select(articles.c.status, func.count()).group_by(articles.c.status))
    result: dict[str, int] = {str(status): int(n) for status, n in rows}
    result["entries"] = conn.execute(select(func.count()).select_from(entries)).scalar_one()
    return result


def watermark(conn: Connection) -> datetime | None:
    """Event-time watermark: the latest publication time with nothing earlier still in flight.

    Articles still pending or fetched hold the watermark just before their publication time,
    so the alerts computed through it do not depend on the order workers finish in.
    """
    in_flight = select(func.min(articles.c.published)).where(
        articles.c.status.in_([PENDING, FETCHED]))
    oldest_pending = aware(conn.execute(in_flight).scalar_one())
    done = select(articles.c.published).where(
        articles.c.status == PROCESSED, articles.c.published.is_not(None))
    if oldest_pending is not None:
        done = done.where(articles.c.published < oldest_pending)
    return aware(conn.execute(select(func.max(done.subquery().c.published))).scalar_one())


def in_flight(conn: Connection) -> int:
    """How many articles are discovered but not yet processed or failed."""
    return conn.execute(select(func.count()).select_from(articles).where(
        articles.c.status.in_([PENDING, FETCHED]))).scalar_one()


def stuck(conn: Connection, *, before: datetime) -> list[tuple[str, str]]:
    """Articles left pending or fetched since before ``before``: (id, status) to re-drive."""
    rows = conn.execute(select(articles.c.id, articles.c.status).where(
        articles.c.status.in_([PENDING, FETCHED]), articles.c.discovered_at < before))
    return [(r.id, r.status) for r in rows]
