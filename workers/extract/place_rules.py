"""Precision rules: whether a resolved name is a place here, not a person, a word or a river."""

from __future__ import annotations

import re
from typing import Literal

from workers import records
from workers.extract.data.words import DEMONYMS, GIVEN_NAMES, PERSON_TITLES, STOPWORDS
from workers.extract.place_scoring import BIG_TOWN, IN_CONTEXT, STRONG_LEVELS, words_end
from workers.extract.place_tokens import Finder, Span

_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|into|inside|across|towards?)"
    r"|\b(?:town|city|village|camp|district|province|region|state|suburb)\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE)
# A settlement named as one ("the Druze town of X", "downtown X"): a locality of any size.
_SETTLEMENT = re.compile(
    r"(?:\b(?:town|city|village|hamlet|camp|settlement|suburb)\s+of\s+(?:the\s+)?|\bdowntown\s+)$",
    re.IGNORECASE)
_SETTLEMENT_LAST = ("of", "downtown")  # the last words of _SETTLEMENT, before "the"
_LOCATIVE_LAST = ("in", "at", "near", "outside", "around", "into", "inside", "across", "to",
                  "towards", "of", "the")
# "the University of X", "Ministry of Y": a word with "of" and a name after heads an institution
_OF_NAME = re.compile(r" of (?:the )?[A-Z]")
_TITLE_SET = frozenset(PERSON_TITLES)
_PERSON_BEFORE = re.compile(
    r"\b(?:" + "|".join(PERSON_TITLES) + r")\.?\s+(?:[A-Z][\w'’-]*\s+){0,2}$")
_PERSON_AFTER = re.compile(r"\s*(?:,\s*)?(?:said|says|told|added|wrote|reported|\(\d+\))\b")
_FEATURE_AFTER = re.compile(r"(?:River|river|Delta|Valley|Basin)\b")
_FEATURE_FIRST = frozenset("RrDVB")
_CUE_WORDS = frozenset({"province", "governorate", "city", "town", "village", "region", "district",
                        "countryside", "state", "oblast", "county", "camp", "strip", "plain",
                        "north", "south", "east", "west", "northern", "southern", "eastern",
                        "western", "central", "northwestern", "northeastern", "southwestern",
                        "southeastern", "the", "of", "in", "and", "on", "at", "near", "from"})
_TOWN = 15_000


def plausible(finder: Finder, span: Span, place: records.Place) -> bool:
    """Precision rules: drop obscure homonyms far from the story, common words, and people."""
    share = finder.context.get(place.country_code, 0.0)
    strong = place.level == "country" or (place.level in STRONG_LEVELS and share >= IN_CONTEXT)
    pop = finder.gaz.population(place.id)
    # Every later rule keeps only what this one keeps, and it is the cheapest: it goes first.
    if not (strong or pop >= BIG_TOWN or place.level in STRONG_LEVELS or share >= IN_CONTEXT
            or (pop >= _TOWN and not span.loose and (span.containers or _locative(finder, span)))
            or _settlement(finder, span, place)):
        return False
    key = finder.key(span)
    if key in STOPWORDS or key in DEMONYMS or _feature_name(finder, span, place):
        return False
    if (span.first == span.last and key in finder.gaz.common_words and not strong
            and not ((pop >= BIG_TOWN or share >= IN_CONTEXT) and _locative(finder, span))):
        return False  # "in Buffalo" is the city; "a buffalo", "Buffalo wings" are not
    if place.level != "country" and _in_longer_name(finder, span):
        return False
    person = _person_cue(finder, span)
    if person == "name":
        return strong or _locative(finder, span)
    return person is None or (strong and person == "after")


def _feature_name(finder: Finder, span: Span, place: records.Place) -> bool:
    """True if the name is part of a river's or a landform's: "the Niger River", "Niger Delta"
    (not the country), "Jordan Valley"; a town's name before "River" is the river too."""
    if finder.text[span.end:span.end + 1] != " " or \
            finder.text[span.end + 1:span.end + 2] not in _FEATURE_FIRST:
        return False
    after = _FEATURE_AFTER.match(finder.text, span.end + 1, span.end + 8)
    return after is not None and (place.level == "country" or after.group().lower() == "river")


def _person_cue(finder: Finder, span: Span) -> Literal["before", "after", "name"] | None:
    """Whether the words around the span make it (part of) a person's name.

    "before": a title up to two names before ("Dr. Hussein X", "President X") or a given
    name just before ("Hussein X"); "after": a verb of saying after ("X said"); "name": the
    span is a lone given name ("regime head Bashar").
    """
    prev = span.first - 1
    if (prev >= 0 and finder.caps[prev] and finder.norms[prev] in GIVEN_NAMES
            and finder.text[finder.ends[prev]:span.start] == " "):
        return "before"
    before = finder.text[max(0, span.start - 40):span.start]
    # the search is slow and can only match when a title is among the last words before
    if (not _TITLE_SET.isdisjoint([w.rstrip(".") for w in before.rsplit(None, 3)[-3:]])
            and _PERSON_BEFORE.search(before)):
        return "before"
    if _PERSON_AFTER.match(finder.text, span.end, span.end + 20):
        return "after"
    if span.first == span.last and finder.norms[span.first] in GIVEN_NAMES:
        return "name"
    return None


def _settlement(finder: Finder, span: Span, place: records.Place) -> bool:
    """True if the words before call the name a town or village and it is one."""
    if span.loose or place.level != "locality":
        return False
    before = finder.text[max(0, span.start - 30):span.start]
    # the search is slow and can only match after one of these last words
    return words_end(before, _SETTLEMENT_LAST) and _SETTLEMENT.search(before) is not None


def _locative(finder: Finder, span: Span) -> bool:
    """True if a locative word comes just before: "in X", "near X", "the town of X" (and
    "of" and a name do not follow: "at the University of Y" is no place)."""
    before = finder.text[max(0, span.start - 30):span.start]
    return (before[-1:].isspace() and before.rstrip().lower().endswith(_LOCATIVE_LAST)
            and _LOCATIVE.search(before) is not None
            and not _OF_NAME.match(finder.text, span.end, span.end + 8))


def _in_longer_name(finder: Finder, span: Span) -> bool:
    """True if capitalised words run straight into the span: "Tahrir al-Sham", "Bashar al-Assad"."""
    norms, caps, joins = finder.norms, finder.caps, finder.joins
    nxt, prev = span.last + 1, span.first - 1
    if (nxt < len(norms) and joins[nxt] and norms[nxt] not in _CUE_WORDS
            and (caps[nxt] or finder.content_start(nxt) != nxt)):
        longer = True
    elif prev >= 0 and joins[span.first] and caps[prev]:
        gap_before = finder.text[finder.ends[prev - 1]:finder.starts[prev]] if prev else "."
        sentence_start = (gap_before.strip()[-1:] in (".", "!", "?", ":", "")
                          and "\n" in gap_before + "\n")
        longer = norms[prev] not in _CUE_WORDS and not (sentence_start and prev == 0)
    else:
        return False
    return longer and not finder.title_line(span.start)
