"""Find place mentions in text: gazetteer lookup over capitalised runs, then disambiguation."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from workers import records
from workers.extract.data.words import (
    ACTORS,
    DEMONYMS,
    FUNCTION_WORDS,
    GIVEN_NAMES,
    PERSON_TITLES,
    STOPWORDS,
)
from workers.extract.gazetteer import (
    ARTICLES,
    LOOSE_ARTICLES,
    Gazetteer,
    join_loose,
    loose_piece,
    normalize_token,
)

_TOKEN = re.compile(r"[^\W\d_][\w'’‘ʼʿʾ`´]*")


def _upper_class() -> str:
    """A regex character class of every upper-case letter (``re`` has no \\p{Lu})."""
    upper = [c for c in map(chr, range(0x250)) if c.isupper()]  # Latin, with accents
    upper += ["\u0370-\u03ff", "\u0400-\u052f", "\u1e00-\u1eff"]  # only .isupper() counts
    return "[" + "".join(re.escape(c) if len(c) == 1 else c for c in upper) + "]"


_TAIL = r"[\w'’‘ʼʿʾ`´]*"
_TAIL_CHAR = re.compile(r"[\w'’‘ʼʿʾ`´]")
_JOIN_CHARS = " -‐–"
_ARTICLE_ENDS = frozenset("ldnrstzh")  # last letters of al el an ar as ash at az ad
_JOIN = r"(?:[ \-‐–]| - )"
_UPPER = _upper_class()
# The stretches of text a place name can touch: capitalised words, with up to three
# lower-case words between two of them ("Bosnia and Herzegovina", "Port-au-Prince") and a
# lower-case article before ("al-Nayrab"). Only their words are tokenised: most words of an
# article are in none. A stretch starts where a word of the whole text starts (not after a
# letter, nor after a letter and an apostrophe), so its words are the words a tokeniser of
# the whole text finds there, and a gap between two stretches is never a join.
_STRETCH = re.compile(
    _UPPER + r"(?<![^\W\d_].)(?<![^\W\d_]['’‘ʼʿʾ`´].)" + _TAIL
    + r"(" + _JOIN + r"(?:[^\W\d_]" + _TAIL + _JOIN + r"){0,3}" + _UPPER + _TAIL + r")*")
_ARTICLE_BEFORE = re.compile(r"(?<![^\W\d_])(?:al|el|an|ar|as|ash|at|az|ad)" + _JOIN + r"\Z")
_POSSESSIVE = ("'s", "’s")
_JOINS = frozenset({" ", "-", "‐", "–", " - "})
_LIST_SEP = re.compile(r"^\s*(?:,|and|or|&|,\s*(?:and|or))\s*$")
_IN_CONTAINER = re.compile(
    r"^\s*,?\s*(?:in|near|outside|of|inside)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+|(?:countryside|outskirts|province|governorate)\s+of\s+)?$",
    re.IGNORECASE)
_COMMA = re.compile(r"^\s*,\s*$")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|into|inside|across|towards?)"
    r"|\b(?:town|city|village|camp|district|province|region|state|suburb)\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE)
# A settlement named as one ("the Druze town of X", "downtown X"): a locality of any size.
_SETTLEMENT = re.compile(
    r"(?:\b(?:town|city|village|hamlet|camp|settlement|suburb)\s+of\s+(?:the\s+)?|\bdowntown\s+)$",
    re.IGNORECASE)
_LOCATIVE_LAST = ("in", "at", "near", "outside", "around", "into", "inside", "across", "to",
                  "towards", "of", "the")
# "the University of X", "Ministry of Y": a word with "of" and a name after heads an institution
_OF_NAME = re.compile(r" of (?:the )?[A-Z]")
_ADMIN_AFTER = re.compile(
    r"^[\s-]*(?:province|governorate|region|district|countryside|oblast|state|county|"
    r"prefecture|department|muhafazah)\b", re.IGNORECASE)
_CITY_AFTER = re.compile(r"^[\s-]*(?:city|town|village|camp)\b", re.IGNORECASE)
# "a small Alabama town", "an Afghan village": the name describes where the town is.
_INDEFINITE_BEFORE = re.compile(r"\b(?:a|an|one)\s+(?:[a-z][\w-]*\s+){0,2}$")
_ADMIN_BEFORE = re.compile(
    r"\b(?:province|governorate|region|district|countryside|oblast|state)\s+of\s+(?:the\s+)?$"
    r"|\brural\s+$", re.IGNORECASE)
_BEFORE_LAST = ("of", "the", "rural", "central", "downtown")  # last words of the two below
_CITY_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|cent(?:er|re)|heart|downtown)\s+of\s+(?:the\s+)?|central\s+|"
    r"downtown\s+)$", re.IGNORECASE)
_TITLE_SET = frozenset(PERSON_TITLES)
_PERSON_BEFORE = re.compile(
    r"\b(?:" + "|".join(PERSON_TITLES) + r")\.?\s+(?:[A-Z][\w'’-]*\s+){0,2}$")
_PERSON_AFTER = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|wrote|reported|\(\d+\))\b")
_FEATURE_AFTER = re.compile(r"(?:River|river|Delta|Valley|Basin)\b")
_FEATURE_FIRST = frozenset("RrDVB")
_CONTEXT_VOTE = 0.5  # what one demonym or actor adds, once per story
_WEAK_VOTE = 0.5  # what a name only one country has adds, each time
_NAMED = {k: cc for k, cc in (DEMONYMS | ACTORS).items() if cc}
_NAMED_FIRSTS = frozenset(k.split()[0] for k in _NAMED if " " in k)
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
_IN_CONTEXT = 0.2  # a country with this share of the story's place evidence is "in context"
_TRAILING = "'’‘`´"
_NO_IDS: frozenset[str] = frozenset()
# a candidate's story score, admin unit, locality, and admin unit holding a town of its name
_Fit = tuple[float, bool, bool, bool, records.Place]
_Level = _Fit  # the same, with the prominence in place of the story score
_LEVELS: dict[int, tuple[Sequence[records.Place], list[_Level]]] = {}
_LEVELS_MAX = 1 << 14
# the country votes of a name, by its candidate set (held, so the id stays unique)
_BALLOTS: dict[int, tuple[Sequence[records.Place], list[tuple[str, float]]]] = {}
# a loose candidate set cut to the story's countries, by the set and those countries
_NEAR: dict[tuple[int, frozenset[str]], tuple[Sequence[records.Place],
                                             tuple[records.Place, ...]]] = {}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """One place mention: ``text[start:end] == surface``; ``score`` is the finder's confidence."""

    start: int
    end: int
    surface: str
    place: records.Place
    score: float


