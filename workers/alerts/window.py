"""A watch's window total: the sum of each in-window incident's figures at the watched place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workers.records import Incident, Watch, WindowTotal


def window_total(watch: Watch, incidents: Sequence[Incident], *, now: datetime) -> WindowTotal:
    """Sum low / best / high over the incidents that count for ``watch`` at ``now``.

    An incident counts when it lies at or inside the watched place, has a figure for the
    watch's metric and group, is not a period total, and was last reported in the window
    ``(now - window, now]``: an incident stays in the window while news of it keeps coming.
    """
    start = now - watch.window
    counted = []
    for incident in incidents:
        reported = last_reported(incident)
        if _covers(watch, incident) and reported is not None and start < reported <= now:
            counted.append(incident)
    counted.sort(key=lambda i: (i.first_reported, i.id))
    figures = [i.figure(watch.metric, watch.group) for i in counted]
    return WindowTotal(
        low=sum(f.low for f in figures if f is not None),
        best=sum(f.best for f in figures if f is not None),
        high=sum(f.high for f in figures if f is not None),
        window_start=start,
        window_end=now,
        incidents=tuple(counted),
    )


def last_reported(incident: Incident) -> datetime | None:
    """When the latest source of ``incident`` was published (None if no source is dated)."""
    dates = [s.published for s in incident.sources if s.published is not None]
    return max(dates) if dates else None


def _covers(watch: Watch, incident: Incident) -> bool:
    return (
        not incident.period_total
        and incident.place.within(watch.place_id)
        and incident.figure(watch.metric, watch.group) is not None
    )
