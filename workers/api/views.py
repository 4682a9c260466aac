"""The JSON views of /api/v1: query-parameter validation, rows to JSON, secrets redacted."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import Connection

from workers import codec
from workers.api import queries
from workers.errors import PermanentError
from workers.net import redact_url

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_DIGITS = re.compile(r"[0-9]{1,9}")
_STAGE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# Any URL inside free text (error messages quote the URL they failed on).
_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")


class BadRequest(PermanentError):  # noqa: N818 - named for the HTTP status it maps to
    """A query parameter is unknown, repeated or invalid; the message says which and why."""


Params = dict[str, Any]
View = Callable[[Connection, Params], dict[str, Any]]


def parse_params(query: str, parsers: Mapping[str, Callable[[str], Any]]) -> Params:
    """Validate a query string against the parameters a view accepts."""
    try:
        raw = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise BadRequest(f"malformed query string: {exc}") from exc
    unknown = sorted(set(raw) - set(parsers))
    if unknown:
        accepted = ", ".join(sorted(parsers)) or "none"
        raise BadRequest(f"unknown parameter {unknown[0]!r} (accepted: {accepted})")
    params: Params = {}
    for name, values in raw.items():
        if len(values) != 1:
            raise BadRequest(f"parameter {name!r} is given {len(values)} times")
        params[name] = parsers[name](values[0])
    return params


def limit(text: str) -> int:
    """``limit``: a whole number from 1, capped at :data:`MAX_LIMIT`."""
    if not _DIGITS.fullmatch(text) or int(text) < 1:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {text!r}")
    return min(int(text), MAX_LIMIT)


def delivery_status(text: str) -> str:
    """``status``: one of the outbox statuses."""
    if text not in queries.DELIVERY_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(queries.DELIVERY_STATUSES)}, "
                         f"not {text!r}")
    return text


def stage(text: str) -> str:
    """``stage``: a pipeline stage name such as poll, fetch or process."""
    if not _STAGE.fullmatch(text):
        raise BadRequest(f"stage must be a lower-case name such as "
                         f"{', '.join(queries.ERROR_STAGES)}, not {text!r}")
    return text


def redact_text(text: str | None) -> str | None:
    """``text`` with every URL in it stripped of credentials and secret-looking parameters."""
    if text is None:
        return None
    return _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)


def watches_view(conn: Connection, _params: Params) -> dict[str, Any]:
    """Every watch with its state and the checkpoint it was evaluated through."""
    return {"watches": [
        {**codec.to_data(v.watch), "state": codec.to_data(v.state),
         "evaluated_through": codec.to_data(v.evaluated_through)}
        for v in queries.watch_views(conn)
    ]}


def incidents_view(conn: Connection, params: Params) -> dict[str, Any]:
    """The latest fused incidents with their figures, sources and evidence."""
    found = queries.latest_incidents(conn, limit=params.get("limit", DEFAULT_LIMIT))
    return {"incidents": codec.to_data(found)}


def deliveries_view(conn: Connection, params: Params) -> dict[str, Any]:
    """The outbox, newest first; endpoint URLs and errors redacted of credentials."""
    rows = queries.latest_deliveries(conn, status=params.get("status"),
                                     limit=params.get("limit", DEFAULT_LIMIT))
    for row in rows:
        row["endpoint_url"] = redact_url(row["endpoint_url"])
        row["last_error"] = redact_text(row["last_error"])
    return {"deliveries": codec.to_data(rows)}


def errors_view(conn: Connection, params: Params) -> dict[str, Any]:
    """Recorded errors, newest first; URLs in them redacted of credentials."""
    rows = queries.latest_errors(conn, stage=params.get("stage"),
                                 limit=params.get("limit", DEFAULT_LIMIT))
    for row in rows:
        row["subject"] = redact_text(row["subject"])
        row["message"] = redact_text(row["message"])
    return {"errors": codec.to_data(rows)}


# path -> (view, the query parameters it accepts)
ROUTES: dict[str, tuple[View, dict[str, Callable[[str], Any]]]] = {
    "/api/v1/watches": (watches_view, {}),
    "/api/v1/incidents": (incidents_view, {"limit": limit}),
    "/api/v1/deliveries": (deliveries_view, {"status": delivery_status, "limit": limit}),
    "/api/v1/errors": (errors_view, {"stage": stage, "limit": limit}),
}