@dataclass(slots=True)
class _Span:
    first: int
    last: int
    start: int
    end: int
    candidates: Sequence[records.Place]
    loose: bool = False
    containers: list[_Span] = field(default_factory=list)


@functools.lru_cache(maxsize=1 << 16)
def _word(raw: str) -> tuple[int, str, bool, bool, str]:
    """A matched word's length without possessive or trailing quotes, key, capital, possessive
    and loose-key piece. Cached: words repeat within and across articles, and folding them is
    most of the work."""
    possessive = raw.endswith(_POSSESSIVE)
    word = (raw[:-2] if possessive else raw).rstrip(_TRAILING)  # never empty: raw opens a letter
    return len(word), normalize_token(word), word[0].isupper(), possessive, loose_piece(word)


def _stretch_start(text: str, pos: int) -> int:
    """Where a stretch found at ``pos`` starts: before a lower-case article ("al-Nayrab"), or
    at the start of its word when digits come first ("2FAlan" is one word, "u2FAlan")."""
    if text[pos - 1] in _JOIN_CHARS:
        found = _ARTICLE_BEFORE.search(text, max(0, pos - 8), pos)
        return found.start() if found else pos
    start = pos
    while start and _TAIL_CHAR.match(text, start - 1):
        start -= 1
    # a tokeniser of the whole text starts the word at the first letter of this run
    first = _TOKEN.search(text, start, pos)
    return first.start() if first else pos


def _tokens(text: str) -> list[re.Match[str]]:
    """The words of ``text`` inside stretches, as a tokeniser of the whole text finds them."""
    out: list[re.Match[str]] = []
    for run in _STRETCH.finditer(text):
        start = run.start()
        # only a stretch after an article's last letter and a join, or after a word
        # character, may start earlier: the rest are one word when their group is empty
        after_article = (text[start - 1:start] in _JOIN_CHARS
                         and text[start - 2:start - 1] in _ARTICLE_ENDS)
        if start and (after_article or _TAIL_CHAR.match(text, start - 1)):
            start = _stretch_start(text, start)
        if start == run.start() and run.start(1) < 0:
            out.append(run)  # one word: the stretch's match is the word's
        else:
            out.extend(_TOKEN.finditer(text, start, run.end()))
    return out


