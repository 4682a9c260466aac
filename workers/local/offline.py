"""Offline runs over files: the `tollwatch extract` record for one article file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from workers import codec
from workers.clean import clean_html, clean_text
from workers.extract.gazetteer import Gazetteer
from workers.pipeline import analyse
from workers.records import CleanArticle
from workers.replay import read_manifest

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def article_files(paths: list[Path]) -> list[Path]:
    """The article files named, folders expanded (sorted, .txt and .html only)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            found.append(path)
    return found


def published_for(path: Path) -> datetime | None:
    """The publication time the folder's manifest.yaml gives the file, if any."""
    manifest = path.parent / "manifest.yaml"
    if not manifest.exists():
        return None
    entry = read_manifest(manifest).get(path.name)
    return entry[0] if entry else None


def load_article(path: Path) -> CleanArticle:
    """Clean one article file the way the workers clean a fetched page."""
    published = published_for(path)
    if path.suffix.lower() == ".txt":
        return clean_text(path.read_text(encoding="utf-8"), published=published)
    return clean_html(path.read_bytes(), published=published)


def extract_record(path: Path, gazetteer: Gazetteer) -> dict[str, Any]:
    """The `tollwatch extract` JSON object for one file (same functions as the workers)."""
    article = load_article(path)
    result = analyse(article, gazetteer)
    return {
        "id": path.name,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "main_text": article.text,
        "killed": result.killed,
        "injured": result.injured,
        "locations": [place.name for place in result.locations],
        "mentions": [_mention(m) for m in result.mentions],
    }


def _mention(mention: Any) -> dict[str, Any]:
    data: dict[str, Any] = codec.to_data(mention)
    data["places"] = [
        {"id": p.id, "name": p.name, "level": p.level, "admin": list(p.admin_names)}
        for p in mention.places
    ]
    return data
