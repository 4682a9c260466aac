"""Read-only queries behind the HTTP API: counts for /metrics and the rows the JSON views list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from workers.records import Incident, Watch, WatchState
from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage.common import aware, must
from workers.storage.tables import articles, deliveries, endpoints, errors, feeds, incidents

ARTICLE_STATUSES = (articles_db.PENDING, articles_db.FETCHED, articles_db.PROCESSED,
                    articles_db.FAILED)
# "disabled" is in the outbox schema although no writer sets it yet: filtering on it is valid.
DELIVERY_STATUSES = (alerts_db.PENDING, alerts_db.DELIVERING, alerts_db.DELIVERED,
                     alerts_db.DEAD, "disabled")
ERROR_STAGES = ("poll", "fetch", "process")


@dataclass(frozen=True, slots=True)
class WatchView:
    """A watch with the state its last evaluation left."""

    watch: Watch
    state: WatchState
    evaluated_through: datetime | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything /metrics reports, read in one transaction."""

    articles: dict[str, int]
    feed_errors: dict[str, int]
    deliveries: dict[str, int]
    errors: dict[str, int]
    incidents: int
    watches: tuple[WatchView, ...]
    watermark: datetime | None


def snapshot(conn: Connection) -> Snapshot:
    """Counts by status and stage (known ones zero-filled), watch states and the watermark."""
    return Snapshot(
        articles=_zero_filled(ARTICLE_STATUSES, _grouped(conn, articles.c.status)),
        feed_errors=feed_errors(conn),
        deliveries=_zero_filled(DELIVERY_STATUSES, _grouped(conn, deliveries.c.status)),
        errors=_zero_filled(ERROR_STAGES, _grouped(conn, errors.c.stage)),
        incidents=conn.execute(select(func.count()).select_from(incidents)).scalar_one(),
        watches=tuple(watch_views(conn)),
        watermark=articles_db.watermark(conn),
    )


def _grouped(conn: Connection, column: Any) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).group_by(column))
    return {str(key): int(n) for key, n in rows}


def _zero_filled(known: tuple[str, ...], found: dict[str, int]) -> dict[str, int]:
    # Known keys always appear, so an alert rule on status="dead" has a series before the first.
    return dict.fromkeys(known, 0) | found


def feed_errors(conn: Connection) -> dict[str, int]:
    """Each feed's consecutive failed polls (0 after a success), by feed name."""
    rows = conn.execute(select(feeds.c.name, feeds.c.error_count).order_by(feeds.c.name))
    return {str(name): int(count or 0) for name, count in rows}


def watch_views(conn: Connection) -> list[WatchView]:
    """Every watch with its state, by name."""
    views = []
    for watch in alerts_db.list_watches(conn):
        state, through = alerts_db.get_state(conn, watch.name)
        views.append(WatchView(watch=watch, state=state, evaluated_through=through))
    return views


def latest_incidents(conn: Connection, *, limit: int) -> list[Incident]:
    """The latest fused incidents, most recently first reported first."""
    return alerts_db.list_incidents(conn)[:limit]


def latest_deliveries(conn: Connection, *, status: str | None, limit: int
                      ) -> list[dict[str, Any]]:
    """Outbox rows, newest first, with their endpoint's URL (unredacted: the caller redacts)."""
    query = (
        select(deliveries, endpoints.c.url.label("endpoint_url"))
        .join(endpoints, endpoints.c.name == deliveries.c.endpoint)
        .order_by(deliveries.c.id.desc()).limit(limit)
    )
    if status is not None:
        query = query.where(deliveries.c.status == status)
    return [
        {"id": r.id, "webhook_id": r.transition_id, "endpoint": r.endpoint,
         "endpoint_url": r.endpoint_url, "status": r.status, "attempts": r.attempts,
         "next_attempt_at": must(r.next_attempt_at), "delivered_at": aware(r.delivered_at),
         "last_error": r.last_error}
        for r in conn.execute(query)
    ]


def latest_errors(conn: Connection, *, stage: str | None, limit: int) -> list[dict[str, Any]]:
    """Recorded errors, newest first, optionally for one stage."""
    query = select(errors).order_by(errors.c.id.desc()).limit(limit)
    if stage is not None:
        query = query.where(errors.c.stage == stage)
    return [
        {"id": r.id, "at": must(r.at), "stage": r.stage, "subject": r.subject, "kind": r.kind,
         "message": r.message}
        for r in conn.execute(query)
    ]
