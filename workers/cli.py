"""The `tollwatch` command: each subcommand parses options and calls one function elsewhere."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from workers.config import SeedConfig, get_settings, load_seed_config
from workers.errors import ConfigError
from workers.records import Watch

if TYPE_CHECKING:
    from workers.extract.gazetteer import Gazetteer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Casualty monitoring: feeds in, signed webhook alerts out.")

QUEUE_GROUPS = ("poll", "fetch", "process", "alerts", "deliver", "maintenance")


def _echo(line: str) -> None:
    typer.echo(line)


def _serve_until_interrupted(serve: Callable[[], object], stop: Callable[[], None]) -> None:
    """Block in ``serve`` until Ctrl-C (or SIGTERM's KeyboardInterrupt), then ``stop``."""
    try:
        serve()
    except KeyboardInterrupt:
        _echo("stopped")
    finally:
        stop()


@app.command()
def demo(
    seeds: Annotated[Path, typer.Option(help="folder of articles and seed files")] = Path("seeds"),
    data_dir: Annotated[Path | None, typer.Option(help="where Redis, SQLite and logs go")] = None,
    interval: Annotated[float, typer.Option(help="seconds between released articles")] = 0.5,
    follow: Annotated[bool, typer.Option(help="keep running after the replay drains")] = False,
    timeout: Annotated[float, typer.Option(help="give up after this many seconds")] = 150.0,
) -> None:
    """Run the whole pipeline on the seeds: Redis, SQLite, worker, beat, replay feed, sink."""
    from workers.local.demo import DemoOptions, default_data_dir, run_demo  # noqa: PLC0415

    options = DemoOptions(seeds=seeds, data_dir=data_dir or default_data_dir(),
                          interval=interval, follow=follow, timeout=timeout)
    try:
        code = run_demo(options, _echo)
    except KeyboardInterrupt:
        _echo("interrupted; every child process was stopped")
        code = 130
    raise typer.Exit(code)


@app.command()
def replay(
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    interval: Annotated[float, typer.Option(help="seconds between released items")] = 5.0,
) -> None:
    """Serve a folder of .txt/.html articles as an RSS 2.0 feed plus one page per article."""
    from workers.replay import ReplayServer  # noqa: PLC0415

    server = ReplayServer(folder, host=host, port=port, interval=interval).start()
    _echo(f"serving {server.total} article(s) at {server.feed_url}")
    # The server runs in its own thread; this one only waits for Ctrl-C.
    _serve_until_interrupted(threading.Event().wait, server.stop)


@app.command()
def sink(
    host: str = "127.0.0.1",
    port: int = 9000,
    secret: Annotated[str | None, typer.Option(help="whsec_ secret(s), space-separated; "
                                               "default TOLLWATCH_SINK_SECRET")] = None,
    out: Annotated[Path | None, typer.Option(help="append alerts as JSON lines")] = None,
) -> None:
    """Receive webhook alerts: verify signatures, drop repeats, print them."""
    from workers.delivery.signing import new_secret  # noqa: PLC0415
    from workers.sink import SinkServer  # noqa: PLC0415

    secrets = (secret or get_settings().sink_secret).split()
    if not secrets:
        secrets = [new_secret()]
        _echo(f"no secret given; verifying with a new one: {secrets[0]}")
    server = SinkServer(secrets, host=host, port=port, out=out, echo=_echo)
    _echo(f"listening on {server.url}")
    _serve_until_interrupted(server.serve_forever, server.stop)


@app.command()
def api(host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the read-only HTTP API: /healthz, /readyz, /metrics and /api/v1 JSON views."""
    from workers.api import ApiServer  # noqa: PLC0415

    settings = get_settings()
    server = ApiServer(settings.database_url, broker_url=settings.broker_url, host=host,
                       port=port)
    _echo(f"listening on {server.url}")
    _serve_until_interrupted(server.serve_forever, server.stop)


@app.command()
def extract(paths: list[Path]) -> None:
    """Offline extraction: one JSON line per .txt/.html file (the workers' own functions)."""
    from workers.extract import load_gazetteer  # noqa: PLC0415
    from workers.local.offline import article_files, extract_record  # noqa: PLC0415

    gazetteer = load_gazetteer()
    for path in article_files(paths):
        _echo(json.dumps(extract_record(path, gazetteer), ensure_ascii=False))


@app.command()
def timeline(
    folder: Path,
    watchlist: Annotated[Path | None, typer.Option(help="default: FOLDER/watchlist.yaml")] = None,
    base_url: Annotated[str, typer.Option(help="where `tollwatch replay` would serve FOLDER: "
                                          "article URLs and ids in the alerts")
                        ] = "http://127.0.0.1:8765",
) -> None:
    """Replay a folder on a virtual clock and print the alert timeline as JSON lines."""
    from workers import pipeline  # noqa: PLC0415
    from workers.extract import load_gazetteer  # noqa: PLC0415

    gazetteer = load_gazetteer()
    watches = _watches(watchlist.parent if watchlist else folder, gazetteer)
    messages = pipeline.timeline(folder, watches, gazetteer, base_url=base_url.rstrip("/"))
    for line in pipeline.timeline_lines(messages):
        _echo(line)


def _watches(folder: Path, gazetteer: Gazetteer) -> list[Watch]:
    from workers.admin import build_watch  # noqa: PLC0415

    config = _seed_config(folder)
    try:
        return [build_watch(spec, gazetteer) for spec in config.watches]
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _seed_config(folder: Path) -> SeedConfig:
    try:
        return load_seed_config(folder)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (safe to repeat)."""
    from workers.storage.db import migrate as run_migrations  # noqa: PLC0415

    run_migrations(get_settings().database_url)
    _echo("database is at the latest revision")


@app.command("load-config")
def load_config_command(
    seeds: Annotated[Path | None, typer.Option(help="default: TOLLWATCH_SEEDS_DIR")] = None,
) -> None:
    """Validate seeds/*.yaml and upsert feeds, endpoints and watches into the database."""
    from workers.admin import load_config  # noqa: PLC0415
    from workers.clock import SystemClock  # noqa: PLC0415
    from workers.extract import load_gazetteer  # noqa: PLC0415

    config = _seed_config(seeds or get_settings().seeds_dir)
    try:
        loaded = load_config(get_settings().database_url, config, load_gazetteer(),
                             now=SystemClock().now())
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _echo(f"loaded {loaded.feeds} feed(s), {loaded.endpoints} endpoint(s), "
          f"{loaded.watches} watch(es)")


@app.command("check-config")
def check_config(seeds: Path = Path("seeds")) -> None:
    """Validate seeds/*.yaml (and every watch's place) without touching a database."""
    from workers.extract import load_gazetteer  # noqa: PLC0415

    _watches(seeds, load_gazetteer())
    _echo(f"{seeds}: feeds, endpoints and watchlist are valid")


@app.command()
def worker(
    queues: Annotated[str, typer.Option(help="comma-separated queue names")],
    concurrency: int = 2,
) -> None:
    """Run a Celery worker for a queue group (replaces this process)."""
    from workers.local.demo import celery_command  # noqa: PLC0415

    names = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = sorted(set(names) - set(QUEUE_GROUPS))
    if not names or unknown:
        raise typer.BadParameter(f"queues must be among {', '.join(QUEUE_GROUPS)}")
    cmd = celery_command("worker", "-Q", ",".join(names), "-c", str(concurrency), "-O", "fair",
                         "--loglevel", get_settings().log_level)
    os.execv(sys.executable, cmd)  # noqa: S606 - replace the process, keep the PID for signals


@app.command()
def beat(schedule: Path = Path("/tmp/tollwatch-beat-schedule")) -> None:  # noqa: S108
    """Run the single Celery beat scheduler (replaces this process)."""
    from workers.local.demo import celery_command  # noqa: PLC0415

    cmd = celery_command("beat", "-s", str(schedule), "--loglevel", get_settings().log_level)
    os.execv(sys.executable, cmd)  # noqa: S606


@app.command()
def watches() -> None:
    """List the watches with their state: firing or not, band, total, evaluated through."""
    from workers.storage import alerts as alerts_db  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    with transaction(get_settings().database_url) as conn:
        rows = [(w, *alerts_db.get_state(conn, w.name)) for w in alerts_db.list_watches(conn)]
    for watch, state, through in rows:
        status = f"FIRING band {state.band}" if state.firing else "ok"
        muted = f"\tsilenced until {max(s.until for s in watch.silences).isoformat()}" \
            if watch.silences else ""
        _echo(f"{watch.name}\t{watch.metric}{'/' + watch.group if watch.group else ''}"
              f"\t>= {watch.threshold}\t{status}\ttotal {state.total}"
              f"\tthrough {through.isoformat() if through else '-'}{muted}")


@app.command()
def silence(
    name: str,
    duration: Annotated[str, typer.Option("--for", help="e.g. 6h, 2d")],
    reason: Annotated[str, typer.Option(help="shown to operators")],
) -> None:
    """Mute a watch for a while (it still tracks its state; nothing is sent until it ends)."""
    from workers.clock import SystemClock  # noqa: PLC0415
    from workers.config import parse_duration  # noqa: PLC0415
    from workers.records import Silence  # noqa: PLC0415
    from workers.storage import alerts as alerts_db  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    now = SystemClock().now()
    until = now + parse_duration(duration)
    with transaction(get_settings().database_url) as conn:
        ok = alerts_db.add_silence(conn, name, Silence(until=until, reason=reason), now=now)
    _echo(f"{name} silenced until {until.isoformat()}" if ok else f"no watch named {name!r}")
    raise typer.Exit(0 if ok else 1)


@app.command()
def incidents(limit: int = 20) -> None:
    """The latest fused incidents: place, date, figures (low/best/high) and sources."""
    from workers.storage import alerts as alerts_db  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    with transaction(get_settings().database_url) as conn:
        found = alerts_db.list_incidents(conn)[:limit]
    for incident in found:
        figures = ", ".join(
            f"{f.metric}{'/' + f.group if f.group else ''} {f.best} ({f.low}-{f.high})"
            for f in incident.figures)
        kind = "period total" if incident.period_total else "incident"
        _echo(f"{incident.event_date or incident.first_reported.date()}\t{incident.place.name}"
              f"\t{kind}\t{figures}\t{len(incident.sources)} source(s)")


@app.command()
def errors(stage: Annotated[str | None, typer.Option(help="poll|fetch|process")] = None) -> None:
    """The latest recorded errors: bad feeds, pages and deliveries, newest first."""
    from workers.storage.common import recent_errors  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    with transaction(get_settings().database_url) as conn:
        rows = recent_errors(conn, stage=stage)
    for row in rows:
        _echo(f"{row['at']}\t{row['stage']}\t{row['subject']}\t{row['kind']}\t{row['message']}")


@app.command()
def deliveries(status: Annotated[str | None, typer.Option(help="e.g. dead")] = None) -> None:
    """List the webhook outbox (newest first)."""
    from workers.storage import alerts as alerts_db  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    with transaction(get_settings().database_url) as conn:
        rows = alerts_db.list_deliveries(conn, status=status)
    for row in rows:
        _echo(f"{row.id}\t{row.status}\t{row.endpoint}\t{row.msg_id}\tattempts={row.attempts}"
              f"\t{row.last_error or ''}")


@app.command()
def redeliver(delivery_id: int) -> None:
    """Replay a dead-lettered delivery with the same webhook-id."""
    from workers.clock import SystemClock  # noqa: PLC0415
    from workers.storage import alerts as alerts_db  # noqa: PLC0415
    from workers.storage.db import transaction  # noqa: PLC0415

    with transaction(get_settings().database_url) as conn:
        ok = alerts_db.redeliver(conn, delivery_id, now=SystemClock().now())
    _echo("queued for redelivery" if ok else "no dead delivery with that id")
    raise typer.Exit(0 if ok else 1)


@app.command("eval")
def evaluate(
    gold: Path = Path("../shared/eval/seeds-gold.json"),
    boilerplate: Path = Path("../shared/eval/boilerplate-dev.jsonl.gz"),
) -> None:
    """Score extraction on the labelled seeds and cleaning on the dev pages."""
    from workers.evaluation.boilerplate import score_boilerplate  # noqa: PLC0415
    from workers.evaluation.extraction import score_seeds  # noqa: PLC0415
    from workers.extract import load_gazetteer  # noqa: PLC0415

    _echo(score_seeds(gold, load_gazetteer()).render())
    _echo(score_boilerplate(boilerplate, gold).render())


def main() -> None:
    """Console-script entry point."""
    app()
