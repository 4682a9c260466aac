"""Reading amounts: digits, number words, qualifiers, vague words, and what is not a count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.extract import numbers
from workers.extract.numbers import (
    find_amounts,
    parse_digits,
    spans_of,
    token_spans,
    tokenize,
    word_value,
)


def amounts(text: str) -> list[tuple[int, str, str | None]]:
    return [(a.value, a.qualifier, a.vague) for a in find_amounts(tokenize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 wounded", [(17, "exact", None)]),
        ("1,200 people", [(1200, "exact", None)]),
        ("2.5 million people", [(2_500_000, "exact", None)]),
        ("four martyrs", [(4, "exact", None)]),
        ("Ten children", [(10, "exact", None)]),
        ("twenty-five people", [(25, "exact", None)]),
        ("twenty five people", [(25, "exact", None)]),
        ("one hundred and twenty people", [(120, "exact", None)]),
        ("two thousand three hundred", [(2300, "exact", None)]),
        ("a hundred people", [(100, "exact", None)]),
        ("a dozen people", [(12, "exact", None)]),
        ("over a score of fighters", [(20, "more_than", None)]),
        ("at least 25 people", [(25, "at_least", None)]),
        ("no fewer than 16", [(16, "at_least", None)]),
        ("more than 40,000", [(40000, "more_than", None)]),
        ("nearly 50 civilian lives", [(50, "nearly", None)]),
        ("close to 200", [(200, "nearly", None)]),
        ("about 50 civilians", [(50, "exact", None)]),
        ("dozens were injured", [(12, "vague", "dozens")]),
        ("hundreds of civilians", [(100, "vague", "hundreds")]),
        ("several hundred individuals", [(300, "vague", "several hundred")]),
        ("tens of thousands of residents", [(10000, "vague", "tens of thousands")]),
        ("a few people", [(3, "vague", "a few")]),
        ("several soldiers", [(3, "vague", "several")]),
        ("scores of people", [(20, "vague", "scores")]),
        ("a 7-year-old child", []),
        ("a 20-minute video", []),
        ("one two", [(1, "exact", None), (2, "exact", None)]),
    ],
)
def test_amounts(text: str, expected: list[tuple[int, str, str | None]]) -> None:
    assert amounts(text) == expected


def test_word_values() -> None:
    assert word_value("Seventeen") == 17
    assert word_value("ninety-nine") == 99
    assert word_value("twenty-ten") is None
    assert word_value("people") is None


def test_digits_refuse_ages_and_words() -> None:
    assert parse_digits("1,352") == 1352
    assert parse_digits("7-year-old") is None
    assert parse_digits("seven") is None


def test_token_offsets_point_into_the_text() -> None:
    text = "At least 25 people—including Nov. 27's victims—were killed."
    tokens, spans = tokenize(text), token_spans(text, offset=5)
    assert len(tokens) == len(spans) == 16
    for token, (start, end) in zip(tokens, spans, strict=True):
        assert text[start - 5:end - 5] == token.text


@given(st.integers(min_value=0, max_value=10**9))
def test_any_integer_reads_back(value: int) -> None:
    assert amounts(f"{value:,} people") == [(value, "exact", None)]
    assert amounts(f"{value} people") == [(value, "exact", None)]


@given(st.text(max_size=300))
def test_any_text_tokenises_without_error(text: str) -> None:
    for amount in find_amounts(tokenize(text)):
        assert amount.first <= amount.core < amount.last


@given(st.text(max_size=200))
def test_tokens_and_spans_agree_on_any_text(text: str) -> None:
    tokens, spans = tokenize(text), token_spans(text, offset=3)
    assert [text[a - 3:b - 3] for a, b in spans] == [t.text for t in tokens]
    assert "".join(t.text for t in tokens) == "".join(text.split())
    # Each token's lower case is its slice of the lower-cased text, context and all.
    assert [t.low for t in tokens] == [text.lower()[a - 3:b - 3] for a, b in spans]


def test_lower_case_keeps_its_context() -> None:
    for text in ("ΟΔΟΣ. 12 killed", "İstanbul: 3 KILLED", "Ünye 4 WOUNDED"):
        lowered = text.lower()
        assert [t.low for t in tokenize(text)] == [lowered[a:b] for a, b in token_spans(text)]


_PIECES = st.sampled_from(["killed", "1,200", "7-year-old", "2.5", "don't", " - ", "İstanbul",
                           "\u00a0", "\t", "\n", " ", ".", ",", "’", "ß", "_", "x9"])


@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_spans_found_by_search_are_the_scanned_spans(text: str) -> None:
    assert spans_of(text, tokenize(text)) == token_spans(text)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_tokens_from_the_known_table_are_the_tokens_built(text: str) -> None:
    # A word read before comes from the table of known tokens: it must equal a fresh reading,
    # the lower case of its slice of the text, also once a full table has been emptied.
    first = tokenize(text)
    assert tokenize(text) == first
    assert [t.low for t in first] == [text.lower()[a:b] for a, b in token_spans(text)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "_KNOWN_LIMIT", 3)
        assert tokenize(text) == first
        assert tokenize(text) == first


def test_the_known_table_stays_bounded() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "_KNOWN_LIMIT", 3)
        tokens = tokenize("Qzxa QZXB qzxc Qzxd qzxe")
        assert len(numbers._KNOWN) <= 3
    assert [(t.text, t.low) for t in tokens] == [
        ("Qzxa", "qzxa"), ("QZXB", "qzxb"), ("qzxc", "qzxc"), ("Qzxd", "qzxd"), ("qzxe", "qzxe")]
