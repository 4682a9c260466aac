"""Words and numbers: tokenise a sentence and read the amounts it states (digits, words, vague)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import compress, count
from operator import attrgetter, methodcaller
from typing import NamedTuple, cast

from workers.records import Qualifier

# A digit token keeps its hyphenated tail ("7-year-old", "20-minute") so that ages and durations
# are one token and never read as counts. Words come first, so a letter never tries the digit
# forms, and the leading \s* lets the engine skip spaces without a failed match at each one.
_TOKEN = re.compile(
    r"\s*([^\W\d]\w*(?:[-'’]\w+)*|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:-\w+)*"
    r"|\d+(?:\.\d+)?(?:-\w+)*|[^\w\s])"
)

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_WORD_VALUES: dict[str, int] = {
    **UNITS, **TENS,
    **{f"{t}-{u}": TENS[t] + UNITS[u] for t in TENS for u in UNITS if 0 < UNITS[u] < 10},
}

# Vague amounts, mapped the ACLED way. The value is an estimate; a mention keeps only the words.
VAGUE: dict[str, int] = {
    "dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1000, "scores": 20,
    "several": 3, "few": 3, "numerous": 3, "many": 3, "some": 3,
}
_VAGUE_PLURAL_SCALES = {"hundreds": 100, "thousands": 1000, "dozens": 12}

# Every word an amount can start with; any other token is skipped at once.
_STARTS = frozenset(_WORD_VALUES) | frozenset(VAGUE) | {"a", "one", "tens", "few"}
# Exact phrases that are numbers: "a dozen", "a score" (and "one dozen").
_COUNT_NOUNS = {"dozen": 12, "score": 20}
# "a" opens an amount only before these: the nouns above, a scale ("a hundred"), "a few".
_AFTER_A = frozenset(_COUNT_NOUNS) | frozenset(SCALES) | {"few"}

QUALIFIER_WORDS: tuple[tuple[tuple[str, ...], Qualifier], ...] = (
    (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"),
    (("no", "less", "than"), "at_least"),
    (("not", "less", "than"), "at_least"),
    (("a", "minimum", "of"), "at_least"),
    (("more", "than"), "more_than"),
    (("over",), "more_than"),
    (("upwards", "of"), "more_than"),
    (("in", "excess", "of"), "more_than"),
    (("well", "over"), "more_than"),
    (("nearly",), "nearly"),
    (("almost",), "nearly"),
    (("close", "to"), "nearly"),
    (("up", "to"), "nearly"),
    (("just", "under"), "nearly"),
)
# Approximations read as the figure itself (ACLED codes "about 20" as 20).
_APPROX: tuple[tuple[str, ...], ...] = (
    ("about",), ("around",), ("approximately",), ("roughly",), ("some",), ("an", "estimated"),
    ("as", "many", "as"), ("a", "total", "of"), ("a", "further"), ("another",),
)
# Qualifiers and approximations by their last word, so a lookup costs one dict access.
_QUALIFIERS_BY_LAST: dict[str, list[tuple[tuple[str, ...], Qualifier]]] = {}
for _words, _qual in (*QUALIFIER_WORDS, *((w, "exact") for w in _APPROX)):
    _QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append((_words, _qual))


class Token(NamedTuple):
    """One word or punctuation mark and its lower case (``token_spans`` gives the offsets)."""

    text: str
    low: str


class Amount(NamedTuple):
    """An amount stated over tokens ``[first, last)``: its value and how firmly it is stated.

    A named tuple, not a frozen dataclass: one is built per number read, and a tuple is built
    several times quicker.
    """

    first: int  # index of the first token, qualifier included
    core: int  # index of the first token of the number itself
    last: int  # one past the last token of the number
    value: int
    qualifier: Qualifier
    vague: str | None = None  # the wording, when the amount is vague


# Tokenising is the hot loop of extraction: tokens not in the table below, their lower cases and
# their spans are built by C-level map and zip.
_new_token = partial(tuple.__new__, Token)
_low = attrgetter("low")
_token_span = methodcaller("span", 1)


def lows(tokens: list[Token]) -> list[str]:
    """The lower case of every token."""
    return list(map(_low, tokens))


def where(words: list[str], test: Callable[[str], bool]) -> Iterator[int]:
    """Indices of the ``words`` that pass ``test`` (a C-level test such as ``set.__contains__``).

    Scanning a sentence word by word in Python is the cost of extraction; this scan is not.
    """
    return compress(count(), map(test, words))


# Tokens already built, by their text: words recur within and across articles, and looking one
# up is several times quicker than building it. Emptied when full: it stays under ~3 MB.
_KNOWN: dict[str, Token] = {}
_KNOWN_LIMIT = 10_000


def _known_token(text: str) -> Token:
    """The token of ``text`` lowered alone, built once."""
    if len(_KNOWN) >= _KNOWN_LIMIT:
        _KNOWN.clear()
    token = _KNOWN[text] = Token(text, text.lower())
    return token


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words and punctuation marks."""
    texts: list[str] = _TOKEN.findall(text)
    # Lower-casing is context-free, so each token may be lowered alone, unless a character
    # lowers to several (İ) or by its context (final sigma): then the whole text is lowered.
    if text.isascii() or ("Σ" not in text and len(text.lower()) == len(text)):
        known = list(map(_KNOWN.get, texts))
        if all(known):  # a token is a non-empty tuple: only a missing one is false
            return cast(list[Token], known)
        return [token or _known_token(word) for token, word in zip(known, texts, strict=True)]
    lowered = text.lower()
    lows = [lowered[a:b] for a, b in token_spans(text)]
    return list(map(_new_token, zip(texts, lows, strict=True)))


