"""The golden timeline of the seeds: what the five seed articles must make the watchlist say.

Regenerate after an intended change to extraction, fusion, alerting or the payload, then read
the diff before committing it:

    .venv/bin/python -m workers.pipeline seeds/ seeds/watchlist.yaml \\
        > tests/golden/seeds-timeline.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from workers.delivery.payload import load_schema
from workers.extract import Gazetteer, load_gazetteer
from workers.pipeline import clean_item, load_watches, timeline, timeline_lines
from workers.replay import load_items

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "seeds-timeline.jsonl"
REGENERATE = ".venv/bin/python -m workers.pipeline seeds/ seeds/watchlist.yaml > " + str(
    GOLDEN.relative_to(ROOT))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def lines(gazetteer: Gazetteer) -> list[str]:
    watches = load_watches(SEEDS / "watchlist.yaml", gazetteer)
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


def test_timeline_is_byte_identical_from_run_to_run(lines: list[str], gazetteer: Gazetteer) -> None:
    watches = load_watches(SEEDS / "watchlist.yaml", gazetteer)
    assert timeline_lines(timeline(SEEDS, watches, gazetteer)) == lines


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
        # three days on, still firing unchanged, the 72 h repeat interval has passed.
        ("2024-12-05T06:30:00Z", "idlib-killed", "repeat", 25, 25),
        ("2024-12-05T14:00:00Z", "idlib-children-killed", "resolved", 0, 0),
        ("2024-12-05T14:00:00Z", "idlib-killed", "resolved", 0, 0),
    ]


def test_the_two_reports_of_the_dec_1_strikes_are_one_incident(
    alerts: list[dict[str, Any]],
) -> None:
    repeat = next(a for a in alerts if a["payload"]["data"]["kind"] == "repeat")
    (incident,) = repeat["payload"]["data"]["incidents"]
    files = sorted(s["url"].rsplit("/", 1)[1] for s in incident["sources"])
    assert files == ["003_b2ebc59b604b16bf.txt", "004_4c8a80b8f004b794.txt"]
    killed = next(f for f in incident["figures"] if f["metric"] == "killed" and not f["group"])
    assert killed["best"] == 25


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
    documents = {f"{i.stem}.{i.kind}": clean_item(i).document for i in load_items(SEEDS)}
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
