"""What a webhook response means (delivered, retry, failed, disable) and when to try again."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from workers.net import parse_retry_after

OutcomeKind = Literal["delivered", "retry", "failed", "disable_endpoint"]

# A receiver may ask for a pause, but not for one longer than this.
MAX_RETRY_AFTER = 24 * 3600.0

_SVIX_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict on one attempt; ``retry_after`` is the receiver's hint in seconds, if any."""

    kind: OutcomeKind
    reason: str = ""
    retry_after: float | None = None

    @property
    def final(self) -> bool:
        """True when no further attempt should be made for this delivery."""
        return self.kind != "retry"


def classify(status: int, headers: Mapping[str, str]) -> Outcome:
    """Map an HTTP status (and its ``Retry-After``) to an outcome, the Standard Webhooks way.

    2xx is the only success; 3xx is a failure to retry (redirects are never followed);
    410 disables the endpoint; 408, 429 and 5xx are retried; any other 4xx is permanent.
    """
    if 200 <= status < 300:
        return Outcome("delivered", f"HTTP {status}")
    if status == 410:
        return Outcome("disable_endpoint", "HTTP 410: the receiver asked to stop sending")
    if 300 <= status < 400:
        return Outcome("retry", f"HTTP {status}: redirects are not followed for webhooks")
    if status in (408, 429) or status >= 500:
        return Outcome("retry", f"HTTP {status}", retry_after(headers))
    if 400 <= status < 500:
        return Outcome("failed", f"HTTP {status}")
    return Outcome("retry", f"HTTP {status}: not a final status")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds asked for by ``Retry-After``, capped at ``MAX_RETRY_AFTER``; None if absent.

    Header names may come in any case; an HTTP-date is measured against the response's ``Date``.
    """
    seconds = parse_retry_after({k.lower(): v for k, v in headers.items()})
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Delays before each retry (the first attempt is immediate), Svix's by default.

    ``retry_after_cap`` bounds how long a receiver's ``Retry-After`` may hold a delivery back.
    """

    delays: tuple[timedelta, ...] = _SVIX_DELAYS
    retry_after_cap: timedelta = field(default=timedelta(hours=6))

    @property
    def max_attempts(self) -> int:
        """The first attempt plus one per delay."""
        return 1 + len(self.delays)

    def scaled(self, factor: float) -> RetrySchedule:
        """The same schedule with every delay multiplied by ``factor`` (demos, tests)."""
        if factor <= 0:
            raise ValueError("a retry schedule can only be scaled by a positive factor")
        return RetrySchedule(
            delays=tuple(d * factor for d in self.delays),
            retry_after_cap=self.retry_after_cap * factor,
        )


def next_delay(
    schedule: RetrySchedule, attempt: int, *, retry_after: float | None, rng: random.Random
) -> timedelta | None:
    """How long to wait after failed attempt number ``attempt`` (1-based); None = dead-letter.

    Full jitter: a uniform draw between zero and the scheduled delay, so that many deliveries
    failing together do not retry together. A ``Retry-After`` is a floor, up to the cap.
    """
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    if attempt > len(schedule.delays):
        return None
    ceiling = schedule.delays[attempt - 1].total_seconds()
    delay = rng.uniform(0.0, ceiling)
    if retry_after is not None and retry_after > 0:
        cap = schedule.retry_after_cap.total_seconds()
        delay = max(delay, min(retry_after, cap))
    return timedelta(seconds=delay)
