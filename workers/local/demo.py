"""`tollwatch demo`: the whole pipeline on embedded defaults, from the seeds' feed to the sink."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from workers.admin import load_config
from workers.clock import SystemClock
from workers.config import environ, load_seed_config
from workers.delivery.signing import new_secret
from workers.extract import load_gazetteer
from workers.local.processes import ProcessGroup, wait_until
from workers.local.redis_server import start_redis
from workers.replay import ReplayServer
from workers.sink import SinkServer
from workers.storage import alerts as alerts_db
from workers.storage import articles as articles_db
from workers.storage.db import migrate, transaction

Echo = Callable[[str], None]
QUEUES = "poll,fetch,process,alerts,deliver,maintenance"


@dataclass(frozen=True, slots=True)
class DemoOptions:
    """What `tollwatch demo` was asked for."""

    seeds: Path
    data_dir: Path
    interval: float = 0.5
    follow: bool = False
    timeout: float = 150.0
    concurrency: int = 2


@dataclass(frozen=True, slots=True)
class Progress:
    """Pipeline counters read from the database."""

    entries: int
    fetched: int
    extracted: int
    failed: int
    in_flight: int
    outbox_open: int
    caught_up: bool

    def line(self, released: int, total: int, alerts: int) -> str:
        """One progress line for people."""
        return (f"released {released}/{total} · polled {self.entries} · fetched {self.fetched}"
                f" · extracted {self.extracted} · failed {self.failed} · alerts {alerts}")


@dataclass
class Stack:
    """A running local pipeline: Redis, database, Celery worker and beat, replay feed, sink."""

    data_dir: Path
    database_url: str
    broker_url: str
    sink: SinkServer
    replay: ReplayServer
    group: ProcessGroup
    env: dict[str, str]
    concurrency: int = 2


def run_demo(options: DemoOptions, echo: Echo) -> int:
    """Run everything, print progress and alerts, stop every child; 0 when the replay drained."""
    with _signals_raise_interrupt(), local_stack(
        options.seeds, options.data_dir, interval=options.interval, echo=echo,
        concurrency=options.concurrency,
    ) as stack:
        drained = wait_drained(stack, timeout=options.timeout, echo=echo)
        _summary(stack, echo)
        if not drained:
            echo(f"demo: not drained within {options.timeout:.0f}s (see {options.data_dir})")
            return 1
        if options.follow:
            echo("following; Ctrl-C stops everything")
            wait_until(lambda: bool(stack.group.failed()), timeout=float("inf"), interval=1.0)
        return 0 if stack.sink.received else 1


@contextmanager
def local_stack(
    seeds: Path, data_dir: Path, *, interval: float, echo: Echo,
    database_url: str | None = None, concurrency: int = 2,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """Start the whole pipeline on loopback; every child process is stopped on exit."""
    data = data_dir.resolve()
    data.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        group = stack.enter_context(ProcessGroup())
        redis = start_redis(group, data / "redis")
        db_url = database_url or f"sqlite:///{data / 'tollwatch.db'}"
        migrate(db_url)
        secret = new_secret()
        sink = stack.enter_context(SinkServer([secret], out=data / "alerts.jsonl", echo=echo))
        replay = stack.enter_context(ReplayServer(seeds, interval=interval))
        variables = {**environ(), "TOLLWATCH_REPLAY_URL": replay.url.rstrip("/"),
                     "TOLLWATCH_SINK_URL": sink.url.rstrip("/")}
        config = load_seed_config(seeds, variables)
        loaded = load_config(db_url, config, load_gazetteer(), now=SystemClock().now())
        echo(f"redis {redis.url} · database {_redacted(db_url)} · feed {replay.feed_url}"
             f" · sink {sink.url}")
        echo(f"loaded {loaded.feeds} feed(s), {loaded.endpoints} endpoint(s), "
             f"{loaded.watches} watch(es) from {seeds}")
        env = _child_env(db_url, redis.url, {e.secret_ref: secret for e in config.endpoints})
        env.update(extra_env or {})
        running = Stack(data, db_url, redis.url, sink, replay, group, env, concurrency)
        spawn_worker(running)
        group.spawn("beat", celery_command(
            "beat", "-s", str(data / "beat-schedule"), "--loglevel", "WARNING",
        ), env=env, log=data / "celery.log")
        yield running


def _redacted(url: str) -> str:
    head, sep, tail = url.rpartition("@")
    return f"{head.split('://')[0]}://***@{tail}" if sep else url


def _child_env(db_url: str, broker: str, secrets: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in environ().items() if not k.startswith("TOLLWATCH_")}
    env.update({
        "TOLLWATCH_DATABASE_URL": db_url,
        "TOLLWATCH_BROKER_URL": broker,
        "TOLLWATCH_CLOCK": "feed",
        "TOLLWATCH_ENDPOINT_SECRETS": json.dumps(dict(secrets)),
        "TOLLWATCH_POLL_TICK": "1s",
        "TOLLWATCH_SWEEP_TICK": "1s",
        "TOLLWATCH_RETRY_SCALE": "0.002",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def celery_command(*args: str) -> list[str]:
    """``celery -A workers.celery_app ...`` with this interpreter."""
    return [sys.executable, "-m", "celery", "-A", "workers.celery_app", *args]


def spawn_worker(stack: Stack) -> None:
    """Start a Celery worker for every queue (again, after one was killed)."""
    stack.group.spawn("worker", celery_command(
        "worker", "-Q", QUEUES, "-c", str(stack.concurrency), "-O", "fair",
        "--without-mingle", "--without-gossip", "--loglevel", "WARNING",
        "-n", f"local-{os.getpid()}-{len(stack.group.children)}@%h",
    ), env=stack.env, log=stack.data_dir / "celery.log")


def wait_drained(stack: Stack, *, timeout: float, echo: Echo) -> bool:
    """Wait until every article is released, processed, evaluated and its alerts delivered."""
    last = [""]
    replay, sink = stack.replay, stack.sink

    def done() -> bool:
        if stack.group.failed():
            names = ", ".join(c.name for c in stack.group.failed())
            raise RuntimeError(f"{names} exited early; see {stack.data_dir}/celery.log")
        progress = read_progress(stack.database_url)
        line = progress.line(replay.released, replay.total, len(sink.received))
        if line != last[0]:
            echo(line)
            last[0] = line
        return replay.drained and progress.entries >= replay.total and _idle(progress)

    return wait_until(done, timeout=timeout, interval=0.25)


def _idle(progress: Progress) -> bool:
    return progress.in_flight == 0 and progress.outbox_open == 0 and progress.caught_up


def read_progress(db_url: str) -> Progress:
    """Read the pipeline counters: what is in flight, and whether alerts caught up."""
    with transaction(db_url) as conn:
        counts = articles_db.counts(conn)
        mark = articles_db.watermark(conn)
        states = [alerts_db.get_state(conn, w.name)[1] for w in alerts_db.list_watches(conn)]
        open_deliveries = alerts_db.outbox_open(conn)
        pending = articles_db.in_flight(conn)
    caught_up = mark is None or all(t is not None and t >= mark for t in states)
    extracted = counts.get(articles_db.PROCESSED, 0)
    return Progress(
        entries=counts.get("entries", 0),
        fetched=extracted + counts.get(articles_db.FETCHED, 0),
        extracted=extracted, failed=counts.get(articles_db.FAILED, 0), in_flight=pending,
        outbox_open=open_deliveries, caught_up=caught_up,
    )


def _summary(stack: Stack, echo: Echo) -> None:
    progress = read_progress(stack.database_url)
    with transaction(stack.database_url) as conn:
        dead = alerts_db.list_deliveries(conn, status=alerts_db.DEAD)
    echo(f"summary: {progress.entries} entries · {progress.extracted} extracted · "
         f"{progress.failed} failed · {len(stack.sink.received)} alert(s) received and verified"
         f" · {len(stack.sink.rejected)} rejected · {len(dead)} dead-lettered")


@contextmanager
def _signals_raise_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so every exit path runs the same cleanup."""

    def interrupt(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def default_data_dir() -> Path:
    """A fresh per-run data directory under ./var/."""
    return Path("var") / f"demo-{time.strftime('%Y%m%d-%H%M%S')}"