def _is_title(text: str, start: int) -> bool:
    """True if the line starting at ``start`` is in Title Case (a headline)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if text[start:end].rstrip().endswith("."):
        return False  # headlines have no full stop; a sentence of names is not a headline
    long_words = [w for w in _TOKEN.findall(text, start, end) if len(w) > 3]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(
        long_words)


class _Finder:
    """One pass over one text: its tokens (as parallel lists, for speed), spans and context.

    Token ``i`` is ``text[starts[i]:ends[i]]`` with key ``norms[i]``; ``joins[i]`` is True when
    it follows token ``i - 1`` inside one name (a space or hyphen between them).
    """

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.text = text
        self.gaz = gazetteer
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.norms: list[str] = []
        self.caps: list[bool] = []
        self.poss: list[bool] = []
        self.joins: list[bool] = []  # no token follows nothing: joins[0] is False
        self.pieces: list[str] = []  # each token's share of a loose key
        self._tokenize()
        self.spans: list[_Span] = []
        self.context: dict[str, float] = {}
        self.admins: frozenset[str] = frozenset()
        self.near_countries: frozenset[str] = frozenset()  # with a share >= _IN_CONTEXT
        self.fits: dict[int, list[_Fit]] = {}  # _fits per candidate set (by id: all alive)
        self._titles: dict[int, bool] = {}

    def _tokenize(self) -> None:
        # map over C-level methods: this runs on every word of every article
        text = self.text
        matches = _tokens(text)
        starts = self.starts = list(map(re.Match.start, matches))
        infos = list(map(_word, map(re.Match.group, matches)))
        ends = self.ends = [start + info[0] for start, info in zip(starts, infos, strict=True)]
        self.norms = [info[1] for info in infos]
        self.caps = [info[2] for info in infos]
        self.poss = [info[3] for info in infos]
        self.pieces = [info[4] for info in infos]
        gaps = map(text.__getitem__, map(slice, ends, starts[1:]))
        self.joins = [False, *map(_JOINS.__contains__, gaps)]

    def run(self, i: int, limit: int) -> int:
        """How many tokens from ``i`` (at most ``limit``, and not past the end) form one run."""
        limit = min(limit, len(self.norms) - i)
        n = 1
        while n < limit and self.joins[i + n]:
            n += 1
        return n

    def content_start(self, i: int) -> int:
        """Skip a leading Arabic article ("Al-", "al-", "El ") that belongs to the name."""
        norm = self.norms[i]
        if norm in ARTICLES and i + 1 < len(self.norms) and self.joins[i + 1]:
            gap = self.text[self.ends[i]:self.starts[i + 1]]
            if (gap == "-" or norm in ("al", "el")) and self.caps[i + 1]:
                return i + 1
        return i

    def exact_at(self, i: int) -> _Span | None:
        """The widest gazetteer name starting at token ``i``, if any."""
        j0 = self.content_start(i) if self.norms[i] in ARTICLES else i
        if not self.caps[j0]:
            return None
        width = self.gaz.first_tokens.get(self.norms[j0], 0)
        for w in range(self.run(j0, width) if width > 1 else width, 0, -1):
            last = j0 + w - 1
            if not (self.caps[last] or self.norms[last].isdigit()):
                continue
            key = " ".join(self.norms[j0:last + 1]) if w > 1 else self.norms[j0]
            found = self.gaz.candidates(key) if self.gaz.has_key(key) else ()
            if found:
                return _Span(i, last, self.starts[i], self.ends[last], found)
        return None

    def scan(self) -> None:
        """Greedy longest match, left to right, no overlaps."""
        firsts = self.gaz.first_tokens
        # a name starts at a capitalised first word, or at an article before one
        heads = [i for i, (cap, norm) in enumerate(zip(self.caps, self.norms, strict=True))
                 if norm in ARTICLES or (cap and norm in firsts)]
        after = 0  # the first token not inside a span found so far
        for i in heads:
            if i >= after and (span := self.exact_at(i)) is not None:
                self.spans.append(span)
                after = span.last + 1

    def title_line(self, pos: int) -> bool:
        """True if the line holding ``pos`` is in Title Case (a headline): capitals mean little."""
        start = self.text.rfind("\n", 0, pos) + 1
        found = self._titles.get(start)
        if found is None:
            found = self._titles[start] = _is_title(self.text, start)
        return found

    def gap(self, a: _Span, b: _Span) -> str:
        """The text between two spans."""
        return self.text[a.end:b.start]

    def key(self, span: _Span) -> str:
        """The exact key of the span's words."""
        return " ".join(self.norms[span.first:span.last + 1])



