"""The watchlist format (seeds/watchlist.yaml): plain mappings in, validated Watch values out."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast, get_args

from workers.errors import ConfigError
from workers.records import (
    DEFAULT_BANDS,
    METRICS,
    Metric,
    Place,
    PlaceLevel,
    Silence,
    Watch,
)

# Finds a gazetteer place by name, optional level and optional ISO country code (None: no such
# place), e.g. ``lambda n, lvl, cc: gazetteer.resolve(n, level=lvl, country=cc)``.
PlaceResolver = Callable[[str, PlaceLevel | None, str | None], Place | None]

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_KEYS = frozenset({"name", "place", "level", "country", "metric", "group", "threshold", "window",
                   "bands", "repeat_interval", "endpoints", "silences"})
DEFAULT_REPEAT = timedelta(hours=4)
MIN_REPEAT = timedelta(minutes=5)


def parse_duration(text: object, *, field: str) -> timedelta:
    """ "72h" -> 72 hours; units s, m, h, d; a positive whole number is required."""
    match = _DURATION.match(str(text))
    if match is None or int(match.group(1)) <= 0:
        raise ConfigError(f"{field}: expected a duration like 30m, 72h or 7d, got {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_watchlist(
    document: object, resolve: PlaceResolver, *, source: str = "watchlist.yaml"
) -> tuple[Watch, ...]:
    """Every watch of a parsed watchlist document, ``{"watches": [...]}``, in file order."""
    if not isinstance(document, Mapping) or not isinstance(document.get("watches"), list):
        raise ConfigError(f"{source}: expected a mapping with a 'watches' list")
    watches = tuple(
        parse_watch(entry, resolve, where=f"{source}: watches[{i}]")
        for i, entry in enumerate(document["watches"])
    )
    names = [w.name for w in watches]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{source}: watch names must be unique: {', '.join(duplicates)}")
    return watches


def parse_watch(entry: object, resolve: PlaceResolver, *, where: str) -> Watch:
    """One watch entry; ``where`` prefixes every error message."""
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}")
    data = cast(Mapping[str, Any], entry)
    threshold = _positive_int(data.get("threshold"), f"{where}.threshold")
    return Watch(
        name=_text(data.get("name"), f"{where}.name"),
        place_id=_place(data, resolve, where).id,
        metric=_metric(data.get("metric"), f"{where}.metric"),
        threshold=threshold,
        window=parse_duration(data.get("window"), field=f"{where}.window"),
        group=_optional_text(data.get("group"), f"{where}.group"),
        bands=_bands(data.get("bands"), f"{where}.bands"),
        repeat_interval=_repeat(data.get("repeat_interval"), f"{where}.repeat_interval"),
        endpoints=tuple(_text(e, f"{where}.endpoints") for e in _list(data, "endpoints", where)),
        silences=tuple(_silence(s, f"{where}.silences") for s in _list(data, "silences", where)),
    )


def _place(data: Mapping[str, Any], resolve: PlaceResolver, where: str) -> Place:
    name = _text(data.get("place"), f"{where}.place")
    level = data.get("level")
    if level is not None and level not in get_args(PlaceLevel):
        raise ConfigError(f"{where}.level: expected one of {get_args(PlaceLevel)}, got {level!r}")
    country = _optional_text(data.get("country"), f"{where}.country")
    place = resolve(name, cast(PlaceLevel | None, level), country)
    if place is None:
        raise ConfigError(f"{where}.place: no gazetteer place named {name!r}")
    return place


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{field}: expected a non-empty string, got {value!r}")
    return value.strip()


def _optional_text(value: object, field: str) -> str | None:
    return None if value is None else _text(value, field)


def _positive_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{field}: expected a whole number of at least 1, got {value!r}")
    return value


def _metric(value: object, field: str) -> Metric:
    for metric in METRICS:
        if value == metric:
            return metric
    raise ConfigError(f"{field}: expected one of {METRICS}, got {value!r}")


def _bands(value: object, field: str) -> tuple[int, ...]:
    if value is None:
        return DEFAULT_BANDS
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{field}: expected a non-empty list of whole numbers")
    return tuple(sorted({_positive_int(v, field) for v in value}))


def _repeat(value: object, field: str) -> timedelta:
    interval = DEFAULT_REPEAT if value is None else parse_duration(value, field=field)
    if interval < MIN_REPEAT:
        raise ConfigError(f"{field}: at least {MIN_REPEAT}, so a long crisis cannot flood a "
                          f"receiver; got {value!r}")
    return interval


def _list(data: Mapping[str, Any], key: str, where: str) -> Sequence[object]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{where}.{key}: expected a list, got {value!r}")
    return value


def _silence(value: object, field: str) -> Silence:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{field}: expected a mapping with 'until' and 'reason'")
    until = value.get("until")
    if isinstance(until, str):
        try:
            until = datetime.fromisoformat(until)
        except ValueError as exc:
            raise ConfigError(f"{field}.until: not an ISO date-time: {until!r}") from exc
    if not isinstance(until, datetime) or until.tzinfo is None:
        raise ConfigError(f"{field}.until: expected a date-time with a time zone, got {until!r}")
    reason = _text(value.get("reason"), f"{field}.reason")
    return Silence(until=until.astimezone(UTC), reason=reason)
