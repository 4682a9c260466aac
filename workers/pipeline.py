"""The composition layer: the one place stages are chained, for the workers and the timeline.

Evaluation runs on event time. A checkpoint is an instant at which a watch is evaluated: every
publication time, and every instant at which a publication leaves the watch's window (so that
an emptied window resolves without waiting for the next article). At a checkpoint ``t`` the
incidents are fused from the reports published by ``t`` (within ``FUSION_LOOKBACK`` of the
window) and the watch is evaluated with ``now = t``. The live workers call :func:`advance` for
``checkpoints(watch, reports, after=last evaluated, until=watermark)``; :func:`timeline` calls
it for every checkpoint up to the last publication.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from workers.alerts import evaluate, window_total
from workers.clean import clean_html
from workers.delivery.payload import build_alert_payload, encode_payload, iso, message_id
from workers.errors import ConfigError, PermanentError
from workers.events import Claim, as_aware, fuse, report_claims
from workers.extract import Gazetteer, extract_article
from workers.feeds import article_id
from workers.records import (
    ArticleExtraction,
    CleanArticle,
    Place,
    Report,
    Transition,
    Watch,
    WatchState,
)
from workers.replay import ReplayItem, load_items, render_page

log = logging.getLogger(__name__)

# How far before a watch's window the news that shapes its incidents may reach (a running
# total weeks after the first report still updates its incident).
FUSION_LOOKBACK = timedelta(days=30)
# Where `tollwatch replay` serves by default: the timeline's article URLs and ids.
REPLAY_BASE_URL = "http://127.0.0.1:8765"


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """One alert ready for the outbox: its webhook id, event type, payload and exact body."""

    msg_id: str
    type: str
    payload: dict[str, object]
    body: bytes
    watch: str
    at: datetime


def analyse(article: CleanArticle, gazetteer: Gazetteer) -> ArticleExtraction:
    """Extract an article's casualty mentions, places and headline figures."""
    return extract_article(article, gazetteer)


def checkpoints(
    watch: Watch,
    reports: Sequence[Report],
    *,
    after: datetime | None = None,
    until: datetime | None = None,
) -> list[datetime]:
    """The instants in ``(after, until]`` at which ``watch`` must be evaluated, in order.

    Each publication time, the instant each publication stops counting for the window (and
    for fusion's lookback), and the end of each silence: between two of these instants no
    window total can change. Repeats due in between are found by :func:`advance` itself.
    """
    published = {as_aware(r).published for r in reports}
    horizon = watch.window + FUSION_LOOKBACK
    instants = published | {t + watch.window for t in published} | {t + horizon
                                                                    for t in published}
    instants |= {s.until for s in watch.silences}
    return sorted(t for t in instants
                  if (after is None or t > after) and (until is None or t <= until))


def oldest_needed(evaluated: Sequence[tuple[Watch, datetime | None]]) -> datetime | None:
    """The oldest publication any watch can still need, given when each was evaluated through.

    A watch evaluated through ``t`` is next evaluated after ``t``, on the reports published in
    its window plus the fusion lookback; older news cannot change its alerts. A watch never
    evaluated needs everything (None).
    """
    oldest: datetime | None = None
    for watch, through in evaluated:
        if through is None:
            return None
        need = through - watch.window - FUSION_LOOKBACK
        oldest = need if oldest is None else min(oldest, need)
    return oldest


def advance(
    watch: Watch,
    state: WatchState,
    reports: Sequence[Report],
    checkpoints: Sequence[datetime],
) -> tuple[WatchState, list[Transition]]:
    """Evaluate ``watch`` at each checkpoint in order; the final state and what changed.

    Take the checkpoints from :func:`checkpoints` (``after`` = the last instant evaluated):
    publication times alone miss the instants at which a window empties. Before each
    checkpoint, a firing watch is also evaluated whenever its repeat interval runs out, so a
    repeat is sent when it is due and not at the next piece of news. At instant ``t`` the
    incidents are fused from the reports published in ``(t - window - FUSION_LOOKBACK, t]``:
    older news no longer shapes the window's incidents, and fusion stays linear in the news of
    a few weeks rather than of all time.
    """
    step = _Stepper(watch, reports)
    transitions: list[Transition] = []
    for now in sorted(set(checkpoints)):
        while (due := _repeat_due(watch, state)) is not None and due < now:
            state, transition = step(state, due)
            if transition is None:
                break  # silenced: the silence's end is a checkpoint of its own
            transitions.append(transition)
        state, transition = step(state, now)
        if transition is not None:
            transitions.append(transition)
    return state, transitions


