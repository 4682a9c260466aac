"""The database is the record: a crashed worker and an emptied broker lose no alert."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from workers.admin import build_watch
from workers.config import load_seed_config
from workers.extract import load_gazetteer
from workers.local.demo import local_stack, read_progress, spawn_worker, wait_drained
from workers.local.processes import wait_until
from workers.pipeline import timeline

pytestmark = pytest.mark.integration
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

FAST_RECOVERY = {
    "TOLLWATCH_REDRIVE_AFTER": "3s",  # re-enqueue articles whose message was lost
    "TOLLWATCH_EVALUATE_TICK": "2s",  # and wake the alerts even if their wake-up was lost
    "TOLLWATCH_DELIVER_TIME_LIMIT": "10",  # a delivery claimed by the dead worker frees up
}


def _flushall(broker_url: str) -> None:
    port = int(broker_url.rsplit(":", 1)[1].split("/", maxsplit=1)[0])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"FLUSHALL\r\n")
        assert sock.recv(16).startswith(b"+OK")


def test_killed_worker_and_flushed_broker_still_deliver_every_alert(tmp_path: Path) -> None:
    with local_stack(SEEDS, tmp_path / "run", interval=0.0, echo=lambda _: None,
                     extra_env=FAST_RECOVERY) as stack:
        # Let the feed be read, then crash the worker mid-pipeline and lose the broker's state
        # (queued, reserved and unacknowledged messages alike), as a Redis restart without
        # persistence would.
        assert wait_until(lambda: read_progress(stack.database_url).entries >= 5, timeout=60)
        stack.group.kill("worker")
        _flushall(stack.broker_url)
        lost = read_progress(stack.database_url)
        # Articles were still in flight: their messages are gone with the broker's state.
        assert lost.in_flight > 0
        spawn_worker(stack)
        assert wait_drained(stack, timeout=240, echo=lambda _: None), "did not recover"
        received = sorted(a.webhook_id for a in stack.sink.received)
        base_url = stack.replay.url
    gazetteer = load_gazetteer()
    watches = [build_watch(spec, gazetteer) for spec in load_seed_config(SEEDS).watches]
    expected = sorted(m.msg_id for m in timeline(SEEDS, watches, gazetteer,
                                                 base_url=base_url))
    assert received == expected
