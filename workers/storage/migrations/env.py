"""Alembic environment: the URL comes from the caller (workers.storage.db.migrate), never a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from workers.storage.tables import metadata

config = context.config
url: str = config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or ""


def run() -> None:
    """Run migrations online against ``url`` (SQLite uses batch mode for ALTERs)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
