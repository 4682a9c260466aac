"""Maintenance ticks: re-enqueue due or orphaned deliveries and stuck articles."""

from __future__ import annotations

from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage.db import transaction
from workers.tasks.base import CLOCK, pipeline_task, settings
from workers.tasks.deliver import deliver
from workers.tasks.fetch import fetch_article
from workers.tasks.process import process_article


@pipeline_task(name="tollwatch.maintenance.sweep_outbox", queue="maintenance", idempotent=False)
def sweep_outbox() -> int:
    """Enqueue every delivery that is due (retries) or whose worker vanished mid-attempt.

    The outbox table, not the broker, is the record: a lost message is found again here.
    Idempotency: deliver() claims by compare-and-set, so a double enqueue is harmless.
    Retries: none (the next tick).
    """
    with transaction(settings().database_url) as conn:
        due = alerts_db.due_deliveries(conn, now=CLOCK.now())
    for delivery_id in due:
        deliver.delay(delivery_id)
    return len(due)


@pipeline_task(name="tollwatch.maintenance.redrive_articles", queue="maintenance",
               idempotent=False)
def redrive_articles() -> int:
    """Re-enqueue articles stuck pending or fetched past ``redrive_after`` (a lost message).

    Idempotency: fetch and process are idempotent by revision. Retries: none.
    """
    with transaction(settings().database_url) as conn:
        stuck = articles_db.stuck(conn, before=CLOCK.now() - settings().redrive_after)
    for article_id, status in stuck:
        task = fetch_article if status == articles_db.PENDING else process_article
        task.delay(article_id)
    return len(stuck)
