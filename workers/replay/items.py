"""A replay folder -> the articles it holds, each with its publication time, in release order."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from workers.errors import ConfigError

MANIFEST_NAME = "manifest.yaml"
# Files the manifest does not date follow it an hour apart, in file-name order; with no manifest
# at all they start from a fixed instant so that a replay is the same on every run.
UNLISTED_STEP = timedelta(hours=1)
UNLISTED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class ReplayItem:
    """One article of a replay folder: its file, publication time and what the page shows."""

    stem: str
    kind: Literal["txt", "html"]
    published: datetime
    title: str
    text: str  # .txt: the body after the title line; .html: the raw document
    note: str = ""

    @property
    def path(self) -> str:
        """The item's page path on the replay server."""
        return f"/articles/{self.stem}.html"


def _article_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(f"{folder}: replay folder does not exist")
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html") and p.is_file())


def _as_utc(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ConfigError(f"{where}: published is not an ISO date-time") from exc
    if not isinstance(value, datetime):
        raise ConfigError(f"{where}: published must be an ISO date-time")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_manifest(path: Path) -> dict[str, tuple[datetime, str]]:
    """``articles: [{file, published, note}]`` -> {file name: (published, note)}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read manifest: {exc}") from exc
    entries = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a mapping with an 'articles' list")
    dated: dict[str, tuple[datetime, str]] = {}
    for n, entry in enumerate(entries):
        where = f"{path}: articles[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ConfigError(f"{where}: needs a 'file' name")
        dated[entry["file"]] = (_as_utc(entry.get("published"), where), str(entry.get("note", "")))
    return dated


def _load_one(path: Path, published: datetime, note: str) -> ReplayItem:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".html":
        found = _HTML_TITLE.search(raw)
        title = html.unescape(" ".join(found.group(1).split())) if found else path.stem
        return ReplayItem(path.stem, "html", published, title, raw, note)
    title, _, body = raw.lstrip().partition("\n")
    return ReplayItem(path.stem, "txt", published, title.strip() or path.stem, body, note)


def load_items(folder: Path, manifest: Path | None = None) -> tuple[ReplayItem, ...]:
    """Every .txt and .html file in ``folder``, ordered by publication time.

    Times come from ``manifest`` (default: ``folder/manifest.yaml`` if present). Raises
    ``ConfigError`` for a missing folder or a malformed manifest.
    """
    manifest = manifest or (folder / MANIFEST_NAME)
    dated = read_manifest(manifest) if manifest.is_file() else {}
    files = _article_files(folder)
    listed = [p for p in files if p.name in dated]
    unlisted = [p for p in files if p.name not in dated]
    base = max((dated[p.name][0] for p in listed), default=UNLISTED_EPOCH)
    items = [_load_one(p, *dated[p.name]) for p in listed]
    items += [_load_one(p, base + (k + 1) * UNLISTED_STEP, "") for k, p in enumerate(unlisted)]
    return tuple(sorted(items, key=lambda item: (item.published, item.stem)))
