"""Hand-built places, mentions and reports for the events, alerts and pipeline tests.

Every mention is cut out of a real document string, so its span and text always agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from workers.records import ArticleExtraction, CasualtyMention, Metric, Place, Qualifier, Report

SYRIA = Place("cc:SY", "Syria", "country", "SY")
IDLIB_GOV = Place("ocha:SY07", "Idlib", "admin1", "SY", ("cc:SY",), ("Syria",))
IDLIB_CITY = Place("ocha:C3871", "Idlib", "locality", "SY", ("cc:SY", "ocha:SY07", "ocha:SY0700"),
                   ("Syria", "Idlib", "Idlib"))
SARMIN = Place("ocha:C3950", "Sarmin", "locality", "SY", ("cc:SY", "ocha:SY07", "ocha:SY0700"),
               ("Syria", "Idlib", "Idlib"))
ALEPPO_GOV = Place("ocha:SY02", "Aleppo", "admin1", "SY", ("cc:SY",), ("Syria",))
DARAT_IZZA = Place("ocha:C1234", "Darat Izza", "locality", "SY", ("cc:SY", "ocha:SY02"),
                   ("Syria", "Aleppo"))
DAMASCUS = Place("ocha:SY01", "Damascus", "admin1", "SY", ("cc:SY",), ("Syria",))
PLACES = (IDLIB_CITY, SARMIN, DARAT_IZZA, DAMASCUS, IDLIB_GOV, SYRIA)


def at(day: int, hour: int = 12, month: int = 12, year: int = 2024) -> datetime:
    """An aware UTC instant."""
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class Fig:
    """One figure to write into an article: a sentence holding ``phrase``."""

    sentence: str
    phrase: str
    count: int | None
    metric: Metric = "killed"
    qualifier: Qualifier = "exact"
    place: Place | None = IDLIB_CITY
    group: str | None = None
    subset_of: int | None = None
    period: str | None = None
    event_date: date | None = None
    headline: bool = False
    confidence: float = 0.9


@dataclass
class Article:
    """A document and the report extraction would make of it."""

    url: str
    published: datetime
    figures: list[Fig] = field(default_factory=list)
    title: str = "Strikes hit the north"
    revision: int = 1
    locations: tuple[Place, ...] = (IDLIB_CITY,)

    @property
    def document(self) -> str:
        """Title, blank line, then one sentence per figure."""
        return self.title + "\n\n" + " ".join(f.sentence for f in self.figures)

    def report(self) -> Report:
        """The Report fusion sees for this article."""
        doc = self.document
        mentions = tuple(_mention(doc, i, f) for i, f in enumerate(self.figures))
        extraction = ArticleExtraction(extractor_version="test", mentions=mentions,
                                       locations=self.locations)
        article_id = "art_" + hashlib.sha256(self.url.encode()).hexdigest()[:12]
        return Report(article_id=article_id, url=self.url, title=self.title,
                      published=self.published, extraction=extraction, revision=self.revision)


def _mention(doc: str, ordinal: int, fig: Fig) -> CasualtyMention:
    sentence_start = doc.index(fig.sentence)
    start = doc.index(fig.phrase, sentence_start)
    return CasualtyMention(
        ordinal=ordinal, metric=fig.metric, count=fig.count, qualifier=fig.qualifier,
        text=fig.phrase, span=(start, start + len(fig.phrase)), sentence=fig.sentence,
        confidence=fig.confidence, group=fig.group, subset_of=fig.subset_of,
        running_total=fig.qualifier == "cumulative", period=fig.period,
        places=(fig.place,) if fig.place else (), event_date=fig.event_date,
        headline=fig.headline,
    )


def killed(n: int, place: Place | None = IDLIB_CITY, **kw: object) -> Fig:
    """A plain "N people were killed in PLACE." figure."""
    where = place.name if place else "the north"
    phrase = f"{n} people were killed"
    return Fig(f"{phrase} in {where}.", phrase, n, place=place, **kw)  # type: ignore[arg-type]


def rose_to(n: int, place: Place | None = IDLIB_CITY, **kw: object) -> Fig:
    """A running total: "The death toll in PLACE rose to N."."""
    where = place.name if place else "the north"
    phrase = f"rose to {n}"
    return Fig(f"The death toll in {where} {phrase}.", phrase, n, qualifier="cumulative",
               place=place, **kw)  # type: ignore[arg-type]


DEC_1 = date(2024, 12, 1)


def same_strikes_reports() -> list[Report]:
    """Two outlets on the Dec. 1 strikes in Idlib, with subsets and a period total."""
    first = Article("https://a.example/strikes", at(2, 6), [
        Fig("At least 25 people killed in airstrikes", "At least 25 people", 25,
            qualifier="at_least", place=None, headline=True, event_date=DEC_1),
        Fig("At least seven people died in the center of Idlib.", "seven people", 7,
            qualifier="at_least", subset_of=0),
        Fig("Ten children were among those killed.", "Ten children", 10, group="children",
            subset_of=0, place=None),
        Fig("The total killed since Nov. 27 has risen to 56.", "risen to 56", 56,
            qualifier="cumulative", place=None, period="since Nov. 27"),
    ])
    second = Article("https://b.example/25-lives", at(2, 14), [
        Fig("Airstrikes claim 27 lives", "27 lives", 27, place=None, headline=True,
            event_date=DEC_1),
        Fig("Fatalities since November 27 reportedly rose to 56.", "rose to 56", 56,
            qualifier="cumulative", place=None, period="since November 27"),
    ])
    return [first.report(), second.report()]
