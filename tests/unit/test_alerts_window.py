"""Window totals: places inside the watched one count, old and period incidents do not."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from test_events_support import (
    DARAT_IZZA,
    DEC_1,
    IDLIB_GOV,
    SARMIN,
    Article,
    Fig,
    at,
    killed,
    same_strikes_reports,
)

from workers.alerts import window_total
from workers.events import fuse
from workers.records import Watch

WATCH = Watch(name="idlib-killed", place_id=IDLIB_GOV.id, metric="killed", threshold=5,
              window=timedelta(hours=72))


def test_a_governorate_watch_covers_its_towns_only() -> None:
    incidents = fuse([
        Article("https://a.example/1", at(1), [killed(3, SARMIN)]).report(),
        Article("https://b.example/2", at(1), [killed(4, DARAT_IZZA)]).report(),
        Article("https://c.example/3", at(1), [killed(2, IDLIB_GOV)]).report(),
    ])
    result = window_total(WATCH, incidents, now=at(2))
    assert (result.low, result.best, result.high) == (5, 5, 5)
    assert {i.place.name for i in result.incidents} == {"Sarmin", "Idlib"}


def test_period_totals_are_never_summed() -> None:
    result = window_total(WATCH, fuse(same_strikes_reports()), now=at(3))
    assert (result.low, result.best, result.high) == (25, 25, 27)
    assert len(result.incidents) == 1


def test_window_is_open_at_the_start_and_closed_at_the_end() -> None:
    incidents = fuse([Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report()])
    assert window_total(WATCH, incidents, now=at(1)).best == 6
    assert window_total(WATCH, incidents, now=at(4) - timedelta(seconds=1)).best == 6
    assert window_total(WATCH, incidents, now=at(4)).best == 0
    assert window_total(WATCH, incidents, now=at(1) - timedelta(seconds=1)).best == 0


def test_an_incident_stays_in_the_window_while_it_is_reported() -> None:
    incidents = fuse([
        Article("https://a.example/1", at(1), [killed(6, SARMIN, event_date=DEC_1)]).report(),
        Article("https://b.example/2", at(3), [killed(6, SARMIN, event_date=DEC_1)]).report(),
    ])
    assert len(incidents) == 1
    assert window_total(WATCH, incidents, now=at(5)).best == 6


def test_group_watch_sums_only_that_group() -> None:
    children = dataclasses.replace(WATCH, group="children")
    article = Article("https://a.example/1", at(1), [
        killed(9, SARMIN),
        Fig("Four children were among them.", "Four children", 4, group="children",
            subset_of=0, place=None),
    ])
    result = window_total(children, fuse([article.report()]), now=at(2))
    assert result.best == 4
