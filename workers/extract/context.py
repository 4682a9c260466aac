"""What surrounds a figure in its sentence: the period a total covers, and who caused it."""

from __future__ import annotations

import re
from collections.abc import Sequence

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?"
          r"|Dec\.?)")
_SPAN_WORDS = r"(?:days|weeks|months|years|week|month|year|fortnight|decade)"
_CONFLICT = (r"(?:war|conflict|civil\s+war|insurgency|offensive|uprising|crisis|invasion|coup"
             r"|occupation|siege|fighting|hostilities|violence|unrest|protests|campaign)")
# Only a war as a whole makes "killed in the war" a period total; "in the fighting" is an incident.
_WAR = r"(?:war|conflict|civil\s+war|insurgency|invasion|occupation)"
# Totals over a period: since a date or an event, over the past days, this year, the war.
# The look-ahead names the letters the alternatives start with (case-folded like the rest of
# the pattern), so most positions fail before any alternative is tried.
_PERIOD = re.compile(
    rf"(?=[sltiodfw])(?:"
    rf"\bsince\s+(?:(?:early|mid|late)[\s-]+)?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"(?:,?\s+\d{{4}})?"
    rf"|\bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset)\s+of\s+(?:the\s+)?[\w-]+"
    rf"(?:\s+{_CONFLICT})?"
    rf"|\bsince\s+(?:19|20)\d\d\b"
    rf"|\bsince\s+the\s+(?:[\w-]+\s+){{0,3}}{_CONFLICT}\b"
    rf"|\b(?:last|this|so\s+far\s+this)\s+year\b|\bin\s+(?:19|20)\d\d\b"
    rf"|\bsince\s+(?:it|they|fighting|hostilities|clashes)\s+(?:began|started|erupted)"
    rf"|\b(?:over|in|during|for|within)\s+the\s+(?:past|last|previous)\s+"
    rf"(?:(?:\w+|\d+)\s+)?{_SPAN_WORDS}"
    rf"|\b(?:so\s+far\s+)?this\s+year\b"
    rf"|\b(?:in|during)\s+(?:the\s+)?(?:\w+\s+)?{_WAR}\b"
    rf"|\b(?:the|this)\s+(?:\w+\s+)?{_WAR}\s+(?:has|had|have)\s+(?:so\s+far\s+)?"
    rf"(?:killed|claimed))",
    re.IGNORECASE,
)
# Words one of which every period above contains; a clause with none is read no further.
_PERIOD_WORDS = ("since", "year", "past", "last", "previous", "war", "conflict", "insurgenc",
                 "invasion", "occupation")
_YEAR = re.compile(r"(?:19|20)\d\d")
# One or two days are the incident itself, not a period total.
_SHORT = re.compile(r"\b(?:one|two|1|2|a)\s+(?:day|days)\b|\bpast\s+day\b",
                    re.IGNORECASE)
# "the deadliest attack since the start of the war" ranks the incident, it totals nothing; but
# "the deadliest since January, when a bomber killed 80" dates an earlier incident's figure.
_RANKING = re.compile(r"\b(?:deadliest|worst|bloodiest|biggest|largest|heaviest|first|most)\b"
                      r"[^,;]{0,60}$", re.IGNORECASE)
_WHEN_AFTER = re.compile(r"\s*,?\s*when\b", re.IGNORECASE)
# Where one clause ends and the next begins, for the purpose of scoping a period.
CLAUSE_BREAK = re.compile(
    r";|\bwhile\b|\bwhereas\b|\bbut\b|,\s*(?:bringing|raising|taking|pushing|increasing)\b"
)

_FORCE = (r"(?i:air\s*strikes?|strikes?|jets|warplanes|aircraft|air\s+force|drones?|forces|troops"
          r"|army|military|shelling|artillery|bombardment|bombing|navy|police|militia|regime"
          r"|government|missiles?|rockets?|soldiers|gunmen|militants|fighters|rebels)")
# Each word is read whole (possessive ``++``): a name word cut short would be followed by a word
# character where every pattern after it needs a space or "’s", so giving letters back only costs.
_NAME = r"[A-Z][\w’'-]++(?:\s+(?:and\s+)?[A-Z][\w’'-]++){0,3}"
# Each pattern below opens with a look-ahead at the first letters its words can start with:
# the engine then skips most positions of a sentence at the cost of one character test.
_BY = re.compile(rf"(?=[bcfl])\b(?:carried\s+out\s+|launched\s+|fired\s+|conducted\s+)?by\s+"
                 rf"(?:the\s+)?(?P<actor>{_NAME}(?:\s+{_FORCE})?|(?:{_FORCE}))")
