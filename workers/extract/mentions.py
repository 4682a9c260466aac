"""Turn sentence findings into casualty mentions with evidence, period, places, actor and date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from workers.extract.casualties import Finding, find_casualties
from workers.extract.context import clause_bounds, find_actor, find_period
from workers.extract.dates import find_date
from workers.extract.numbers import Token, tokenize
from workers.extract.scope import PlaceIndex, Scoped
from workers.extract.sentences import Sentence
from workers.records import CasualtyMention

# How much a place found outside the mention's own sentence is trusted, relative to one inside.
_PLACE_TRUST = {"clause": 1.0, "sentence": 1.0, "paragraph": 0.9, "article": 0.75, "none": 0.8}


@dataclass(frozen=True, slots=True)
class Draft:
    """A mention plus what the headline choice needs to know about it."""

    mention: CasualtyMention
    subset: bool
    place_source: str
    in_title: bool


def _actor(sentence: Sentence, sentences: Sequence[Sentence]) -> str | None:
    actor = find_actor(sentence.text)
    if actor is not None:
        return actor
    for other in reversed(sentences[:sentence.index]):
        if other.paragraph != sentence.paragraph:
            break
        actor = find_actor(other.text)
        if actor is not None:
            return actor
    return None


def _draft(finding: Finding, tokens: list[Token], sentence: Sentence, *, scoped: Scoped,
           published: datetime | None, period: str | None, document: str) -> CasualtyMention:
    start, end = tokens[finding.first].start, tokens[finding.last - 1].end
    event_date, date_text = find_date(sentence.text, published)
    return CasualtyMention(
        ordinal=0, metric=finding.metric, count=finding.count, qualifier=finding.qualifier,
        text=document[start:end], span=(start, end), sentence=sentence.text,
        confidence=round(finding.confidence * _PLACE_TRUST[scoped.source], 2),
        vague=finding.vague, group=finding.group, running_total=finding.running, period=period,
        places=scoped.places, event_date=event_date, date_text=date_text,
    )


def _sentence_drafts(sentence: Sentence, sentences: Sequence[Sentence], *, index: PlaceIndex,
                     published: datetime | None, document: str, title_end: int) -> list[Draft]:
    tokens = tokenize(sentence.text, sentence.start)
    drafts: list[Draft] = []
    actor: str | None = None
    for finding in find_casualties(tokens):
        if actor is None:
            actor = _actor(sentence, sentences) or ""
        local = tokens[finding.first].start - sentence.start
        c_start, c_end = clause_bounds(sentence.text, local)
        period = find_period(sentence.text[c_start:c_end])
        clause = (sentence.start + c_start, sentence.start + c_end)
        scoped = index.for_sentence(sentence, clause)
        mention = _draft(finding, tokens, sentence, scoped=scoped, published=published,
                         period=period, document=document)
        mention = replace(mention, actor=actor or None)
        drafts.append(Draft(mention, finding.subset, scoped.source, sentence.start < title_end))
    return drafts


def _anchor(drafts: Sequence[Draft], i: int) -> int | None:
    """The mention a subset belongs to: the nearest earlier whole figure at least as large."""
    me = drafts[i].mention
    for j in range(i - 1, -1, -1):
        other = drafts[j]
        if other.subset or other.mention.metric != me.metric or other.mention.count is None:
            continue
        if me.count is None or other.mention.count >= me.count:
            return j
    return None


def _link_subsets(drafts: list[Draft]) -> list[Draft]:
    linked: list[Draft] = []
    for i, draft in enumerate(drafts):
        mention = replace(draft.mention, ordinal=i)
        if draft.subset:
            anchor = _anchor(drafts, i)
            if anchor is not None:
                period = mention.period or drafts[anchor].mention.period
                mention = replace(mention, subset_of=anchor, period=period)
        linked.append(replace(draft, mention=mention))
    return linked


def build_drafts(document: str, sentences: Sequence[Sentence], index: PlaceIndex,
                 published: datetime | None, title_end: int) -> list[Draft]:
    """Every casualty mention of the document in order, ordinals and subsets resolved."""
    drafts: list[Draft] = []
    for sentence in sentences:
        drafts.extend(_sentence_drafts(sentence, sentences, index=index, published=published,
                                       document=document, title_end=title_end))
    return _link_subsets(drafts)
