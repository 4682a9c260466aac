"""One webhook POST and its recorded result; never follows redirects, never raises on failure."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from workers.delivery.policy import Outcome, classify
from workers.errors import PermanentError, TransientError
from workers.net import HttpOptions, redact_url, request

EXCERPT_BYTES = 1024
CONTENT_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """What one attempt did: its outcome, the status if a response came, and what to show.

    ``error`` never contains the endpoint's credentials; ``response_excerpt`` holds at most
    ``EXCERPT_BYTES`` of the receiver's answer, for the endpoint's owner only.
    """

    outcome: Outcome
    status: int | None
    error: str | None
    duration_ms: int
    response_excerpt: str = ""


def deliver_once(
    url: str, *, body: bytes, headers: Mapping[str, str], options: HttpOptions
) -> AttemptResult:
    """POST ``body`` to ``url`` once and classify the answer.

    Transport failures are results too: a transient one (timeout, refused connection) is a
    retry; a permanent one (an address the policy blocks, a malformed URL) fails the delivery
    without sending anything.
    """
    sent = {**headers, "content-type": CONTENT_TYPE}
    started = time.perf_counter()
    try:
        response = request(
            "POST", url, options=options, headers=sent, body=body, follow_redirects=False
        )
    except TransientError as exc:
        outcome = Outcome("retry", _describe(exc, url), exc.retry_after)
        return AttemptResult(outcome, None, outcome.reason, _elapsed_ms(started))
    except PermanentError as exc:
        outcome = Outcome("failed", _describe(exc, url))
        return AttemptResult(outcome, None, outcome.reason, _elapsed_ms(started))
    outcome = classify(response.status, response.headers)
    error = None if outcome.kind == "delivered" else outcome.reason
    return AttemptResult(
        outcome, response.status, error, _elapsed_ms(started), _excerpt(response.body)
    )


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _describe(exc: BaseException, url: str) -> str:
    # Error messages may quote the URL, and webhook URLs often carry tokens.
    text = f"{type(exc).__name__}: {exc}"
    return text.replace(url, redact_url(url)) if url else text


def _excerpt(body: bytes) -> str:
    return body[:EXCERPT_BYTES].decode("utf-8", errors="ignore")