_ADJ_FORCE = re.compile(rf"(?P<actor>{_NAME}(?:’s|'s)?\s+{_FORCE})\b")
_NAMED = re.compile(
    r"(?=[abghijmrt])\b(?P<actor>(?:the\s+)?Assad\s+regime|Rapid\s+Support\s+Forces|RSF|al-Shabaab|al-Shabab"
    r"|Boko\s+Haram|ISWAP|Islamic\s+State|ISIS|ISIL|Hamas|Hezbollah|Houthis?|M23|ADF|JNIM"
    r"|Taliban|TTP|junta|gunmen|bandits|militants|jihadists|gang\s+members|gangs?|regime)\b",
    re.IGNORECASE,
)
_REPORTER = re.compile(r"\s*(?:\(\w+\)\s*)?(?:Minister|Ministry|spokes\w*|officials?|sources?"
                       r"|said|says|told|statement|media|announced|reported|claimed)", re.I)
# Words each actor pattern needs (lower case); most sentences have none, so regexes are skipped.
_FORCE_WORDS = ("strike", "jet", "warplane", "aircraft", "drone", "force", "troop", "army",
                "military", "shell", "artiller", "bomb", "navy", "police", "militia", "regime",
                "government", "missile", "rocket", "soldier", "gunmen", "militant", "fighter",
                "rebel")
_NAMED_WORDS = ("assad", "rapid", "rsf", "shaba", "boko", "iswap", "islamic", "isis", "isil",
                "hamas", "hezbollah", "houthi", "m23", "adf", "jnim", "taliban", "ttp", "junta",
                "gunmen", "bandits", "militants", "jihadists", "gang", "regime")
# One scan each for "any of these words in the sentence", instead of a test per word.
_FORCE_KEYS = re.compile("|".join(map(re.escape, _FORCE_WORDS)))
_NAMED_KEYS = re.compile("|".join(map(re.escape, _NAMED_WORDS)))
_BREAK_WORDS = (";", "while", "whereas", "but", "bringing", "raising", "taking", "pushing",
                "increasing")
_NOT_ACTORS = frozenset({"The", "A", "An", "In", "On", "At", "Residents", "Witnesses",
                         "Sources", "Officials", "Health", "Medical", "Civil", "Local"})


def find_period(clause: str) -> str | None:
    """The period a total in ``clause`` covers ("since Nov. 27"), or None for an incident."""
    low = clause.lower()
    if not any(w in low for w in _PERIOD_WORDS) and _YEAR.search(clause) is None:
        return None
    for match in _PERIOD.finditer(clause):
        if _SHORT.search(match.group()) or "hour" in match.group().lower():
            continue
        if (match.group()[:5].lower() == "since" and _RANKING.search(clause, 0, match.start())
                and not _WHEN_AFTER.match(clause, match.end())):
            continue
        return match.group()
    return None


def clause_breaks(sentence: str) -> tuple[tuple[int, int], ...]:
    """The spans in ``sentence`` where one clause ends and the next begins."""
    if not any(w in sentence for w in _BREAK_WORDS):
        return ()
    return tuple(m.span() for m in CLAUSE_BREAK.finditer(sentence))


def clause_bounds(sentence: str, offset: int,
                  breaks: Sequence[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The clause of ``sentence`` that contains character ``offset``: (start, end).

    ``breaks`` are ``clause_breaks(sentence)``, when the caller has them already.
    """
    start, end = 0, len(sentence)
    for b_start, b_end in clause_breaks(sentence) if breaks is None else breaks:
        if b_end <= offset:
            start = b_end
        elif b_start > offset:
            end = b_start
            break
    return start, end


def _clean_actor(actor: str) -> str | None:
    words = actor.split()
    while words and words[0] in _NOT_ACTORS:
        words = words[1:]
    return " ".join(words) if words else None


def _reporting(text: str, end: int) -> bool:
    """True when the name is a source, not an actor ("Syrian Salvation Government Minister")."""
    return _REPORTER.match(text, end) is not None


def find_actor(text: str) -> str | None:
    """Who ``text`` says caused the casualties: "by the Syrian government", "Russian jets"."""
    low = text.lower()
    patterns = [p for p, ok in ((_ADJ_FORCE, _FORCE_KEYS.search(low) is not None),
                                (_BY, "by" in text),
                                (_NAMED, _NAMED_KEYS.search(low) is not None)) if ok]
    found: list[tuple[int, str]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            actor = _clean_actor(match.group("actor"))
            if actor and not _reporting(text, match.end()):
                found.append((match.start("actor"), actor))
                break
    return min(found)[1] if found else None
