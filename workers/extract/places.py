"""Find place mentions in text: gazetteer lookup over capitalised token spans, then disambiguation."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from workers import records
from workers.extract.gazetteer import ARTICLES, Gazetteer, loose_key, normalize_token

_TOKEN = re.compile(r"[^\W\d_][\w'’‘ʼʿʾ`´]*")
_POSSESSIVE = ("'s", "’s")
_JOINS = frozenset({" ", "-", "‐", "–", " - "})
_LIST_SEP = re.compile(r"^\s*(?:,|and|or|&|,\s*(?:and|or))\s*$")
_IN_CONTAINER = re.compile(
    r"^\s*,?\s*(?:in|near|outside|of|inside)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+|(?:countryside|outskirts|province|governorate)\s+of\s+)?$",
    re.IGNORECASE)
_COMMA = re.compile(r"^\s*,\s*$")
_ADMIN_AFTER = re.compile(
    r"^[\s-]*(?:province|governorate|region|district|countryside|oblast|state|county|"
    r"prefecture|department|muhafazah)\b", re.IGNORECASE)
_CITY_AFTER = re.compile(r"^[\s-]*(?:city|town|village|camp)\b", re.IGNORECASE)
_ADMIN_BEFORE = re.compile(
    r"\b(?:province|governorate|region|district|countryside|oblast|state)\s+of\s+(?:the\s+)?$"
    r"|\brural\s+$", re.IGNORECASE)
_CITY_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|cent(?:er|re)|heart|downtown)\s+of\s+(?:the\s+)?|central\s+|"
    r"downtown\s+)$", re.IGNORECASE)
_PERSON_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|General|President|Minister|Sheikh|Imam|Prince|King|Colonel|Col|"
    r"Captain|Capt|Sgt|spokesman|spokeswoman|journalist|reporter|named)\.?\s+$")
_PERSON_AFTER = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|wrote|reported|\(\d+\))\b")
# Words news capitalises that are never places on their own. Small and general on purpose.
STOPWORDS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "reuters", "afp", "ap", "bbc", "cnn", "aljazeera", "twitter", "facebook", "telegram", "youtube", "whatsapp", "hezbollah", "hamas", "taliban", "houthi", "houthis", "isis", "isil", "daesh", "nato", "un", "unicef", "unhcr", "ocha", "who", "allah", "god", "islam", "muslim", "muslims", "christian", "christians", "sunni", "shia", "shiite", "shiites", "kurd", "kurds", "arab", "arabs", "president", "minister", "ministry", "government", "army", "police", "regime", "opposition", "rebels", "forces", "photo", "video", "image", "source", "update", "breaking", "latest", "read", "more", "share", "comment", "comments", "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower"])
# Demonyms are never places, but they tell which country a story is about.
DEMONYMS: dict[str, str] = {
    "syrian": "SY", "syrians": "SY", "iraqi": "IQ", "iraqis": "IQ", "iranian": "IR",
    "lebanese": "LB", "israeli": "IL", "israelis": "IL", "palestinian": "PS",
    "palestinians": "PS", "gazan": "PS", "jordanian": "JO", "turkish": "TR", "egyptian": "EG",
    "saudi": "SA", "yemeni": "YE", "libyan": "LY", "sudanese": "SD", "somali": "SO",
    "ethiopian": "ET", "eritrean": "ER", "malian": "ML", "nigerian": "NG", "nigerien": "NE",
    "burkinabe": "BF", "chadian": "TD", "cameroonian": "CM", "congolese": "CD",
    "ukrainian": "UA", "ukrainians": "UA", "russian": "RU", "russians": "RU", "afghan": "AF",
    "pakistani": "PK", "indian": "IN", "burmese": "MM", "rohingya": "MM", "haitian": "HT",
    "mexican": "MX", "colombian": "CO", "venezuelan": "VE", "mozambican": "MZ", "kenyan": "KE",
    "south sudanese": "SS", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA",
    "kurdish": "", "american": "US", "british": "GB", "french": "FR", "german": "DE",
}
_CUE_WORDS = frozenset({"province", "governorate", "city", "town", "village", "region", "district",
                        "countryside", "state", "oblast", "county", "camp", "strip", "plain",
                        "north", "south", "east", "west", "northern", "southern", "eastern",
                        "western", "central", "northwestern", "northeastern", "southwestern",
                        "southeastern", "the", "of", "in", "and", "on", "at", "near", "from"})
_STRONG_LEVELS = frozenset({"country", "admin1", "region"})
_ADMIN_LEVELS = frozenset({"admin1", "admin2", "admin3", "region"})
_BIG_TOWN = 100_000
_TOWN = 15_000
_LOOSE_WIDTH = 3


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """One place mention: ``text[start:end] == surface``; ``score`` is the finder's confidence."""

    start: int
    end: int
    surface: str
    place: records.Place
    score: float


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    norm: str
    capital: bool
    possessive: bool


