"""Split a document into paragraphs and sentences, keeping every character offset."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! or ? (and any closing quote or bracket) before space and a capital,
# a digit or an opening quote.
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "cpl", "pvt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "gov", "sen", "rep", "jr", "sr", "vs", "prof", "rev", "adm", "brig", "cmdr",
    "u.s", "u.n", "u.k", "e.g", "i.e", "a.m", "p.m", "approx", "est", "fig", "mt", "ft",
})
_WORD_BEFORE = re.compile(r"([\w.]+)$")


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
    match = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
    if match is None:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _split_paragraph(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        end = match.end() - (len(match.group()) - len(match.group().rstrip()))
        spans.append((offset + start, offset + end))
        start = match.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


def split_sentences(document: str) -> list[Sentence]:
    """Every sentence of ``document`` in order; a line break always ends a sentence."""
    sentences: list[Sentence] = []
    for paragraph, match in enumerate(_PARAGRAPH.finditer(document)):
        for start, end in _split_paragraph(match.group(), match.start()):
            lead = len(document[start:end]) - len(document[start:end].lstrip())
            if end > start + lead:
                text = document[start + lead:end]
                sentences.append(Sentence(start + lead, end, text, paragraph, len(sentences)))
    return sentences
