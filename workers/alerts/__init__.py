"""Watch rules, window totals, state transitions and escalation bands."""

from workers.alerts.state import band_of, evaluate, ladder, silenced
from workers.alerts.window import last_reported, window_total

__all__ = ["band_of", "evaluate", "ladder", "last_reported", "silenced", "window_total"]