def _country_votes(finder: _Finder) -> dict[str, float]:
    votes: dict[str, float] = {}
    caps, joins = finder.caps, finder.joins
    for span in finder.spans:
        kept = _BALLOTS.get(id(span.candidates))  # by the gazetteer's candidate tuple
        if kept is None:
            if len(_BALLOTS) >= _LEVELS_MAX:
                _BALLOTS.clear()
            kept = _BALLOTS[id(span.candidates)] = (span.candidates,
                                                    _votes(finder.gaz, span.candidates))
        ballot = kept[1]
        nxt = span.last + 1
        if ballot and ballot[0][1] == _WEAK_VOTE and nxt < len(caps) and caps[nxt] and joins[nxt]:
            continue  # "White Helmets": a hamlet's name inside a longer name is no evidence
        for cc, weight in ballot:
            votes[cc] = votes.get(cc, 0.0) + weight
    return votes


def _votes(gaz: Gazetteer, candidates: Sequence[records.Place]) -> list[tuple[str, float]]:
    """The country votes one name casts: strong candidates share one vote."""
    strong = {p.country_code for p in candidates
              if p.level in _STRONG_LEVELS or gaz.population(p.id) >= _BIG_TOWN}
    if strong:
        return [(cc, 1.0 / len(strong)) for cc in strong]
    every = {p.country_code for p in candidates}
    return [(every.pop(), _WEAK_VOTE)] if len(every) == 1 else []  # a name one country has


def _link_containers(finder: _Finder) -> None:
    """Give each span the spans that may contain it: "Hama's X and Y", "X, Y and Z in W", "X, W"."""
    spans = finder.spans
    gaps = [finder.gap(a, b) for a, b in itertools.pairwise(spans)]
    listed = [bool(_LIST_SEP.match(g)) for g in gaps]
    # list_end[k]: the last span of the list "X, Y and Z" that span k is part of
    list_end = list(range(len(spans)))
    for k in range(len(gaps) - 1, -1, -1):
        if listed[k]:
            list_end[k] = list_end[k + 1]
    owner: _Span | None = None
    for k, span in enumerate(spans):
        if k and finder.poss[spans[k - 1].last] and not gaps[k - 1].strip():
            owner = spans[k - 1]
        elif not k or not listed[k - 1]:
            owner = None
        if owner is not None and owner is not span:
            span.containers.append(owner)
        j = list_end[k]
        if j < len(gaps) and _IN_CONTAINER.match(gaps[j]):
            span.containers.append(spans[j + 1])
        if k < len(gaps) and _COMMA.match(gaps[k]):
            span.containers.append(spans[k + 1])


def _cue(finder: _Finder, span: _Span) -> str | None:
    """'admin' or 'city' when the words around the name say which it is."""
    before = finder.text[max(0, span.start - 40):span.start]
    after = finder.text[span.end:span.end + 20]
    # The "before" patterns are slow searches; they can only match after one of these words.
    cued = before[-1:].isspace() and before.rstrip()[-8:].lower().endswith(_BEFORE_LAST)
    if _ADMIN_AFTER.match(after) or (cued and _ADMIN_BEFORE.search(before)):
        return "admin"
    if _CITY_AFTER.match(after):
        return "admin" if _INDEFINITE_BEFORE.search(before) else "city"
    if cued and (city := _CITY_BEFORE.search(before)):
        # "central Mali" is the middle of the country, "central Idlib" the city's centre
        plain = city.group().split()[0].lower() in {"central", "downtown"}
        return None if plain and any(p.level == "country" for p in span.candidates) else "city"
    return None