@dataclass(slots=True)
class _Span:
    first: int
    last: int
    start: int
    end: int
    candidates: list[records.Place]
    loose: bool = False
    containers: list[_Span] = field(default_factory=list)


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word, end = m.group(), m.end()
        possessive = word.endswith(_POSSESSIVE)
        if possessive:
            word, end = word[:-2], end - 2
        word = word.rstrip("'’‘`´")
        end = m.start() + len(word)
        if word:
            out.append(_Token(m.start(), end, normalize_token(word), word[0].isupper(), possessive))
    return out


class _Finder:
    """One pass over one text; keeps the tokens and spans that the rules look at."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.text = text
        self.gaz = gazetteer
        self.tokens = _tokens(text)
        self.spans: list[_Span] = []

    def joined(self, i: int) -> bool:
        """True if token ``i`` follows token ``i - 1`` inside one name (space or hyphen)."""
        return i > 0 and self.text[self.tokens[i - 1].end:self.tokens[i].start] in _JOINS

    def content_start(self, i: int) -> int:
        """Skip a leading Arabic article ("Al-", "al-", "El ") that belongs to the name."""
        tok = self.tokens[i]
        if tok.norm in ARTICLES and i + 1 < len(self.tokens) and self.joined(i + 1):
            gap = self.text[tok.end:self.tokens[i + 1].start]
            if (gap == "-" or tok.norm in ("al", "el")) and self.tokens[i + 1].capital:
                return i + 1
        return i

    def exact_at(self, i: int) -> _Span | None:
        """The widest gazetteer name starting at token ``i``, if any."""
        j0 = self.content_start(i)
        if not self.tokens[j0].capital:
            return None
        width = self.gaz.first_tokens.get(self.tokens[j0].norm, 0)
        for w in range(min(width, len(self.tokens) - j0), 0, -1):
            last = j0 + w - 1
            if not all(self.joined(k) for k in range(j0 + 1, last + 1)):
                continue
            if not (self.tokens[last].capital or self.tokens[last].norm.isdigit()):
                continue
            key = " ".join(t.norm for t in self.tokens[j0:last + 1])
            found = self.gaz.candidates(key) if self.gaz.has_key(key) else []
            if found:
                return _Span(i, last, self.tokens[i].start, self.tokens[last].end, list(found))
        return None

    def scan(self) -> None:
        """Greedy longest match, left to right, no overlaps."""
        i = 0
        while i < len(self.tokens):
            span = self.exact_at(i) if self.tokens[i].capital or self.tokens[i].norm in ARTICLES else None
            if span is not None:
                self.spans.append(span)
                i = span.last + 1
            else:
                i += 1

    def title_line(self, pos: int) -> bool:
        """True if the line holding ``pos`` is in Title Case (a headline): capitals mean little."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        words = _TOKEN.findall(self.text, start, end if end >= 0 else len(self.text))
        long_words = [w for w in words if len(w) > 3]
        if self.text[start:end if end >= 0 else len(self.text)].rstrip().endswith("."):
            return False  # headlines have no full stop; a sentence of names is not a headline
        return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)

    def gap(self, a: _Span, b: _Span) -> str:
        """The text between two spans."""
        return self.text[a.end:b.start]


