"""What an HTTP status means for the pipeline: success, retry later, or give up."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from workers.errors import PermanentFetchError, TransientFetchError
from workers.net.client import HttpResponse
from workers.net.urls import redact_url

_RETRYABLE = frozenset({408, 425, 429})


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or HTTP-date), if usable.

    A date is measured against the response's own ``Date`` header, the server's clock, so no
    local clock is read; without a ``Date`` header a date-form value gives None.
    """
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    sent = headers.get("date", "").strip()
    try:
        until = parsedate_to_datetime(value)
        now = parsedate_to_datetime(sent) if sent else None
    except (TypeError, ValueError, IndexError):
        return None
    if now is None or until.tzinfo is None or now.tzinfo is None:
        return None
    return max(0.0, (until - now).total_seconds())


def classify_status(response: HttpResponse) -> None:
    """Return for 2xx and 304; raise ``TransientFetchError`` or ``PermanentFetchError`` otherwise.

    408, 425, 429 and 5xx are worth retrying (with the server's ``Retry-After`` hint); other
    4xx and any 3xx that reached the caller (not followed, or redirects disabled) are not.
    """
    status = response.status
    if 200 <= status < 300 or status == 304:
        return
    shown = redact_url(response.url)
    if status in _RETRYABLE or 500 <= status < 600:
        raise TransientFetchError(
            f"HTTP {status} from {shown}", retry_after=parse_retry_after(response.headers)
        )
    if 300 <= status < 400:
        raise PermanentFetchError(f"HTTP {status} redirect from {shown} was not followed")
    raise PermanentFetchError(f"HTTP {status} from {shown}")
