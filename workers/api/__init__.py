"""The read-only HTTP API behind ``tollwatch api``: health, readiness, metrics, JSON views."""

from workers.api.server import ApiServer

__all__ = ["ApiServer"]
