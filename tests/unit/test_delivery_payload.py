"""The alert payload: schema-valid, byte-deterministic, under 20 KB, with its evidence."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]

from workers.delivery.payload import (
    MAX_BODY_BYTES,
    PayloadError,
    build_alert_payload,
    encode_payload,
    iso,
    load_schema,
    message_id,
)
from workers.records import (
    CasualtyMention,
    Figure,
    Incident,
    Place,
    SourceRef,
    Transition,
    TransitionKind,
    Watch,
    WindowTotal,
)

T0 = datetime(2024, 12, 1, 9, 30, tzinfo=UTC)
GOVERNORATE = Place(
    id="ocha:SY07",
    name="Idlib",
    level="admin1",
    country_code="SY",
    admin_ids=("cc:SY",),
    admin_names=("Syria",),
    lat=35.93,
    lon=36.63,
)
TOWN = Place(
    id="gn:163345",
    name="Sarmin",
    level="locality",
    country_code="SY",
    admin_ids=("cc:SY", "ocha:SY07"),
    admin_names=("Syria", "Idlib"),
)
WATCH = Watch(
    name="idlib-killed",
    place_id=GOVERNORATE.id,
    metric="killed",
    threshold=5,
    window=timedelta(hours=24),
)


def mention(
    ordinal: int, count: int, *, metric: str = "killed", sentence: str = ""
) -> CasualtyMention:
    text = f"{count} people were {metric}"
    body = sentence or f"Officials said {text} in an air strike on the market."
    start = 40 + ordinal * 100
    return CasualtyMention(
        ordinal=ordinal,
        metric="killed" if metric == "killed" else "injured",
        count=count,
        qualifier="exact",
        text=text,
        span=(start, start + len(text)),
        sentence=body,
        confidence=0.87654321,
    )


def incident(n: int, killed: int, *, sources: int = 2, mentions: int = 2) -> Incident:
    refs = tuple(
        SourceRef(
            article_id=f"a{n}-{s}",
            url=f"https://news{s}.example/2024/12/01/strike-{n}",
            title=f"Strike {n} reported by outlet {s}",
            published=T0 + timedelta(minutes=s),
            mentions=tuple(
                mention(m, killed + m, metric="killed" if m % 2 == 0 else "injured")
                for m in range(mentions)
            ),
        )
        for s in range(sources)
    )
    return Incident(
        id=f"inc_{n:04d}",
        place=TOWN,
        event_date=date(2024, 12, 1),
        first_reported=T0 + timedelta(minutes=n),
        figures=(
            Figure("killed", None, killed, killed + 1, killed + 3),
            Figure("injured", None, 2, 4, 6),
        ),
        sources=refs,
    )


def transition(
    incidents: tuple[Incident, ...], *, kind: TransitionKind = "firing", seq: int = 1
) -> Transition:
    best = sum(i.figures[0].best for i in incidents)
    return Transition(
        watch=WATCH.name,
        kind=kind,
        seq=seq,
        at=T0 + timedelta(hours=1),
        band=5 if best >= 5 else 0,
        total=WindowTotal(
            low=sum(i.figures[0].low for i in incidents),
            best=best,
            high=sum(i.figures[0].high for i in incidents),
            window_start=T0 - timedelta(hours=23),
            window_end=T0 + timedelta(hours=1),
            incidents=incidents,
        ),
        previous_total=0,
    )


VALIDATOR = Draft202012Validator(load_schema())


def assert_valid(payload: dict[str, object]) -> None:
    errors = sorted(VALIDATOR.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("kind", ["firing", "escalated", "repeat", "resolved"])
def test_each_kind_validates(kind: TransitionKind) -> None:
    payload = build_alert_payload(transition((incident(1, 7),), kind=kind), WATCH, GOVERNORATE)
    assert_valid(payload)
    assert payload["type"] == f"casualty.threshold.{kind}"


def test_empty_window_validates() -> None:
    payload = build_alert_payload(transition((), kind="resolved"), WATCH, GOVERNORATE)
    assert_valid(payload)
    data = payload["data"]
    assert isinstance(data, dict)
    assert data["incidents"] == []
    assert data["totals"]["best"] == 0


def test_payload_carries_watch_place_totals_and_evidence() -> None:
    trans = transition((incident(1, 7), incident(2, 3)))
    payload = json.loads(encode_payload(build_alert_payload(trans, WATCH, GOVERNORATE)))
    data = payload["data"]
    assert payload["timestamp"] == "2024-12-01T10:30:00Z"
    assert data["alert_id"] == message_id(trans)
    assert data["watch"]["window_seconds"] == 86400
    assert data["watch"]["bands"] == [5, 10, 25, 50, 100]
    assert data["place"]["admin_path"] == ["Syria"]
    assert data["totals"] == {"low": 10, "best": 12, "high": 16, "previous_best": 0, "band": 5}
    assert data["window"] == {"start": "2024-11-30T10:30:00Z", "end": "2024-12-01T10:30:00Z"}
    first = data["incidents"][0]
    assert first["id"] == "inc_0001", "the incident weighing most on the total comes first"
    source = first["sources"][0]
    assert source["url"] == "https://news0.example/2024/12/01/strike-1"
    evidence = source["evidence"][0]
    assert evidence["metric"] == "killed"
    assert evidence["span"] == [40, 40 + len(evidence["text"])]
    assert evidence["confidence"] == 0.8765
    assert evidence["sentence"].startswith("Officials said")
    assert data["truncated"] == {"incidents": 0, "sources": 0, "evidence": 0, "sentences": 0}


def test_same_transition_gives_identical_bytes() -> None:
    incidents = tuple(incident(n, n % 9 + 1) for n in range(12))
    first = encode_payload(build_alert_payload(transition(incidents), WATCH, GOVERNORATE))
    shuffled = tuple(reversed(incidents))
    second = encode_payload(build_alert_payload(transition(shuffled), WATCH, GOVERNORATE))
    assert first == second


def test_encoding_is_canonical_json() -> None:
    body = encode_payload({"b": 1, "a": ["é", 2]})
    assert body == '{"a":["é",2],"b":1}'.encode()


def test_message_id_is_stable_and_distinguishes_transitions() -> None:
    incidents = (incident(1, 7),)
    base = transition(incidents)
    assert message_id(base) == message_id(transition(incidents))
    assert message_id(base).startswith("msg_")
    others = {
        message_id(transition(incidents, seq=2)),
        message_id(transition(incidents, kind="repeat")),
    }
    assert message_id(base) not in others
    assert len(others) == 2


def test_many_incidents_are_trimmed_under_the_cap_and_counted() -> None:
    incidents = tuple(incident(n, n % 40 + 1, sources=6, mentions=5) for n in range(300))
    payload = build_alert_payload(transition(incidents), WATCH, GOVERNORATE)
    body = encode_payload(payload)
    assert len(body) <= MAX_BODY_BYTES
    assert_valid(payload)
    data = json.loads(body)["data"]
    cut = data["truncated"]
    assert data["incident_count"] == 300
    assert cut["incidents"] == 300 - len(data["incidents"])
    assert cut["incidents"] > 0
    assert cut["sources"] > 0
    assert cut["evidence"] > 0
    kept_best = [i["figures"][0]["best"] for i in data["incidents"]]
    assert kept_best == sorted(kept_best, reverse=True)
    assert kept_best[0] == 41, "the largest incidents survive trimming"


def test_long_sentences_are_clipped_before_incidents_are_dropped() -> None:
    sentence = "A long account of the strike. " * 60
    heavy = tuple(
        Incident(
            id=f"inc_{n}",
            place=TOWN,
            event_date=None,
            first_reported=T0,
            figures=(Figure("killed", None, 5, 5, 5),),
            sources=(
                SourceRef(
                    f"a{n}",
                    f"https://x.example/{n}",
                    "t",
                    None,
                    (mention(0, 5, sentence=sentence),),
                ),
            ),
        )
        for n in range(10)
    )
    payload = build_alert_payload(transition(heavy), WATCH, GOVERNORATE)
    assert len(encode_payload(payload)) <= MAX_BODY_BYTES
    data = payload["data"]
    assert isinstance(data, dict)
    assert data["truncated"]["incidents"] == 0
    assert data["truncated"]["sentences"] == 10
    assert data["incidents"][0]["sources"][0]["evidence"][0]["sentence"].endswith("…")
    assert_valid(payload)


def test_watched_metric_evidence_is_kept_first() -> None:
    trans = transition((incident(1, 7, sources=1, mentions=4),))
    injured_watch = Watch(
        name="idlib-injured",
        place_id=GOVERNORATE.id,
        metric="injured",
        threshold=1,
        window=WATCH.window,
    )
    data = build_alert_payload(trans, injured_watch, GOVERNORATE)["data"]
    assert isinstance(data, dict)
    metrics = [e["metric"] for e in data["incidents"][0]["sources"][0]["evidence"]]
    assert metrics == ["injured", "injured", "killed", "killed"]


def test_nan_coordinate_is_a_clear_error() -> None:
    odd = Place(id="x", name="X", level="locality", country_code="SY", lat=float("nan"), lon=1.0)
    with pytest.raises(PayloadError, match="not plain JSON"):
        build_alert_payload(transition((incident(1, 7),)), WATCH, odd)


def test_iso_formats_utc_with_z() -> None:
    assert iso(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05Z"
    assert iso(datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2024-01-02T03:04:05.000006Z"
    plus_two = timezone(timedelta(hours=2))
    assert iso(datetime(2024, 1, 2, 5, 4, 5, tzinfo=plus_two)) == "2024-01-02T03:04:05Z"
    assert iso(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z"
