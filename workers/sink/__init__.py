"""The demo and test webhook receiver behind ``tollwatch sink``."""

from workers.sink.format import format_alert
from workers.sink.server import ReceivedAlert, Rejection, SinkServer

__all__ = ["ReceivedAlert", "Rejection", "SinkServer", "format_alert"]