def _levels(gaz: Gazetteer, candidates: Sequence[records.Place]) -> list[_Level]:
    """Each candidate's prominence and level flags, kept per candidate set."""
    found = _LEVELS.get(id(candidates))
    if found is not None:
        return found[1]
    levels = []
    for place in candidates:
        admin = place.level in _ADMIN_LEVELS
        # "Idlib" alone: the city, which a watch on the province covers anyway
        shadowed = admin and any(p.level == "locality" and p.within(place.id) for p in candidates)
        levels.append((gaz.prominence(place), admin, place.level == "locality", shadowed, place))
    if len(_LEVELS) >= _LEVELS_MAX:
        _LEVELS.clear()
    _LEVELS[id(candidates)] = (candidates, levels)  # holding the set keeps its id unique
    return levels


def _fits(finder: _Finder, span: _Span) -> list[_Fit]:
    """Each candidate's story score and level flags, worked out once per candidate set.

    The story score is the part that is the same wherever the story names the candidate:
    its prominence, 10 times its country's share of the story, +5 inside a province the
    story names.
    """
    candidates = span.candidates
    fits = finder.fits.get(id(candidates))
    if fits is None:
        fits = finder.fits[id(candidates)] = []
        context, admins = finder.context, finder.admins
        # every span's candidate set is a kept one: the gazetteer's, or a cut of it (_near)
        for prominence, admin, locality, shadowed, place in _levels(finder.gaz, candidates):
            score = prominence + 10.0 * context.get(place.country_code, 0.0)
            if not admin and (place.id in admins or not admins.isdisjoint(place.admin_ids)):
                score += 5.0
            fits.append((score, admin, locality, shadowed, place))
    return fits


def _best(finder: _Finder, span: _Span, memo: dict[tuple[int, str | None, frozenset[str]],
                                                    records.Place]) -> records.Place:
    """The best-scoring candidate; ``memo`` keeps choices for names the text repeats.

    A candidate scores its story score, +30 inside a place the context names, and +/-25 when
    a cue word says admin unit or city and it is (not) one; with no cue, an admin unit that
    holds a town of the same name loses 25.
    """
    if len(span.candidates) == 1:
        return span.candidates[0]
    cue = _cue(finder, span)
    containers = (frozenset(c.id for s in span.containers for c in s.candidates)
                  if span.containers else _NO_IDS)
    # Exact spans share the gazetteer's candidate tuple, so its id names the candidate set.
    key = (id(span.candidates), cue, containers)
    best = memo.get(key) if not span.loose else None
    if best is not None:
        return best
    top = -math.inf
    for story, admin, locality, shadowed, place in _fits(finder, span):
        score = story
        if containers and not containers.isdisjoint(place.admin_ids):
            score += 30.0
        if cue == "admin":
            score += 25.0 if admin else -25.0
        elif cue == "city":
            score += 25.0 if locality else -25.0
        elif shadowed:
            score -= 25.0
        if score > top:
            top, best = score, place
    assert best is not None  # candidate sets are never empty
    memo[key] = best
    return best


def _feature_name(finder: _Finder, span: _Span, place: records.Place) -> bool:
    """True if the name is part of a river's or a landform's: "the Niger River", "Niger Delta"
    (not the country), "Jordan Valley"; a town's name before "River" is the river too."""
    if finder.text[span.end:span.end + 1] != " " or \
            finder.text[span.end + 1:span.end + 2] not in _FEATURE_FIRST:
        return False
    after = _FEATURE_AFTER.match(finder.text, span.end + 1, span.end + 8)
    return after is not None and (place.level == "country" or after.group().lower() == "river")


def _plausible(finder: _Finder, span: _Span, place: records.Place) -> bool:
    """Precision rules: drop obscure homonyms far from the story, common words, and people."""
    share = finder.context.get(place.country_code, 0.0)
    strong = place.level == "country" or (place.level in _STRONG_LEVELS and share >= _IN_CONTEXT)
    pop = finder.gaz.population(place.id)
    # Every later rule keeps only what this one keeps, and it is the cheapest: it goes first.
    if not (strong or pop >= _BIG_TOWN or place.level in _STRONG_LEVELS or share >= _IN_CONTEXT
            or (pop >= _TOWN and not span.loose and (span.containers or _locative(finder, span)))
            or _settlement(finder, span, place)):
        return False
    key = finder.key(span)
    if key in STOPWORDS or key in DEMONYMS or _feature_name(finder, span, place):
        return False
    if (span.first == span.last and key in finder.gaz.common_words and not strong
            and not ((pop >= _BIG_TOWN or share >= _IN_CONTEXT) and _locative(finder, span))):
        return False  # "in Buffalo" is the city; "a buffalo", "Buffalo wings" are not
    if place.level != "country" and _in_longer_name(finder, span):
        return False
    person = _person_cue(finder, span)
    if person == "name":
        return strong or _locative(finder, span)
    return person is None or (strong and person == "after")


