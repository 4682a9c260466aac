"""One report's casualty mentions turned into placed, dated claims that fusion can group."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workers.records import CasualtyMention, Metric, Place, Report

# A claim below this confidence is kept as evidence but never chosen as the best figure.
CREDIBLE_CONFIDENCE = 0.5

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure one article gives for one metric and victim group, at one place."""

    report: Report
    mention: CasualtyMention
    place: Place
    metric: Metric
    group: str | None
    count: int
    event_date: date | None
    period: str | None  # normalised period wording; set only for period totals

    @property
    def cumulative(self) -> bool:
        """A running total ("rose to 8"): it supersedes what was reported before it."""
        return self.mention.running_total or self.mention.qualifier == "cumulative"

    @property
    def credible(self) -> bool:
        """Precise enough to be the best figure (ACLED: the most conservative credible one)."""
        return self.mention.qualifier != "vague" and self.mention.confidence >= CREDIBLE_CONFIDENCE

    @property
    def day(self) -> date:
        """The day the claim is about: its event date, else the day it was published."""
        return self.event_date or self.report.published.date()


def normalise_period(text: str) -> str:
    """"since Nov. 27" and "since November 27" name the same period."""
    words = re.findall(r"[a-z]+|\d+", text.casefold())
    return " ".join(_month(w) for w in words)


def _month(word: str) -> str:
    if len(word) >= 3 and any(m.startswith(word) for m in _MONTHS):
        return word[:3]
    return word


def report_claims(report: Report) -> list[Claim]:
    """Every claim ``report`` makes: a mention with no count or no place makes none.

    A subset ("including 20 children") only gives its own group's figure, never the total.
    A group figure that is not a subset ("17 wounded civilians") also counts for all victims.
    """
    by_ordinal = {m.ordinal: m for m in report.extraction.mentions}
    claims: list[Claim] = []
    for mention in report.extraction.mentions:
        if mention.count is None:
            continue
        anchor = by_ordinal.get(mention.subset_of) if mention.subset_of is not None else None
        place = _place(report, anchor or mention) or _place(report, mention)
        if place is None:
            continue
        for group in _groups(mention, is_subset=mention.subset_of is not None):
            claims.append(_claim(report, mention, anchor, place, group))
    return claims


def _claim(
    report: Report,
    mention: CasualtyMention,
    anchor: CasualtyMention | None,
    place: Place,
    group: str | None,
) -> Claim:
    source = anchor or mention
    event_date = source.event_date or (report.extraction.event_date if source.headline else None)
    # A subset of a period total ("including 20 children" of "56 since Nov. 27") is one too.
    period_text = mention.period or (anchor.period if anchor else None)
    period = normalise_period(period_text) if period_text else None
    assert mention.count is not None  # callers skip count-less mentions
    return Claim(report, mention, place, mention.metric, group, mention.count, event_date, period)


def _groups(mention: CasualtyMention, *, is_subset: bool) -> tuple[str | None, ...]:
    if is_subset:
        return (mention.group,) if mention.group else ()
    return (None, mention.group) if mention.group else (None,)


def _place(report: Report, mention: CasualtyMention) -> Place | None:
    """The mention's own place; a headline or period figure falls back to the article's.

    A headline figure stated for a wider area ("25 killed in northwestern Syria") is placed at
    the article's main location when that location lies inside the wider one.
    """
    main = report.extraction.locations[0] if report.extraction.locations else None
    own = mention.places[0] if mention.places else None
    if not (mention.headline or mention.period):
        return own
    if own is None or (main is not None and main.within(own.id)):
        return main
    return own
