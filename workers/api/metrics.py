"""The Prometheus text exposition format (version 0.0.4) of a storage snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workers.api.queries import Snapshot

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Family:
    """One metric: its name, type, help text and samples (labels, value)."""

    name: str
    type: str  # "gauge" or "counter"
    help: str
    samples: tuple[tuple[Labels, float], ...]


def families(snap: Snapshot) -> list[Family]:
    """Every metric the API exports, from one snapshot."""
    found = [
        _by("tollwatch_articles", "gauge", "Articles by processing status.",
            "status", snap.articles),
        _by("tollwatch_feed_errors", "gauge",
            "Consecutive failed polls of a feed (0 after a successful poll).",
            "feed", snap.feed_errors),
        Family("tollwatch_feed_errors_all", "gauge",
               "Consecutive failed polls summed over every feed.",
               (((), sum(snap.feed_errors.values())),)),
        _by("tollwatch_deliveries", "gauge", "Webhook deliveries in the outbox by status.",
            "status", snap.deliveries),
        Family("tollwatch_deliveries_dead", "gauge",
               "Dead-lettered deliveries (see `tollwatch deliveries --status dead`).",
               (((), snap.deliveries.get("dead", 0)),)),
        _by("tollwatch_errors_total", "counter", "Recorded errors by pipeline stage.",
            "stage", snap.errors),
        Family("tollwatch_incidents", "gauge", "Fused incidents as of the last evaluation.",
               (((), snap.incidents),)),
        *_watch_families(snap),
    ]
    if snap.watermark is not None:
        found.append(Family(
            "tollwatch_watermark_timestamp_seconds", "gauge",
            "Event-time watermark: the latest publication time with nothing earlier in flight.",
            (((), snap.watermark.timestamp()),)))
    return found


def _by(name: str, kind: str, text: str, label: str, values: Mapping[str, float]) -> Family:
    samples = tuple((((label, key),), value) for key, value in sorted(values.items()))
    return Family(name, kind, text, samples)


def _watch_families(snap: Snapshot) -> list[Family]:
    def per_watch(pick: str) -> tuple[tuple[Labels, float], ...]:
        return tuple(
            ((("watch", v.watch.name), ("metric", v.watch.metric)),
             float(getattr(v.state, pick)))
            for v in snap.watches
        )

    return [
        Family("tollwatch_watch_firing", "gauge",
               "1 while a watch is firing, else 0.", per_watch("firing")),
        Family("tollwatch_watch_total", "gauge",
               "A watch's best-estimate casualty total in its window at the last evaluation.",
               per_watch("total")),
        Family("tollwatch_watch_band", "gauge",
               "The highest band a firing watch has reached (0 below every band).",
               per_watch("band")),
    ]


def render(found: Iterable[Family]) -> str:
    """The exposition text: ``# HELP``, ``# TYPE``, then one line per sample."""
    lines: list[str] = []
    for family in found:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.type}")
        lines.extend(f"{family.name}{_labels(labels)} {_number(value)}"
                     for labels, value in family.samples)
    return "\n".join(lines) + "\n"


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{key}="{_escape_value(value)}"' for key, value in labels) + "}"


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _escape_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
