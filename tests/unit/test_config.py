"""Settings and seed files: validated at start, errors name the file and the field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from workers.config import Settings, expand_vars, load_seed_config, parse_duration
from workers.errors import ConfigError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _write(folder: Path, name: str, data: object) -> None:
    (folder / name).write_text(yaml.safe_dump(data), encoding="utf-8")


def _valid(folder: Path) -> None:
    _write(folder, "feeds.yaml", {"feeds": [{"name": "f", "url": "https://example.org/rss"}]})
    _write(folder, "endpoints.yaml", {"endpoints": [
        {"name": "ops", "url": "https://hooks.example.org/x", "secret_ref": "ops"}]})
    _write(folder, "watchlist.yaml", {"watches": [{
        "name": "w", "place": "Idlib", "level": "admin1", "metric": "killed",
        "threshold": 5, "window": "24h", "endpoints": ["ops"]}]})


def test_the_shipped_seed_files_are_valid() -> None:
    config = load_seed_config(SEEDS, {})
    assert {f.name for f in config.feeds} == {"seeds-replay"}
    assert config.feeds[0].url == "http://127.0.0.1:8765/feed.xml"  # the ${VAR:-default}
    assert {w.name for w in config.watches} >= {"idlib-killed", "damascus-killed"}


def test_variables_are_expanded_and_a_missing_one_is_named(tmp_path: Path) -> None:
    _valid(tmp_path)
    _write(tmp_path, "feeds.yaml", {"feeds": [{"name": "f", "url": "${FEED_BASE}/rss"}]})
    config = load_seed_config(tmp_path, {"FEED_BASE": "http://news.example"})
    assert config.feeds[0].url == "http://news.example/rss"
    with pytest.raises(ConfigError, match=r"feeds\.yaml: variable \$\{FEED_BASE\} is not set"):
        load_seed_config(tmp_path, {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"threshold": 0}, r"watchlist\.yaml: field watches\.0\.threshold"),
        ({"window": "soon"}, r"watchlist\.yaml: field watches\.0\.window"),
        ({"metric": "missing"}, r"watchlist\.yaml: field watches\.0\.metric"),
        ({"bands": [10, 5]}, r"watchlist\.yaml: field watches\.0\.bands"),
        ({"repeat_interval": "10s"}, r"watchlist\.yaml: field watches\.0\.repeat_interval"),
        ({"endpoints": ["nobody"]}, r"watchlist\.yaml: field watches\.0\.endpoints: unknown"),
        ({"colour": "red"}, r"watchlist\.yaml: field watches\.0\.colour"),
    ],
)
def test_a_bad_watch_names_file_and_field(tmp_path: Path, change: dict[str, object],
                                          message: str) -> None:
    _valid(tmp_path)
    watch = yaml.safe_load((tmp_path / "watchlist.yaml").read_text())["watches"][0]
    _write(tmp_path, "watchlist.yaml", {"watches": [{**watch, **change}]})
    with pytest.raises(ConfigError, match=message):
        load_seed_config(tmp_path, {})


def test_duplicate_names_and_broken_yaml_are_errors(tmp_path: Path) -> None:
    _valid(tmp_path)
    feed = {"name": "f", "url": "https://example.org/rss"}
    _write(tmp_path, "feeds.yaml", {"feeds": [feed, feed]})
    with pytest.raises(ConfigError, match=r"feeds\.yaml: field name: 'f' appears twice"):
        load_seed_config(tmp_path, {})
    (tmp_path / "feeds.yaml").write_text("feeds: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"feeds\.yaml: not valid YAML"):
        load_seed_config(tmp_path, {})


def test_durations() -> None:
    assert parse_duration("72h") == timedelta(hours=72)
    assert parse_duration("1.5m") == timedelta(seconds=90)
    assert parse_duration(30) == timedelta(seconds=30)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("3 fortnights")


def test_expand_vars_keeps_text_without_variables() -> None:
    assert expand_vars("a $b ${C:-d} e", {}) == "a $b d e"


def test_settings_come_from_the_environment_and_reject_unknown_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOLLWATCH_CLOCK", "feed")
    monkeypatch.setenv("TOLLWATCH_ENDPOINT_SECRETS", '{"ops": "whsec_abc"}')
    monkeypatch.setenv("TOLLWATCH_POLL_TICK", "2s")
    settings = Settings()
    assert settings.clock == "feed"
    assert settings.endpoint_secrets == {"ops": "whsec_abc"}
    assert settings.poll_tick == timedelta(seconds=2)
    assert settings.visibility_timeout > settings.task_time_limit
    with pytest.raises(ValueError, match="clock"):
        Settings(clock="sundial")  # type: ignore[arg-type]
