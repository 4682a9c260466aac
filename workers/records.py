"""Frozen value types passed between stages: what one stage returns is what the next one takes.

Stages import these (and ``workers.errors``, ``workers.clock``), never each other. Every type is
immutable and made of plain values so that tasks can persist it and tests can compare it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

Metric = Literal["killed", "injured"]
METRICS: tuple[Metric, ...] = ("killed", "injured")

# How a figure relates to the truth, ACLED-style. "cumulative" is a running total ("rose to 8").
Qualifier = Literal["exact", "at_least", "more_than", "nearly", "cumulative", "vague"]

PlaceLevel = Literal["country", "admin1", "admin2", "admin3", "locality", "neighbourhood", "region"]

TransitionKind = Literal["firing", "escalated", "repeat", "resolved"]


# --- feeds and fetch -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, with the identity that makes re-polling idempotent."""

    key: str  # GUID, else canonical URL, else a hash of title + summary
    url: str
    title: str
    published: datetime | None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a feed document says: its entries and its own polling hint (RSS ``ttl``, minutes)."""

    title: str
    entries: tuple[FeedEntry, ...]
    ttl_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """The outcome of one safe HTTP GET. ``not_modified`` is a 304 and carries no body."""

    url: str
    final_url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    not_modified: bool = False


# --- clean ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article's main text, boilerplate removed.

    ``document`` is the text every extractor span points into: the title, a blank line, the body.
    """

    title: str
    text: str
    published: datetime | None = None

    @property
    def document(self) -> str:
        """Title and body joined the one way every span is measured against."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


# --- extract -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``admin_ids`` runs from the country down to this place's parent."""

    id: str  # e.g. "gn:169389", "ocha:SY07", "cc:SY"
    name: str
    level: PlaceLevel
    country_code: str
    admin_ids: tuple[str, ...] = ()
    admin_names: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None

    def within(self, other_id: str) -> bool:
        """True if this place is ``other_id`` or lies inside it."""
        return self.id == other_id or other_id in self.admin_ids


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    """One casualty figure stated in an article, with the evidence behind it.

    ``span`` indexes ``CleanArticle.document``; ``document[span[0]:span[1]] == text``.
    A mention with ``period`` set is a period total ("56 since Nov. 27"): it is kept apart and
    never summed with incident figures. ``subset_of`` names the ordinal of the mention this one
    is part of ("including 20 children"); a subset never adds to a total.
    """

    ordinal: int
    metric: Metric
    count: int | None  # None when the text gives only vague wording
    qualifier: Qualifier
    text: str
    span: tuple[int, int]
    sentence: str
    confidence: float
    vague: str | None = None
    group: str | None = None
    subset_of: int | None = None
    running_total: bool = False
    period: str | None = None
    places: tuple[Place, ...] = ()
    actor: str | None = None
    event_date: date | None = None
    date_text: str | None = None
    headline: bool = False


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything extraction found in one article, plus its headline (main incident) figures."""

    extractor_version: str
    mentions: tuple[CasualtyMention, ...]
    killed: int | None = None
    injured: int | None = None
    killed_qualifier: Qualifier | None = None
    injured_qualifier: Qualifier | None = None
    locations: tuple[Place, ...] = ()
    actors: tuple[str, ...] = ()
    event_date: date | None = None


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One metric (optionally for one victim group) of an incident, across its sources."""

    metric: Metric
    group: str | None
    low: int
    best: int
    high: int


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One article's contribution to an incident, with the evidence for each figure it gave."""

    article_id: str
    url: str
    title: str
    published: datetime | None
    mentions: tuple[CasualtyMention, ...]


@dataclass(frozen=True, slots=True)
class Incident:
    """Mentions from one or more articles about the same place, day and event, fused.

    ``id`` is derived from content only, so fusion in any order yields the same ids.
    """

    id: str
    place: Place
    event_date: date | None
    first_reported: datetime
    figures: tuple[Figure, ...]
    sources: tuple[SourceRef, ...]
    period_total: bool = False

    def figure(self, metric: Metric, group: str | None = None) -> Figure | None:
        """The figure for ``metric`` and ``group`` (None = all victims), if any."""
        for fig in self.figures:
            if fig.metric == metric and fig.group == group:
                return fig
        return None


# --- alerts --------------------------------------------------------------------------------


DEFAULT_BANDS: tuple[int, ...] = (5, 10, 25, 50, 100)


@dataclass(frozen=True, slots=True)
class Silence:
    """Mute a watch until ``until``; the reason is shown to operators."""

    until: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Watch:
    """A place, a metric, a threshold and a window: the unit that alerts."""

    name: str
    place_id: str
    metric: Metric
    threshold: int
    window: timedelta
    group: str | None = None
    bands: tuple[int, ...] = DEFAULT_BANDS
    repeat_interval: timedelta = timedelta(hours=4)
    endpoints: tuple[str, ...] = ()
    silences: tuple[Silence, ...] = ()


@dataclass(frozen=True, slots=True)
class WatchState:
    """What the last evaluation of a watch concluded; the input to the next one."""

    watch: str
    firing: bool = False
    band: int = 0  # the highest band reached while firing (0 = below every band)
    total: int = 0
    since: datetime | None = None
    last_notified: datetime | None = None
    seq: int = 0  # transitions so far; part of the alert identity


@dataclass(frozen=True, slots=True)
class WindowTotal:
    """The sum over incidents in a watch's window of each incident's figures."""

    low: int
    best: int
    high: int
    window_start: datetime
    window_end: datetime
    incidents: tuple[Incident, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of a watch's state: the only thing that becomes an alert."""

    watch: str
    kind: TransitionKind
    seq: int
    at: datetime
    band: int
    total: WindowTotal
    previous_total: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """One article's latest extraction as fusion sees it (an updated article replaces its own)."""

    article_id: str
    url: str
    title: str
    published: datetime
    extraction: ArticleExtraction
    revision: int = 1
