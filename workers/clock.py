"""Time as an injected dependency: the system clock for workers, virtual clocks for replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can say what time it is (always timezone-aware UTC)."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """Return the wall-clock time in UTC."""
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told to: replays and tests drive it explicitly."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("VirtualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the virtual instant."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta`` (never backwards)."""
        if delta < timedelta(0):
            raise ValueError("a clock never goes backwards")
        self._now += delta

    def set(self, instant: datetime) -> None:
        """Jump to ``instant`` if it is later than now; earlier instants are ignored."""
        instant = instant.astimezone(UTC)
        self._now = max(instant, self._now)
