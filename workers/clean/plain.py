"""Plain-text article -> CleanArticle: first non-empty line is the title, the rest the body."""

from __future__ import annotations

from datetime import datetime

from workers.errors import CleanError
from workers.records import CleanArticle

from .lines import filter_boilerplate_lines


def clean_text(text: str, *, published: datetime | None = None) -> CleanArticle:
    """Split a scraped plain-text article into title and body, and filter the body's boilerplate.

    Raises ``CleanError`` when there is no title or nothing of the body survives the filter.
    """
    title, _, body = text.lstrip().partition("\n")
    title = title.strip()
    cleaned = filter_boilerplate_lines(body)
    if not title or not cleaned:
        raise CleanError("plain-text article has no title or no body")
    return CleanArticle(title=title, text=cleaned, published=published)
