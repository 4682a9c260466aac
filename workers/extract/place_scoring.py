"""Which place a name means: the story's country context, containing places, cue words, scores."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from workers import records
from workers.extract.data.words import ACTORS, DEMONYMS
from workers.extract.gazetteer import Gazetteer
from workers.extract.place_tokens import Finder, Fit, Span

_LIST_SEP = re.compile(r"^\s*(?:,|and|or|&|,\s*(?:and|or))\s*$")
_IN_CONTAINER = re.compile(
    r"^\s*,?\s*(?:in|near|outside|of|inside)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+|(?:countryside|outskirts|province|governorate)\s+of\s+)?$",
    re.IGNORECASE)
_COMMA = re.compile(r"^\s*,\s*$")
# how each of the three above can start
_LINKING = re.compile(r"\s*[,&aoin]", re.IGNORECASE)
# The word after a name that says admin unit or city; one match tells which (no word is both).
# "the Mexico state of Guanajuato", "the Nigerian state of Borno": a name before "state of"
# is the country the unit lies in, not the unit.
_KIND_AFTER = re.compile(
    r"[\s-]*(?:(?P<admin>province|governorate|region|district|countryside|oblast|state|county|"
    r"prefecture|department|muhafazah)\b(?!\s+of\b)|(?P<city>city|town|village|camp)\b)",
    re.IGNORECASE)
# "a small Alabama town", "an Afghan village": the name describes where the town is.
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an|one)\s+(?:[a-z][\w-]*\s+){0,2}$")
_ADMIN_BEFORE = re.compile(
    r"\b(?:province|governorate|region|district|countryside|oblast|state)\s+of\s+(?:the\s+)?$"
    r"|\brural\s+$", re.IGNORECASE)
_BEFORE_LAST = ("of", "rural", "central", "downtown")  # the last words of the two below
_CITY_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|cent(?:er|re)|heart|downtown)\s+of\s+(?:the\s+)?|central\s+|"
    r"downtown\s+)$", re.IGNORECASE)
_CONTEXT_VOTE = 0.5  # what one demonym or actor adds, once per story
_WEAK_VOTE = 0.5  # what a name only one country has adds, each time
_NAMED = {k: cc for k, cc in (DEMONYMS | ACTORS).items() if cc}
_NAMED_FIRSTS = frozenset(k.split()[0] for k in _NAMED if " " in k)
STRONG_LEVELS = frozenset({"country", "admin1", "region"})
_ADMIN_LEVELS = frozenset({"admin1", "admin2", "admin3", "region"})
BIG_TOWN = 100_000
IN_CONTEXT = 0.2  # a country with this share of the story's place evidence is "in context"
_NO_IDS: frozenset[str] = frozenset()
_Level = Fit  # the same, with the prominence in place of the story score
_LEVELS: dict[int, tuple[Sequence[records.Place], list[_Level]]] = {}
CACHE_MAX = 1 << 14
# the country votes of a name, by its candidate set (held, so the id stays unique)
_BALLOTS: dict[int, tuple[Sequence[records.Place], list[tuple[str, float]]]] = {}


def country_votes(finder: Finder) -> dict[str, float]:
    votes: dict[str, float] = {}
    caps, joins = finder.caps, finder.joins
    for span in finder.spans:
        kept = _BALLOTS.get(id(span.candidates))  # by the gazetteer's candidate tuple
        if kept is None:
            if len(_BALLOTS) >= CACHE_MAX:
                _BALLOTS.clear()
            kept = _BALLOTS[id(span.candidates)] = (span.candidates,
                                                    _votes(finder.gaz, span.candidates))
        ballot = kept[1]
        nxt = span.last + 1
        if ballot and ballot[0][1] == _WEAK_VOTE and nxt < len(caps) and caps[nxt] and joins[nxt]:
            continue  # "White Helmets": a hamlet's name inside a longer name is no evidence
        for cc, weight in ballot:
            votes[cc] = votes.get(cc, 0.0) + weight
    return votes


def _votes(gaz: Gazetteer, candidates: Sequence[records.Place]) -> list[tuple[str, float]]:
    """The country votes one name casts: strong candidates share one vote."""
    strong = {p.country_code for p in candidates
              if p.level in STRONG_LEVELS or gaz.population(p.id) >= BIG_TOWN}
    if strong:
        return [(cc, 1.0 / len(strong)) for cc in strong]
    every = {p.country_code for p in candidates}
    return [(every.pop(), _WEAK_VOTE)] if len(every) == 1 else []  # a name one country has


def named_votes(finder: Finder, votes: dict[str, float]) -> dict[str, float]:
    """Add the votes of the demonyms and one-country actors the story names (each once)."""
    norms, joins = finder.norms, finder.joins
    named: dict[str, None] = {}  # in order of first mention: the sums do not depend on hashing
    for i in itertools.compress(range(len(norms)), finder.caps):
        norm = norms[i]
        if norm in _NAMED:
            named[norm] = None
        if norm in _NAMED_FIRSTS and i + 1 < len(norms) and joins[i + 1]:
            named[f"{norm} {norms[i + 1]}"] = None
    for key in named:
        if cc := _NAMED.get(key):
            votes[cc] = votes.get(cc, 0.0) + _CONTEXT_VOTE
    return votes


def context_shares(votes: dict[str, float]) -> dict[str, float]:
    """Each country's share of the story's strong place evidence."""
    total = sum(votes.values())
    return {cc: v / total for cc, v in votes.items()} if total else {}


def link_containers(finder: Finder) -> None:
    """Give each span the spans that may contain it: "Hama's X and Y", "X, Y and Z in W", "X, W"."""
    spans = finder.spans
    gaps = [finder.gap(a, b) for a, b in itertools.pairwise(spans)]
    # most gaps are prose, which no gap pattern matches: one quick match rules them out
    linking = [_LINKING.match(g) is not None for g in gaps]
    listed = [link and _LIST_SEP.match(g) is not None for link, g in zip(linking, gaps,
                                                                         strict=True)]
    # list_end[k]: the last span of the list "X, Y and Z" that span k is part of
    list_end = list(range(len(spans)))
    for k in range(len(gaps) - 1, -1, -1):
        if listed[k]:
            list_end[k] = list_end[k + 1]
    owner: Span | None = None
    for k, span in enumerate(spans):
        if k and finder.poss[spans[k - 1].last] and not gaps[k - 1].strip():
            owner = spans[k - 1]
        elif not k or not listed[k - 1]:
            owner = None
        if owner is not None and owner is not span:
            span.containers.append(owner)
        j = list_end[k]
        if j < len(gaps) and linking[j] and _IN_CONTAINER.match(gaps[j]):
            span.containers.append(spans[j + 1])
        if k < len(gaps) and linking[k] and _COMMA.match(gaps[k]):
            span.containers.append(spans[k + 1])


def _cue(finder: Finder, span: Span) -> str | None:
    """'admin' or 'city' when the words around the name say which it is."""
    before = finder.text[max(0, span.start - 40):span.start]
    after = _KIND_AFTER.match(finder.text, span.end, span.end + 20)
    cued = words_end(before, _BEFORE_LAST)
    if (after and after.group("admin")) or (cued and _ADMIN_BEFORE.search(before)):
        return "admin"
    if after:  # the city word
        return "admin" if _INDEFINITE_BEFORE.search(before) else "city"
    if cued and (city := _CITY_BEFORE.search(before)):
        # "central Mali" is the middle of the country, "central Idlib" the city's centre
        plain = city.group().split()[0].lower() in {"central", "downtown"}
        return None if plain and any(p.level == "country" for p in span.candidates) else "city"
    return None


def words_end(before: str, last: tuple[str, ...]) -> bool:
    """True if ``before`` ends with a space after one of the lower-case words ``last``, alone or
    followed by "the": a cheap test for the slow "before" searches, which need one."""
    if not before[-1:].isspace():
        return False
    words = before.rstrip().lower()
    if words.endswith("the"):
        words = words[:-3].rstrip()
    return words.endswith(last)


def _levels(gaz: Gazetteer, candidates: Sequence[records.Place]) -> list[_Level]:
    """Each candidate's prominence and level flags, kept per candidate set."""
    found = _LEVELS.get(id(candidates))
    if found is not None:
        return found[1]
    levels = []
    for place in candidates:
        admin = place.level in _ADMIN_LEVELS
        # "Idlib" alone: the city, which a watch on the province covers anyway
        shadowed = admin and any(p.level == "locality" and p.within(place.id) for p in candidates)
        levels.append((gaz.prominence(place), admin, place.level == "locality", shadowed, place))
    if len(_LEVELS) >= CACHE_MAX:
        _LEVELS.clear()
    _LEVELS[id(candidates)] = (candidates, levels)  # holding the set keeps its id unique
    return levels


