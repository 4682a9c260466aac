"""Watch evaluation: a window total against the watch's state, emitting only state changes.

Bands: the ladder is the threshold followed by every configured band above it, so a watch
with threshold 3 and the default bands climbs 3 -> 5 -> 10 -> 25 -> 50 -> 100. A watch fires
when its best total first reaches the threshold (at the highest rung reached), escalates when
it reaches a higher rung, repeats after ``repeat_interval`` without a change while firing, and
resolves when the total falls below the threshold. The band never steps down while firing.

Silences: a silenced watch still moves its state (and counts the transition in ``seq``), but
nothing is sent and ``last_notified`` stays put. When the silence lifts, a watch that began
firing during it and is still firing sends ``firing`` (its receivers never heard of it); one
that was already announced sends a ``repeat`` once ``repeat_interval`` has passed.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from workers.records import Transition, TransitionKind, Watch, WatchState, WindowTotal


def ladder(watch: Watch) -> tuple[int, ...]:
    """The rungs a watch escalates through: its threshold, then every band above it."""
    return (watch.threshold, *sorted({b for b in watch.bands if b > watch.threshold}))


def band_of(watch: Watch, total: int) -> int:
    """The highest rung ``total`` reaches (0 below the threshold)."""
    return max((rung for rung in ladder(watch) if rung <= total), default=0)


def silenced(watch: Watch, now: datetime) -> bool:
    """True while one of the watch's silences is in force."""
    return any(now < silence.until for silence in watch.silences)


def evaluate(
    watch: Watch, state: WatchState, total: WindowTotal, *, now: datetime
) -> tuple[WatchState, Transition | None]:
    """The next state of ``watch`` and the transition to send, if anything changed.

    An evaluation that changes nothing returns ``state`` itself and no transition.
    """
    kind = _change(watch, state, total, now)
    if kind is None:
        return state, None
    band = 0 if kind == "resolved" else max(band_of(watch, total.best), state.band)
    muted = silenced(watch, now)
    new_state = dataclasses.replace(
        state,
        firing=kind != "resolved",
        band=band,
        total=total.best,
        since=_since(kind, state, now),
        last_notified=state.last_notified if muted else now,
        seq=state.seq + 1,
    )
    if muted:
        return new_state, None
    transition = Transition(watch=watch.name, kind=kind, seq=new_state.seq, at=now, band=band,
                            total=total, previous_total=state.total)
    return new_state, transition


def _since(kind: TransitionKind, state: WatchState, now: datetime) -> datetime | None:
    if kind == "resolved":
        return None
    return now if not state.firing else state.since


def _change(
    watch: Watch, state: WatchState, total: WindowTotal, now: datetime
) -> TransitionKind | None:
    reached = total.best >= watch.threshold
    if not state.firing:
        return "firing" if reached else None
    if not reached:
        return "resolved"
    if band_of(watch, total.best) > state.band:
        return "escalated"
    if silenced(watch, now):
        return None
    if _unannounced(state):
        return "firing"
    last = state.last_notified
    return "repeat" if last is not None and now - last >= watch.repeat_interval else None


def _unannounced(state: WatchState) -> bool:
    """Firing since a silence hid it: nobody has been told yet."""
    return state.last_notified is None or (
        state.since is not None and state.last_notified < state.since
    )
