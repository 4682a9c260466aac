"""Small query helpers every storage module shares: idempotent inserts, UTC times, error rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite

from workers.storage.tables import errors


def insert_ignore(conn: Connection, table: Table, values: Mapping[str, Any]) -> bool:
    """INSERT that does nothing on a unique-key conflict; True if a row was written."""
    stmt: Insert
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif conn.dialect.name == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        stmt = insert(table).values(**values)
    # RETURNING, not rowcount: psycopg reports -1 for INSERT .. ON CONFLICT DO NOTHING here.
    key = next(iter(table.primary_key.columns))
    return conn.execute(stmt.returning(key)).first() is not None


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: everything we store is UTC, so say so."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def must(value: datetime | None) -> datetime:
    """:func:`aware` for columns that are never NULL."""
    result = aware(value)
    if result is None:
        raise ValueError("expected a timestamp")
    return result


def record_error(
    conn: Connection, *, stage: str, subject: str, error: BaseException, now: datetime
) -> None:
    """Keep a visible row for a bad input or a failure: nothing is dropped silently."""
    conn.execute(
        insert(errors).values(
            stage=stage,
            subject=subject[:2000],
            kind=type(error).__name__,
            message=str(error)[:4000],
            at=now,
        )
    )


def recent_errors(conn: Connection, *, stage: str | None = None, limit: int = 50
                  ) -> list[dict[str, Any]]:
    """The latest recorded errors, newest first, optionally for one stage."""
    query = errors.select().order_by(errors.c.id.desc()).limit(limit)
    if stage:
        query = query.where(errors.c.stage == stage)
    return [dict(row) for row in conn.execute(query).mappings()]