def _person_cue(finder: _Finder, span: _Span) -> Literal["before", "after", "name"] | None:
    """Whether the words around the span make it (part of) a person's name.

    "before": a title up to two names before ("Dr. Hussein X", "President X") or a given
    name just before ("Hussein X"); "after": a verb of saying after ("X said"); "name": the
    span is a lone given name ("regime head Bashar").
    """
    prev = span.first - 1
    if (prev >= 0 and finder.caps[prev] and finder.norms[prev] in GIVEN_NAMES
            and finder.text[finder.ends[prev]:span.start] == " "):
        return "before"
    before = finder.text[max(0, span.start - 40):span.start]
    # the search is slow and can only match when a title is among the last words before
    if (not _TITLE_SET.isdisjoint([w.rstrip(".") for w in before.split()[-3:]])
            and _PERSON_BEFORE.search(before)):
        return "before"
    if _PERSON_AFTER.match(finder.text[span.end:span.end + 20]):
        return "after"
    if span.first == span.last and finder.norms[span.first] in GIVEN_NAMES:
        return "name"
    return None


def _settlement(finder: _Finder, span: _Span, place: records.Place) -> bool:
    """True if the words before call the name a town or village and it is one."""
    if span.loose or place.level != "locality":
        return False
    before = finder.text[max(0, span.start - 30):span.start]
    return _SETTLEMENT.search(before) is not None


def _locative(finder: _Finder, span: _Span) -> bool:
    """True if a locative word comes just before: "in X", "near X", "the town of X" (and
    "of" and a name do not follow: "at the University of Y" is no place)."""
    before = finder.text[max(0, span.start - 30):span.start]
    return (before[-1:].isspace() and before.rstrip().lower().endswith(_LOCATIVE_LAST)
            and _LOCATIVE.search(before) is not None
            and not _OF_NAME.match(finder.text, span.end, span.end + 8))


def _in_longer_name(finder: _Finder, span: _Span) -> bool:
    """True if capitalised words run straight into the span: "Tahrir al-Sham", "Bashar al-Assad"."""
    norms, caps, joins = finder.norms, finder.caps, finder.joins
    nxt, prev = span.last + 1, span.first - 1
    if (nxt < len(norms) and joins[nxt] and norms[nxt] not in _CUE_WORDS
            and (caps[nxt] or finder.content_start(nxt) != nxt)):
        longer = True
    elif prev >= 0 and joins[span.first] and caps[prev]:
        gap_before = finder.text[finder.ends[prev - 1]:finder.starts[prev]] if prev else "."
        sentence_start = (gap_before.strip()[-1:] in (".", "!", "?", ":", "")
                          and "\n" in gap_before + "\n")
        longer = norms[prev] not in _CUE_WORDS and not (sentence_start and prev == 0)
    else:
        return False
    return longer and not finder.title_line(span.start)


def _loose_spans(finder: _Finder) -> list[_Span]:
    """Transliteration variants, tried where no exact name covers a capitalised run, or where a
    longer run goes past a shorter exact name ("Kafr Batikh" beyond the village "Kafr")."""
    finder.near_countries = frozenset(cc for cc, share in finder.context.items()
                                      if share >= _IN_CONTEXT)
    if finder.near_countries.isdisjoint(finder.gaz.loose_countries):
        return []  # the loose keys could only name places in countries far from this story
    starts = {s.first: s for s in finder.spans}
    # covered[k]: the last token of the exact name over token k, or -1
    covered = [-1] * len(finder.caps)
    for s in finder.spans:
        covered[s.first:s.last + 1] = [s.last] * (s.last + 1 - s.first)
    found: list[_Span] = []
    heads = [i for i, (cap, norm) in enumerate(zip(finder.caps, finder.norms, strict=True))
             if cap and norm not in STOPWORDS and norm not in FUNCTION_WORDS]
    after = 0  # the first token past the last name tried
    for i in heads:
        exact = starts.get(i)
        if i < after or (exact is None and covered[i] >= 0):
            continue
        # past an exact name, only a longer run may replace it
        span = _loose_at(finder, i, covered, i if exact is None else exact.last + 1)
        if span is not None:
            found.append(span)
            after = span.last + 1
        elif exact is not None:
            after = exact.last + 1
    if found:  # the exact names a loose one overlaps give way to it
        replaced = [False] * len(finder.caps)
        for span in found:
            replaced[span.first:span.last + 1] = [True] * (span.last + 1 - span.first)
        finder.spans = [s for s in finder.spans
                        if not any(replaced[s.first:s.last + 1])]
    return found


