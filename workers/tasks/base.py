"""The one task decorator, and what every task shares: settings, clock, HTTP options, logging."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from celery import Task

from workers.celery_app import app
from workers.clock import Clock, SystemClock
from workers.config import Settings, get_settings
from workers.errors import PermanentError, TransientError
from workers.net import AddressPolicy, HttpOptions

R = TypeVar("R")
QueueName = Literal["poll", "fetch", "process", "alerts", "deliver", "maintenance"]

log = logging.getLogger("tollwatch")
CLOCK: Clock = SystemClock()


def pipeline_task(
    *,
    name: str,
    queue: QueueName,
    idempotent: bool,
    retry_on: tuple[type[TransientError], ...] = (),
    max_retries: int = 3,
    time_limit: int | None = None,
    bind: bool = False,
) -> Callable[[Callable[..., R]], Task[Any, R]]:
    """Register a task with an explicit name and queue.

    Idempotent tasks ack late and are re-queued if their process dies: running them twice is
    harmless by construction (unique keys, compare-and-set claims). Only the named transient
    errors are retried, a bounded number of times with jittered exponential backoff; permanent
    errors are expected outcomes (recorded by the task), not crashes.
    """
    settings = get_settings()
    hard = time_limit or settings.task_time_limit
    options: dict[str, Any] = {
        "name": name,
        "queue": queue,
        "acks_late": idempotent,
        "reject_on_worker_lost": idempotent,
        "time_limit": hard,
        "soft_time_limit": int(hard * 0.9),
        "ignore_result": True,
        "throws": (PermanentError,),
        "bind": bind,
        "max_retries": max_retries,
    }
    if retry_on:
        options |= {
            "autoretry_for": retry_on,
            "retry_backoff": 2,
            "retry_backoff_max": 60,
            "retry_jitter": True,
        }

    def register(func: Callable[..., R]) -> Task[Any, R]:
        task: Task[Any, R] = app.task(**options)(func)
        return task

    return register


def settings() -> Settings:
    """The process settings."""
    return get_settings()


def http_options(*, allow_private: bool, timeout: float | None = None) -> HttpOptions:
    """HTTP limits from settings; private addresses only where the feed or endpoint allows."""
    s = get_settings()
    allow = allow_private or s.allow_private_addresses
    return HttpOptions(
        connect_timeout=s.fetch_connect_timeout,
        read_timeout=timeout or s.fetch_read_timeout,
        total_timeout=timeout or s.fetch_total_timeout,
        max_bytes=s.fetch_max_bytes,
        policy=AddressPolicy(allow_loopback=allow, allow_private=allow),
    )


def event(name: str, **fields: object) -> None:
    """Log a structured event named for what happened (``article.fetched``)."""
    log.info(name, extra={"event": name, "fields": fields})
