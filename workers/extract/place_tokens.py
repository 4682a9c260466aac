"""Where a place name can stand in a text: capitalised stretches, word keys, one pass's state."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workers import records
from workers.extract.gazetteer import ARTICLES, Gazetteer, loose_piece, normalize_token

_TOKEN = re.compile(r"[^\W\d_][\w'’‘ʼʿʾ`´]*")


def _upper_class() -> str:
    """A regex character class of every upper-case letter (``re`` has no \\p{Lu})."""
    upper = [c for c in map(chr, range(0x250)) if c.isupper()]  # Latin, with accents
    upper += ["\u0370-\u03ff", "\u0400-\u052f", "\u1e00-\u1eff"]  # only .isupper() counts
    return "[" + "".join(re.escape(c) if len(c) == 1 else c for c in upper) + "]"


_TAIL = r"[\w'’‘ʼʿʾ`´]*"
_TAIL_CHAR = re.compile(r"[\w'’‘ʼʿʾ`´]")
_TAIL_MARKS = "_'’‘ʼʿʾ`´"  # with the alphanumerics, the characters of _TAIL_CHAR
_JOIN_CHARS = " -‐–"
_ARTICLE_ENDS = frozenset("ldnrstzh")  # last letters of al el an ar as ash at az ad
_JOIN = r"(?:[ \-‐–]| - )"
_UPPER = _upper_class()
# The stretches of text a place name can touch: capitalised words, with up to three
# lower-case words between two of them ("Bosnia and Herzegovina", "Port-au-Prince") and a
# lower-case article before ("al-Nayrab"). Only their words are tokenised: most words of an
# article are in none. A stretch starts where a word of the whole text starts (not after a
# letter, nor after a letter and an apostrophe), so its words are the words a tokeniser of
# the whole text finds there, and a gap between two stretches is never a join. A word's tail
# is possessive ("*+"): what follows it is a join, never a tail letter, so giving letters back
# cannot make a match, and trying it was a sixth of the time on lower-case prose.
_TAIL_ALL = _TAIL + "+"
_STRETCH = re.compile(
    _UPPER + r"(?<![^\W\d_].)(?<![^\W\d_]['’‘ʼʿʾ`´].)" + _TAIL_ALL
    + r"(" + _JOIN + r"(?:[^\W\d_]" + _TAIL_ALL + _JOIN + r"){0,3}" + _UPPER + _TAIL_ALL
    + r")*")
_ARTICLE_BEFORE = re.compile(r"(?<![^\W\d_])(?:al|el|an|ar|as|ash|at|az|ad)" + _JOIN + r"\Z")
_POSSESSIVE = ("'s", "’s")
_JOINS = frozenset({" ", "-", "‐", "–", " - "})
_TRAILING = "'’‘`´"
# a candidate's story score, admin unit, locality, and admin unit holding a town of its name
Fit = tuple[float, bool, bool, bool, records.Place]


@dataclass(slots=True)
class Span:
    first: int
    last: int
    start: int
    end: int
    candidates: Sequence[records.Place]
    loose: bool = False
    containers: list[Span] = field(default_factory=list)


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
        prev = text[start - 1:start]  # empty at the start of the text
        # (isalnum() or _TAIL_MARKS is _TAIL_CHAR.match without a regex call: \w is isalnum)
        if prev and ((prev in _JOIN_CHARS and text[start - 2:start - 1] in _ARTICLE_ENDS)
                     or prev.isalnum() or prev in _TAIL_MARKS):
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


class Finder:
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
        self.spans: list[Span] = []
        self.context: dict[str, float] = {}
        self.admins: frozenset[str] = frozenset()
        self.near_countries: frozenset[str] = frozenset()  # with a share >= IN_CONTEXT
        self.openers: list[bool] = []  # set by the loose pass
        self.fits: dict[int, list[Fit]] = {}  # _fits per candidate set (by id: all alive)
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

    def exact_at(self, i: int) -> Span | None:
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
            if found := self.gaz.exact_names(key):
                return Span(i, last, self.starts[i], self.ends[last], found)
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

    def gap(self, a: Span, b: Span) -> str:
        """The text between two spans."""
        return self.text[a.end:b.start]

    def key(self, span: Span) -> str:
        """The exact key of the span's words."""
        return " ".join(self.norms[span.first:span.last + 1])
