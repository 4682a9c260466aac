"""One exception tree for the pipeline: what to retry, what to record and drop.

    PipelineError
    ├── TransientError            retry with bounded backoff (network blips, 5xx, 429, DB busy)
    │   └── TransientFetchError
    └── PermanentError            record on the item, never retry (bad input, 4xx, policy)
        ├── PermanentFetchError
        │   ├── BlockedAddressError   the SSRF guard refused the resolved address
        │   └── TooLargeError         the decoded body went over its cap
        ├── FeedParseError        malformed feed, or one that declares XML entities
        ├── CleanError            no article text could be found
        └── ConfigError           a seeds/*.yaml file or a setting is invalid

Stage code raises these; only ``workers.tasks`` decides what a retry means.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline knows how to handle."""


class TransientError(PipelineError):
    """A failure that may succeed later; ``retry_after`` is a hint in seconds, if known."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(PipelineError):
    """A failure that will not change on retry: record it and move on."""


class TransientFetchError(TransientError):
    """Connect or read timeout, connection reset, 5xx, 429."""


class PermanentFetchError(PermanentError):
    """4xx (other than 408/429), bad URL, wrong content type, redirect loop."""


class BlockedAddressError(PermanentFetchError):
    """The host resolved to a loopback, private, link-local or metadata address."""


class TooLargeError(PermanentFetchError):
    """The decoded body exceeded the configured byte cap."""


class FeedParseError(PermanentError):
    """The feed could not be parsed, or declared XML entities (refused before parsing)."""


class CleanError(PermanentError):
    """No main text could be extracted from the page."""


class ConfigError(PermanentError):
    """A configuration file or setting is invalid; the message names the file and field."""
