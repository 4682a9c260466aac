"""Fusion: same strikes fuse, running totals supersede, period totals stay apart, order-free."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from test_events_support import (
    DAMASCUS,
    DARAT_IZZA,
    DEC_1,
    IDLIB_CITY,
    IDLIB_GOV,
    SARMIN,
    SYRIA,
    Article,
    Fig,
    at,
    killed,
    rose_to,
    same_strikes_reports,
)

from workers.events import fuse, normalise_period
from workers.records import Figure, Incident


def _events(incidents: tuple[Incident, ...]) -> list[Incident]:
    return [i for i in incidents if not i.period_total]


def test_two_reports_of_the_same_strikes_fuse_into_one_incident() -> None:
    incidents = fuse(same_strikes_reports())
    events = _events(incidents)
    assert len(events) == 1
    strike = events[0]
    assert strike.place == IDLIB_CITY
    assert strike.event_date == DEC_1
    assert len(strike.sources) == 2
    assert strike.figure("killed") == Figure("killed", None, low=25, best=25, high=27)
    assert strike.figure("killed", "children") == Figure("killed", "children", 10, 10, 10)


def test_subsets_never_add_to_their_total() -> None:
    strike = _events(fuse(same_strikes_reports()[:1]))[0]
    killed_all = strike.figure("killed")
    assert killed_all is not None
    assert killed_all.best == 25  # not 25 + 7 + 10


def test_period_totals_stay_apart_and_fuse_with_each_other() -> None:
    periods = [i for i in fuse(same_strikes_reports()) if i.period_total]
    assert len(periods) == 1
    assert periods[0].figure("killed") == Figure("killed", None, 56, 56, 56)
    assert len(periods[0].sources) == 2
    assert normalise_period("since Nov. 27") == normalise_period("since November 27")


def test_running_total_supersedes_earlier_reports() -> None:
    reports = [
        Article("https://a.example/1", at(1, 9), [killed(4, event_date=DEC_1)]).report(),
        Article("https://b.example/2", at(1, 20), [rose_to(8, event_date=DEC_1)]).report(),
        Article("https://c.example/3", at(1, 21), [killed(9, event_date=DEC_1)]).report(),
    ]
    (incident,) = fuse(reports)
    # "rose to 8" replaces the earlier 4; the later 9 widens the range but 8 stays best.
    assert incident.figure("killed") == Figure("killed", None, low=8, best=8, high=9)
    assert len(incident.sources) == 3


def test_highest_running_total_wins_whatever_the_publication_order() -> None:
    reports = [
        Article("https://a.example/1", at(1, 9), [rose_to(12, event_date=DEC_1)]).report(),
        Article("https://b.example/2", at(1, 20), [rose_to(8, event_date=DEC_1)]).report(),
    ]
    (incident,) = fuse(reports)
    figure = incident.figure("killed")
    assert figure is not None
    assert figure.best == 12


def test_updated_article_revises_its_own_mentions() -> None:
    first = Article("https://a.example/live", at(1, 9), [killed(4, event_date=DEC_1)])
    update = dataclasses.replace(first, figures=[killed(6, event_date=DEC_1)], revision=2,
                                 published=at(1, 15))
    (incident,) = fuse([update.report(), first.report()])
    assert len(incident.sources) == 1
    assert incident.figure("killed") == Figure("killed", None, 6, 6, 6)


def test_undated_report_joins_the_dated_incident_of_the_day_before() -> None:
    dated = Article("https://a.example/1", at(2, 6), [killed(5, event_date=DEC_1)])
    undated = Article("https://b.example/2", at(2, 9), [killed(6)])
    (incident,) = fuse([dated.report(), undated.report()])
    assert incident.event_date == DEC_1
    assert len(incident.sources) == 2


def test_different_places_and_days_stay_different_incidents() -> None:
    reports = [
        Article("https://a.example/1", at(1), [killed(3, SARMIN)]).report(),
        Article("https://b.example/2", at(1), [killed(4, DARAT_IZZA)]).report(),
        Article("https://c.example/3", at(5), [killed(5, SARMIN)]).report(),
    ]
    incidents = fuse(reports)
    assert sorted((i.place.name, i.first_reported.day) for i in incidents) == [
        ("Darat Izza", 1), ("Sarmin", 1), ("Sarmin", 5)]


def test_unplaced_body_figure_is_dropped_but_headline_takes_the_article_place() -> None:
    article = Article("https://a.example/1", at(1), [
        Fig("Dozens of officers were killed this month.", "Dozens of officers", 12,
            qualifier="vague", place=None),
        Fig("Strikes kill 6", "kill 6", 6, place=None, headline=True),
    ])
    (incident,) = fuse([article.report()])
    assert incident.place == IDLIB_CITY
    assert incident.figure("killed") == Figure("killed", None, 6, 6, 6)


def test_wide_headline_place_is_narrowed_to_the_article_location() -> None:
    article = Article("https://a.example/1", at(1), [
        Fig("Strikes kill 6 in Syria", "kill 6", 6, place=SYRIA, headline=True),
    ])
    (incident,) = fuse([article.report()])
    assert incident.place == IDLIB_CITY


def test_vague_and_unsure_figures_are_not_best_when_a_credible_one_exists() -> None:
    reports = [
        Article("https://a.example/1", at(1), [
            Fig("Dozens were killed in Idlib.", "Dozens", 12, qualifier="vague")]).report(),
        Article("https://b.example/2", at(1), [
            Fig("Three were killed in Idlib.", "Three", 3, confidence=0.2)]).report(),
        Article("https://c.example/3", at(1), [killed(7)]).report(),
    ]
    (incident,) = fuse(reports)
    assert incident.figure("killed") == Figure("killed", None, low=3, best=7, high=12)


def test_group_figure_that_is_no_subset_also_counts_for_all_victims() -> None:
    article = Article("https://a.example/1", at(1), [
        Fig("17 wounded civilians were counted in Idlib.", "17 wounded civilians", 17,
            metric="injured", group="civilians"),
    ])
    (incident,) = fuse([article.report()])
    assert incident.figure("injured") == Figure("injured", None, 17, 17, 17)
    assert incident.figure("injured", "civilians") == Figure("injured", "civilians", 17, 17, 17)


def test_ids_are_content_derived_and_stable_when_sources_are_added() -> None:
    reports = same_strikes_reports()
    one = {i.period_total: i.id for i in fuse(reports[:1])}
    both = {i.period_total: i.id for i in fuse(reports)}
    assert one == both
    assert all(i.startswith("inc_") for i in both.values())


# --- properties ------------------------------------------------------------------------------

_PLACES = (IDLIB_CITY, SARMIN, DARAT_IZZA, DAMASCUS, IDLIB_GOV)


@st.composite
def articles(draw: st.DrawFn) -> list[Article]:
    """A small news day: articles on a few places and days, some figures running totals."""
    out = []
    for n in range(draw(st.integers(1, 6))):
        figs: list[Fig] = []
        for _ in range(draw(st.integers(1, 3))):
            place = draw(st.sampled_from(_PLACES))
            count = draw(st.integers(1, 60))
            day = draw(st.one_of(st.none(), st.sampled_from([DEC_1, DEC_1 + timedelta(1)])))
            make = rose_to if draw(st.booleans()) else killed
            figs.append(make(count, place, event_date=day, headline=not figs))
            if draw(st.integers(0, 3)) == 0:
                figs.append(Fig(f"Among them were {count} children.", f"{count} children", count,
                                group="children", subset_of=len(figs) - 1, place=None))
        if draw(st.integers(0, 3)) == 0:
            figs.append(Fig("Since Nov. 27 the toll has risen to 90.", "risen to 90", 90,
                            qualifier="cumulative", place=None, period="since Nov. 27"))
        hour = draw(st.integers(0, 47))
        out.append(Article(f"https://n{n}.example/a", at(1) + timedelta(hours=hour), figs))
    return out


@settings(max_examples=60, deadline=None)
@given(articles(), st.randoms(use_true_random=False))
def test_article_order_does_not_change_the_incidents(batch: list[Article], rnd: object) -> None:
    reports = [a.report() for a in batch]
    shuffled = list(reports)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert fuse(shuffled) == fuse(reports)


@settings(max_examples=60, deadline=None)
@given(articles(), articles(), st.randoms(use_true_random=False))
def test_updated_articles_replace_their_earlier_revisions(
    batch: list[Article], updates: list[Article], rnd: object
) -> None:
    later = timedelta(hours=1)
    revised = [dataclasses.replace(u, url=b.url, revision=2, published=b.published + later)
               for b, u in zip(batch, updates, strict=False)]
    latest = {a.url: a for a in [*batch, *revised]}
    everything = [a.report() for a in [*batch, *revised]]
    rnd.shuffle(everything)  # type: ignore[attr-defined]
    assert fuse(everything) == fuse([a.report() for a in latest.values()])


@settings(max_examples=60, deadline=None)
@given(articles(), st.data())
def test_a_duplicate_article_changes_no_figure(batch: list[Article], data: st.DataObject) -> None:
    reports = [a.report() for a in batch]
    original = data.draw(st.sampled_from(batch))
    copy = dataclasses.replace(original, url=original.url + "?syndicated=1")
    base = {i.id: i.figures for i in fuse(reports)}
    assert {i.id: i.figures for i in fuse([*reports, original.report()])} == base
    assert {i.id: i.figures for i in fuse([*reports, copy.report()])} == base


@settings(max_examples=60, deadline=None)
@given(articles())
def test_every_figure_is_backed_by_evidence_in_the_source_text(batch: list[Article]) -> None:
    documents = {a.report().article_id: a.document for a in batch}
    for incident in fuse([a.report() for a in batch]):
        evidence = [(s, m) for s in incident.sources for m in s.mentions]
        for source, mention in evidence:
            start, end = mention.span
            assert documents[source.article_id][start:end] == mention.text
        for figure in incident.figures:
            counts = {m.count for _, m in evidence if m.metric == figure.metric and (
                m.group == figure.group if figure.group else m.subset_of is None)}
            assert {figure.low, figure.best, figure.high} <= counts