def token_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """The (start, end) of every token of ``tokenize(text)``, shifted by ``offset``."""
    spans: list[tuple[int, int]] = list(map(_token_span, _TOKEN.finditer(text)))
    return [(a + offset, b + offset) for a, b in spans] if offset else spans


def spans_of(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The (start, end) of every token of ``tokenize(text)``: the same as ``token_spans``.

    Only white space stands between two tokens and none opens one, so each token starts where
    its text is first found after the one before; a search per token is quicker than a rescan.
    """
    spans: list[tuple[int, int]] = []
    find, end = text.find, 0
    for token in tokens:
        start = find(token.text, end)
        end = start + len(token.text)
        spans.append((start, end))
    return spans


def parse_digits(text: str) -> int | None:
    """Read "17", "1,200" or "2.5" (rounded down); None for anything with a tail like "7-year"."""
    if not text[0].isdigit() or "-" in text:
        return None
    try:
        return int(float(text.replace(",", "")))
    except ValueError:
        return None


def word_value(word: str) -> int | None:
    """The value of a single number word, hyphenated compounds included ("twenty-five")."""
    return _WORD_VALUES.get(word.lower())


def _digits_value(text: str) -> float | None:
    if not text[0].isdigit() or "-" in text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _can_follow(current: int, value: int) -> bool:
    """Whether number word ``value`` continues a number whose running part is ``current``."""
    if current == 0:
        return True
    if current % 100 == 0:
        return value < 100
    return current % 10 == 0 and current % 100 >= 20 and value < 10


def _read_words(tokens: list[Token], i: int) -> tuple[int, int]:
    total, current, j = 0, 0, i
    while j < len(tokens):
        low, value = tokens[j].low, word_value(tokens[j].text)
        if value is not None and _can_follow(current, value) and (j == i or current or total):
            current += value
        elif low in SCALES:
            if SCALES[low] == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * SCALES[low], 0
        elif low == "and" and j > i and tokens[j - 1].low in SCALES and j + 1 < len(tokens) \
                and word_value(tokens[j + 1].text) is not None:
            pass
        else:
            break
        j += 1
    return total + current, j


def _read_core(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Read a plain number starting at token ``i``: (value, index one past its end)."""
    digits = _digits_value(tokens[i].text)
    if digits is None:
        if word_value(tokens[i].text) is None:
            return None
        return _read_words(tokens, i)
    j = i + 1
    while j < len(tokens) and tokens[j].low in SCALES:
        digits *= SCALES[tokens[j].low]
        j += 1
    return int(digits), j


def _match_words(tokens: list[Token], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(tokens):
        return False
    return all(tokens[i + k].low == w for k, w in enumerate(words))


def _qualifier_before(tokens: list[Token], core: int) -> tuple[int, Qualifier]:
    """Find a qualifier ending right before ``core``: (index of its first token, qualifier)."""
    if core == 0:
        return core, "exact"
    for words, qual in _QUALIFIERS_BY_LAST.get(tokens[core - 1].low, ()):
        start = core - len(words)
        if start >= 0 and _match_words(tokens, start, words):
            return start, qual
    return core, "exact"


def _vague_at(tokens: list[Token], i: int) -> tuple[int, int, str] | None:
    """Read a vague amount at ``i`` ("dozens", "several hundred", "a few"): (value, end, words)."""
    low = tokens[i].low
    if low == "a" and i + 1 < len(tokens) and tokens[i + 1].low == "few":
        return 3, i + 2, "a few"
    if low == "tens" and _match_words(tokens, i + 1, ("of", "thousands")):
        return 10_000, i + 3, "tens of thousands"
    if low in {"several", "few", "many", "numerous"} and i + 1 < len(tokens) \
            and tokens[i + 1].low in {"hundred", "thousand", "dozen"}:
        scale = {"hundred": 100, "thousand": 1000, "dozen": 12}[tokens[i + 1].low]
        return 3 * scale, i + 2, f"{low} {tokens[i + 1].low}"
    if low in _VAGUE_PLURAL_SCALES or low in {"tens", "scores"}:
        return VAGUE[low], i + 1, low
    if low in {"several", "numerous", "many"}:
        return VAGUE[low], i + 1, low
    return None


def _fixed_phrase(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Exact phrases that are numbers: "a dozen", "a score", "a hundred"."""
    if tokens[i].low in {"a", "one"} and i + 1 < len(tokens):
        nxt = tokens[i + 1].low
        if nxt in _COUNT_NOUNS:
            return _COUNT_NOUNS[nxt], i + 2
        if nxt in SCALES and tokens[i].low == "a":
            return _read_words(tokens, i + 1)
    return None


def read_amount(tokens: list[Token], i: int) -> Amount | None:
    """Read the amount whose number starts at token ``i``, with any qualifier before it."""
    low = tokens[i].low
    if low[0].isdigit():  # digits are neither a fixed phrase nor vague
        return _numeric(tokens, i)
    if low not in _STARTS or (low == "a" and (i + 1 == len(tokens)
                                               or tokens[i + 1].low not in _AFTER_A)):
        return None
    fixed = _fixed_phrase(tokens, i)
    if fixed is not None:
        first, qual = _qualifier_before(tokens, i)
        return Amount(first, i, fixed[1], fixed[0], qual)
    vague = _vague_at(tokens, i)
    if vague is not None:
        value, end, words = vague
        return Amount(i, i, end, value, "vague", words)
    return _numeric(tokens, i)


def _numeric(tokens: list[Token], i: int) -> Amount | None:
    """A plain number at ``i`` ("17", "twenty-five", "3 million"), with any qualifier before it."""
    core = _read_core(tokens, i)
    if core is None:
        return None
    first, qual = _qualifier_before(tokens, i)
    return Amount(first, i, core[1], core[0], qual)


def find_amounts(tokens: list[Token], words: list[str] | None = None) -> list[Amount]:
    """Every amount stated in ``tokens``, left to right, none overlapping.

    ``words`` are ``lows(tokens)``, when the caller has them already.
    """
    found: list[Amount] = []
    after = 0
    words = lows(tokens) if words is None else words
    for i in [k for k, word in enumerate(words) if word in _STARTS or word[0].isdigit()]:
        if i < after:
            continue
        amount = read_amount(tokens, i)
        if amount is not None:
            found.append(amount)
            after = amount.last
    return found
