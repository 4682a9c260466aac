"""Which places a sentence gets: its own, else its paragraph's nearest, else the article's main."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from workers.extract.sentences import Sentence
from workers.records import Place


class PlaceSpan(Protocol):
    """A place named at a character range of the document (the place finder's match)."""

    @property
    def start(self) -> int:
        """Offset of the first character of the name."""
        ...

    @property
    def end(self) -> int:
        """Offset one past the last character of the name."""
        ...

    @property
    def place(self) -> Place:
        """The gazetteer entry the name resolved to."""
        ...


@dataclass(frozen=True, slots=True)
class Scoped:
    """Places for a mention and where they came from: sentence, clause, paragraph or article."""

    places: tuple[Place, ...]
    source: str  # "clause", "sentence", "paragraph", "article" or "none"


def _unique(places: Sequence[Place]) -> tuple[Place, ...]:
    if len(places) < 2:
        return tuple(places)
    seen: dict[str, Place] = {}
    for place in places:
        seen.setdefault(place.id, place)
    return tuple(seen.values())


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_MONTH_SHORT = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# A wire dateline: "ODESA, Ukraine (Reuters) -", "PESHAWAR, Pakistan (AP) —", "KYIV —",
# "Kathmandu, August 23 --", "KHAR:", "Lucknow:", "July 14, 2024 (EL FASHER) –",
# "PESHAWAR, Dec 8, 2010 (AFP):", "LASHKAR GAH, Afghanistan, Sept. 23 (Xinhua) --".
DATELINE = re.compile(
    # an upper-case city, maybe its country, maybe a date, maybe the agency, then a dash or colon
    r"[A-Z][A-Z.'’ -]{2,40}(?:,\s+[A-Z][\w.' -]{1,30})?"
    r"(?:,\s+" + _MONTH_SHORT + r"\s+\d{1,2}(?:,\s+\d{4})?)?"
    r"\s*(?:\([A-Za-z ]{2,20}\)\s*)?(?:[—–-]{1,2}|:)\s"
    rf"|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,\s+{_MONTH}\s+\d{{1,2}}\s*"
    r"(?:\([A-Za-z ]{2,20}\)\s*)?[—–-]{1,2}\s"
    r"|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?:\s"
    rf"|{_MONTH}\s+\d{{1,2}},\s+\d{{4}}\s+\([A-Z][A-Z' -]{{2,30}}\)\s*[—–-]{{1,2}}\s"
)
# Where the wounded were taken is not where they were hurt: "airlifted to hospitals in Peshawar",
# "were taken to Maiduguri", "treated at hospitals in Aligarh and Etah".
_DESTINATION = re.compile(
    r"(?:\b(?:taken|airlifted|evacuated|transferred|moved|rushed|flown|referred|brought)\s+"
    r"(?:[\w'’-]+\s+){0,5}?to(?:\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+)?(?:hospitals?|clinics?)"
    r"\s+(?:in|at))?"
    r"|\b(?:treated|admitted|recovering|hospitali[sz]ed)\s+(?:[\w'’-]+\s+){0,4}?(?:in|at))"
    r"\s+(?:(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:,\s+|\s+and\s+))*$")

# "fired from Lebanon", "pilgrims from Maharashtra", "72km south-west of Marrakech" (but "the
# south of Lebanon" is in Lebanon), "near the border with Niger".
_BESIDE = re.compile(
    r"(?:\bfrom|(?<!the\s)\b(?:north|south|east|west)(?:-?(?:east|west))?\s+of"
    r"|\bborders?\s+with)\s+(?:the\s+)?$", re.IGNORECASE)


# "carried out by the Syrian government and Russia", "Iran's Revolutionary Guards": a country
# named as the one who acted, or as the owner of a force, is not where the casualties were.
_AGENT = re.compile(r"\bby\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:and\s+)?$", re.IGNORECASE)
_OWNER = re.compile(r"['’]s\s+[A-Z]")
_LOCATIVE = frozenset({"in", "at", "near", "across", "outside", "inside", "of", "into", "over",
                       "on", "around", "throughout"})

_BESIDE_LAST = frozenset({"from", "of", "with"})
# A destination ends on "to", "in" or "at", or on a list of names ("in Aligarh and", "in X,").
_DESTINATION_LAST = frozenset({"to", "in", "at", "and"})
_ASIDE_LAST = _BESIDE_LAST | _DESTINATION_LAST | {"the"}
# One of these starts every destination phrase above.
_CARE_WORDS = re.compile(r"taken|airlift|evacuat|transferr|moved|rushed|flown|referred|brought"
                         r"|treated|admitted|recovering|hospitali")


def _aside(sentence: Sentence, match: PlaceSpan, previous: PlaceSpan | None) -> bool:
    """Whether ``match`` names a place beside the incident: where the wounded were taken, where
    something came from, or a reference point ("40 km south of X", "the border with X").

    A town "east of" the province holding it ("Sarmin, east of Idlib") is inside it.
    """
    if previous is not None and previous.place.within(match.place.id):
        return False
    offset = match.start - sentence.start
    before = sentence.text[max(0, offset - 90):offset]
    if match.place.level == "country" and _actor_country(sentence.text, match.end - sentence.start,
                                                          before):
        return True
    # Both patterns end on one of these words (or a list's comma): most names fail here cheaply.
    tail = before.rsplit(None, 3)
    last = tail[-1].lower() if tail else ""
    if last not in _ASIDE_LAST and not last.endswith(","):
        return False
    # A reference point spans at most the last three words ("north-east of the"), so the
    # search starts there; the lookbehind still sees the text before.
    if (last in _BESIDE_LAST
            or (last == "the" and len(tail) > 1 and tail[-2].lower() in _BESIDE_LAST)) \
            and _BESIDE.search(before, len(tail[0]) if len(tail) > 3 else 0) is not None:
        return True
    return (last in _DESTINATION_LAST or last.endswith(",")) \
        and _CARE_WORDS.search(before) is not None and _DESTINATION.search(before) is not None


def _actor_country(text: str, end: int, before: str) -> bool:
    """Whether a country is named as the one who acted ("by Russia") or as an owner."""
    if _OWNER.match(text, end) is not None:
        return True
    words = before.lower().split()
    if not words or words[-1] in _LOCATIVE:
        return False
    return "by" in words[-6:] and _AGENT.search(before) is not None


def coherent(matches: Sequence[PlaceSpan]) -> list[PlaceSpan]:
    """Drop lone towns of a foreign country in an article firmly about another one.

    A surname or a word that happens to be a village abroad ("Dr. Hussein Bazar") is named once;
    the places an article is about are named again and again.
    """
    votes = Counter(m.place.country_code for m in matches)
    if not votes or max(votes.values()) < 3:
        return list(matches)
    return [m for m in matches
            if votes[m.place.country_code] > 1 or m.place.level in {"country", "admin1"}]


def _main_place(matches: Sequence[PlaceSpan], title_end: int) -> Place | None:
    """The most named place (a title's name counts twice), or a finer one inside it."""
    counts: dict[str, int] = {}
    first: dict[str, Place] = {}
    for match in matches:
        place = match.place
        counts[place.id] = counts.get(place.id, 0) + (2 if match.start < title_end else 1)
        first.setdefault(place.id, place)
    if not counts:
        return None
    # Finer places win ties: "Idlib city" over "Syria" when both are named as often.
    best = max(counts, key=lambda pid: (counts[pid], first[pid].level != "country"))
    # A town or province inside the most named place says better where it happened
    # ("Cyclone hits Mozambique" over a lede naming Cabo Delgado province); a town matches
    # its province anyway.
    finer = [pid for pid in counts if pid != best and first[pid].within(best)]
    if finer:
        best = max(finer, key=lambda pid: counts[pid])
    return first[best]


def _dateline_end(sentence: Sentence) -> int:
    """Document offset where ``sentence``'s dateline ends, or -1 when it opens on none."""
    found = DATELINE.match(sentence.text)
    return -1 if found is None else sentence.start + found.end()


def _start(item: PlaceSpan | Sentence) -> int:
    return item.start


class PlaceIndex:
    """Place matches of one document, grouped so each sentence finds its own quickly."""

    def __init__(self, matches: Sequence[PlaceSpan], sentences: Sequence[Sentence],
                 title_end: int) -> None:
        self._sentences = sentences
        self._matches = coherent(matches)
        self._title_end = title_end
        # Most sentences name no place: only those that do get an entry, by sentence index.
        self._by_sentence: dict[int, list[PlaceSpan]] = {}
        # Those places without the asides, sorted out only for a sentence someone asks about.
        self._kept: dict[int, list[PlaceSpan]] = {}
        # Places a sentence naming none gets, worked out once for all its mentions.
        self._beyond: dict[int, Scoped] = {}
        self._article: Scoped | None = None
        self.dateline: tuple[Place, ...] = ()
        self._group(sorted(self._matches, key=_start))

    def _group(self, matches: Sequence[PlaceSpan]) -> None:
        """File each match (in document order) under its sentence, but a dateline's apart."""
        sentences, j, read = self._sentences, 0, -1
        dateline_end = -1
        for match in matches:
            while j < len(sentences) and sentences[j].end <= match.start:
                j += 1
            if j == len(sentences) or sentences[j].start > match.start:
                continue  # in no sentence, so in no dateline either: datelines open sentences
            sentence = sentences[j]
            if read != j:  # only sentences naming a place are tried for a dateline
                read, dateline_end = j, _dateline_end(sentence)
            if match.start < dateline_end:
                # where the reporter filed from, not where the casualties were
                self.dateline = _unique([*self.dateline, match.place])
                continue
            self._by_sentence.setdefault(sentence.index, []).append(match)

    def _named_in(self, sentence: Sentence) -> list[PlaceSpan]:
        """The places ``sentence`` names where something happened (its asides dropped)."""
        if sentence.index not in self._kept:
            kept: list[PlaceSpan] = []
            for match in self._by_sentence.get(sentence.index, ()):
                if not _aside(sentence, match, kept[-1] if kept else None):
                    kept.append(match)
            self._kept[sentence.index] = kept
        return self._kept[sentence.index]

    def towns_near(self, offset: int, paragraphs: int) -> list[Place]:
        """Towns named in the paragraph holding document ``offset`` and the ones after it."""
        sentences = self._sentences
        # sentences are in document order, so the one holding the offset is found by bisection
        at = bisect.bisect_right(sentences, offset, key=_start) - 1
        if at < 0 or offset >= sentences[at].end:
            return []
        first = sentences[at].paragraph
        while at > 0 and sentences[at - 1].paragraph == first:
            at -= 1
        towns: list[Place] = []
        for s in itertools.takewhile(lambda s: s.paragraph < first + paragraphs, sentences[at:]):
            towns += [m.place for m in self._named_in(s)
                      if m.place.level == "locality"]
        return towns

    def in_range(self, sentence: Sentence, start: int, end: int) -> tuple[Place, ...]:
        """Places named in ``sentence`` between document offsets ``start`` and ``end``."""
        return _unique([m.place for m in self._named_in(sentence)
                        if start <= m.start and m.end <= end])

    def for_sentence(self, sentence: Sentence, clause: tuple[int, int]) -> Scoped:
        """The places a mention in ``sentence`` (within ``clause``, document offsets) gets."""
        if sentence.index in self._by_sentence:
            own = self.in_range(sentence, *clause)
            if own:
                return Scoped(own, "clause")
            own = self.in_range(sentence, sentence.start, sentence.end)
            if own:
                return Scoped(own, "sentence")
        if sentence.index not in self._beyond:
            near = self._nearest_in_paragraph(sentence)
            self._beyond[sentence.index] = Scoped(near, "paragraph") if near else self._main()
        return self._beyond[sentence.index]

    def _main(self) -> Scoped:
        """The article's main place, counted only for an article whose mention needs it."""
        if self._article is None:
            main = _main_place(self._matches, self._title_end)
            self._article = Scoped((main,), "article") if main is not None else Scoped((), "none")
        return self._article

    def _nearest_in_paragraph(self, sentence: Sentence) -> tuple[Place, ...]:
        """Places of the nearest sentence of the paragraph naming any, earlier ones first."""
        sentences, here = self._sentences, sentence.paragraph
        earlier = itertools.takewhile(lambda s: s.paragraph == here,
                                      reversed(sentences[:sentence.index]))
        later = itertools.takewhile(lambda s: s.paragraph == here, sentences[sentence.index + 1:])
        for other in itertools.chain(earlier, later):
            places = self.in_range(other, other.start, other.end)
            if places:
                return places
        return ()
