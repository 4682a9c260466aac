"""The worker health probe of deploy/ and docker-compose.yml, against a real worker and Redis."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from workers.celery_app import TASK_MODULES
from workers.local.processes import ProcessGroup, wait_until
from workers.local.redis_server import start_redis

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def probe_command() -> list[str]:
    deployment = yaml.safe_load((ROOT / "deploy" / "worker-maintenance.yaml").read_text("utf-8"))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    command: list[str] = container["livenessProbe"]["exec"]["command"]
    return command


def probe(hostname: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the probe; container runtimes export HOSTNAME and the probe's shell expands it."""
    return subprocess.Popen(
        probe_command(),
        env={**env, "HOSTNAME": hostname},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def outcome(process: subprocess.Popen[bytes]) -> int:
    try:
        return process.wait(timeout=60)
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[ProcessGroup, dict[str, str]]]:
    for module in TASK_MODULES:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            pytest.skip(f"the task modules do not import yet: {exc}")
    with ProcessGroup() as group:
        redis = start_redis(group, tmp_path / "redis")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "TOLLWATCH_BROKER_URL": redis.url,
            "TOLLWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.db'}",
        }
        yield group, env


def test_compose_healthcheck_is_the_kubernetes_probe() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    check = compose["services"]["worker-maintenance"]["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL"
    # Compose writes $$ for a literal $.
    assert check[1].replace("$$", "$") == probe_command()[-1]


def test_the_probe_passes_on_a_live_worker_and_fails_without_one(
    stack: tuple[ProcessGroup, dict[str, str]], tmp_path: Path
) -> None:
    group, env = stack
    # Runs while the worker boots: nothing answers to this name, so it must time out.
    nobody = probe("no-such-worker", env)
    worker = [str(BIN / "tollwatch"), "worker", "--queues", "maintenance", "--concurrency", "1"]
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        group.spawn("worker", worker, env=env, stdout=log)
    hostname = socket.gethostname()
    try:
        answered = wait_until(lambda: outcome(probe(hostname, env)) == 0, timeout=90, interval=1)
        assert answered, log_path.read_text(encoding="utf-8")
        # A ready worker says which extractor it runs: this checkout's is the pure one.
        assert wait_until(lambda: "worker.extractor" in log_path.read_text(encoding="utf-8"),
                          timeout=30, interval=0.2)
        line = next(line for line in log_path.read_text(encoding="utf-8").splitlines()
                    if "worker.extractor" in line)
        assert "compiled" in line and "False" in line, line
    finally:
        missing = outcome(nobody)
    assert missing != 0
