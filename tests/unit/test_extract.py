"""extract_article end to end: evidence spans, headline figures, places by scope, dates, errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workers.errors import PermanentError
from workers.extract import (
    EXTRACTOR_VERSION,
    ExtractError,
    Gazetteer,
    extract_article,
    load_gazetteer,
)
from workers.records import ArticleExtraction, CleanArticle

GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "seeds-gold.json"
MONDAY = datetime(2024, 12, 2, 6, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def seeds() -> list[dict[str, Any]]:
    if not GOLD.exists():
        pytest.skip("seeds-gold.json is not next to the repository")
    return list(json.loads(GOLD.read_text(encoding="utf-8"))["articles"])


def from_text(raw: str, published: datetime | None = None) -> CleanArticle:
    title, _, body = raw.lstrip().partition("\n")
    return CleanArticle(title=title.strip(), text=body.strip(), published=published)


def run(text: str, gazetteer: Gazetteer, title: str = "") -> ArticleExtraction:
    return extract_article(CleanArticle(title=title, text=text, published=MONDAY), gazetteer)


def test_version_and_gazetteer_cached() -> None:
    assert EXTRACTOR_VERSION
    assert load_gazetteer() is load_gazetteer()


def test_seed_spans_and_headlines(gazetteer: Gazetteer) -> None:
    for record in seeds():
        article = from_text(record["main_text"])
        result = extract_article(article, gazetteer)
        for mention in result.mentions:
            assert article.document[mention.span[0]:mention.span[1]] == mention.text
            assert mention.text in mention.sentence
            assert 0 < mention.confidence <= 1
        gold = record["gold"]
        assert (result.killed, result.injured) == (gold["killed"], gold["injured"]), record["id"]
        if gold["killed"] is not None:
            assert result.killed_qualifier == gold["killed_qualifier"], record["id"]
        assert sum(m.headline for m in result.mentions) >= 1


def test_period_totals_and_subsets_are_marked(gazetteer: Gazetteer) -> None:
    record = next(r for r in seeds() if r["id"].startswith("003"))
    result = extract_article(from_text(record["main_text"]), gazetteer)
    periods = [m for m in result.mentions if m.period]
    assert [(m.count, m.period) for m in periods if m.subset_of is None] == [(56, "since Nov. 27")]
    children = next(m for m in result.mentions if m.count == 10)
    assert children.group == "children"
    assert not children.headline


def test_places_come_from_the_mentions_own_sentence(gazetteer: Gazetteer) -> None:
    text = ("A missile strike on Kharkiv killed four people on Sunday.\n\n"
            "Separately, officials in Odesa said drones had damaged a port warehouse.")
    result = run(text, gazetteer)
    [mention] = result.mentions
    assert [p.name for p in mention.places] == ["Kharkiv"]
    assert [p.name for p in result.locations] == ["Kharkiv"]
    assert mention.event_date == date(2024, 12, 1)
    assert mention.date_text == "on Sunday"


def test_paragraph_place_when_the_sentence_has_none(gazetteer: Gazetteer) -> None:
    text = ("Shells hit a market in Kherson on Saturday morning. "
            "Three people were killed and 12 wounded, the governor said.")
    result = run(text, gazetteer)
    assert [m.count for m in result.mentions] == [3, 12]
    assert all([p.name for p in m.places] == ["Kherson"] for m in result.mentions)
    assert result.event_date is None or result.event_date == date(2024, 11, 30)


def test_running_total_supersedes_and_title_counts(gazetteer: Gazetteer) -> None:
    text = ("Five people were killed on Monday when a bomb exploded in a market in Mogadishu.\n\n"
            "By evening the death toll had risen to 11, hospital officials said.\n\n"
            "Al-Shabaab has killed thousands of people since 2007.")
    result = run(text, gazetteer, title="Mogadishu market bomb kills five")
    assert result.killed == 11
    assert result.killed_qualifier == "cumulative"
    assert [p.name for p in result.locations] == ["Mogadishu"]


def test_vague_only_gives_no_figure(gazetteer: Gazetteer) -> None:
    result = run("Dozens of people were injured when police fired tear gas in Nairobi.", gazetteer)
    assert result.injured is None
    assert [(m.metric, m.count, m.vague, m.qualifier) for m in result.mentions] == [
        ("injured", None, "dozens", "vague")]


def test_actor_is_recorded(gazetteer: Gazetteer) -> None:
    result = run("Russian shelling killed two civilians in Kherson.", gazetteer)
    assert result.actors == ("Russian shelling",)


def test_bad_input_is_a_permanent_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(ExtractError, match="over"):
        run("word " * 100_000, gazetteer)
    with pytest.raises(PermanentError, match="strings"):
        extract_article(CleanArticle(title=None, text="x"), gazetteer)  # type: ignore[arg-type]


def test_empty_article_has_nothing(gazetteer: Gazetteer) -> None:
    result = run("", gazetteer)
    assert result.mentions == ()
    assert (result.killed, result.injured, result.locations) == (None, None, ())


WORDS = st.sampled_from([
    "killed", "injured", "wounded", "dead", "people", "civilians", "children", "at", "least",
    "more", "than", "nearly", "the", "death", "toll", "rose", "to", "and", "including",
    "since", "Nov.", "27", "in", "Gaza", "Kharkiv", "a", "woman", "were", "was", "died",
    "dozens", "several", "of", "them", "among", "those", ",", ".", "\n\n", "lost", "their",
    "lives", "martyrs", "airstrikes", "year-old", "views",
])
NUMBERS = st.integers(min_value=0, max_value=100_000).map(str)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(WORDS, NUMBERS), max_size=40))
def test_counts_always_come_from_the_text(gazetteer: Gazetteer, words: list[str]) -> None:
    text = " ".join(words)
    result = run(text, gazetteer)
    stated = {int(n) for n in re.findall(r"\d+", text)} | {1}
    for mention in result.mentions:
        assert text[mention.span[0]:mention.span[1]] == mention.text
        assert mention.count is None or mention.count in stated


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400), st.text(max_size=60))
def test_any_text_extracts_without_error(gazetteer: Gazetteer, text: str, title: str) -> None:
    article = CleanArticle(title=title, text=text, published=MONDAY)
    result = extract_article(article, gazetteer)
    for mention in result.mentions:
        assert article.document[mention.span[0]:mention.span[1]] == mention.text


def test_title_figure_takes_the_place_from_its_restatement(gazetteer: Gazetteer) -> None:
    text = ("Gunmen burst into a bar in the central Mexican city of Celaya late on Saturday and "
            "opened fire, killing 15 people, local officials said.\n\n"
            "Five others were wounded and taken to hospital, the Guanajuato state prosecutor's "
            "office said in a statement.\n\n"
            "Guanajuato has the highest number of homicides of any Mexican state, with more than "
            "3,000 murders recorded last year.")
    result = run(text, gazetteer, title="Gunmen kill 15 in Mexico bar attack")
    assert (result.killed, result.injured) == (15, 5)
    assert [p.name for p in result.locations] == ["Celaya"]


def test_latest_running_total_over_the_first_figure(gazetteer: Gazetteer) -> None:
    text = ("A powerful earthquake struck western Afghanistan on Saturday, killing at least 120 "
            "people, a spokesman for the national disaster authority said.\n\n"
            "The death toll rose to 2,053 on Sunday, a Taliban official said, as rescuers dug "
            "through the rubble of collapsed houses in Herat province. More than 9,000 people "
            "were injured, he added.")
    result = run(text, gazetteer, title="Earthquake in western Afghanistan")
    assert (result.killed, result.killed_qualifier) == (2053, "cumulative")
    assert (result.injured, result.injured_qualifier) == (9000, "more_than")
    assert [p.name for p in result.locations] == ["Herat"]
    assert result.event_date == date(2024, 12, 1)


def test_dateline_is_not_where_the_casualties_were(gazetteer: Gazetteer) -> None:
    text = ("KHARKIV, Ukraine (Reuters) - Russian shelling killed three civilians in the town of "
            "Izium on Sunday, the regional governor said.")
    result = run(text, gazetteer)
    assert result.killed == 3
    assert [p.name for p in result.locations] == ["Izyum"]  # the gazetteer's spelling


def test_a_dated_wire_dateline_is_not_where_the_casualties_were(gazetteer: Gazetteer) -> None:
    text = ("QUETTA, March 3, 2019 (AFP): At least nine people were killed when a bomb went off "
            "at a vegetable market in Loralai on Tuesday, police said.")
    result = run(text, gazetteer)
    assert result.killed == 9
    assert [p.name for p in result.locations] == ["Loralai"]


def test_a_country_is_made_finer_by_the_town_in_the_next_paragraph(gazetteer: Gazetteer) -> None:
    text = ("NIAMEY (Reuters) - Eleven soldiers were killed in an attack in western Niger, "
            "the defence ministry said on Monday.\n\n"
            "Gunmen on motorbikes ambushed a patrol near Torodi before dawn, it said.")
    result = run(text, gazetteer, title="Eleven soldiers killed in Niger ambush")
    assert result.killed == 11
    # the town named where it happened, not the capital the report was filed from
    assert [p.name for p in result.locations] == ["Torodi"]


def test_a_country_stays_when_no_town_inside_it_is_named(gazetteer: Gazetteer) -> None:
    text = ("BAMAKO (Reuters) - Gunmen killed 14 villagers in central Mali on Friday, two local "
            "officials said.\n\nThe army has been fighting insurgents since 2012.")
    result = run(text, gazetteer)
    assert result.killed == 14
    assert [p.name for p in result.locations] == ["Mali"]


def test_a_country_before_state_of_is_not_a_state(gazetteer: Gazetteer) -> None:
    text = ("Gunmen killed seven people outside a bar in the western Mexico state of Jalisco "
            "late on Saturday, prosecutors said.")
    result = run(text, gazetteer)
    assert result.killed == 7
    assert [(p.name, p.level) for p in result.locations] == [("Jalisco", "admin1")]


def test_a_religious_community_is_not_a_place(gazetteer: Gazetteer) -> None:
    text = ("A rocket hit a football pitch in the Druze town of Majdal Shams on Saturday, "
            "killing 12 children.")
    result = run(text, gazetteer)
    assert result.killed == 12
    assert [p.name for p in result.locations] == ["Majdal Shams"]
