"""The article-level figure: the toll of the main incident as the article states it, and where."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workers.extract.mentions import Draft
from workers.records import Metric, Place

_OWN_PLACE = frozenset({"clause", "sentence", "paragraph"})
# Places a town inside can make finer: a province, a region, a country.
_COARSE = frozenset({"country", "admin1", "region"})
# A figure the article itself says was superseded: "Earlier, officials had put the toll at 45",
# "Initially the toll stood at 40", "the toll had stood at 10".
_SUPERSEDED = re.compile(
    r"^(?:Earlier|Initially|Previously|Originally|At\s+first)\b"
    r"|\bhad\s+(?:earlier\s+|initially\s+|previously\s+|first\s+)?"
    r"(?:stood|put|given|placed|reported|announced)\b")
# A figure given as an update of an earlier one: "Officials later said 32 people were injured",
# "revised the toll to 84".
_UPDATE = re.compile(r"\blater\s+(?:said|put|raised|revised|updated|gave|reported|confirmed)\b"
                     r"|\brevised\s+(?:up|down|upward|downward)?")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December)")
# A sentence opening on an earlier month or year tells an earlier incident: "In June, more than
# 100 soldiers were killed", "Last September, a cyclone killed 50".
_EARLIER = re.compile(
    rf"^(?:(?:Back\s+)?In|Last|Earlier\s+in)\s+(?:{_MONTH}|(?:19|20)\d\d|(?:early|late)\s+)")


@dataclass(frozen=True, slots=True)
class Headline:
    """The chosen figure per metric (mention ordinals) and the places of the main incident."""

    killed: int | None
    injured: int | None
    locations: tuple[Place, ...]


@functools.lru_cache(maxsize=1024)
def _dated_back(sentence: str) -> tuple[bool, bool]:
    """(opens on an earlier month or year, says its figure was superseded)."""
    return (_EARLIER.match(sentence) is not None,
            ("had " in sentence or sentence[:1] in "EIPOA")
            and _SUPERSEDED.search(sentence) is not None)


def _background(draft: Draft) -> bool:
    """A figure the article supersedes, or one it dates to an earlier incident."""
    earlier, superseded = _dated_back(draft.mention.sentence.lstrip())
    return superseded or (earlier and not draft.in_title)


def _update(sentence: str) -> bool:
    return ("later " in sentence or "revised" in sentence) and _UPDATE.search(sentence) is not None


def _candidates(drafts: Sequence[Draft], metric: Metric) -> list[Draft]:
    return [d for d in drafts if d.mention.metric == metric and d.mention.count is not None
            and d.mention.period is None and d.mention.subset_of is None and not d.subset
            and not _background(d)]


def _pick(drafts: Sequence[Draft], metric: Metric, partner: Draft | None) -> Draft | None:
    """Latest running total, else the title's figure, else the partner's sentence, else early."""
    candidates = _candidates(drafts, metric)
    if not candidates:
        return None
    running = [d for d in candidates
               if d.mention.running_total or _update(d.mention.sentence)]
    if running:
        return running[-1]
    titled = [d for d in candidates if d.in_title]
    if titled:
        return titled[0]
    if partner is not None:
        same = [d for d in candidates if d.mention.sentence == partner.mention.sentence]
        if same:
            return same[0]
    return max(candidates[:3], key=lambda d: d.mention.confidence)


def _specific(places: Sequence[Place]) -> bool:
    return any(p.level != "country" for p in places)


def _widened(drafts: Sequence[Draft], chosen: Sequence[Draft]) -> tuple[Place, ...]:
    """Places of the other mentions of the same incident, when the headline names none itself."""
    dates = {d.mention.event_date for d in chosen if d.mention.event_date is not None}
    places: dict[str, Place] = {}
    for draft in drafts:
        mention = draft.mention
        if mention.period is not None or draft.place_source not in _OWN_PLACE:
            continue
        if dates and mention.event_date is not None and mention.event_date not in dates:
            continue
        for place in mention.places:
            places.setdefault(place.id, place)
    return tuple(places.values())


def _finest(places: Sequence[Place]) -> tuple[Place, ...]:
    """Countries say nothing once a town or province is named (and are often an actor's name)."""
    if _specific(places):
        return tuple(p for p in places if p.level != "country")
    return tuple(places)


def _locations(drafts: Sequence[Draft], chosen: Sequence[Draft]) -> tuple[Place, ...]:
    return _finest(_gathered(drafts, chosen))


def _duplicates(drafts: Sequence[Draft], chosen: Draft) -> list[Draft]:
    """The mention itself and every restatement of its figure ("25 killed" in title and body)."""
    me = chosen.mention
    return [d for d in drafts if d.mention.metric == me.metric and d.mention.count == me.count
            and d.mention.period is None and not d.subset]


def _own_places(drafts: Sequence[Draft]) -> dict[str, Place]:
    own: dict[str, Place] = {}
    for draft in drafts:
        if draft.place_source in _OWN_PLACE:
            for place in draft.mention.places:
                own.setdefault(place.id, place)
    return own


def _gathered(drafts: Sequence[Draft], chosen: Sequence[Draft]) -> tuple[Place, ...]:
    # The first figure's own statements name the place; the second figure's only if they don't
    # (its sentence may be an attribution: "the Guanajuato state prosecutor said").
    own: dict[str, Place] = {}
    for draft in chosen:
        own = own or _own_places(_duplicates(drafts, draft))
        if _specific(list(own.values())):
            return tuple(own.values())
    widened = _widened(drafts, chosen)
    if widened and (_specific(widened) or not own):
        return widened
    if own:
        return tuple(own.values())
    return chosen[0].mention.places if chosen else ()


def _coarse_only(places: Sequence[Place]) -> bool:
    return bool(places) and all(p.level in _COARSE for p in places)


def _town_in(places: tuple[Place, ...], dateline: Sequence[Place],
             near: Sequence[Place]) -> tuple[Place, ...]:
    """The first town inside the province or country the story names, when it names only
    those ("DADEVILLE, Ala. (AP) — ... in a small Alabama town", "a town in Zamfara state ...
    the attack on Kurfi", "15 soldiers killed in Niger ... in the Torodi area"): a town says
    better where, and matches its province anyway. A dateline town refines a province, not a
    country: there it is mostly the capital the reporter filed from."""
    if not _coarse_only(places):
        return places
    towns = near if all(p.level == "country" for p in places) else [*dateline, *near]
    inside = [t for t in towns if t.level == "locality" and any(t.within(p.id) for p in places)]
    return (inside[0],) if inside else places


# The towns around a draft: the dateline's, and those of its paragraph and the next.
Towns = Callable[[Draft], tuple[Sequence[Place], Sequence[Place]]]


def choose_headline(drafts: Sequence[Draft], towns: Towns | None = None) -> Headline:
    """Pick the killed and injured figures of the main incident and the places it happened.

    ``towns(draft)``: the towns named around a draft (the dateline's, and its paragraph's and
    the next one's), to make a location that is only provinces or a country finer.
    """
    killed = _pick(drafts, "killed", None)
    injured = _pick(drafts, "injured", killed)
    chosen = [d for d in (killed, injured) if d is not None]
    locations = _locations(drafts, chosen)
    # the towns are looked up only for a story that names provinces or a country alone
    if chosen and towns is not None and _coarse_only(locations):
        locations = _town_in(locations, *towns(chosen[0]))
    return Headline(
        killed.mention.ordinal if killed is not None else None,
        injured.mention.ordinal if injured is not None else None,
        locations,
    )

