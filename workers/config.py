"""The only reader of the environment: Settings, and the seeds/*.yaml files validated at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from workers.errors import ConfigError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}


def parse_duration(value: object) -> timedelta:
    """'90s', '5m', '72h', '7d' or a number of seconds -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=float(value))
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30s, 5m, 72h, 7d)")
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class Settings(BaseSettings):
    """Process settings, from TOLLWATCH_* variables (and files in ``secrets_dir`` if set)."""

    model_config = SettingsConfigDict(env_prefix="TOLLWATCH_", extra="forbid", frozen=True)

    database_url: str = "sqlite:///var/tollwatch.db"
    broker_url: str = "redis://127.0.0.1:6379/0"
    seeds_dir: Path = Path("seeds")
    # "system": windows end at the wall clock. "feed": windows end at the event-time watermark
    # (the latest publication time whose earlier articles are all processed), for replays.
    clock: Literal["system", "feed"] = "system"
    allow_private_addresses: bool = False
    endpoint_secrets: dict[str, str] = Field(default_factory=dict)
    sink_secret: str = ""
    replay_url: str = "http://127.0.0.1:8765"
    sink_url: str = "http://127.0.0.1:9000"
    log_format: Literal["json", "console"] = "console"
    log_level: str = "INFO"
    # Fetch limits (see workers.net.HttpOptions).
    fetch_connect_timeout: float = 5.0
    fetch_read_timeout: float = 15.0
    fetch_total_timeout: float = 30.0
    fetch_max_bytes: int = 5_000_000
    # Celery hard limits per queue group, seconds; soft limits are 0.9 x hard.
    task_time_limit: int = 120
    deliver_time_limit: int = 45
    # Scheduling.
    poll_tick: Duration = timedelta(seconds=5)
    sweep_tick: Duration = timedelta(seconds=5)
    # An article still pending or fetched this long after discovery lost its message
    # (a broker restart, a killed worker): re-enqueue it. Tasks are idempotent.
    redrive_after: Duration = timedelta(minutes=10)
    # With the system clock, windows move with time alone: repeats and resolutions need a tick.
    evaluate_tick: Duration = timedelta(seconds=60)
    feed_min_interval: Duration = timedelta(seconds=5)
    feed_max_interval: Duration = timedelta(hours=6)
    # Delivery retry schedule scale (1.0 = the Svix-like production schedule).
    retry_scale: float = 1.0
    delivery_timeout: float = 15.0

    @property
    def visibility_timeout(self) -> int:
        """Broker visibility timeout: above the longest hard limit, or tasks run twice."""
        return int(max(self.task_time_limit, self.deliver_time_limit) * 3) + 60


@cache
def get_settings() -> Settings:
    """The process-wide Settings, read once."""
    return Settings()


def environ() -> Mapping[str, str]:
    """A read-only view of the environment, for ${VAR} expansion in seed files."""
    return dict(os.environ)


# --- seeds/*.yaml ------------------------------------------------------------------------

_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


def expand_vars(text: str, variables: Mapping[str, str]) -> str:
    """Replace ${VAR} and ${VAR:-default}; an unset variable without a default is an error."""

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in variables:
            return variables[name]
        if default is not None:
            return default
        raise KeyError(name)

    return _VAR.sub(substitute, text)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedSpec(_Strict):
    """One feed in seeds/feeds.yaml."""

    name: str
    url: str
    allow_private: bool = False
    min_interval: Duration = timedelta(seconds=5)
    max_interval: Duration = timedelta(hours=6)
    region: str | None = None


class EndpointSpec(_Strict):
    """One webhook endpoint in seeds/endpoints.yaml; secrets come from settings, not the file."""

    name: str
    url: str
    secret_ref: str = Field(description="key into TOLLWATCH_ENDPOINT_SECRETS")
    allow_private: bool = False
    enabled: bool = True


class SilenceSpec(_Strict):
    """Mute a watch until a time."""

    until: datetime
    reason: str

    @field_validator("until")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class WatchSpec(_Strict):
    """One watch in seeds/watchlist.yaml (the place is resolved against the gazetteer)."""

    name: str
    place: str
    level: Literal["country", "admin1", "admin2", "admin3", "locality", "region"] | None = None
    country: str | None = None
    metric: Literal["killed", "injured"]
    group: str | None = None
    threshold: int = Field(gt=0)
    window: Duration
    bands: tuple[int, ...] = (5, 10, 25, 50, 100)
    repeat_interval: Duration = timedelta(hours=4)
    endpoints: tuple[str, ...] = ()
    silences: tuple[SilenceSpec, ...] = ()

    @field_validator("repeat_interval")
    @classmethod
    def _not_too_often(cls, value: timedelta) -> timedelta:
        # Repeats are evaluated when due: a seconds-long interval over a long crisis would mean
        # millions of evaluations and a flood of notifications.
        if value < timedelta(minutes=5):
            raise ValueError("repeat_interval must be at least 5m")
        return value

    @field_validator("bands")
    @classmethod
    def _ascending(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if list(value) != sorted(set(value)) or any(b <= 0 for b in value):
            raise ValueError("bands must be positive and strictly ascending")
        return value


class FeedsFile(_Strict):
    feeds: tuple[FeedSpec, ...] = ()


class EndpointsFile(_Strict):
    endpoints: tuple[EndpointSpec, ...] = ()


class WatchlistFile(_Strict):
    watches: tuple[WatchSpec, ...] = ()


class SeedConfig(_Strict):
    """The three seed files, validated and cross-checked."""

    feeds: tuple[FeedSpec, ...]
    endpoints: tuple[EndpointSpec, ...]
    watches: tuple[WatchSpec, ...]


def _load_yaml(path: Path, model: type[_Strict], variables: Mapping[str, str]) -> Any:
    if not path.exists():
        return model()
    try:
        raw = yaml.safe_load(expand_vars(path.read_text(encoding="utf-8"), variables)) or {}
        return model.model_validate(raw)
    except KeyError as exc:
        raise ConfigError(f"{path}: variable ${{{exc.args[0]}}} is not set") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from exc


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"field {where}: {err['msg']}")
    return "; ".join(parts)


def load_seed_config(folder: Path, variables: Mapping[str, str] | None = None) -> SeedConfig:
    """Read and validate feeds.yaml, endpoints.yaml and watchlist.yaml from ``folder``."""
    env = environ() if variables is None else variables
    feeds: FeedsFile = _load_yaml(folder / "feeds.yaml", FeedsFile, env)
    endpoints: EndpointsFile = _load_yaml(folder / "endpoints.yaml", EndpointsFile, env)
    watches: WatchlistFile = _load_yaml(folder / "watchlist.yaml", WatchlistFile, env)
    _unique(folder / "feeds.yaml", [f.name for f in feeds.feeds])
    _unique(folder / "endpoints.yaml", [e.name for e in endpoints.endpoints])
    _unique(folder / "watchlist.yaml", [w.name for w in watches.watches])
    known = {e.name for e in endpoints.endpoints}
    for i, watch in enumerate(watches.watches):
        for name in watch.endpoints:
            if name not in known:
                raise ConfigError(
                    f"{folder / 'watchlist.yaml'}: field watches.{i}.endpoints: "
                    f"unknown endpoint {name!r} (not in endpoints.yaml)"
                )
    return SeedConfig(feeds=feeds.feeds, endpoints=endpoints.endpoints, watches=watches.watches)


def _unique(path: Path, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ConfigError(f"{path}: field name: {name!r} appears twice")
        seen.add(name)

