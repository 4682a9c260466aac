"""The composition layer: checkpoints, advance on event time, rendered alerts, folder timelines."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_events_fusion import articles
from test_events_support import (
    DAMASCUS,
    DEC_1,
    IDLIB_GOV,
    SARMIN,
    Article,
    at,
    killed,
    rose_to,
)

from workers.delivery.payload import encode_payload
from workers.extract import Gazetteer, load_gazetteer
from workers.pipeline import (
    FUSION_LOOKBACK,
    advance,
    checkpoints,
    oldest_needed,
    render_alert,
    timeline,
    timeline_lines,
)
from workers.records import Report, Silence, Watch, WatchState

WATCH = Watch(name="idlib-killed", place_id=IDLIB_GOV.id, metric="killed", threshold=5,
              window=timedelta(hours=72), repeat_interval=timedelta(days=7))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def kinds(watch: Watch, reports: Sequence[Report]) -> list[tuple[str, int]]:
    """The (kind, band) of every transition over all of the reports' checkpoints."""
    points = checkpoints(watch, reports)
    _, transitions = advance(watch, WatchState(watch=watch.name), reports, points)
    return [(t.kind, t.band) for t in transitions]


def test_checkpoints_are_publications_and_window_exits() -> None:
    reports = [Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report(),
               Article("https://b.example/2", at(2), [killed(1, SARMIN)]).report()]
    horizon = WATCH.window + FUSION_LOOKBACK
    assert checkpoints(WATCH, reports) == [at(1), at(2), at(4), at(5), at(1) + horizon,
                                           at(2) + horizon]
    assert checkpoints(WATCH, reports, after=at(1), until=at(4)) == [at(2), at(4)]
    muted = dataclasses.replace(WATCH, silences=(Silence(until=at(3), reason="test"),))
    assert at(3) in checkpoints(muted, reports)


def test_repeats_are_sent_when_due_not_at_the_next_news() -> None:
    daily = dataclasses.replace(WATCH, repeat_interval=timedelta(hours=24))
    reports = [Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report()]
    _, sent = advance(daily, WatchState(watch=daily.name), reports, checkpoints(daily, reports))
    assert [(t.kind, t.at) for t in sent] == [
        ("firing", at(1)), ("repeat", at(2)), ("repeat", at(3)), ("resolved", at(4))]


def test_a_watch_silenced_while_it_fires_fires_when_the_silence_ends() -> None:
    muted = dataclasses.replace(WATCH, silences=(Silence(until=at(2), reason="known"),))
    reports = [Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report()]
    _, sent = advance(muted, WatchState(watch=muted.name), reports, checkpoints(muted, reports))
    assert [(t.kind, t.at, t.seq) for t in sent] == [("firing", at(2), 2), ("resolved", at(4), 3)]


def test_a_rising_toll_escalates_and_an_empty_window_resolves() -> None:
    reports = [
        Article("https://a.example/1", at(1, 8), [killed(6, SARMIN, event_date=DEC_1)]).report(),
        Article("https://b.example/2", at(1, 20), [rose_to(14, SARMIN, event_date=DEC_1)]).report(),
    ]
    assert kinds(WATCH, reports) == [("firing", 5), ("escalated", 10), ("resolved", 0)]


def test_the_same_news_twice_sends_nothing_new() -> None:
    story = Article("https://a.example/1", at(1, 8), [killed(6, SARMIN, event_date=DEC_1)])
    copy = dataclasses.replace(story, url="https://b.example/copy", published=at(1, 9))
    assert kinds(WATCH, [story.report(), copy.report()]) == [("firing", 5), ("resolved", 0)]


def test_places_outside_the_watch_do_not_count() -> None:
    reports = [Article("https://a.example/1", at(1), [killed(40, DAMASCUS)],
                       locations=(DAMASCUS,)).report()]
    assert kinds(WATCH, reports) == []


def test_advance_in_two_halves_equals_advance_at_once() -> None:
    reports = [
        Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report(),
        Article("https://b.example/2", at(2), [killed(30, SARMIN)]).report(),
        Article("https://c.example/3", at(9), [killed(7, SARMIN)]).report(),
    ]
    points = checkpoints(WATCH, reports)
    whole_state, whole = advance(WATCH, WatchState(watch=WATCH.name), reports, points)
    mid = at(3)
    state, first = advance(WATCH, WatchState(watch=WATCH.name), reports,
                           [p for p in points if p <= mid])
    state, second = advance(WATCH, state, reports, [p for p in points if p > mid])
    assert first + second == whole
    assert state == whole_state
    assert [t.kind for t in whole] == ["firing", "escalated", "resolved", "firing", "resolved"]


