"""Event dates: find the date wording of a sentence and resolve it against the publication date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from workers.extract.lexicon import MONTHS

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?"
          r"|Dec\.?)")
# The look-ahead names every character a date can start with (a digit, a capital month, or a
# letter opening a relative wording in either case, "ſ" folding to "s"): most positions fail at it.
_DATE = re.compile(
    rf"(?=[\dJFMASONDytloemwfsYTLOEMWFSſ])"
    rf"(?:\b(?P<md>(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|\b(?P<dm>(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})"
    rf"(?:,?\s+(?P<y2>\d{{4}}))?)"
    rf"|\b(?P<rel>(?i:yesterday{_PART}|today|tonight|last\s+night|overnight|this\s+morning"
    rf"|earlier\s+today|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday){_PART}"
    rf"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday){_PART}"
    rf"|last\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)))\b)",
)

# A date after "since" or "until" bounds a period; it is not the day of the event.
_AFTER_RANGE = re.compile(r"(?i:\b(?:since|until|till|from|between|before|after))\s+$")

# "officials said on Wednesday" dates the report, not the event.
_REPORTED = re.compile(r"(?i:\b(?:said|says|told|announced|reported|added|stated))\s+(?:on\s+)?$")


_DAY_WORDS = ("day", "night", "morning")
_DIGIT = re.compile(r"\d")


def _month_number(text: str) -> int:
    word = re.match(r"[A-Za-z]+", text)
    return MONTHS[word.group().lower()] if word else 0


def _calendar(match: re.Match[str], published: date | None) -> date | None:
    day = int(match.group("d1") or match.group("d2"))
    month = _month_number(match.group("m1") or match.group("m2"))
    year_text = match.group("y1") or match.group("y2")
    if year_text is None and published is None:
        return None
    year = int(year_text) if year_text else published.year  # type: ignore[union-attr]
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if year_text is None and published is not None and found > published:
        found = found.replace(year=year - 1)
    return found


def _relative(text: str, published: date | None) -> date | None:
    if published is None:
        return None
    low = text.lower()
    if low.startswith("yesterday") or low == "last night":
        return published - timedelta(days=1)
    if low in {"today", "tonight", "this morning", "earlier today", "overnight"}:
        return published
    for index, name in enumerate(_WEEKDAYS):
        if name in low:
            back = (published.weekday() - index) % 7
            if low.startswith("last") and back == 0:
                back = 7
            return published - timedelta(days=back)
    return None


def find_date(text: str, published: datetime | None) -> tuple[date | None, str | None]:
    """The first date wording in ``text`` and the day it names, counted from ``published``."""
    low = text.lower()
    # Calendar dates hold a digit and every relative wording one of these words.
    if _DIGIT.search(text) is None and not any(w in low for w in _DAY_WORDS):
        return None, None
    match = next((m for m in _DATE.finditer(text)
                  if not _AFTER_RANGE.search(text, max(0, m.start() - 12), m.start())
                  and not _REPORTED.search(text, max(0, m.start() - 16), m.start())), None)
    if match is None:
        return None, None
    day = published.date() if published is not None else None
    if match.group("rel"):
        wording = match.group("rel")
        return _relative(wording, day), wording
    return _calendar(match, day), match.group()
