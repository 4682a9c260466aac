"""Watch rules, window totals, state transitions and escalation bands."""

from workers.alerts.state import band_of, evaluate, ladder, silenced
from workers.alerts.watchlist import PlaceResolver, parse_duration, parse_watch, parse_watchlist
from workers.alerts.window import last_reported, window_total

__all__ = [
    "PlaceResolver",
    "band_of",
    "evaluate",
    "ladder",
    "last_reported",
    "parse_duration",
    "parse_watch",
    "parse_watchlist",
    "silenced",
    "window_total",
]