def _repeat_due(watch: Watch, state: WatchState) -> datetime | None:
    if not state.firing or state.last_notified is None:
        return None
    return state.last_notified + watch.repeat_interval


class _Stepper:
    """One evaluation of a watch at an instant, over the reports known at that instant."""

    def __init__(self, watch: Watch, reports: Sequence[Report]) -> None:
        self.watch = watch
        aware = [as_aware(r) for r in reports]
        self.claims = {id(r): report_claims(r) for r in aware}
        self.reports = [r for r in aware if _touches(watch, self.claims[id(r)])]

    def __call__(self, state: WatchState, now: datetime) -> tuple[WatchState, Transition | None]:
        since = now - self.watch.window - FUSION_LOOKBACK
        visible = [r for r in self.reports if since < r.published <= now]
        incidents = fuse(visible, claims_of=lambda r: self.claims[id(r)])
        total = window_total(self.watch, incidents, now=now)
        return evaluate(self.watch, state, total, now=now)


def _touches(watch: Watch, claims: Sequence[Claim]) -> bool:
    # Incidents are keyed by place, so reports with nothing inside the watched place cannot
    # change its total: skipping them saves fusing the whole corpus at every checkpoint.
    return any(c.place.within(watch.place_id) for c in claims)


def render_alert(transition: Transition, watch: Watch, gazetteer: Gazetteer) -> AlertMessage:
    """The webhook message for ``transition``: same bytes and id on every run."""
    payload = build_alert_payload(transition, watch, _watched_place(watch, gazetteer))
    return AlertMessage(
        msg_id=message_id(transition),
        type=str(payload["type"]),
        payload=payload,
        body=encode_payload(payload),
        watch=watch.name,
        at=transition.at,
    )


def _watched_place(watch: Watch, gazetteer: Gazetteer) -> Place:
    try:
        return gazetteer.get(watch.place_id)
    except KeyError as exc:
        raise ConfigError(f"watch {watch.name}: unknown place id {watch.place_id}") from exc


def clean_item(item: ReplayItem, *, base_url: str = REPLAY_BASE_URL) -> CleanArticle:
    """The main text of one replay-folder article, as a worker gets it from the replay feed.

    The workers fetch the page `tollwatch replay` serves for the item and clean that; the
    timeline does the same, so both see the same text, spans and sentences.
    """
    page = item.text if item.kind == "html" else render_page(item, base_url)
    return clean_html(page, url=base_url + item.path, published=item.published)


def article_report(
    item: ReplayItem, gazetteer: Gazetteer, *, base_url: str = REPLAY_BASE_URL
) -> Report:
    """Clean and analyse one replay-folder article into the report fusion takes.

    Its URL and id are the ones the workers record for the same item served at ``base_url``.
    """
    url = base_url + item.path
    article = clean_item(item, base_url=base_url)
    return Report(
        article_id=article_id(url),
        url=url,
        title=article.title,
        published=item.published,
        extraction=analyse(article, gazetteer),
    )


def folder_reports(
    folder: Path, gazetteer: Gazetteer, *, base_url: str = REPLAY_BASE_URL
) -> list[Report]:
    """Every article of a replay folder as a report; an unreadable one is logged and skipped."""
    reports = []
    for item in load_items(folder):
        try:
            reports.append(article_report(item, gazetteer, base_url=base_url))
        except PermanentError as exc:
            log.warning("timeline.article_skipped", extra={"file": item.stem, "error": str(exc)})
    return reports


def timeline(
    folder: Path, watches: Sequence[Watch], gazetteer: Gazetteer, *,
    base_url: str = REPLAY_BASE_URL,
) -> list[AlertMessage]:
    """Replay a folder of articles on event time; every alert of every watch, in time order.

    The virtual clock stops at the last publication, as the workers' event-time watermark
    does, so the workers fed by `tollwatch replay` at ``base_url`` send the same alerts.
    """
    reports = folder_reports(folder, gazetteer, base_url=base_url)
    end = max((r.published for r in reports), default=None)
    messages = []
    for watch in watches:
        start = WatchState(watch=watch.name)
        points = checkpoints(watch, reports, until=end)
        _, transitions = advance(watch, start, reports, points)
        messages += [render_alert(t, watch, gazetteer) for t in transitions]
    return sorted(messages, key=lambda m: (m.at, m.watch, m.msg_id))


def timeline_lines(messages: Sequence[AlertMessage]) -> list[str]:
    """One canonical JSON line per alert: checkpoint time, webhook id, type and payload."""
    return [
        json.dumps(
            {"at": iso(m.at), "webhook_id": m.msg_id, "type": m.type, "payload": m.payload},
            sort_keys=True, separators=(",", ":"), ensure_ascii=False,
        )
        for m in messages
    ]
