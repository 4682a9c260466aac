"""Turn sentence findings into casualty mentions with evidence, period, places, actor and date."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from workers.extract.casualties import Finding, find_casualties
from workers.extract.context import clause_bounds, clause_breaks, find_actor, find_period
from workers.extract.dates import find_date
from workers.extract.lexicon import CASUALTY_STEMS
from workers.extract.numbers import spans_of, tokenize
from workers.extract.scope import PlaceIndex, Scoped
from workers.extract.sentences import Sentence
from workers.records import CasualtyMention

# How much a place found outside the mention's own sentence is trusted, relative to one inside.
_PLACE_TRUST = {"clause": 1.0, "sentence": 1.0, "paragraph": 0.9, "article": 0.75, "none": 0.8}


class Draft(NamedTuple):
    """A mention plus what the headline choice needs to know about it.

    Named tuples, here and for ``_Reading``: one is built per mention or sentence, and a
    frozen dataclass takes several times longer to build.
    """

    mention: CasualtyMention
    subset: bool
    place_source: str
    in_title: bool


@dataclass(slots=True)
class _Context:
    """What every mention of one document is built against."""

    document: str
    sentences: Sequence[Sentence]
    index: PlaceIndex
    published: datetime | None
    title_end: int
    drafts: list[Draft]
    actors: dict[int, str | None] = field(default_factory=dict)  # by sentence index

    def actor_of(self, sentence: Sentence) -> str | None:
        """The actor ``sentence`` names, read once per sentence."""
        if sentence.index not in self.actors:
            self.actors[sentence.index] = find_actor(sentence.text)
        return self.actors[sentence.index]

    def actor(self, sentence: Sentence) -> str | None:
        """The actor of the sentence, else of the nearest earlier one in its paragraph."""
        for k in range(sentence.index, -1, -1):
            other = self.sentences[k]
            if other.paragraph != sentence.paragraph:
                break
            actor = self.actor_of(other)
            if actor is not None:
                return actor
        return None


class _Reading(NamedTuple):
    """What one sentence says once, shared by every mention in it."""

    sentence: Sentence
    spans: list[tuple[int, int]]  # offsets of the tokens in the sentence, up to the last finding's
    actor: str | None
    event_date: date | None
    date_text: str | None
    breaks: tuple[tuple[int, int], ...]
    clauses: dict[tuple[int, int], tuple[str | None, Scoped]]  # by clause bounds


def _anchor(drafts: Sequence[Draft], finding: Finding) -> int | None:
    """The mention a subset belongs to: the nearest earlier whole figure at least as large."""
    for j in range(len(drafts) - 1, -1, -1):
        other = drafts[j]
        if other.subset or other.mention.metric != finding.metric or other.mention.count is None:
            continue
        if finding.count is None or other.mention.count >= finding.count:
            return j
    return None


def _clause(ctx: _Context, reading: _Reading,
            bounds: tuple[int, int]) -> tuple[str | None, Scoped]:
    """The period and places of one clause of the sentence, read once for all its mentions."""
    if bounds not in reading.clauses:
        sentence, (start, end) = reading.sentence, bounds
        reading.clauses[bounds] = (
            find_period(sentence.text[start:end]),
            ctx.index.for_sentence(sentence, (sentence.start + start, sentence.start + end)))
    return reading.clauses[bounds]


def _mention(ctx: _Context, finding: Finding, reading: _Reading) -> Draft:
    sentence = reading.sentence
    start = sentence.start + reading.spans[finding.first][0]
    end = sentence.start + reading.spans[finding.last - 1][1]
    period, scoped = _clause(ctx, reading, clause_bounds(sentence.text, start - sentence.start,
                                                          reading.breaks))
    anchor = _anchor(ctx.drafts, finding) if finding.subset else None
    if anchor is not None:
        period = period or ctx.drafts[anchor].mention.period
    mention = CasualtyMention(
        ordinal=len(ctx.drafts), metric=finding.metric, count=finding.count,
        qualifier=finding.qualifier, text=ctx.document[start:end], span=(start, end),
        sentence=sentence.text,
        confidence=round(finding.confidence * _PLACE_TRUST[scoped.source], 2),
        vague=finding.vague, group=finding.group, subset_of=anchor,
        running_total=finding.running, period=period, places=scoped.places,
        actor=reading.actor, event_date=reading.event_date, date_text=reading.date_text,
    )
    return Draft(mention, finding.subset, scoped.source, sentence.start < ctx.title_end)


def _read_sentence(ctx: _Context, sentence: Sentence) -> None:
    tokens = tokenize(sentence.text)
    findings = find_casualties(tokens)
    if not findings:
        return
    event_date, date_text = find_date(sentence.text, ctx.published)
    # a mention needs the offsets of its first and last tokens only: none after the last one
    last = max(finding.last for finding in findings)
    reading = _Reading(sentence, spans_of(sentence.text, tokens[:last]),
                       ctx.actor(sentence), event_date, date_text,
                       clause_breaks(sentence.text), {})
    for finding in findings:
        ctx.drafts.append(_mention(ctx, finding, reading))


def _word_char(char: str) -> bool:
    """True for what a regex ``\\w`` matches (letters, digits, the underscore)."""
    return char.isalnum() or char == "_"


def casualty_hits(document: str) -> list[int]:
    """Offsets of every casualty word in ``document``, in order: where a ``CASUALTY_STEMS``
    stem starts a word (of the lower-cased text), and ends one when it must."""
    low = document.lower()
    found: set[int] = set()
    for stem, whole in CASUALTY_STEMS:
        at = low.find(stem)
        while at >= 0:
            end = at + len(stem)
            # stems open on a letter: a word starts here unless a word character comes before
            if (not at or not _word_char(low[at - 1])) and (
                    not whole or end == len(low) or not _word_char(low[end])):
                found.add(at)
            at = low.find(stem, at + 1)
    return sorted(found)


def _has_hit(hits: Sequence[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(hits, start)
    return at < len(hits) and hits[at] < end


def relevant_text(document: str, sentences: Sequence[Sentence], title_end: int,
                  hits: Sequence[int]) -> str:
    """``document`` with every paragraph but the title, the lede and those that name a casualty
    blanked out, offsets kept.

    Places only matter in the title and in paragraphs that hold a casualty figure, and the
    place finder's cost grows with the text it reads.
    """
    keep = {s.paragraph for s in sentences if s.start < title_end or _has_hit(hits, s.start, s.end)}
    # The lede names where the story happened even when its figures come a paragraph later,
    # and the paragraph after it often says where more finely ("It said soldiers in the Torodi
    # area ... were ambushed"): the headline's towns are looked for there.
    lede = next((s.paragraph for s in sentences if s.start >= title_end), -1)
    keep.update((lede, lede + 1))
    pieces: list[str] = []
    done = 0
    for sentence in sentences:
        if sentence.paragraph not in keep:
            pieces += (document[done:sentence.start], " " * (sentence.end - sentence.start))
            done = sentence.end
    pieces.append(document[done:])
    return "".join(pieces)


def build_drafts(document: str, sentences: Sequence[Sentence], index: PlaceIndex, *,
                 published: datetime | None, title_end: int,
                 hits: Sequence[int]) -> list[Draft]:
    """Every casualty mention of the document in order, ordinals and subsets resolved.

    ``hits`` are the casualty words (``casualty_hits``): every rule needs one, so only the
    sentences that hold one are read.
    """
    ctx = _Context(document, sentences, index, published, title_end, [])
    for sentence in sentences:
        if _has_hit(hits, sentence.start, sentence.end):
            _read_sentence(ctx, sentence)
    return ctx.drafts
