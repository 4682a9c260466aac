"""Engines per process and per URL, SQLite tuned for several writers, and the migration runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

_ENGINES: dict[tuple[int, str], Engine] = {}


def engine_for(url: str) -> Engine:
    """The engine for ``url`` in this process; a forked child builds its own (no shared pools)."""
    key = (os.getpid(), url)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = _create(url)
    return engine


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        # NullPool: each checkout opens a fresh connection, so nothing crosses a fork.
        engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A silently dropped connection must fail a probe or a task, not hang it.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args={"connect_timeout": 10})


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def dispose_all() -> None:
    """Drop this process's engines (after fork, or at shutdown)."""
    for key in [k for k in _ENGINES if k[0] == os.getpid()]:
        _ENGINES.pop(key).dispose()
    for key in [k for k in _ENGINES if k[0] != os.getpid()]:
        _ENGINES.pop(key)


@contextmanager
def transaction(url: str) -> Iterator[Connection]:
    """One short transaction: commit on success, roll back on error. No network I/O inside."""
    with engine_for(url).begin() as conn:
        yield conn


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` with Alembic (safe to run repeatedly)."""
    from alembic import command  # noqa: PLC0415 - alembic is only needed for migrations
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["url"] = url
    command.upgrade(cfg, revision)
