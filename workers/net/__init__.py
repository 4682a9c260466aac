"""The safe HTTP layer shared by feed polling, article fetching and webhook delivery."""

from workers.net.client import HttpOptions, HttpResponse, request
from workers.net.policy import AddressPolicy
from workers.net.status import classify_status, parse_retry_after
from workers.net.urls import redact_url

__all__ = [
    "AddressPolicy",
    "HttpOptions",
    "HttpResponse",
    "classify_status",
    "parse_retry_after",
    "redact_url",
    "request",
]
