"""Which places a figure gets: datelines, destinations, origins, reference points, finer towns."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workers.extract import Gazetteer, extract_article, load_gazetteer
from workers.extract.scope import DATELINE
from workers.extract.sentences import split_sentences
from workers.records import CleanArticle


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _places(gazetteer: Gazetteer, title: str, text: str) -> list[str]:
    return [p.name for p in extract_article(CleanArticle(title=title, text=text),
                                            gazetteer).locations]


@pytest.mark.parametrize("line", [
    "KYIV, Ukraine (AP) — ", "Kathmandu, August 23 -- ", "KHAR: ", "Lucknow: ",
    "July 14, 2024 (EL FASHER) – ",
])
def test_dateline_forms(line: str) -> None:
    assert DATELINE.match(line + "Twelve people were killed.") is not None


def test_dateline_is_not_the_incident_place(gazetteer: Gazetteer) -> None:
    text = ("Kathmandu, August 23 -- Twenty people were killed when their bus fell into a river"
            " in western Nepal on Friday, police said.")
    assert _places(gazetteer, "Bus accident in Nepal", text) == ["Nepal"]


@pytest.mark.parametrize("sentence", [
    "Twenty wounded people were taken to hospitals in Maiduguri for treatment.",
    "The wounded were airlifted to Maiduguri.",
    "Eleven of the injured are being treated at hospitals in Maiduguri and Yola.",
])
def test_where_the_wounded_were_taken_is_no_incident_place(gazetteer: Gazetteer,
                                                            sentence: str) -> None:
    text = f"A bomb exploded at a market in Konduga on Tuesday, killing 12 people. {sentence}"
    assert _places(gazetteer, "Market bombing", text) == ["Konduga"]


def test_origin_and_reference_points_are_not_places(gazetteer: Gazetteer) -> None:
    text = ("A rocket fired from Lebanon struck a football pitch in the town of Majdal Shams on"
            " Saturday, killing 12 children.")
    assert _places(gazetteer, "Rocket strike", text) == ["Majdal Shams"]
    quake = ("The quake, centred 72km south-west of Marrakech, killed 15 people in the village"
             " of Asni, officials said.")
    assert "Marrakesh" not in _places(gazetteer, "Morocco earthquake", quake)


def test_a_river_is_not_its_country(gazetteer: Gazetteer) -> None:
    text = "Gunmen attacked a boat on the Niger River in central Mali, killing 20 people."
    assert _places(gazetteer, "Boat attack", text) == ["Mali"]


def test_province_only_story_takes_the_town_inside_it(gazetteer: Gazetteer) -> None:
    text = ("Gunmen killed 12 people at a bar in Guanajuato state late on Saturday, prosecutors"
            " said.\n\nThe victims died in the city of Celaya, witnesses said.")
    assert _places(gazetteer, "Bar attack in Mexico", text) == ["Celaya"]
    # a town elsewhere does not replace the province
    other = ("Gunmen killed 12 people at a bar in Guanajuato state late on Saturday.\n\n"
             "The victims' families live in Monterrey.")
    assert _places(gazetteer, "Bar attack in Mexico", other) == ["Guanajuato"]


def test_adjective_state_before_town(gazetteer: Gazetteer) -> None:
    text = ("Gunfire erupted at a party in a small Alabama town late Saturday, killing four"
            " people.")
    places = extract_article(CleanArticle(title="Party shooting", text=text),
                             gazetteer).locations
    assert [(p.name, p.level) for p in places] == [("Alabama", "admin1")]


def _mention_places(gazetteer: Gazetteer, text: str) -> list[list[str]]:
    result = extract_article(CleanArticle(title="", text=text), gazetteer)
    return [[p.name for p in m.places] for m in result.mentions]


@pytest.mark.parametrize(("text", "absent"), [
    ("At least 12 people were killed in Kharkiv in strikes carried out by Russia.", "Russia"),
    ("Nine civilians were killed in Khan Younis in an attack by the army and Israel.", "Israel"),
    ("Five soldiers were killed in Homs, Iran's Revolutionary Guards said.", "Iran"),
    ("Eight people died in Goma after shelling blamed on Rwanda's M23 allies.", "Rwanda"),
])
def test_a_country_named_as_actor_or_owner_is_not_where_people_died(
    gazetteer: Gazetteer, text: str, absent: str,
) -> None:
    places = _mention_places(gazetteer, text)
    assert places
    assert all(places_of_one for places_of_one in places), "the town is still found"
    assert not any(absent in name for names in places for name in names)


def test_a_country_after_in_is_still_the_place(gazetteer: Gazetteer) -> None:
    places = _mention_places(gazetteer, "Twenty people were killed by floods in Nigeria.")
    assert ["Nigeria"] in places


_LINE_PIECES = st.sampled_from(["Mr", "U.S", "x", "Smith", "9", ".", "!", "?", " ", "  ", "\n",
                                "\t", "\u2028", "\"", "”", "(", ")", "’"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE_PIECES, max_size=30).map("".join))
@example("Mr\n. Smith said. U.S\n. Army")
def test_sentences_of_the_document_are_those_of_each_line(text: str) -> None:
    # The document is split in one pass; it must agree with splitting every line on its own.
    whole = split_sentences(text)
    lines = []
    for paragraph, line in enumerate(re.finditer(r"[^\n]+", text)):
        lines += [(s.start + line.start(), s.end + line.start(), s.text, paragraph)
                  for s in split_sentences(line.group())]
    assert [(s.start, s.end, s.text, s.paragraph) for s in whole] == lines
    assert [s.index for s in whole] == list(range(len(whole)))
    assert all(text[s.start:s.end] == s.text for s in whole)
