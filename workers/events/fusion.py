"""Fusion: claims from many reports about the same place, day and event become one incident."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from workers.events.claims import Claim, report_claims
from workers.records import METRICS, Figure, Incident, Report, SourceRef

IncidentKey = tuple[str, str, str]  # (kind, place id, day or normalised period)

# An undated report joins a dated incident at its place from its own day or the day before:
# news of "Sunday's strikes" is mostly published on Sunday or Monday.
_UNDATED_REACH = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def fuse(
    reports: Sequence[Report], *, claims_of: Callable[[Report], list[Claim]] = report_claims
) -> tuple[Incident, ...]:
    """Fuse the reports' casualty claims into incidents, in a deterministic order.

    The result depends on the set of reports only: any order gives the same incidents with the
    same content-derived ids. An updated article (same URL, higher revision) replaces its
    earlier revision. Period totals become incidents of their own (``period_total``).
    ``claims_of`` lets a caller that fuses the same reports many times reuse their claims.
    """
    claims = [c for report in latest_revisions(reports) for c in claims_of(report)]
    groups: dict[IncidentKey, list[Claim]] = defaultdict(list)
    dated = {(c.place.id, c.event_date) for c in claims if c.event_date and not c.period}
    for claim in claims:
        groups[_key(claim, dated)].append(claim)
    incidents = [_incident(key, members) for key, members in groups.items()]
    return tuple(sorted(incidents, key=lambda i: (i.first_reported, i.id)))


def latest_revisions(reports: Iterable[Report]) -> list[Report]:
    """One report per article (keyed by URL): the highest revision, ties broken by content."""
    latest: dict[str, Report] = {}
    for report in map(as_aware, reports):
        key = report.url or report.article_id
        current = latest.get(key)
        if current is None or _revision_key(report) > _revision_key(current):
            latest[key] = report
    return sorted(latest.values(), key=lambda r: (r.published, r.article_id))


def as_aware(report: Report) -> Report:
    """``report`` with an aware publication time: a naive one is taken to be UTC."""
    if report.published.tzinfo is not None:
        return report
    return dataclasses.replace(report, published=report.published.replace(tzinfo=UTC))


def _revision_key(report: Report) -> tuple[int, str, str, str]:
    # The content digest breaks ties between two same-revision versions whatever their order.
    digest = hashlib.sha256(repr(report).encode("utf-8")).hexdigest()
    return (report.revision, report.published.isoformat(), report.article_id, digest)


def _key(claim: Claim, dated: set[tuple[str, date]]) -> IncidentKey:
    if claim.period is not None:
        return ("period", claim.place.id, claim.period)
    if claim.event_date is not None:
        return ("event", claim.place.id, claim.event_date.isoformat())
    published = claim.report.published.date()
    for day in (published, published - _UNDATED_REACH):
        if (claim.place.id, day) in dated:
            return ("event", claim.place.id, day.isoformat())
    return ("event", claim.place.id, published.isoformat())


def _incident(key: IncidentKey, claims: list[Claim]) -> Incident:
    claims.sort(key=_claim_order)
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).hexdigest()[:24]
    event_dates = sorted({c.event_date for c in claims if c.event_date is not None})
    return Incident(
        id="inc_" + digest,
        place=claims[0].place,
        event_date=event_dates[-1] if event_dates else None,
        first_reported=min(c.report.published for c in claims),
        figures=_figures(claims),
        sources=_sources(claims),
        period_total=key[0] == "period",
    )


def _claim_order(claim: Claim) -> tuple[datetime, str, int, str]:
    return (claim.report.published, claim.report.article_id, claim.mention.ordinal,
            claim.group or "")


def _figures(claims: list[Claim]) -> tuple[Figure, ...]:
    keyed: dict[tuple[int, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        keyed[(METRICS.index(claim.metric), claim.group or "")].append(claim)
    return tuple(combine(members) for _, members in sorted(keyed.items()))


def combine(claims: Sequence[Claim]) -> Figure:
    """Low / best / high of one metric and group across the sources of one incident.

    Within one article the largest figure stands for the incident (the smaller ones are parts
    of it or earlier counts). Across articles, the highest running total supersedes everything
    published before it first appeared; of what is left, best is that running total, else the
    most conservative credible figure (ACLED), and low / high bound the rest.
    """
    per_source = _per_source(claims)
    running = [c for c in per_source if c.cumulative]
    if running:
        top = max(c.count for c in running)
        since = min(c.report.published for c in running if c.count == top)
        per_source = [c for c in per_source if c.report.published >= since]
    counts = [c.count for c in per_source]
    credible = [c.count for c in per_source if c.credible] or counts
    best = top if running else min(credible)
    first = claims[0]
    return Figure(metric=first.metric, group=first.group, low=min(counts), best=best,
                  high=max(counts))


def _per_source(claims: Sequence[Claim]) -> list[Claim]:
    best: dict[str, Claim] = {}
    for claim in claims:
        current = best.get(claim.report.article_id)
        if current is None or _strength(claim) > _strength(current):
            best[claim.report.article_id] = claim
    return list(best.values())


def _strength(claim: Claim) -> tuple[int, bool, bool, int]:
    # Deterministic whatever the input order: larger, then running, then credible, then first.
    return (claim.count, claim.cumulative, claim.credible, -claim.mention.ordinal)


def _sources(claims: list[Claim]) -> tuple[SourceRef, ...]:
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.report.article_id].append(claim)
    refs = []
    for members in by_article.values():
        report = members[0].report
        mentions = {c.mention.ordinal: c.mention for c in members}
        refs.append(SourceRef(
            article_id=report.article_id, url=report.url, title=report.title,
            published=report.published,
            mentions=tuple(mentions[k] for k in sorted(mentions)),
        ))
    return tuple(sorted(refs, key=lambda r: (r.published or _EPOCH, r.article_id)))
