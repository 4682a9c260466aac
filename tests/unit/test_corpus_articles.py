"""The article corpus: headline killed and injured figures and the places of the main incident."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from workers.evaluation.extraction import LocationMatcher, display_name, match_locations
from workers.extract import Gazetteer, extract_article, load_gazetteer
from workers.records import CleanArticle

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "corpus" / "extraction" / "articles.yaml")
    .read_text(encoding="utf-8"))
PUBLISHED = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _params() -> list[Any]:
    marks = {True: [pytest.mark.xfail(strict=True, reason="known limitation; see the note")]}
    return [pytest.param(c, id=c["id"], marks=marks.get(bool(c.get("xfail")), []))
            for c in CASES]


def test_articles_shape() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40
    for case in CASES:
        assert "\n\n" in case["text"].strip() or len(case["text"]) > 80, case["id"]
        assert not case.get("xfail") or case.get("note"), case["id"]


@pytest.mark.parametrize("case", _params())
def test_article(case: dict[str, Any], gazetteer: Gazetteer) -> None:
    article = CleanArticle(title=case["title"], text=case["text"].strip(), published=PUBLISHED)
    result = extract_article(article, gazetteer)
    assert (result.killed, result.injured) == (case["killed"], case["injured"])
    names = [display_name(p) for p in result.locations]
    _tp, fp, fn = match_locations(LocationMatcher(gazetteer), names, case["locations"],
                                 case.get("optional", []))
    assert (fp, fn) == (0, 0), names
