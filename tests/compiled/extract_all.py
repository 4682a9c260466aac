"""Print one line per article: the canonical JSON of its extraction (run by test_compiled)."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import workers.extract.numbers as numbers
from workers import codec
from workers.extract import extract_article, load_gazetteer
from workers.records import CleanArticle


def main() -> None:
    """Read ``[[title, text, published or null], ...]`` as JSON on stdin. The first line out
    says whether the extractor imported here is compiled."""
    cases = json.load(sys.stdin)
    gazetteer = load_gazetteer()
    print(json.dumps({"compiled": not numbers.__file__.endswith(".py")}))
    for title, text, published in cases:
        when = datetime.fromisoformat(published) if published else None
        print(codec.dumps(extract_article(CleanArticle(title, text, when), gazetteer)))


if __name__ == "__main__":
    main()
