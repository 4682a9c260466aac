"""A group of child processes that is always stopped as a whole: on exit, on error, on Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

_TICK = threading.Event()  # never set: its wait() is an interruptible pause with a deadline


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.05) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; True if it held."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        _TICK.wait(min(interval, max(0.0, deadline - time.monotonic())))


@dataclass
class Child:
    """One started child process."""

    name: str
    popen: subprocess.Popen[bytes]


@dataclass
class ProcessGroup:
    """Starts children in their own sessions and stops every one of them, grandchildren too."""

    children: list[Child] = field(default_factory=list)
    stop_timeout: float = 15.0
    logs: list[IO[bytes]] = field(default_factory=list)

    def spawn(self, name: str, cmd: Sequence[str], *, env: Mapping[str, str] | None = None,
              stdout: int | IO[Any] | None = None, cwd: str | None = None,
              log: Path | None = None) -> Child:
        """Start ``cmd``; its whole process tree is stopped with the group.

        ``log`` appends the child's output to a file the group closes when it stops.
        """
        if log is not None:
            stdout = log.open("ab")
            self.logs.append(stdout)
        popen = subprocess.Popen(  # noqa: S603 - commands are built by us, not from input
            list(cmd), env=dict(env) if env is not None else None, stdout=stdout,
            stderr=subprocess.STDOUT if stdout is not None else None, cwd=cwd,
            start_new_session=True,
        )
        child = Child(name, popen)
        self.children.append(child)
        return child

    def failed(self) -> list[Child]:
        """Children that have exited (a service should not exit while the group runs)."""
        return [c for c in self.children if c.popen.poll() is not None]

    def kill(self, name: str) -> None:
        """SIGKILL a child's whole process tree, as a crash or an OOM kill would, and forget it."""
        for child in [c for c in self.children if c.name == name]:
            _signal(child, signal.SIGKILL)
            child.popen.wait(timeout=10)
            self.children.remove(child)

    def stop(self) -> None:
        """SIGTERM every child's process group (warm shutdown), then SIGKILL what remains."""
        for child in reversed(self.children):
            _signal(child, signal.SIGTERM)
        for child in reversed(self.children):
            try:
                child.popen.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                _signal(child, signal.SIGKILL)
                child.popen.wait(timeout=5)
            _signal(child, signal.SIGKILL)  # stray grandchildren of an exited parent
        self.children.clear()
        for log in self.logs:
            log.close()
        self.logs.clear()

    def __enter__(self) -> ProcessGroup:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _signal(child: Child, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.popen.pid, sig)
