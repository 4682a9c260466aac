"""HTML page -> CleanArticle: trafilatura finds the main text, the line filter removes what it left.

trafilatura is only ever handed bytes or a string here, never a URL: it must not fetch.
"""

from __future__ import annotations

import copy
import unicodedata
from datetime import UTC, datetime
from functools import cache

from trafilatura.core import bare_extraction
from trafilatura.settings import Document, Extractor, use_config

from workers.errors import CleanError
from workers.records import CleanArticle

from .lines import filter_boilerplate_lines

# Precision mode drops more page chrome; when it keeps far less than the balanced mode would,
# it has usually cut real paragraphs, so the balanced result is used instead. The balanced pass
# doubles the cost, so it only runs when the precise text is short enough to be suspect.
_PRECISION_KEEPS_AT_LEAST = 0.5
_CHECK_BELOW_CHARS = 2000


@cache
def _options(mode: str) -> Extractor:
    """The extractor options for ``mode``, built once per process."""
    config = use_config()
    # The timeout is signal-based and only meant for trafilatura's own CLI; workers set their own.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return Extractor(
        config=config,
        output_format="python",
        comments=False,
        precision=mode == "precision",
        with_metadata=True,
    )


def _run(html: bytes | str, url: str | None, mode: str) -> Document | None:
    options = _options(mode)
    if url:
        options = copy.copy(options)
        options.url = options.source = url
    result = bare_extraction(html, options=options)
    return result if isinstance(result, Document) else None


def _text(doc: Document | None) -> str:
    return unicodedata.normalize("NFC", (doc.text or "") if doc else "").strip()


def _extract(html: bytes | str, url: str | None) -> Document | None:
    """The precision-mode extraction, or the balanced one when precision lost most of the text."""
    precise = _run(html, url, "precision")
    kept = len(_text(precise))
    if kept >= _CHECK_BELOW_CHARS:
        return precise
    balanced = _run(html, url, "balanced")
    if kept and kept >= _PRECISION_KEEPS_AT_LEAST * len(_text(balanced)):
        return precise
    return balanced


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def drop_repeated_title(body: str, title: str) -> str:
    """Remove a first body line that only repeats the title (the title is kept apart)."""
    first, _, rest = body.lstrip().partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return body


def _paragraphs(text: str) -> str:
    """One blank line between paragraphs, as in plain-text articles, so both read the same way."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def clean_html(
    html: bytes | str, *, url: str | None = None, published: datetime | None = None
) -> CleanArticle:
    """Extract an article's title and main text from an HTML page, boilerplate removed.

    ``published`` wins over the date in the page's metadata. Raises ``CleanError`` when the page
    has no main text.
    """
    if not html or (isinstance(html, str) and not html.strip()):
        raise CleanError(f"empty page: {url or '<no url>'}")
    doc = _extract(html, url)
    title = " ".join(((doc.title or "") if doc else "").split())
    body = _paragraphs(filter_boilerplate_lines(drop_repeated_title(_text(doc), title)))
    if doc is None or not body:
        raise CleanError(f"no main text found: {url or '<no url>'}")
    return CleanArticle(title=title, text=body, published=published or _parse_date(doc.date))
