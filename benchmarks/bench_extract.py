"""Benchmark: extract_article medians per 1,000-word article, seeds and corpus-built (a script)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from workers.extract import extract_article, load_gazetteer
from workers.extract.mentions import casualty_hits, relevant_text
from workers.extract.places import find_places
from workers.extract.sentences import split_sentences
from workers.records import CleanArticle

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold.json"
CORPUS = ROOT / "tests" / "corpus" / "extraction" / "dev.yaml"
RUNS = 60


def _median_ms(fn: Callable[[], object]) -> float:
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def _articles() -> list[tuple[str, CleanArticle]]:
    """The seed articles (gold main text) and 1,000-word articles built from corpus sentences."""
    out: list[tuple[str, CleanArticle]] = []
    if GOLD.exists():
        for record in json.loads(GOLD.read_text(encoding="utf-8"))["articles"]:
            title, _, body = record["main_text"].partition("\n")
            out.append((record["id"][:3], CleanArticle(title.strip(), body.strip())))
    sentences = [c["text"] for c in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))]
    for n in range(3):
        words: list[str] = []
        paragraphs = []
        for i, sentence in enumerate(sentences[n * 7:] + sentences[:n * 7]):
            if len(words) >= 1000:
                break
            words.extend(sentence.split())
            paragraphs.append(sentence if i % 3 else "\n\n" + sentence)
        out.append((f"corpus-{n}", CleanArticle("Strikes kill dozens", " ".join(paragraphs))))
    return out


def main() -> None:
    """Print, per article, the median extract_article time and the share the place finder takes.

    The seeds are ordinary articles; the corpus-built ones are casualty sentences only, a worst
    case where every sentence is read in full.
    """
    start = time.perf_counter()
    gazetteer = load_gazetteer()
    print(f"gazetteer loaded once in {time.perf_counter() - start:.2f} s")
    per_k_all, per_k_rules = [], []
    for name, article in _articles():
        words = len(article.document.split())
        total = _median_ms(lambda a=article: extract_article(a, gazetteer))  # type: ignore[misc]
        doc, title_end = article.document, len(article.title)
        text = relevant_text(doc, split_sentences(doc), title_end, casualty_hits(doc))
        places = _median_ms(lambda t=text: find_places(t, gazetteer))  # type: ignore[misc]
        per_k_all.append(total * 1000 / words)
        per_k_rules.append((total - places) * 1000 / words)
        print(f"{name:9s} {words:5d} words: extract_article {total:6.2f} ms"
              f" (find_places {places:5.2f} ms) = {per_k_all[-1]:5.2f} ms per 1,000 words")
    print(f"median per 1,000 words: {statistics.median(per_k_all):.2f} ms in all,"
          f" {statistics.median(per_k_rules):.2f} ms without find_places")
    seeds = per_k_all[:-3]
    if seeds:
        print(f"median per 1,000 words, seed articles only: {statistics.median(seeds):.2f} ms")


if __name__ == "__main__":
    main()
