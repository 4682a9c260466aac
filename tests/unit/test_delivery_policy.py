"""Response classification and the retry schedule: the Standard Webhooks / Svix rules."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from workers.delivery.policy import (
    MAX_RETRY_AFTER,
    RetrySchedule,
    classify,
    next_delay,
    retry_after,
)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, "delivered"),
        (202, "delivered"),
        (204, "delivered"),
        (301, "retry"),
        (302, "retry"),
        (307, "retry"),
        (400, "failed"),
        (401, "failed"),
        (404, "failed"),
        (408, "retry"),
        (410, "disable_endpoint"),
        (413, "failed"),
        (429, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
        (504, "retry"),
    ],
)
def test_status_table(status: int, kind: str) -> None:
    outcome = classify(status, {})
    assert outcome.kind == kind
    assert outcome.final == (kind != "retry")
    assert str(status) in outcome.reason


def test_redirect_reason_says_it_was_not_followed() -> None:
    assert "not followed" in classify(301, {"location": "https://elsewhere.example/"}).reason


def test_429_carries_retry_after_seconds() -> None:
    assert classify(429, {"Retry-After": "120"}).retry_after == 120.0
    assert classify(503, {"retry-after": "7"}).retry_after == 7.0
    assert classify(429, {}).retry_after is None


def test_retry_after_http_date_is_measured_against_date_header() -> None:
    headers = {
        "date": "Wed, 21 Oct 2015 07:28:00 GMT",
        "retry-after": "Wed, 21 Oct 2015 07:30:30 GMT",
    }
    assert retry_after(headers) == 150.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:30:30 GMT"}) is None
    assert retry_after({"retry-after": "soon"}) is None


def test_retry_after_is_capped() -> None:
    assert retry_after({"retry-after": "99999999"}) == MAX_RETRY_AFTER


def test_retry_after_is_ignored_for_successes_and_permanent_failures() -> None:
    assert classify(200, {"retry-after": "5"}).retry_after is None
    assert classify(400, {"retry-after": "5"}).retry_after is None


def test_default_schedule_is_svix() -> None:
    schedule = RetrySchedule()
    seconds = [d.total_seconds() for d in schedule.delays]
    assert seconds == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert schedule.max_attempts == 8


def test_scaled_schedule() -> None:
    fast = RetrySchedule().scaled(0.001)
    assert fast.delays[0] == timedelta(milliseconds=5)
    assert fast.delays[-1] == timedelta(seconds=36)
    with pytest.raises(ValueError, match="positive"):
        RetrySchedule().scaled(0)


def test_full_jitter_stays_within_each_delay() -> None:
    schedule = RetrySchedule()
    rng = random.Random(7)
    for attempt, ceiling in enumerate(schedule.delays, start=1):
        draws = [next_delay(schedule, attempt, retry_after=None, rng=rng) for _ in range(200)]
        assert all(d is not None and timedelta(0) <= d <= ceiling for d in draws)
        assert len(set(draws)) > 150, "jitter spreads retries"
        spread = [d.total_seconds() for d in draws if d is not None]
        assert min(spread) < ceiling.total_seconds() * 0.2
        assert max(spread) > ceiling.total_seconds() * 0.8


def test_jitter_is_reproducible_with_a_seeded_rng() -> None:
    schedule = RetrySchedule()
    first = [next_delay(schedule, a, retry_after=None, rng=random.Random(1)) for a in (1, 2, 3)]
    again = [next_delay(schedule, a, retry_after=None, rng=random.Random(1)) for a in (1, 2, 3)]
    assert first == again


def test_exhausted_attempts_mean_dead_letter() -> None:
    schedule = RetrySchedule()
    rng = random.Random(0)
    assert next_delay(schedule, 7, retry_after=None, rng=rng) is not None
    assert next_delay(schedule, 8, retry_after=None, rng=rng) is None
    with pytest.raises(ValueError, match="start at 1"):
        next_delay(schedule, 0, retry_after=None, rng=rng)


def test_retry_after_is_a_floor_up_to_the_cap() -> None:
    schedule = RetrySchedule()
    rng = random.Random(3)
    # Attempt 1 would wait at most 5 s; the receiver asked for 2 minutes.
    assert next_delay(schedule, 1, retry_after=120.0, rng=rng) == timedelta(seconds=120)
    # A request longer than the cap is held to the cap.
    capped = next_delay(schedule, 1, retry_after=10 * 24 * 3600.0, rng=rng)
    assert capped == schedule.retry_after_cap
    # A short Retry-After never shortens a longer scheduled wait below the draw.
    for _ in range(50):
        delay = next_delay(schedule, 4, retry_after=1.0, rng=rng)
        assert delay is not None
        assert delay >= timedelta(seconds=1)
