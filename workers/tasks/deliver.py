"""Webhook delivery: claim one outbox row, sign, POST once, record the attempt and what is next."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from workers.delivery.policy import Outcome, RetrySchedule, next_delay
from workers.delivery.signing import signature_headers
from workers.delivery.webhook import AttemptResult, deliver_once
from workers.storage import alerts as alerts_db
from workers.storage.alerts import DeliveryJob
from workers.storage.db import transaction
from workers.tasks.base import CLOCK, event, http_options, pipeline_task, settings

_RNG = random.Random()


@pipeline_task(name="tollwatch.deliver.deliver", queue="deliver", idempotent=True,
               time_limit=settings().deliver_time_limit)
def deliver(delivery_id: int) -> str:
    """POST one alert to one endpoint with Standard Webhooks headers; the outbox says what next.

    Idempotency: a compare-and-set claim on the delivery row; the webhook-id is the alert's
    id, the same on every attempt, so receivers drop repeats.
    Retries: never in Celery. A retryable outcome schedules next_attempt_at (jittered Svix-like
    schedule, Retry-After honoured) and the beat sweeper re-enqueues it; exhausted = dead.
    """
    s = settings()
    now = CLOCK.now()
    lease = timedelta(seconds=s.deliver_time_limit * 2)
    with transaction(s.database_url) as conn:
        job = alerts_db.claim_delivery(conn, delivery_id, now=now, lease=lease)
    if job is None:
        return "not-claimed"
    result = _attempt(job, now)
    status, next_at = _next_step(result, job, now)
    with transaction(s.database_url) as conn:
        alerts_db.finish_attempt(
            conn, job, now=CLOCK.now(), status=status, next_attempt_at=next_at,
            outcome=result.outcome.kind, status_code=result.status, error=result.error,
            duration_ms=result.duration_ms)
        if result.outcome.kind == "disable_endpoint":
            alerts_db.disable_endpoint(conn, job.endpoint, reason=f"HTTP {result.status}")
    event("delivery.attempted", delivery=job.id, webhook_id=job.msg_id, endpoint=job.endpoint,
          attempt=job.attempt, outcome=result.outcome.kind, status=status)
    return status


def _attempt(job: DeliveryJob, now: datetime) -> AttemptResult:
    s = settings()
    secrets = s.endpoint_secrets.get(job.secret_ref, "").split()
    body = job.body.encode("utf-8")
    if not secrets:
        return _refused(f"no secret for endpoint {job.endpoint!r}: "
                        f"set {job.secret_ref!r} in TOLLWATCH_ENDPOINT_SECRETS")
    if not job.enabled:
        return _refused(f"endpoint {job.endpoint!r} is disabled")
    headers = signature_headers(secrets, job.msg_id, int(now.timestamp()), body)
    options = http_options(allow_private=job.allow_private, timeout=s.delivery_timeout)
    return deliver_once(job.url, body=body, headers=headers, options=options)


def _refused(reason: str) -> AttemptResult:
    """An attempt not made: recorded like a failed one, so an operator sees why."""
    return AttemptResult(Outcome("failed", reason), None, reason, 0)


def _next_step(result: AttemptResult, job: DeliveryJob, now: datetime
               ) -> tuple[str, datetime | None]:
    kind = result.outcome.kind
    if kind == "delivered":
        return alerts_db.DELIVERED, None
    if kind == "retry":
        schedule = RetrySchedule().scaled(settings().retry_scale)
        delay = next_delay(schedule, job.attempt, retry_after=result.outcome.retry_after,
                           rng=_RNG)
        if delay is not None:
            return alerts_db.PENDING, now + delay
    return alerts_db.DEAD, None