def _country_votes(spans: list[_Span], gaz: Gazetteer) -> Counter[str]:
    votes: Counter[str] = Counter()
    for span in spans:
        strong = {p.country_code for p in span.candidates
                  if p.level in _STRONG_LEVELS or gaz.population(p.id) >= _BIG_TOWN}
        every = {p.country_code for p in span.candidates}
        for cc in strong:
            votes[cc] += 1.0 / len(strong)
        if len(every) == 1 and not strong:
            votes[every.pop()] += 0.5  # a name only one country has is evidence too
    return votes


def _link_containers(finder: _Finder) -> None:
    """Give each span the spans that may contain it: "Hama's X and Y", "X, Y and Z in W", "X, W"."""
    spans = finder.spans
    owner: _Span | None = None
    for k, span in enumerate(spans):
        prev = spans[k - 1] if k else None
        if prev is not None and finder.tokens[prev.last].possessive and not finder.gap(prev, span).strip():
            owner = prev
        elif prev is None or not _LIST_SEP.match(finder.gap(prev, span)):
            owner = None
        if owner is not None and owner is not span:
            span.containers.append(owner)
        j = k
        while j + 1 < len(spans) and _LIST_SEP.match(finder.gap(spans[j], spans[j + 1])):
            j += 1
        if j + 1 < len(spans) and _IN_CONTAINER.match(finder.gap(spans[j], spans[j + 1])):
            span.containers.append(spans[j + 1])
        if k + 1 < len(spans) and _COMMA.match(finder.gap(span, spans[k + 1])):
            span.containers.append(spans[k + 1])


def _cue(finder: _Finder, span: _Span) -> str | None:
    """'admin' or 'city' when the words around the name say which it is."""
    before = finder.text[max(0, span.start - 40):span.start]
    after = finder.text[span.end:span.end + 20]
    if _ADMIN_AFTER.match(after) or _ADMIN_BEFORE.search(before):
        return "admin"
    if _CITY_AFTER.match(after) or _CITY_BEFORE.search(before):
        return "city"
    return None


def _score(place: records.Place, span: _Span, cue: str | None, gaz: Gazetteer,
           context: dict[str, float], admins: frozenset[str]) -> float:
    score = gaz.prominence(place) + 10.0 * context.get(place.country_code, 0.0)
    if place.level not in _ADMIN_LEVELS and any(place.within(a) for a in admins):
        score += 5.0  # inside a province the story names
    if any(place.within(c.id) and c.id != place.id for s in span.containers for c in s.candidates):
        score += 30.0
    admin = place.level in _ADMIN_LEVELS
    seat = admin and any(p.within(place.id) and p.level == "locality" for p in span.candidates)
    if cue == "admin":
        score += 25.0 if admin else -25.0
    elif cue == "city":
        score += 25.0 if place.level == "locality" else -25.0
    elif seat:
        score -= 25.0  # "Idlib" alone: the city, which a watch on the province covers anyway
    return score


def _plausible(finder: _Finder, span: _Span, place: records.Place, context: dict[str, float]) -> bool:
    """Precision rules: drop common words, people, and obscure homonyms far from the story."""
    toks = finder.tokens[span.first:span.last + 1]
    key = " ".join(t.norm for t in toks)
    share = context.get(place.country_code, 0.0)
    strong = place.level == "country" or (place.level in _STRONG_LEVELS and share >= 0.2)
    if key in STOPWORDS or key in DEMONYMS:
        return False
    if len(toks) == 1 and key in finder.gaz.common_words and not strong:
        return False
    if _in_longer_name(finder, span) and place.level != "country":
        return False
    before = finder.text[max(0, span.start - 20):span.start]
    after = finder.text[span.end:span.end + 20]
    if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
        return strong and not _PERSON_BEFORE.search(before)
    pop = finder.gaz.population(place.id)
    if strong or pop >= _BIG_TOWN or place.level in _STRONG_LEVELS:
        return True
    if share >= 0.2:
        return True
    return pop >= _TOWN and bool(span.containers) and not span.loose


