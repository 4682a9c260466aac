"""Watches, their state, incidents, transitions and the delivery outbox with its attempts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, or_, select, update

from workers import codec
from workers.records import Incident, Silence, Transition, Watch, WatchState
from workers.storage.common import aware, insert_ignore, must
from workers.storage.tables import (
    attempts,
    deliveries,
    endpoints,
    incident_members,
    incidents,
    transitions,
    watch_state,
    watches,
)

PENDING, DELIVERING, DELIVERED, DEAD = "pending", "delivering", "delivered", "dead"


def upsert_watch(conn: Connection, watch: Watch, *, now: datetime) -> None:
    """Create or replace a watch by name; its state and its still-active silences are kept.

    Silences set from the CLI live in the database: reloading the watchlist must not lift one.
    """
    if insert_ignore(conn, watches, {"name": watch.name, "data": codec.to_data(watch),
                                     "updated_at": now}):
        return
    old = get_watch(conn, watch.name)
    active = tuple(s for s in (old.silences if old else ()) if s.until > now)
    merged = replace(watch, silences=tuple(dict.fromkeys(watch.silences + active)))
    conn.execute(update(watches).where(watches.c.name == watch.name).values(
        data=codec.to_data(merged), updated_at=now))


def get_watch(conn: Connection, name: str) -> Watch | None:
    """One watch by name."""
    data = conn.execute(select(watches.c.data).where(watches.c.name == name)).scalar()
    return None if data is None else codec.from_data(Watch, data)


def add_silence(conn: Connection, name: str, silence: Silence, *, now: datetime) -> bool:
    """Mute a watch until ``silence.until``; False if there is no such watch."""
    watch = get_watch(conn, name)
    if watch is None:
        return False
    muted = replace(watch, silences=(*watch.silences, silence))
    conn.execute(update(watches).where(watches.c.name == name).values(
        data=codec.to_data(muted), updated_at=now))
    return True


def list_watches(conn: Connection) -> list[Watch]:
    """Every configured watch, by name."""
    rows = conn.execute(select(watches.c.data).order_by(watches.c.name)).scalars()
    return [codec.from_data(Watch, data) for data in rows]


def upsert_endpoint(
    conn: Connection, *, name: str, url: str, secret_ref: str, allow_private: bool, enabled: bool,
) -> None:
    """Create or update an endpoint; re-enabling it clears the disabled reason."""
    values = {"url": url, "secret_ref": secret_ref, "allow_private": allow_private,
              "enabled": enabled}
    if not insert_ignore(conn, endpoints, {"name": name, **values}):
        if enabled:
            values["disabled_reason"] = None
        conn.execute(update(endpoints).where(endpoints.c.name == name).values(**values))


def disable_endpoint(conn: Connection, name: str, *, reason: str) -> None:
    """Stop delivering to an endpoint (e.g. it answered 410 Gone)."""
    conn.execute(update(endpoints).where(endpoints.c.name == name).values(
        enabled=False, disabled_reason=reason[:2000]))


def get_state(conn: Connection, watch: str) -> tuple[WatchState, datetime | None]:
    """The watch's last state and the checkpoint it was evaluated through."""
    row = conn.execute(select(watch_state).where(watch_state.c.watch == watch)).first()
    if row is None:
        return WatchState(watch=watch), None
    return codec.from_data(WatchState, row.data), aware(row.evaluated_through)


def save_state(
    conn: Connection, state: WatchState, *, evaluated_through: datetime | None
) -> None:
    """Store the watch's state after an evaluation."""
    values = {"data": codec.to_data(state), "evaluated_through": evaluated_through}
    if not insert_ignore(conn, watch_state, {"watch": state.watch, **values}):
        conn.execute(update(watch_state).where(watch_state.c.watch == state.watch)
                     .values(**values))


def replace_incidents(conn: Connection, found: tuple[Incident, ...], *, now: datetime) -> None:
    """Make the incidents table the latest fusion result (it is derived, so replace it)."""
    conn.execute(delete(incident_members))
    conn.execute(delete(incidents))
    for incident in found:
        conn.execute(insert(incidents).values(
            id=incident.id, place_id=incident.place.id, event_date=incident.event_date,
            period_total=incident.period_total, data=codec.to_data(incident), updated_at=now))
        members = {(s.article_id, m.ordinal) for s in incident.sources for m in s.mentions}
        for article_id, ordinal in sorted(members):
            conn.execute(insert(incident_members).values(
                incident_id=incident.id, article_id=article_id, ordinal=ordinal))


def list_incidents(conn: Connection) -> list[Incident]:
    """The latest fused incidents (as of the last evaluation), most recent first."""
    rows = conn.execute(select(incidents.c.data)).scalars()
    found = [codec.from_data(Incident, data) for data in rows]
    return sorted(found, key=lambda i: (i.first_reported, i.id), reverse=True)


