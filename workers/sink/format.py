"""One or two human-readable lines for an alert payload, for the sink's console."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def format_alert(payload: Mapping[str, object]) -> str:
    """Summarise an alert: kind, watch, place, totals, band, then the first source URL.

    Tolerates missing or oddly typed fields (the sink shows what arrived, whatever it is).
    """
    data = _map(payload.get("data"))
    watch, place, totals = (
        _map(data.get("watch")),
        _map(data.get("place")),
        _map(data.get("totals")),
    )
    kind = str(data.get("kind") or str(payload.get("type", "?")).rsplit(".", 1)[-1]).upper()
    metric = str(watch.get("metric", "?"))
    if watch.get("group"):
        metric = f"{watch['group']} {metric}"
    where = str(place.get("name", "?"))
    path = [str(p) for p in _list(place.get("admin_path"))]
    if path:
        where += f" ({', '.join(reversed(path))})"
    line = (
        f"{kind} {watch.get('name', '?')}: {where}: {metric} "
        f"best {totals.get('best', '?')} (low {totals.get('low', '?')}, "
        f"high {totals.get('high', '?')}), band {totals.get('band', '?')}"
    )
    url = _first_source_url(data)
    return f"{line}\n  source: {url}" if url else line


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _first_source_url(data: Mapping[str, Any]) -> str | None:
    for incident in _list(data.get("incidents")):
        for source in _list(_map(incident).get("sources")):
            url = _map(source).get("url")
            if url:
                return str(url)
    return None
