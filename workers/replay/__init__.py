"""The simulated feed: a folder of articles served as RSS 2.0 plus pages, released on a clock."""

from workers.replay.items import ReplayItem, load_items, read_manifest
from workers.replay.render import feed_etag, render_feed, render_page
from workers.replay.server import ReplayServer

__all__ = [
    "ReplayItem",
    "ReplayServer",
    "feed_etag",
    "load_items",
    "read_manifest",
    "render_feed",
    "render_page",
]
