"""Shared fixtures: a real Redis, real databases (SQLite always, PostgreSQL where installed)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers.local.processes import ProcessGroup, wait_until
from workers.local.redis_server import RedisServer, free_port, start_redis

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on 127.0.0.1 for the whole session."""
    with ProcessGroup() as group:
        yield start_redis(group, tmp_path_factory.mktemp("redis"))


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; the Debian package makes a postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (or TOLLWATCH_TEST_POSTGRES_URL); yields its base URL."""
    given = os.environ.get("TOLLWATCH_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("TOLLWATCH_REQUIRE_POSTGRES"):
            pytest.fail("TOLLWATCH_REQUIRE_POSTGRES is set but PostgreSQL is not installed")
        pytest.skip("PostgreSQL is not installed (CI installs it; see .ci/run)")
    # Not under pytest's tmp dir: that is private to root, and postgres must reach its files.
    base = Path(tempfile.mkdtemp(prefix="tollwatch-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(_as_postgres_user([str(bindir / "initdb"), "-D", str(data), "-U", "tollwatch",
                                      "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)
    port = free_port()
    with ProcessGroup() as group:
        group.spawn("postgres", _as_postgres_user([
            str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sock),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        ]), stdout=subprocess.DEVNULL)
        url = f"postgresql+psycopg://tollwatch@127.0.0.1:{port}/postgres"
        assert wait_until(lambda: _pg_ready(url), timeout=30), "PostgreSQL did not start"
        yield url
    shutil.rmtree(base, ignore_errors=True)


def _pg_ready(url: str) -> bool:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def _fresh_postgres_db(server_url: str) -> str:
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty PostgreSQL database."""
    return _fresh_postgres_db(postgres_server)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database: every storage test runs on SQLite and on PostgreSQL."""
    from workers.storage.db import migrate

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    migrate(url)
    return url
