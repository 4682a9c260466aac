"""Refuse feed bytes that could make an XML parser blow up, before any parser sees them.

feedparser keeps "safe" entities from a DOCTYPE and its loose parser re-expands them, so one
large entity referenced many times costs gigabytes. No legitimate feed declares entities, so
any entity declaration or internal DTD subset in the prologue is refused. The prologue is
read in every encoding feedparser might decode it with, so UTF-16 or UTF-7 cannot hide one.
"""

from __future__ import annotations

import codecs
import re

from workers.errors import FeedParseError

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PROLOGUE_CHARS = 8192

_FIRST_ELEMENT = re.compile(r"<[A-Za-z0-9_]")
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC
_FORBIDDEN = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[|<!ATTLIST|<!ELEMENT", re.IGNORECASE)
_DECLARED = re.compile(r"""encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def check_feed_bytes(body: bytes, content_type: str = "") -> None:
    """Raise ``FeedParseError`` if ``body`` is too big or declares entities or a DTD subset."""
    if len(body) > MAX_FEED_BYTES:
        raise FeedParseError(f"feed is {len(body)} bytes, over the {MAX_FEED_BYTES} byte cap")
    head = body[: MAX_PROLOGUE_CHARS * 4 + 4]
    structural = _structural_views(head)
    declared = [_decode(head, n) for n in _declared_encodings(structural, content_type)]
    for view in structural + declared:
        found = _FORBIDDEN.search(view, 0, _prologue_end(view))
        if found:
            raise FeedParseError(f"feed declares {found.group(0)!r} in its prologue; refused")
    # An entity pushed past the bytes scanned above would go unseen, so a long prologue is
    # refused in itself; so is a document with no XML element at all.
    if all(_prologue_end(view) > MAX_PROLOGUE_CHARS for view in structural):
        raise FeedParseError(
            f"no XML element in the first {MAX_PROLOGUE_CHARS} characters: not a feed"
        )


def _prologue_end(text: str) -> int:
    """Where the first element starts, as feedparser finds it (``<\\w``), else the end."""
    first = _FIRST_ELEMENT.search(text)
    return first.start() if first else len(text)


def _structural_views(head: bytes) -> list[str]:
    """The head as read by byte pattern: 16/32-bit if NULs or a BOM say so, EBCDIC, or 8-bit."""
    if head[:4] == _EBCDIC_XML:
        return [_decode(head, "cp037")]
    if b"\0" in head[:64] or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return [_decode(head, name) for name in _WIDE]
    return [head.decode("latin-1")]


def _declared_encodings(views: list[str], content_type: str) -> list[str]:
    names = _CHARSET.findall(content_type)
    for view in views:
        names += _DECLARED.findall(view[:200])
    return list(dict.fromkeys(names))


def _decode(head: bytes, name: str) -> str:
    try:
        return head.decode(name, errors="ignore")
    except LookupError:
        return ""
