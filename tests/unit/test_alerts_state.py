"""Watch evaluation: firing, escalation, repeat, resolution, silences; nothing without a change."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from test_events_support import at

from workers.alerts import band_of, evaluate, ladder
from workers.records import Silence, Watch, WatchState, WindowTotal

WATCH = Watch(name="idlib-killed", place_id="ocha:SY07", metric="killed", threshold=5,
              window=timedelta(hours=72), repeat_interval=timedelta(hours=24))


def total(best: int, now_day: int = 1) -> WindowTotal:
    now = at(now_day)
    return WindowTotal(low=best, best=best, high=best, window_start=now - WATCH.window,
                       window_end=now)


def run(watch: Watch, steps: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Evaluate (hour, best) steps in order; return (kind, band, seq) of each transition."""
    state = WatchState(watch=watch.name)
    out: list[tuple[str, int, int]] = []
    for hour, best in steps:
        now = at(1) + timedelta(hours=hour)
        state, transition = evaluate(watch, state, total(best), now=now)
        if transition is not None:
            out.append((transition.kind, transition.band, transition.seq))
    return out


def test_ladder_starts_at_the_threshold() -> None:
    assert ladder(WATCH) == (5, 10, 25, 50, 100)
    assert ladder(dataclasses.replace(WATCH, threshold=3)) == (3, 5, 10, 25, 50, 100)
    assert ladder(dataclasses.replace(WATCH, threshold=7)) == (7, 10, 25, 50, 100)
    assert band_of(WATCH, 4) == 0
    assert band_of(WATCH, 12) == 10
    assert band_of(WATCH, 500) == 100


def test_fires_at_the_threshold_with_the_highest_band_reached() -> None:
    assert run(WATCH, [(0, 4), (1, 12)]) == [("firing", 10, 1)]


def test_escalates_only_when_a_higher_band_is_reached() -> None:
    steps = [(0, 6), (1, 8), (2, 11), (3, 9), (4, 30)]
    assert run(WATCH, steps) == [("firing", 5, 1), ("escalated", 10, 2), ("escalated", 25, 3)]


def test_repeats_after_the_interval_while_unchanged() -> None:
    steps = [(0, 6), (23, 6), (24, 7), (30, 7), (48, 7)]
    assert run(WATCH, steps) == [("firing", 5, 1), ("repeat", 5, 2), ("repeat", 5, 3)]


def test_resolves_when_the_window_no_longer_holds_enough() -> None:
    steps = [(0, 30), (5, 4), (6, 0), (7, 6)]
    assert run(WATCH, steps) == [("firing", 25, 1), ("resolved", 0, 2), ("firing", 5, 3)]


def test_nothing_changes_returns_the_same_state_and_no_transition() -> None:
    state = WatchState(watch=WATCH.name, firing=True, band=10, total=12, since=at(1),
                       last_notified=at(1), seq=1)
    same, transition = evaluate(WATCH, state, total(13), now=at(1) + timedelta(hours=2))
    assert transition is None
    assert same is state


def test_transition_carries_the_previous_total_and_window() -> None:
    state, first = evaluate(WATCH, WatchState(watch=WATCH.name), total(6), now=at(1))
    _, second = evaluate(WATCH, state, total(26), now=at(2))
    assert first is not None and second is not None
    assert (second.kind, second.previous_total, second.total.best) == ("escalated", 6, 26)
    assert second.at == at(2)


def test_silence_moves_the_state_but_sends_nothing_then_fires_once_lifted() -> None:
    muted = dataclasses.replace(WATCH, silences=(Silence(until=at(2), reason="known event"),))
    state = WatchState(watch=WATCH.name)
    state, sent = evaluate(muted, state, total(12), now=at(1))
    assert sent is None
    assert (state.firing, state.band, state.seq, state.last_notified) == (True, 10, 1, None)
    state, sent = evaluate(muted, state, total(12), now=at(1, 18))
    assert sent is None
    state, sent = evaluate(muted, state, total(12), now=at(2))
    assert sent is not None
    assert (sent.kind, sent.band, sent.seq) == ("firing", 10, 2)
    assert state.since == at(1)
    _, again = evaluate(muted, state, total(12), now=at(2, 18))
    assert again is None


# --- properties ------------------------------------------------------------------------------

steps = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 120)), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(steps, st.sampled_from([1, 3, 5, 20]))
def test_no_alert_without_a_state_change(deltas: list[tuple[int, int]], threshold: int) -> None:
    watch = dataclasses.replace(WATCH, threshold=threshold)
    state = WatchState(watch=watch.name)
    now = at(1)
    for hours, best in deltas:
        now += timedelta(hours=hours)
        new, transition = evaluate(watch, state, total(best), now=now)
        if transition is None:
            assert new == state
            continue
        assert transition.seq == new.seq == state.seq + 1
        changed = (new.firing, new.band) != (state.firing, state.band)
        assert changed or transition.kind == "repeat"
        if transition.kind == "repeat":
            assert state.last_notified is not None
            assert now - state.last_notified >= watch.repeat_interval
        assert new.firing == (best >= threshold)
        state = new
