"""How one article's mentions become claims: where and when each figure belongs."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from test_events_support import (
    DARAT_IZZA,
    IDLIB_CITY,
    IDLIB_GOV,
    SARMIN,
    SYRIA,
    Article,
    Fig,
    at,
    killed,
    rose_to,
)

from workers.events import fuse, report_claims
from workers.records import Figure

JAN_2 = date(2024, 1, 2)


def test_a_headline_figure_restated_in_the_body_stays_with_the_headline() -> None:
    article = Article("https://a.example/1", at(2), [
        Fig("At least 25 killed in airstrikes", "At least 25", 25, qualifier="at_least",
            place=None, headline=True),
        Fig("At least 25 people have been killed in northwestern Syria.", "At least 25 people",
            25, qualifier="at_least", place=SYRIA, event_date=date(2024, 12, 1)),
    ])
    claims = report_claims(article.report())
    assert {c.place for c in claims} == {IDLIB_CITY}
    assert {c.event_date for c in claims} == {date(2024, 12, 1)}


def test_a_headline_keeps_its_own_place_when_the_article_lists_it() -> None:
    listed = Article("https://a.example/1", at(2), [rose_to(8, IDLIB_CITY, headline=True)],
                     locations=(DARAT_IZZA, SARMIN, IDLIB_CITY))
    unlisted = Article("https://a.example/2", at(2), [rose_to(8, DARAT_IZZA, headline=True)],
                       locations=(IDLIB_CITY,))
    assert [c.place for c in report_claims(listed.report())] == [IDLIB_CITY]
    assert [c.place for c in report_claims(unlisted.report())] == [IDLIB_CITY]


def test_a_part_of_the_main_incident_a_day_apart_is_not_a_new_incident() -> None:
    article = Article("https://a.example/1", at(2, 10, month=1), [
        rose_to(8, IDLIB_CITY, headline=True, event_date=JAN_2),
        Fig("Yesterday a rocket hit the camp in Idlib, killing a child.", "killing a child", 1,
            group="children", event_date=JAN_2 - timedelta(days=1)),
        killed(3, IDLIB_CITY, event_date=JAN_2 - timedelta(days=6)),
    ])
    incidents = fuse([article.report()])
    assert sorted(i.event_date for i in incidents if i.event_date) == [
        JAN_2 - timedelta(days=6), JAN_2]
    main = next(i for i in incidents if i.event_date == JAN_2)
    assert main.figure("killed") == Figure("killed", None, 8, 8, 8)
    assert main.figure("killed", "children") == Figure("killed", "children", 1, 1, 1)


def test_period_totals_and_their_subsets_are_placed_and_kept_apart() -> None:
    article = Article("https://a.example/1", at(2), [
        killed(7, IDLIB_CITY, headline=True),
        Fig("Since Nov. 27 the toll has risen to 56.", "risen to 56", 56, qualifier="cumulative",
            place=None, period="since Nov. 27"),
        Fig("Among them were 20 children.", "20 children", 20, group="children", place=None,
            subset_of=1),
    ])
    (period,) = [i for i in fuse([article.report()]) if i.period_total]
    assert period.place == IDLIB_CITY
    assert period.figure("killed") == Figure("killed", None, 56, 56, 56)
    assert period.figure("killed", "children") == Figure("killed", "children", 20, 20, 20)


def test_figures_without_a_number_make_no_claim() -> None:
    article = Article("https://a.example/1", at(2), [
        Fig("Many were killed in Idlib.", "Many", None, qualifier="vague"),
    ])
    assert report_claims(article.report()) == []
    assert fuse([article.report()]) == ()


def test_a_naive_publication_time_is_utc() -> None:
    article = Article("https://a.example/1", at(2), [killed(4, SARMIN)])
    report = article.report()
    naive = dataclasses.replace(report, published=report.published.replace(tzinfo=None))
    assert fuse([naive]) == fuse([report])


def test_same_revision_twice_with_different_text_is_resolved_by_content() -> None:
    first = Article("https://a.example/live", at(2), [killed(4, SARMIN)]).report()
    other = Article("https://a.example/live", at(2), [killed(5, SARMIN)]).report()
    assert fuse([first, other]) == fuse([other, first])
    assert len(fuse([first, other])) == 1


def test_a_governorate_level_figure_is_its_own_incident() -> None:
    article = Article("https://a.example/1", at(2), [killed(9, IDLIB_GOV)],
                      locations=(IDLIB_GOV,))
    (incident,) = fuse([article.report()])
    assert incident.place == IDLIB_GOV
