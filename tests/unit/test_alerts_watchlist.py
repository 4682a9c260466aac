"""The watchlist format: seeds/watchlist.yaml parses, and bad entries get a clear ConfigError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from test_events_support import PLACES

from workers.alerts import parse_duration, parse_watchlist
from workers.errors import ConfigError
from workers.records import DEFAULT_BANDS, Place, PlaceLevel

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def resolve(name: str, level: PlaceLevel | None, country: str | None) -> Place | None:
    """A tiny gazetteer over the test places: the most general place of that name."""
    for place in reversed(PLACES):
        if place.name == name and level in (None, place.level) and country in (
                None, place.country_code):
            return place
    return None


def entry(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "w", "place": "Idlib", "metric": "killed",
                               "threshold": 5, "window": "72h", "endpoints": ["sink"]}
    base.update(overrides)
    return {"watches": [{k: v for k, v in base.items() if v is not None}]}


def test_seed_watchlist_parses() -> None:
    watches = parse_watchlist(yaml.safe_load((SEEDS / "watchlist.yaml").read_text()), resolve)
    assert len(watches) >= 3
    assert len({w.name for w in watches}) == len(watches)
    assert all(w.endpoints for w in watches)


def test_defaults_and_units() -> None:
    (watch,) = parse_watchlist(entry(level="admin1", country="SY"), resolve)
    assert watch.place_id == "ocha:SY07"
    assert watch.bands == DEFAULT_BANDS
    assert watch.window == timedelta(hours=72)
    assert watch.repeat_interval == timedelta(hours=4)
    assert parse_duration("30m", field="x") == timedelta(minutes=30)
    assert parse_duration("7d", field="x") == timedelta(days=7)


def test_silences_are_aware_instants() -> None:
    doc = entry(silences=[{"until": "2025-01-01T00:00:00Z", "reason": "ceasefire talks"}])
    (watch,) = parse_watchlist(doc, resolve)
    assert watch.silences[0].until == datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("overrides", "words"), [
    ({"metric": "displaced"}, "metric"),
    ({"threshold": 0}, "threshold"),
    ({"window": "3 weeks"}, "window"),
    ({"place": "Atlantis"}, "Atlantis"),
    ({"level": "planet"}, "level"),
    ({"bands": []}, "bands"),
    ({"repeat_interval": "30s"}, "repeat_interval"),
    ({"colour": "red"}, "unknown keys"),
    ({"silences": [{"until": "2025-01-01T00:00:00", "reason": "x"}]}, "time zone"),
])
def test_bad_entries_name_their_field(overrides: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_watchlist(entry(**overrides), resolve)


def test_duplicate_names_are_refused() -> None:
    doc = {"watches": entry()["watches"] * 2}  # type: ignore[operator]
    with pytest.raises(ConfigError, match="unique"):
        parse_watchlist(doc, resolve)