def test_news_older_than_oldest_needed_changes_no_later_alert() -> None:
    reports = [
        Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report(),
        Article("https://b.example/2", at(21, month=1, year=2025), [killed(30, SARMIN)]).report(),
        Article("https://c.example/3", at(22, month=1, year=2025), [killed(7, SARMIN)]).report(),
    ]
    points = checkpoints(WATCH, reports)
    mid = at(20, month=1, year=2025)
    state, _ = advance(WATCH, WatchState(watch=WATCH.name), reports,
                       [p for p in points if p <= mid])
    since = oldest_needed([(WATCH, mid)])
    assert since == mid - WATCH.window - FUSION_LOOKBACK
    recent = [r for r in reports if since is None or r.published > since]
    assert len(recent) < len(reports)  # the first report is dropped
    later = [p for p in points if p > mid]
    assert advance(WATCH, state, recent, later) == advance(WATCH, state, reports, later)
    assert oldest_needed([(WATCH, mid), (WATCH, None)]) is None


def test_rendered_alert_is_stable_and_its_body_is_the_payload(gazetteer: Gazetteer) -> None:
    reports = [Article("https://a.example/1", at(1), [killed(6, SARMIN)]).report()]
    _, (transition, *_) = advance(WATCH, WatchState(watch=WATCH.name), reports, [at(1)])
    watch = dataclasses.replace(WATCH, place_id="ocha:SY07")
    message = render_alert(transition, watch, gazetteer)
    assert message == render_alert(transition, watch, gazetteer)
    assert message.type == "casualty.threshold.firing"
    assert message.body == encode_payload(message.payload)
    assert message.msg_id.startswith("msg_")
    (line,) = timeline_lines([message])
    assert json.loads(line)["webhook_id"] == message.msg_id


def _write_folder(folder: Path, articles: dict[str, tuple[str, str]]) -> None:
    lines = ["articles:"]
    for name, (published, text) in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
        lines += [f"  - file: {name}", f"    published: {published}", "    note: test"]
    (folder / "manifest.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_timeline_over_a_folder_is_repeatable_and_skips_bad_files(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    _write_folder(tmp_path, {
        "a.txt": ("2025-03-02T08:00:00Z", "Shelling kills 9 civilians in Homs\n\n"
                  "Nine civilians were killed on Saturday when shells hit a market in the city "
                  "of Homs, local medics said.\n"),
        "b.txt": ("2025-03-02T12:00:00Z", "Homs market attack toll rises\n\n"
                  "The death toll from the shelling of a market in the city of Homs on Saturday "
                  "has risen to 12, medics said.\n"),
        "empty.txt": ("2025-03-02T13:00:00Z", "\n\n"),
    })
    homs = gazetteer.resolve("Homs", level="admin1", country="SY")
    assert homs is not None
    watch = dataclasses.replace(WATCH, name="homs-killed", place_id=homs.id)
    messages = timeline(tmp_path, [watch], gazetteer)
    # The clock stops at the last publication: the window has not emptied yet.
    assert [m.type.rsplit(".", 1)[1] for m in messages] == ["firing", "escalated"]
    assert messages[1].payload["data"]["totals"]["best"] == 12  # type: ignore[index]
    assert timeline_lines(messages) == timeline_lines(timeline(tmp_path, [watch], gazetteer))


@settings(max_examples=40, deadline=None)
@given(articles(), st.data())
def test_order_and_duplicates_change_no_alert(batch: list[Article], data: st.DataObject) -> None:
    reports = [a.report() for a in batch]
    original = data.draw(st.sampled_from(batch))
    copy = dataclasses.replace(original, url=original.url + "?amp=1").report()
    shuffled = data.draw(st.permutations([*reports, copy]))
    watch = dataclasses.replace(WATCH, threshold=data.draw(st.integers(1, 40)))

    def alerts(rs: Sequence[Report]) -> list[tuple[object, ...]]:
        _, sent = advance(watch, WatchState(watch=watch.name), rs, checkpoints(watch, rs))
        # The copy adds a source to its incident (evidence), but no figure, total or alert.
        return [(t.kind, t.seq, t.at, t.band, t.total.low, t.total.best, t.total.high,
                 [i.id for i in t.total.incidents]) for t in sent]

    assert alerts(shuffled) == alerts(reports)
