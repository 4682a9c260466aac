"""Split a document into paragraphs and sentences, keeping every character offset."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! or ? (and any closing quote or bracket) before space and a capital,
# a digit or an opening quote. The space is never a line break, so one search of the whole
# document finds the ends of the sentences of every paragraph.
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*[^\S\n]+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "cpl", "pvt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "gov", "sen", "rep", "jr", "sr", "vs", "prof", "rev", "adm", "brig", "cmdr",
    "u.s", "u.n", "u.k", "e.g", "i.e", "a.m", "p.m", "approx", "est", "fig", "mt", "ft",
})
_LONGEST = max(len(word) for word in _ABBREVIATIONS)
# possessive: a run of word characters that does not reach the dot is not retried shorter
_WORD_BEFORE = re.compile(r"([\w.]++)\Z")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its offsets in the document, its text and the paragraph it belongs to."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the period at ``dot`` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    # A word longer than every abbreviation is none (lower-casing never shortens it), so the
    # search looks just past that length back, unless dots pile up before this one and may be
    # stripped. The word cannot reach back past a line break: no paragraph bounds are needed.
    reach = 24 if dot > 0 and text[dot - 1] == "." else _LONGEST + 1
    match = _WORD_BEFORE.search(text, max(0, dot - reach), dot)
    if match is None:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(sentences: list[Sentence], document: str, start: int, end: int, paragraph: int) -> None:
    """Append ``document[start:end]`` without its surrounding space, unless that is all it is."""
    piece = document[start:end]
    text = piece.strip()
    if text:
        begin = start + len(piece) - len(piece.lstrip())
        sentences.append(Sentence(begin, begin + len(text), text, paragraph, len(sentences)))


def split_sentences(document: str) -> list[Sentence]:
    """Every sentence of ``document`` in order; a line break always ends a sentence."""
    ends = [m for m in _BOUNDARY.finditer(document) if not _is_abbreviation(document, m.start())]
    sentences: list[Sentence] = []
    k = 0
    for paragraph, match in enumerate(_PARAGRAPH.finditer(document)):
        start, stop = match.span()
        while k < len(ends) and ends[k].start() < stop:
            boundary = ends[k]
            _add(sentences, document, start, boundary.start() + len(boundary.group().rstrip()),
                 paragraph)
            start, k = boundary.end(), k + 1
        _add(sentences, document, start, stop, paragraph)
    return sentences
