"""The public, versioned alert payload: a transition becomes the same bytes every time.

The shape follows Standard Webhooks (``{"type", "timestamp", "data"}``); ``data`` is described by
``schema/alert-v1.schema.json``. Everything here depends only on its arguments, so a replayed
transition yields a byte-identical body and the same ``webhook-id``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, cast

from workers.errors import PermanentError
from workers.records import CasualtyMention, Incident, Place, SourceRef, Transition, Watch

SCHEMA_VERSION = 1
EVENT_PREFIX = "casualty.threshold."
MAX_BODY_BYTES = 20_000
_TITLE_CHARS = 300


class PayloadError(PermanentError):
    """A transition holds a value that cannot be written as plain JSON (e.g. a NaN coordinate)."""


@dataclass(frozen=True, slots=True)
class _Limits:
    """How much of each list survives one step of trimming; None keeps everything."""

    incidents: int | None
    sources: int | None
    evidence: int | None
    sentence_chars: int | None


# Tried in order until the body fits; after the last, whole incidents are dropped (least first).
_LADDER: tuple[_Limits, ...] = (
    _Limits(None, None, None, None),
    _Limits(None, 5, 3, 400),
    _Limits(None, 3, 2, 280),
    _Limits(None, 2, 1, 200),
    _Limits(None, 1, 1, 160),
)


def message_id(transition: Transition) -> str:
    """The ``webhook-id`` of a transition: stable across retries, replays and processes.

    The transition's instant is part of it, so a watch whose state is reset (seq starting
    again) never reuses an id that receivers have already seen and would drop.
    """
    key = "\x1f".join((
        transition.watch, transition.kind, str(transition.seq), str(transition.band),
        iso(transition.at),
    ))
    return "msg_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def encode_payload(payload: Mapping[str, object]) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 (non-ASCII kept as is)."""
    try:
        text = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"alert payload is not plain JSON: {exc}") from exc
    return text.encode("utf-8")


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the payload, as shipped with the package."""
    raw = resources.files("workers.delivery.schema").joinpath("alert-v1.schema.json").read_text()
    return cast(dict[str, Any], json.loads(raw))


def build_alert_payload(transition: Transition, watch: Watch, place: Place) -> dict[str, object]:
    """The webhook body for ``transition`` of ``watch`` on ``place``, under ``MAX_BODY_BYTES``.

    Evidence, sources and then incidents are trimmed deterministically when the full payload
    is too large; ``data.truncated`` says how many of each were cut.
    """
    incidents = _ranked(transition.total.incidents, watch)
    for limits in _LADDER:
        payload = _payload(transition, watch, place, incidents, limits)
        if _fits(payload):
            return payload
    return _fewest_cut(transition, watch, place, incidents)


def _fits(payload: Mapping[str, object]) -> bool:
    return len(encode_payload(payload)) <= MAX_BODY_BYTES


def _fewest_cut(
    transition: Transition, watch: Watch, place: Place, incidents: Sequence[Incident]
) -> dict[str, object]:
    """The payload with the most incidents that fits, at the tightest evidence limits."""
    tight = _LADDER[-1]
    low, high = 0, len(incidents)  # low always fits (an empty list is tiny), high never does
    while high - low > 1:
        middle = (low + high) // 2
        if _fits(_payload(transition, watch, place, incidents, replace(tight, incidents=middle))):
            low = middle
        else:
            high = middle
    return _payload(transition, watch, place, incidents, replace(tight, incidents=low))


def _payload(
    transition: Transition,
    watch: Watch,
    place: Place,
    incidents: Sequence[Incident],
    limits: _Limits,
) -> dict[str, object]:
    cut = {"incidents": 0, "sources": 0, "evidence": 0, "sentences": 0}
    kept = _take(incidents, limits.incidents, cut, "incidents")
    data: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "alert_id": message_id(transition),
        "kind": transition.kind,
        "seq": transition.seq,
        "watch": _watch(watch),
        "place": _place(place),
        "window": {
            "start": iso(transition.total.window_start),
            "end": iso(transition.total.window_end),
        },
        "totals": _totals(transition),
        "incident_count": len(incidents),
        "incidents": [_incident(inc, watch, limits, cut) for inc in kept],
        "truncated": cut,
    }
    return {
        "type": EVENT_PREFIX + transition.kind,
        "timestamp": iso(transition.at),
        "data": data,
    }


def iso(instant: datetime) -> str:
    """ISO-8601 in UTC with a ``Z`` suffix; naive datetimes are taken to be UTC already."""
    aware = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
    spec = "seconds" if aware.microsecond == 0 else "microseconds"
    return aware.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _take(items: Sequence[Any], limit: int | None, cut: dict[str, int], name: str) -> list[Any]:
    if limit is None or len(items) <= limit:
        return list(items)
    cut[name] += len(items) - limit
    return list(items[:limit])


def _watch(watch: Watch) -> dict[str, object]:
    return {
        "name": watch.name,
        "metric": watch.metric,
        "group": watch.group,
        "threshold": watch.threshold,
        "window_seconds": int(watch.window.total_seconds()),
        "bands": list(watch.bands),
    }


def _place(place: Place) -> dict[str, object]:
    return {
        "id": place.id,
        "name": place.name,
        "level": place.level,
        "country_code": place.country_code,
        "admin_path": list(place.admin_names),
        "lat": place.lat,
        "lon": place.lon,
    }


def _totals(transition: Transition) -> dict[str, object]:
    total = transition.total
    return {
        "low": total.low,
        "best": total.best,
        "high": total.high,
        "previous_best": transition.previous_total,
        "band": transition.band,
    }


def _ranked(incidents: Sequence[Incident], watch: Watch) -> list[Incident]:
    """Incidents that weigh most on the watched total first, so trimming keeps what matters."""

    def weight(incident: Incident) -> tuple[int, str, str]:
        figure = incident.figure(watch.metric, watch.group)
        best = figure.best if figure is not None else -1
        return (-best, iso(incident.first_reported), incident.id)

    return sorted(incidents, key=weight)


def _incident(
    incident: Incident, watch: Watch, limits: _Limits, cut: dict[str, int]
) -> dict[str, object]:
    sources = sorted(incident.sources, key=lambda s: (_published_key(s), s.url, s.article_id))
    kept = _take(sources, limits.sources, cut, "sources")
    return {
        "id": incident.id,
        "place": {"id": incident.place.id, "name": incident.place.name},
        "event_date": _day(incident.event_date),
        "first_reported": iso(incident.first_reported),
        "period_total": incident.period_total,
        "figures": [
            {"metric": f.metric, "group": f.group, "low": f.low, "best": f.best, "high": f.high}
            for f in incident.figures
        ],
        "sources": [_source(src, watch, limits, cut) for src in kept],
    }


def _published_key(source: SourceRef) -> str:
    # Undated sources sort last: "~" is after every digit.
    return iso(source.published) if source.published is not None else "~"


def _source(
    source: SourceRef, watch: Watch, limits: _Limits, cut: dict[str, int]
) -> dict[str, object]:
    def relevance(mention: CasualtyMention) -> tuple[bool, bool, int]:
        return (mention.metric != watch.metric, mention.group != watch.group, mention.ordinal)

    mentions = _take(sorted(source.mentions, key=relevance), limits.evidence, cut, "evidence")
    return {
        "article_id": source.article_id,
        "url": source.url,
        "title": source.title[:_TITLE_CHARS],
        "published": iso(source.published) if source.published is not None else None,
        "evidence": [_evidence(m, limits, cut) for m in mentions],
    }


def _evidence(mention: CasualtyMention, limits: _Limits, cut: dict[str, int]) -> dict[str, object]:
    sentence = mention.sentence
    if limits.sentence_chars is not None and len(sentence) > limits.sentence_chars:
        sentence = sentence[: limits.sentence_chars - 1] + "…"
        cut["sentences"] += 1
    return {
        "metric": mention.metric,
        "group": mention.group,
        "count": mention.count,
        "qualifier": mention.qualifier,
        "vague": mention.vague,
        "text": mention.text,
        "sentence": sentence,
        "span": [mention.span[0], mention.span[1]],
        "confidence": round(mention.confidence, 4),
        "running_total": mention.running_total,
        "period": mention.period,
    }