def _in_longer_name(finder: _Finder, span: _Span) -> bool:
    """True if capitalised words run straight into the span: "Tahrir al-Sham", "Bashar al-Assad"."""
    if finder.title_line(span.start):
        return False
    toks = finder.tokens
    nxt = span.last + 1
    if nxt < len(toks) and finder.joined(nxt) and toks[nxt].norm not in _CUE_WORDS:
        if toks[nxt].capital or finder.content_start(nxt) != nxt:
            return True
    first = span.first
    prev = first - 1
    if prev >= 0 and finder.joined(first) and toks[prev].capital:
        gap_before = finder.text[toks[prev - 1].end:toks[prev].start] if prev else "."
        sentence_start = gap_before.strip()[-1:] in (".", "!", "?", ":", "") and "\n" in gap_before + "\n"
        return toks[prev].norm not in _CUE_WORDS and not (sentence_start and prev == 0)
    return False


def _loose_spans(finder: _Finder, context: dict[str, float]) -> list[_Span]:
    """Transliteration variants, tried where no exact name covers a capitalised run, or where a
    longer run goes past a shorter exact name ("Kafr Batikh" beyond the village "Kafr")."""
    starts = {s.first: s for s in finder.spans}
    covered = {k: s for s in finder.spans for k in range(s.first, s.last + 1)}
    found: list[_Span] = []
    i, toks = 0, finder.tokens
    while i < len(toks):
        exact = starts.get(i)
        if (i in covered and exact is None) or not toks[i].capital or toks[i].norm in STOPWORDS:
            i += 1
            continue
        span = _loose_at(finder, i, covered, context)
        if span is not None and (exact is None or span.last > exact.last):
            found.append(span)
            finder.spans = [s for s in finder.spans if s.last < span.first or s.first > span.last]
            i = span.last + 1
        else:
            i = exact.last + 1 if exact else i + 1
    return found


def _loose_at(finder: _Finder, i: int, covered: dict[int, _Span],
              context: dict[str, float]) -> _Span | None:
    toks = finder.tokens
    for w in range(_LOOSE_WIDTH, 0, -1):
        last = i + w - 1
        if last >= len(toks) or any(k in covered and covered[k].last > last
                                    for k in range(i, last + 1)):
            continue
        if not all(finder.joined(k) for k in range(i + 1, last + 1)) or not toks[last].capital:
            continue
        if w == 1 and toks[i].norm in finder.gaz.common_words:
            continue
        surface = finder.text[toks[i].start:toks[last].end]
        found = [p for p in finder.gaz.loose_candidates(surface)
                 if context.get(p.country_code, 0.0) >= 0.2]
        if found and len(loose_key(surface)) >= 3:
            return _Span(i, last, toks[i].start, toks[last].end, found, loose=True)
    return None


def _resolve(finder: _Finder, context: dict[str, float]) -> list[PlaceMatch]:
    out = []
    admins = frozenset(p.id for s in finder.spans for p in s.candidates
                       if p.level == "admin1" and context.get(p.country_code, 0.0) >= 0.5)
    for span in finder.spans:
        cue = _cue(finder, span)
        best = max(span.candidates,
                   key=lambda p: _score(p, span, cue, finder.gaz, context, admins))
        if not _plausible(finder, span, best, context):
            continue
        confidence = 0.6 if span.loose else 0.9 if len(span.candidates) == 1 else 0.75
        out.append(PlaceMatch(span.start, span.end, finder.text[span.start:span.end], best,
                              confidence))
    return out


def _context(votes: Counter[str]) -> dict[str, float]:
    """Each country's share of the story's strong place evidence."""
    total = sum(votes.values())
    return {cc: v / total for cc, v in votes.items()} if total else {}


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceMatch]:
    """Non-overlapping place mentions in ``text``, in order, each resolved to one place."""
    finder = _Finder(text, gazetteer)
    finder.scan()
    context = _context(_country_votes(finder.spans, gazetteer))
    loose = _loose_spans(finder, context)
    finder.spans = sorted(finder.spans + loose, key=lambda s: s.start)
    _link_containers(finder)
    return _resolve(finder, context)
