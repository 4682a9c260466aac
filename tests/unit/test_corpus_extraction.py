"""The sentence corpus: every dev and bugs-caught case passes; expected failures still fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from workers.evaluation.extraction import LocationMatcher
from workers.extract import Gazetteer, extract_article, extract_drafts, load_gazetteer
from workers.records import CleanArticle

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "extraction"
METRICS = {"killed", "injured"}
QUALIFIERS = {"exact", "at_least", "more_than", "nearly", "cumulative", "vague"}
FLAGS = {"subset", "period", "running"}
VAGUE_WORDS = {"dozens", "hundreds", "thousands", "tens", "scores", "several", "a few", "many",
               "numerous", "several hundred", "tens of thousands", "several thousand",
               "several dozen"}


def load(name: str) -> list[dict[str, Any]]:
    """The cases of one corpus file."""
    cases = yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def spec(text: str) -> tuple[str, str, str, frozenset[str]]:
    """Parse "killed 12 at_least subset" into (metric, amount, qualifier, flags)."""
    words = text.split()
    metric, amount, rest = words[0], words[1], words[2:]
    assert metric in METRICS, text
    amount = amount.replace("_", " ")
    qualifiers = [w for w in rest if w in QUALIFIERS]
    flags = frozenset(w for w in rest if w in FLAGS)
    assert len(qualifiers) + len(flags) == len(rest), text
    default = "exact" if amount[0].isdigit() else "vague"
    if amount.startswith("~"):
        default = "vague"
    return metric, amount, qualifiers[0] if qualifiers else default, flags


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def observed(text: str, gazetteer: Gazetteer) -> list[tuple[str, str, str, frozenset[str]]]:
    """What the extractor says about one sentence, in the corpus's own terms."""
    found: list[tuple[str, str, str, frozenset[str]]] = []
    for draft in extract_drafts(CleanArticle(title="", text=text), gazetteer):
        m = draft.mention
        amount = str(m.count) if m.count is not None else (m.vague or "")
        if m.count is None and m.vague not in VAGUE_WORDS:
            amount = f"~{m.vague}"
        flags = {"subset"} if draft.subset or m.subset_of is not None else set()
        flags |= {"period"} if m.period else set()
        flags |= {"running"} if m.running_total else set()
        found.append((m.metric, amount, m.qualifier, frozenset(flags)))
    return found


def check(case: dict[str, Any], gazetteer: Gazetteer) -> None:
    """Assert one case: its exact mentions, the first mention's places, the headline."""
    expected = [spec(s) for s in case["mentions"]]
    assert observed(case["text"], gazetteer) == expected
    if case.get("places"):
        first = extract_drafts(CleanArticle(title="", text=case["text"]), gazetteer)[0]
        names = [p.name for p in first.mention.places]
        matcher = LocationMatcher(gazetteer)
        for want in case["places"]:
            assert any(matcher.same(n, want) for n in names), (want, names)
    if "headline" in case:
        result = extract_article(CleanArticle(title="", text=case["text"]), gazetteer)
        assert (result.killed, result.injured) == (case["headline"].get("killed"),
                                                   case["headline"].get("injured"))


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in cases]


DEV = load("dev.yaml")
BUGS = load("bugs.yaml")
XFAIL = load("xfail.yaml")


def test_corpus_shape() -> None:
    cases = DEV + BUGS + XFAIL
    ids = _ids(cases)
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(cases) >= 150
    assert len({c["region"] for c in cases}) >= 25
    for case in cases:
        for mention in case["mentions"]:
            spec(mention)


@pytest.mark.parametrize("case", DEV, ids=_ids(DEV))
def test_dev(case: dict[str, Any], gazetteer: Gazetteer) -> None:
    check(case, gazetteer)


@pytest.mark.parametrize("case", BUGS, ids=_ids(BUGS))
def test_bugs_caught(case: dict[str, Any], gazetteer: Gazetteer) -> None:
    check(case, gazetteer)


@pytest.mark.parametrize("case", XFAIL, ids=_ids(XFAIL))
@pytest.mark.xfail(strict=True, reason="known limitation; see the case's note")
def test_expected_failures(case: dict[str, Any], gazetteer: Gazetteer) -> None:
    check(case, gazetteer)
