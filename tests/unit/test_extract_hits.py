"""The casualty-word scan: the stem search finds exactly what the casualty-word pattern finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workers.extract.lexicon import CASUALTY_STEMS, CASUALTY_WORDS
from workers.extract.mentions import casualty_hits

_WORDS = st.sampled_from(
    [stem for stem, _ in CASUALTY_STEMS]
    + ["killed", "Died", "soldiers", "establish", "shot.", "lives,", "lifeline", "deadline",
       "skill", "_die", "9kill", "İnjured", "\u212aill", " ", "\n", "-", "'", "ſhot"])


def _reference(document: str) -> list[int]:
    return [m.start() for m in CASUALTY_WORDS.finditer(document.lower())]


@given(st.lists(st.one_of(_WORDS, st.text(max_size=3)), max_size=25).map("".join))
def test_stem_search_finds_what_the_pattern_finds(document: str) -> None:
    assert casualty_hits(document) == _reference(document)


def test_words_and_their_boundaries() -> None:
    text = "Two died; the die is cast. A skill, a deadline, 3 lives lost, shot-dead"
    hits = casualty_hits(text)
    assert [text[h:h + 4] for h in hits] == ["died", "die ", "dead", "live", "lost", "shot",
                                              "dead"]
    assert hits == _reference(text)