def add_transition(
    conn: Connection, *, msg_id: str, event_type: str, body: str, transition: Transition,
    endpoint_names: tuple[str, ...], now: datetime,
) -> list[int]:
    """Write a transition and one outbox row per enabled endpoint; ids of new deliveries."""
    insert_ignore(conn, transitions, {
        "id": msg_id, "watch": transition.watch, "kind": transition.kind, "seq": transition.seq,
        "band": transition.band, "at": transition.at, "event_type": event_type, "body": body,
        "created_at": now,
    })
    enabled = set(conn.execute(select(endpoints.c.name).where(
        endpoints.c.enabled.is_(True))).scalars())
    created = []
    for name in endpoint_names:
        if name in enabled and insert_ignore(conn, deliveries, {
            "transition_id": msg_id, "endpoint": name, "status": PENDING, "attempts": 0,
            "next_attempt_at": now,
        }):
            created.append(_delivery_id(conn, msg_id, name))
    return created


def _delivery_id(conn: Connection, msg_id: str, endpoint: str) -> int:
    found: int = conn.execute(select(deliveries.c.id).where(
        deliveries.c.transition_id == msg_id, deliveries.c.endpoint == endpoint)).scalar_one()
    return found


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """Everything one webhook attempt needs, loaded under a claim."""

    id: int
    msg_id: str
    body: str
    attempt: int  # the number this attempt will have (1-based)
    endpoint: str
    url: str
    secret_ref: str
    allow_private: bool
    enabled: bool


def claim_delivery(
    conn: Connection, delivery_id: int, *, now: datetime, lease: timedelta
) -> DeliveryJob | None:
    """Compare-and-set a due delivery to 'delivering'; None if another worker has it."""
    claimable = or_(
        (deliveries.c.status == PENDING) & (deliveries.c.next_attempt_at <= now),
        (deliveries.c.status == DELIVERING) & (deliveries.c.claimed_until < now),
    )
    claimed = conn.execute(update(deliveries).where(deliveries.c.id == delivery_id, claimable)
                           .values(status=DELIVERING, claimed_until=now + lease))
    if claimed.rowcount != 1:
        return None
    row = conn.execute(
        select(deliveries.c.id, deliveries.c.attempts, transitions.c.id.label("msg_id"),
               transitions.c.body, endpoints.c.name, endpoints.c.url, endpoints.c.secret_ref,
               endpoints.c.allow_private, endpoints.c.enabled)
        .join(transitions, transitions.c.id == deliveries.c.transition_id)
        .join(endpoints, endpoints.c.name == deliveries.c.endpoint)
        .where(deliveries.c.id == delivery_id)
    ).one()
    return DeliveryJob(
        id=row.id, msg_id=row.msg_id, body=row.body, attempt=row.attempts + 1,
        endpoint=row.name, url=row.url, secret_ref=row.secret_ref,
        allow_private=row.allow_private, enabled=row.enabled,
    )


def finish_attempt(
    conn: Connection, job: DeliveryJob, *, now: datetime, status: str,
    next_attempt_at: datetime | None, outcome: str, status_code: int | None,
    error: str | None, duration_ms: float | None,
) -> None:
    """Record the attempt and move the delivery to its next status."""
    insert_ignore(conn, attempts, {
        "delivery_id": job.id, "n": job.attempt, "at": now, "status_code": status_code,
        "outcome": outcome, "error": error, "duration_ms": duration_ms,
    })
    conn.execute(update(deliveries).where(deliveries.c.id == job.id).values(
        status=status, attempts=job.attempt, claimed_until=None, last_error=error,
        next_attempt_at=next_attempt_at or now,
        delivered_at=now if status == DELIVERED else None,
    ))


def due_deliveries(conn: Connection, *, now: datetime, limit: int = 500) -> list[int]:
    """Deliveries to (re)enqueue: pending and due, or claimed by a worker that vanished."""
    rows = conn.execute(select(deliveries.c.id).where(or_(
        (deliveries.c.status == PENDING) & (deliveries.c.next_attempt_at <= now),
        (deliveries.c.status == DELIVERING) & (deliveries.c.claimed_until < now),
    )).order_by(deliveries.c.next_attempt_at).limit(limit))
    return list(rows.scalars())


def redeliver(conn: Connection, delivery_id: int, *, now: datetime) -> bool:
    """Operator replay of a dead-lettered delivery; the webhook-id stays the same."""
    result = conn.execute(update(deliveries).where(
        deliveries.c.id == delivery_id, deliveries.c.status == DEAD,
    ).values(status=PENDING, next_attempt_at=now, last_error=None))
    return result.rowcount == 1


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """One outbox row, for operators."""

    id: int
    msg_id: str
    endpoint: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None


def list_deliveries(conn: Connection, *, status: str | None = None) -> list[DeliveryView]:
    """The outbox, newest first, optionally one status (e.g. 'dead')."""
    query = select(deliveries).order_by(deliveries.c.id.desc())
    if status:
        query = query.where(deliveries.c.status == status)
    return [
        DeliveryView(id=r.id, msg_id=r.transition_id, endpoint=r.endpoint, status=r.status,
                     attempts=r.attempts, next_attempt_at=must(r.next_attempt_at),
                     last_error=r.last_error)
        for r in conn.execute(query)
    ]


def outbox_open(conn: Connection) -> int:
    """Deliveries not yet delivered or dead."""
    return len(conn.execute(select(deliveries.c.id).where(
        deliveries.c.status.in_([PENDING, DELIVERING]))).all())
