"""Find place mentions in text: gazetteer lookup over capitalised runs, then disambiguation.

The steps live apart: ``place_tokens`` (words and exact names), ``place_scoring`` (country
context, containers, the best candidate) and ``place_rules`` (precision); this module adds the
loose transliteration fallback and runs the steps in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from workers import records
from workers.extract.data.words import FUNCTION_WORDS, STOPWORDS
from workers.extract.gazetteer import LOOSE_ARTICLES, Gazetteer
from workers.extract.place_rules import plausible
from workers.extract.place_scoring import (
    CACHE_MAX,
    IN_CONTEXT,
    choose,
    context_shares,
    country_votes,
    link_containers,
    named_votes,
)
from workers.extract.place_tokens import Finder, Span

_LOOSE_WIDTH = 3
# a loose candidate set cut to the story's countries, by the set and those countries
_NEAR: dict[tuple[int, frozenset[str]], tuple[Sequence[records.Place],
                                             tuple[records.Place, ...]]] = {}


class PlaceMatch(NamedTuple):
    """One place mention: ``text[start:end] == surface``; ``score`` is the finder's confidence.

    A named tuple, not a frozen dataclass: as immutable, and built several times faster (one
    per mention, in the hot loop).
    """

    start: int
    end: int
    surface: str
    place: records.Place
    score: float


def _loose_spans(finder: Finder) -> list[Span]:
    """Transliteration variants, tried where no exact name covers a capitalised run, or where a
    longer run goes past a shorter exact name ("Kafr Batikh" beyond the village "Kafr")."""
    finder.near_countries = frozenset(cc for cc, share in finder.context.items()
                                      if share >= IN_CONTEXT)
    if finder.near_countries.isdisjoint(finder.gaz.loose_countries):
        return []  # the loose keys could only name places in countries far from this story
    starts = {s.first: s for s in finder.spans}
    # openers[k]: token k may stand inside a loose name before its last word
    finder.openers = [cap or norm in LOOSE_ARTICLES
                      for cap, norm in zip(finder.caps, finder.norms, strict=True)]
    # covered[k]: the last token of the exact name over token k, or -1
    covered = [-1] * len(finder.caps)
    for s in finder.spans:
        covered[s.first:s.last + 1] = [s.last] * (s.last + 1 - s.first)
    found: list[Span] = []
    heads = [i for i, (cap, norm) in enumerate(zip(finder.caps, finder.norms, strict=True))
             if cap and norm not in STOPWORDS and norm not in FUNCTION_WORDS]
    joins, count = finder.joins, len(finder.caps)
    after = 0  # the first token past the last name tried
    for i in heads:
        exact = starts.get(i)
        if i < after or (exact is None and covered[i] >= 0):
            continue
        # past an exact name, only a longer run may replace it: one that joins the next
        # token, within _LOOSE_WIDTH tokens (the exact name's tokens are joined already)
        if exact is not None and (exact.last + 1 - i >= _LOOSE_WIDTH or exact.last + 1 >= count
                                  or not joins[exact.last + 1]):
            after = exact.last + 1
            continue
        span = _loose_at(finder, i, covered, i if exact is None else exact.last + 1)
        if span is not None:
            found.append(span)
            after = span.last + 1
        elif exact is not None:
            after = exact.last + 1
    if found:  # the exact names a loose one overlaps give way to it
        replaced = [False] * len(finder.caps)
        for span in found:
            replaced[span.first:span.last + 1] = [True] * (span.last + 1 - span.first)
        finder.spans = [s for s in finder.spans
                        if not any(replaced[s.first:s.last + 1])]
    return found


def _loose_at(finder: Finder, i: int, covered: list[int], min_last: int) -> Span | None:
    """The widest loose name from token ``i`` to a token at or after ``min_last``, if any."""
    run = finder.run(i, _LOOSE_WIDTH)
    if i + run - 1 < min_last or (run == 1 and finder.norms[i] in finder.gaz.common_words):
        return None
    pieces = tuple(finder.pieces[i:i + run])
    caps = finder.caps
    for w in range(run, min_last - i, -1):
        last = i + w - 1
        if not caps[last] or (w == 1 and finder.norms[i] in finder.gaz.common_words):
            continue
        # one word needs neither test: it was tried because no exact name covers it
        if w > 1 and not all(finder.openers[i:last]):
            continue  # "Ariha in Idlib" is two names, not one
        if w > 1 and max(covered[i:last + 1]) > last:
            continue  # would cut an exact name in two
        found = finder.gaz.loose_run(pieces[:w])
        if found and (near := _near(finder, found)):
            return Span(i, last, finder.starts[i], finder.ends[last], near, loose=True)
    return None


def _near(finder: Finder, found: Sequence[records.Place]) -> Sequence[records.Place]:
    """The candidates of ``found`` in a country in context, as one set per story countries.

    The set is kept (with ``found``, so neither id is reused) for as long as the gazetteer's
    candidate set: its prominence and level flags are then worked out once, not per story.
    """
    key = (id(found), finder.near_countries)
    kept = _NEAR.get(key)
    if kept is None:
        if len(_NEAR) >= CACHE_MAX:
            _NEAR.clear()
        near = tuple(p for p in found if p.country_code in finder.near_countries)
        kept = _NEAR[key] = (found, near)
    return kept[1]


def _resolve(finder: Finder) -> list[PlaceMatch]:
    out = []
    memo: dict[tuple[int, str | None, frozenset[str]], records.Place] = {}
    for span in finder.spans:
        best = choose(finder, span, memo)
        if not plausible(finder, span, best):
            continue
        confidence = 0.6 if span.loose else 0.9 if len(span.candidates) == 1 else 0.75
        out.append(PlaceMatch(span.start, span.end, finder.text[span.start:span.end], best,
                              confidence))
    return out


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceMatch]:
    """Non-overlapping place mentions in ``text``, in order, each resolved to one place."""
    finder = Finder(text, gazetteer)
    finder.scan()
    finder.context = context_shares(named_votes(finder, country_votes(finder)))
    if loose := _loose_spans(finder):  # the exact names are in order already
        finder.spans = sorted(finder.spans + loose, key=lambda s: s.start)
    link_containers(finder)
    finder.admins = frozenset(p.id for s in finder.spans for p in s.candidates
                              if p.level == "admin1"
                              and finder.context.get(p.country_code, 0.0) >= 0.5)
    return _resolve(finder)
