"""Mentions to incidents: fusion across sources, running totals, period totals kept apart."""

from workers.events.claims import Claim, normalise_period, report_claims
from workers.events.fusion import as_aware, combine, fuse, latest_revisions

__all__ = [
    "Claim",
    "as_aware",
    "combine",
    "fuse",
    "latest_revisions",
    "normalise_period",
    "report_claims",
]
