"""When to poll a feed next: the feed's TTL, the server's Retry-After and error backoff."""

from __future__ import annotations

from datetime import datetime, timedelta


def next_check(
    now: datetime,
    *,
    ttl_minutes: int | None,
    retry_after: float | None,
    error_count: int,
    min_interval: timedelta,
    max_interval: timedelta,
) -> datetime:
    """The next poll time, miniflux-style: the longest of ``min_interval``, the feed's TTL,
    the server's Retry-After and ``min_interval`` doubled per consecutive error, clamped to
    ``max_interval``.
    """
    if now.tzinfo is None:
        raise ValueError("next_check needs an aware datetime")
    if max_interval < min_interval:
        raise ValueError("max_interval is shorter than min_interval")
    waits = [min_interval]
    if ttl_minutes is not None and ttl_minutes > 0:
        waits.append(timedelta(minutes=min(ttl_minutes, _minutes(max_interval) + 1)))
    if retry_after is not None and retry_after > 0:
        waits.append(timedelta(seconds=min(retry_after, max_interval.total_seconds() + 1)))
    if error_count > 0:
        # Past this exponent the wait is beyond any sensible max_interval anyway.
        waits.append(min_interval * 2 ** min(error_count, 20))
    return now + min(max(waits), max_interval)


def _minutes(interval: timedelta) -> int:
    return int(interval.total_seconds() // 60)
