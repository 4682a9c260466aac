"""One report's casualty mentions turned into placed, dated claims that fusion can group."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from workers.records import CasualtyMention, Metric, Place, Report

# Within one article, figures at the main place this close to the main date are its parts.
_SAME_INCIDENT_DAYS = timedelta(days=1)
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
    context = _Context.of(report)
    by_ordinal = {m.ordinal: m for m in report.extraction.mentions}
    claims: list[Claim] = []
    for mention in report.extraction.mentions:
        if mention.count is None:
            continue
        anchor = by_ordinal.get(mention.subset_of) if mention.subset_of is not None else None
        place = context.place(anchor or mention) or context.place(mention)
        if place is None:
            continue
        event_date = context.day(anchor or mention, place)
        # A subset of a period total ("including 20 children" of "56 since Nov. 27") is one too.
        period_text = mention.period or (anchor.period if anchor else None)
        period = normalise_period(period_text) if period_text else None
        for group in _groups(mention, is_subset=mention.subset_of is not None):
            claims.append(Claim(report, mention, place, mention.metric, group, mention.count,
                                event_date, period))
    return claims


def _groups(mention: CasualtyMention, *, is_subset: bool) -> tuple[str | None, ...]:
    if is_subset:
        return (mention.group,) if mention.group else ()
    return (None, mention.group) if mention.group else (None,)


@dataclass(frozen=True, slots=True)
class _Context:
    """What an article says about its main incident: where, when, and its headline figures."""

    locations: tuple[Place, ...]
    headline_figures: frozenset[tuple[str, int | None]]
    main_day: date | None = None
    main_places: frozenset[str] = frozenset()

    @classmethod
    def of(cls, report: Report) -> _Context:
        extraction = report.extraction
        heads = [m for m in extraction.mentions if m.headline]
        figures = frozenset((m.metric, m.count) for m in heads if m.count is not None)
        bare = cls(extraction.locations, figures)
        main_mentions = [m for m in extraction.mentions if bare.is_main(m)]
        dates = [extraction.event_date, *(m.event_date for m in main_mentions)]
        places = (bare.place(m) for m in main_mentions)
        return cls(
            locations=extraction.locations,
            headline_figures=figures,
            main_day=next((d for d in dates if d is not None), None),
            main_places=frozenset(p.id for p in places if p is not None),
        )

    def is_main(self, mention: CasualtyMention) -> bool:
        """A headline figure, or the same figure stated again in the body."""
        return _restates(mention, self.headline_figures)

    def place(self, mention: CasualtyMention) -> Place | None:
        """Where the mention's casualties happened, as far as fusion is concerned.

        A headline figure keeps its own place when the extractor lists it among the article's
        locations (where the headline casualties happened); otherwise ("25 killed in
        northwestern Syria", or a place borrowed from a neighbouring sentence) it goes to the
        main location. A period total with no place, or one stated for an area around the main
        location, is placed at the main location.
        """
        own = mention.places[0] if mention.places else None
        main = self.locations[0] if self.locations else None
        if self.is_main(mention):
            listed = own is not None and any(p.id == own.id for p in self.locations)
            return own if listed or main is None else main
        if mention.period and (own is None or (main and main.within(own.id))):
            return main
        return own

    def day(self, mention: CasualtyMention, place: Place) -> date | None:
        """The mention's event date; where the main incident is, a day apart is the same day.

        An article describes its main incident in parts ("yesterday's rocket killed a child"
        among "today's toll rose to 8"); those parts are the incident, not new ones.
        """
        own = mention.event_date
        if place.id not in self.main_places or self.main_day is None:
            return own
        if own is None or abs(own - self.main_day) <= _SAME_INCIDENT_DAYS:
            return self.main_day
        return own


def _restates(mention: CasualtyMention, figures: frozenset[tuple[str, int | None]]) -> bool:
    return mention.headline or (
        mention.period is None and (mention.metric, mention.count) in figures
    )