def _fits(finder: Finder, span: Span) -> list[Fit]:
    """Each candidate's story score and level flags, worked out once per candidate set.

    The story score is the part that is the same wherever the story names the candidate:
    its prominence, 10 times its country's share of the story, +5 inside a province the
    story names.
    """
    candidates = span.candidates
    fits = finder.fits.get(id(candidates))
    if fits is None:
        fits = finder.fits[id(candidates)] = []
        context, admins = finder.context, finder.admins
        # every span's candidate set is a kept one: the gazetteer's, or a cut of it (_near)
        for prominence, admin, locality, shadowed, place in _levels(finder.gaz, candidates):
            score = prominence + 10.0 * context.get(place.country_code, 0.0)
            if admins and not admin and (place.id in admins
                                         or not admins.isdisjoint(place.admin_ids)):
                score += 5.0
            fits.append((score, admin, locality, shadowed, place))
    return fits


def choose(finder: Finder, span: Span, memo: dict[tuple[int, str | None, frozenset[str]],
                                                    records.Place]) -> records.Place:
    """The best-scoring candidate; ``memo`` keeps choices for names the text repeats.

    A candidate scores its story score, +30 inside a place the context names, and +/-25 when
    a cue word says admin unit or city and it is (not) one; with no cue, an admin unit that
    holds a town of the same name loses 25.
    """
    if len(span.candidates) == 1:
        return span.candidates[0]
    cue = _cue(finder, span)
    containers = (frozenset(c.id for s in span.containers for c in s.candidates)
                  if span.containers else _NO_IDS)
    # Exact spans share the gazetteer's candidate tuple, so its id names the candidate set.
    key = (id(span.candidates), cue, containers)
    best = memo.get(key) if not span.loose else None
    if best is not None:
        return best
    top = -math.inf
    for story, admin, locality, shadowed, place in _fits(finder, span):
        score = story
        if containers and not containers.isdisjoint(place.admin_ids):
            score += 30.0
        if cue == "admin":
            score += 25.0 if admin else -25.0
        elif cue == "city":
            score += 25.0 if locality else -25.0
        elif shadowed:
            score -= 25.0
        if score > top:
            top, best = score, place
    assert best is not None  # candidate sets are never empty
    memo[key] = best
    return best
