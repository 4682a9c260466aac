"""The golden timeline of the seeds: what the five seed articles must make the watchlist say.

Regenerate after an intended change to extraction, fusion, alerting or the payload, then read
the diff before committing it:

    .venv/bin/tollwatch timeline seeds/ > tests/golden/seeds-timeline.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from workers.admin import build_watch
from workers.alerts import window_total
from workers.config import load_seed_config
from workers.delivery.payload import load_schema
from workers.events import fuse
from workers.extract import Gazetteer, load_gazetteer
from workers.pipeline import clean_item, folder_reports, timeline, timeline_lines
from workers.records import Watch
from workers.replay import load_items

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "seeds-timeline.jsonl"
REGENERATE = ".venv/bin/tollwatch timeline seeds/ > tests/golden/seeds-timeline.jsonl"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def watches(gazetteer: Gazetteer) -> list[Watch]:
    # The same loader as `tollwatch timeline`, so the file pins what the CLI prints.
    config = load_seed_config(SEEDS, {})
    return [build_watch(spec, gazetteer) for spec in config.watches]


@pytest.fixture(scope="module")
def lines(gazetteer: Gazetteer, watches: list[Watch]) -> list[str]:
    return timeline_lines(timeline(SEEDS, watches, gazetteer))


@pytest.fixture(scope="module")
def alerts(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


def _summary(alert: dict[str, Any]) -> tuple[str, str, str, int, int]:
    data = alert["payload"]["data"]
    return (alert["at"], data["watch"]["name"], data["kind"], data["totals"]["band"],
            data["totals"]["best"])


def test_timeline_matches_the_golden_file(lines: list[str]) -> None:
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert lines == expected, f"timeline changed; if intended, regenerate: {REGENERATE}"


def test_timeline_is_byte_identical_from_run_to_run(
    lines: list[str], gazetteer: Gazetteer, watches: list[Watch]
) -> None:
    assert timeline_lines(timeline(SEEDS, watches, gazetteer)) == lines


def test_the_seed_watchlist_resolves_in_the_gazetteer(watches: list[Watch]) -> None:
    assert [w.name for w in watches] == [
        "idlib-killed", "idlib-injured", "idlib-children-killed", "damascus-killed"]
    assert {w.place_id for w in watches} == {"ocha:SY07", "ocha:SY01"}


def test_the_expected_firings_and_escalations_and_nothing_else(
    alerts: list[dict[str, Any]],
) -> None:
    assert [_summary(a) for a in alerts] == [
        # 4 killed in central Idlib on Saturday evening (Dec. 30, 2023): over the threshold of 3.
        ("2023-12-31T09:00:00Z", "idlib-killed", "firing", 3, 4),
        # A separate bombing two days later, its toll risen to 8 (42 injured): 4 + 8 = 12.
        ("2024-01-02T10:00:00Z", "idlib-injured", "firing", 50, 59),
        ("2024-01-02T10:00:00Z", "idlib-killed", "escalated", 10, 12),
        # 72 hours after the last report the window is empty.
        ("2024-01-05T10:00:00Z", "idlib-injured", "resolved", 0, 0),
        ("2024-01-05T10:00:00Z", "idlib-killed", "resolved", 0, 0),
        # The Dec. 1, 2024 strikes: at least 25 killed, ten of them children.
        ("2024-12-02T06:30:00Z", "idlib-children-killed", "firing", 10, 10),
        ("2024-12-02T06:30:00Z", "idlib-killed", "firing", 25, 25),
        # The second report of the same strikes (14:00) changes no total, so sends nothing;
        # the virtual clock stops at that last publication.
    ]


def test_the_two_reports_of_the_dec_1_strikes_are_one_incident(
    gazetteer: Gazetteer, watches: list[Watch]
) -> None:
    reports = folder_reports(SEEDS, gazetteer)
    last = max(r.published for r in reports)
    idlib = next(w for w in watches if w.name == "idlib-killed")
    total = window_total(idlib, fuse(reports), now=last)
    assert (total.low, total.best, total.high) == (25, 25, 25)
    (incident,) = total.incidents
    files = sorted(s.url.rsplit("/", 1)[1] for s in incident.sources)
    assert files == ["003_b2ebc59b604b16bf.html", "004_4c8a80b8f004b794.html"]
    # "56 killed since Nov. 27", in both reports, is one period total, never added in.
    periods = [i for i in fuse(reports) if i.period_total and i.first_reported.year == 2024]
    assert {f.best for i in periods for f in i.figures if not f.group} == {56}


def test_period_totals_stay_apart(alerts: list[dict[str, Any]]) -> None:
    for alert in alerts:
        data = alert["payload"]["data"]
        assert all(not i["period_total"] for i in data["incidents"])
        # "56 killed since Nov. 27" and "nearly 50 in the past ten days" are never summed.
        if data["watch"]["metric"] == "killed":
            assert data["totals"]["high"] < 50


def test_a_watch_that_must_stay_silent_is_silent(alerts: list[dict[str, Any]]) -> None:
    assert "damascus-killed" not in {a["payload"]["data"]["watch"]["name"] for a in alerts}


def test_every_alert_is_a_state_change(alerts: list[dict[str, Any]]) -> None:
    seqs: dict[str, int] = {}
    for alert in alerts:
        data = alert["payload"]["data"]
        name = data["watch"]["name"]
        assert data["seq"] == seqs.get(name, 0) + 1
        seqs[name] = data["seq"]
    assert len({a["webhook_id"] for a in alerts}) == len(alerts)


def test_every_figure_is_backed_by_evidence_in_the_source_text(
    alerts: list[dict[str, Any]],
) -> None:
    # Sources are the replay's pages (articles/<stem>.html), as the workers fetch them.
    documents = {f"{i.stem}.html": clean_item(i).document for i in load_items(SEEDS)}
    checked = 0
    for alert in alerts:
        for incident in alert["payload"]["data"]["incidents"]:
            counts = set()
            for source in incident["sources"]:
                document = documents[source["url"].rsplit("/", 1)[1]]
                for evidence in source["evidence"]:
                    start, end = evidence["span"]
                    assert document[start:end] == evidence["text"]
                    assert evidence["text"] in document
                    counts.add((evidence["metric"], evidence["count"]))
                    checked += 1
            for figure in incident["figures"]:
                assert (figure["metric"], figure["best"]) in counts
    assert checked > 0


def test_every_payload_meets_the_published_schema(alerts: list[dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    for alert in alerts:
        validator.validate(alert["payload"])