def _loose_at(finder: _Finder, i: int, covered: list[int], min_last: int) -> _Span | None:
    """The widest loose name from token ``i`` to a token at or after ``min_last``, if any."""
    run = finder.run(i, _LOOSE_WIDTH)
    if i + run - 1 < min_last or (run == 1 and finder.norms[i] in finder.gaz.common_words):
        return None
    pieces = finder.pieces[i:i + run]
    for w in range(run, min_last - i, -1):
        last = i + w - 1
        if not finder.caps[last] or (w == 1 and finder.norms[i] in finder.gaz.common_words):
            continue
        if not all(finder.caps[k] or finder.norms[k] in LOOSE_ARTICLES for k in range(i, last)):
            continue  # "Ariha in Idlib" is two names, not one
        if max(covered[i:last + 1]) > last:
            continue  # would cut an exact name in two
        found = finder.gaz.loose_lookup(pieces[0] if w == 1 else join_loose(pieces[:w]))
        if found and (near := _near(finder, found)):
            return _Span(i, last, finder.starts[i], finder.ends[last], near, loose=True)
    return None


def _near(finder: _Finder, found: Sequence[records.Place]) -> Sequence[records.Place]:
    """The candidates of ``found`` in a country in context, as one set per story countries.

    The set is kept (with ``found``, so neither id is reused) for as long as the gazetteer's
    candidate set: its prominence and level flags are then worked out once, not per story.
    """
    key = (id(found), finder.near_countries)
    kept = _NEAR.get(key)
    if kept is None:
        if len(_NEAR) >= _LEVELS_MAX:
            _NEAR.clear()
        near = tuple(p for p in found if p.country_code in finder.near_countries)
        kept = _NEAR[key] = (found, near)
    return kept[1]


def _resolve(finder: _Finder) -> list[PlaceMatch]:
    out = []
    memo: dict[tuple[int, str | None, frozenset[str]], records.Place] = {}
    for span in finder.spans:
        best = _best(finder, span, memo)
        if not _plausible(finder, span, best):
            continue
        confidence = 0.6 if span.loose else 0.9 if len(span.candidates) == 1 else 0.75
        out.append(PlaceMatch(span.start, span.end, finder.text[span.start:span.end], best,
                              confidence))
    return out


def _named_votes(finder: _Finder, votes: dict[str, float]) -> dict[str, float]:
    """Add the votes of the demonyms and one-country actors the story names (each once)."""
    norms, joins = finder.norms, finder.joins
    named: dict[str, None] = {}  # in order of first mention: the sums do not depend on hashing
    for i in itertools.compress(range(len(norms)), finder.caps):
        norm = norms[i]
        if norm in _NAMED:
            named[norm] = None
        if norm in _NAMED_FIRSTS and i + 1 < len(norms) and joins[i + 1]:
            named[f"{norm} {norms[i + 1]}"] = None
    for key in named:
        if cc := _NAMED.get(key):
            votes[cc] = votes.get(cc, 0.0) + _CONTEXT_VOTE
    return votes


def _context(votes: dict[str, float]) -> dict[str, float]:
    """Each country's share of the story's strong place evidence."""
    total = sum(votes.values())
    return {cc: v / total for cc, v in votes.items()} if total else {}


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceMatch]:
    """Non-overlapping place mentions in ``text``, in order, each resolved to one place."""
    finder = _Finder(text, gazetteer)
    finder.scan()
    finder.context = _context(_named_votes(finder, _country_votes(finder)))
    loose = _loose_spans(finder)
    finder.spans = sorted(finder.spans + loose, key=lambda s: s.start)
    _link_containers(finder)
    finder.admins = frozenset(p.id for s in finder.spans for p in s.candidates
                              if p.level == "admin1"
                              and finder.context.get(p.country_code, 0.0) >= 0.5)
    return _resolve(finder)
