"""Operator actions shared by the CLI and the demo: load the seed files into the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workers.config import SeedConfig, WatchSpec
from workers.errors import ConfigError
from workers.extract.gazetteer import Gazetteer
from workers.records import Silence, Watch
from workers.storage import alerts as alerts_db
from workers.storage import feeds as feeds_db
from workers.storage.db import transaction


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a config load wrote."""

    feeds: int
    endpoints: int
    watches: int


def build_watch(spec: WatchSpec, gazetteer: Gazetteer, *, source: str = "watchlist.yaml") -> Watch:
    """Resolve a watch's place name against the gazetteer; an unknown place is a ConfigError."""
    place = gazetteer.resolve(spec.place, level=spec.level, country=spec.country)
    if place is None:
        where = f" ({spec.level})" if spec.level else ""
        raise ConfigError(f"{source}: watch {spec.name!r}: field place: "
                          f"{spec.place!r}{where} is not in the gazetteer")
    return Watch(
        name=spec.name, place_id=place.id, metric=spec.metric, threshold=spec.threshold,
        window=spec.window, group=spec.group, bands=spec.bands,
        repeat_interval=spec.repeat_interval, endpoints=spec.endpoints,
        silences=tuple(Silence(until=s.until, reason=s.reason) for s in spec.silences),
    )


def load_config(
    database_url: str, config: SeedConfig, gazetteer: Gazetteer, *, now: datetime
) -> Loaded:
    """Upsert feeds, endpoints and watches by name; loading the same files twice changes nothing."""
    built = [build_watch(spec, gazetteer) for spec in config.watches]
    with transaction(database_url) as conn:
        for feed in config.feeds:
            feeds_db.upsert_feed(conn, name=feed.name, url=feed.url,
                                 allow_private=feed.allow_private,
                                 min_interval=feed.min_interval, max_interval=feed.max_interval)
        for endpoint in config.endpoints:
            alerts_db.upsert_endpoint(conn, name=endpoint.name, url=endpoint.url,
                                      secret_ref=endpoint.secret_ref,
                                      allow_private=endpoint.allow_private,
                                      enabled=endpoint.enabled)
        for watch in built:
            alerts_db.upsert_watch(conn, watch, now=now)
    return Loaded(len(config.feeds), len(config.endpoints), len(built))
