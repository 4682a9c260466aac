"""Watch evaluation: fuse the reports, walk the new checkpoints, write transitions to the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from workers import pipeline
from workers.events import fuse
from workers.extract import EXTRACTOR_VERSION, load_gazetteer
from workers.records import Report, Watch
from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage import extractions as extractions_db
from workers.storage.db import transaction
from workers.tasks.base import CLOCK, event, pipeline_task, settings
from workers.tasks.deliver import deliver


@pipeline_task(name="tollwatch.alerts.evaluate_watches", queue="alerts", idempotent=True)
def evaluate_watches() -> int:
    """Advance every watch through the checkpoints since it was last evaluated.

    With TOLLWATCH_CLOCK=feed the checkpoints are the publication times up to the event-time
    watermark, so the alerts match `tollwatch timeline` whatever order workers finish in;
    with the system clock the one checkpoint is now.
    Idempotency: transitions are unique on (watch, seq) and keyed by their webhook-id;
    deliveries on (transition, endpoint). Retries: none (the next article or tick re-runs it).
    """
    s, now = settings(), CLOCK.now()
    with transaction(s.database_url) as conn:
        through = articles_db.watermark(conn) if s.clock == "feed" else now
        if through is None:
            return 0
        watches = alerts_db.list_watches(conn)
        reports = extractions_db.load_reports(
            conn, extractor_version=EXTRACTOR_VERSION, through=through,
            since=pipeline.oldest_needed(
                [(w, alerts_db.get_state(conn, w.name)[1]) for w in watches]))
        created: list[int] = []
        for watch in watches:
            created += _advance(conn, watch, reports, through=through, now=now)
        alerts_db.replace_incidents(conn, fuse(reports), now=now)
    for delivery_id in created:
        deliver.delay(delivery_id)
    return len(created)


def _advance(
    conn: Connection, watch: Watch, reports: list[Report], *, through: datetime, now: datetime
) -> list[int]:
    state, evaluated = alerts_db.get_state(conn, watch.name)
    if settings().clock == "feed":
        points = pipeline.checkpoints(watch, reports, after=evaluated, until=through)
    else:
        points = [through]
    if not points:
        return []
    state, transitions = pipeline.advance(watch, state, reports, points)
    created: list[int] = []
    for transition in transitions:
        message = pipeline.render_alert(transition, watch, load_gazetteer())
        created += alerts_db.add_transition(
            conn, msg_id=message.msg_id, event_type=message.type,
            body=message.body.decode("utf-8"), transition=transition,
            endpoint_names=watch.endpoints, now=now)
        event("alert.transition", watch=watch.name, kind=transition.kind, band=transition.band,
              total=transition.total.best, webhook_id=message.msg_id)
    alerts_db.save_state(conn, state, evaluated_through=points[-1])
    return created
