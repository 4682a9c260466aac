"""The Celery app built from Settings: queues, routes, limits, beat schedule, process hooks."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import setup_logging, worker_process_init, worker_ready
from kombu import Queue

from workers.config import Settings, get_settings

QUEUES = ("poll", "fetch", "process", "alerts", "deliver", "maintenance")
TASK_MODULES = (
    "workers.tasks.poll",
    "workers.tasks.fetch",
    "workers.tasks.process",
    "workers.tasks.alerts",
    "workers.tasks.deliver",
    "workers.tasks.maintenance",
)


def create_app(settings: Settings) -> Celery:
    """A Celery app whose every limit is derived from ``settings`` in one place."""
    app = Celery("tollwatch", broker=settings.broker_url, include=list(TASK_MODULES))
    visibility = {"visibility_timeout": settings.visibility_timeout}
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue="maintenance",
        task_create_missing_queues=False,
        worker_prefetch_multiplier=1,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=int(settings.task_time_limit * 0.9),
        broker_transport_options=visibility,
        visibility_timeout=settings.visibility_timeout,
        broker_connection_retry_on_startup=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_soft_shutdown_timeout=10.0,
        worker_hijack_root_logger=False,
        worker_max_tasks_per_child=1000,
        # Task events, so that Flower (docker-compose) shows tasks and not only workers.
        worker_send_task_events=True,
        task_send_sent_event=True,
        enable_utc=True,
        beat_schedule=_beat_schedule(settings),
    )
    return app


def _beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        "schedule-due-feeds": {
            "task": "tollwatch.poll.schedule_due_feeds",
            "schedule": settings.poll_tick.total_seconds(),
        },
        "sweep-outbox": {
            "task": "tollwatch.maintenance.sweep_outbox",
            "schedule": settings.sweep_tick.total_seconds(),
        },
        # Windows move with time alone (system clock), and a lost wake-up must not stall alerts.
        "evaluate-watches": {
            "task": "tollwatch.alerts.evaluate_watches",
            "schedule": settings.evaluate_tick.total_seconds(),
        },
        "redrive-articles": {
            "task": "tollwatch.maintenance.redrive_articles",
            "schedule": min(120.0, max(1.0, settings.redrive_after.total_seconds() / 2)),
        },
    }


@worker_process_init.connect
def _after_fork(**_: object) -> None:
    # Engines and pools made in the parent must not be shared with a forked child.
    from workers.storage.db import dispose_all  # noqa: PLC0415 - import at fork time on purpose

    dispose_all()


@worker_ready.connect
def _announce(**_: object) -> None:
    # Operators see which extractor runs: the image's build is compiled, an editable one is not.
    from workers.extract import COMPILED, EXTRACTOR_VERSION  # noqa: PLC0415 - heavy, lazy
    from workers.tasks.base import event  # noqa: PLC0415 - the tasks import this module

    event("worker.extractor", version=EXTRACTOR_VERSION, compiled=COMPILED)


@setup_logging.connect
def _logging(loglevel: object = None, **_: object) -> None:
    # Connecting this signal stops Celery from configuring logging its own way.
    from workers.logs import configure  # noqa: PLC0415

    settings = get_settings()
    level = loglevel if isinstance(loglevel, str | int) else settings.log_level
    configure(settings.log_format, level)


app = create_app(get_settings())
