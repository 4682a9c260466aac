"""Bytes of a fetched page to text: byte-order mark, HTTP charset, in-document declaration."""

from __future__ import annotations

import codecs
import re

from workers.records import FetchedPage

_SNIFF_BYTES = 8192
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252, and so do the pages that declare them.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, or None if it names nothing usable."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        name = codecs.lookup(text.strip()).name
        b"a".decode(name, "ignore")  # rejects bytes-to-bytes codecs such as "zlib" or "hex"
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def sniff_encoding(body: bytes, content_type: str) -> str:
    """The codec ``body`` is most likely in; utf-8 when nothing says otherwise."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    header = _HEADER_CHARSET.search(content_type)
    found = _codec(header.group(1) if header else None)
    if found:
        return found
    head = body[:_SNIFF_BYTES]
    declared = _XML_DECL.search(head) or _META.search(head)
    found = _codec(declared.group(1) if declared else None)
    # A document that is readable as bytes cannot honestly declare a 16-bit encoding.
    if found and not found.startswith(("utf-16", "utf-32")):
        return found
    return "utf-8"


def decode_body(page: FetchedPage) -> str:
    """The page's text, decoded with the best-known charset; bad bytes become U+FFFD."""
    encoding = sniff_encoding(page.body, page.content_type)
    body = page.body
    for bom, name in _BOMS:
        if name == encoding and body.startswith(bom):
            body = body[len(bom) :]
            break
    return body.decode(encoding, errors="replace")
