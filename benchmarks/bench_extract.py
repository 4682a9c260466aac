"""Benchmark: extraction medians per 1,000 words, on news articles and a stress case (a script)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from workers.extract import Gazetteer, extract_article, load_gazetteer, numbers
from workers.extract.mentions import casualty_hits, relevant_text
from workers.extract.places import find_places
from workers.extract.sentences import split_sentences
from workers.records import CleanArticle

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold.json"
CORPUS = ROOT / "tests" / "corpus" / "extraction"
RUNS = 40
TARGET_WORDS = 1000


def _median_ms(fn: Callable[[], object]) -> float:
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def _split(text: str) -> CleanArticle:
    title, _, body = text.partition("\n")
    return CleanArticle(title.strip(), body.strip())


def _seeds() -> list[CleanArticle]:
    """The five seed articles, as their gold main text (380 to 650 words)."""
    if not GOLD.exists():
        return []
    records = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    return [_split(r["main_text"]) for r in records]


def _longform() -> list[CleanArticle]:
    """The long-form corpus: whole news articles from 35 countries (300 to 500 words)."""
    cases = yaml.safe_load((CORPUS / "longform.yaml").read_text(encoding="utf-8"))
    return [_split(c["text"]) for c in cases]


def _thousand_words(articles: list[CleanArticle]) -> Iterator[CleanArticle]:
    """Articles of at least 1,000 words: consecutive long-form articles run together, so the
    mix of casualty paragraphs and background prose is that of real reporting."""
    title, paragraphs, words = "", [], 0
    for article in articles:
        title = title or article.title
        paragraphs += [article.title, article.text]
        words += len(article.document.split())
        if words >= TARGET_WORDS:
            yield CleanArticle(title, "\n\n".join(paragraphs))
            title, paragraphs, words = "", [], 0


def _stress() -> list[CleanArticle]:
    """A worst case, not an article: 1,000 words of casualty sentences only, each read in full."""
    cases = yaml.safe_load((CORPUS / "dev.yaml").read_text(encoding="utf-8"))
    sentences = [c["text"] for c in cases]
    out = []
    for n in range(3):
        words: list[str] = []
        paragraphs = []
        for i, sentence in enumerate(sentences[n * 7:] + sentences[:n * 7]):
            if len(words) >= TARGET_WORDS:
                break
            words.extend(sentence.split())
            paragraphs.append(sentence if i % 3 else "\n\n" + sentence)
        out.append(CleanArticle("Strikes kill dozens", " ".join(paragraphs)))
    return out


def _measure(article: CleanArticle, gazetteer: Gazetteer) -> tuple[float, float]:
    """(extract_article, find_places alone) in ms per 1,000 words of ``article``."""
    words = len(article.document.split())
    total = _median_ms(lambda: extract_article(article, gazetteer))
    doc, title_end = article.document, len(article.title)
    text = relevant_text(doc, split_sentences(doc), title_end, casualty_hits(doc))
    places = _median_ms(lambda: find_places(text, gazetteer))
    return total * 1000 / words, places * 1000 / words


def _report(name: str, articles: list[CleanArticle], gazetteer: Gazetteer) -> list[float]:
    results = [_measure(a, gazetteer) for a in articles]
    totals = [t for t, _ in results]
    words = statistics.median(len(a.document.split()) for a in articles)
    print(f"{name:24s} {len(articles):3d} articles, median {words:5.0f} words:"
          f" {statistics.median(totals):5.2f} ms per 1,000 words"
          f" (find_places {statistics.median(p for _, p in results):4.2f};"
          f" slowest article {max(totals):5.2f})")
    return totals


def main() -> None:
    """Print median extract_article time per 1,000 words for each set, and over the news ones.

    The news sets are the seeds, the long-form corpus and 1,000-word articles made of it; the
    stress set (casualty sentences only) bounds the cost per casualty sentence and is reported
    apart: no article is all casualty figures.
    """
    build = "pure Python" if numbers.__file__.endswith(".py") else "compiled by mypyc"
    print(f"extractor: {build} ({Path(numbers.__file__).parent})")
    start = time.perf_counter()
    gazetteer = load_gazetteer()
    print(f"gazetteer loaded once in {time.perf_counter() - start:.2f} s")
    longform = _longform()
    news: list[float] = []
    news += _report("seed articles", _seeds(), gazetteer)
    news += _report("long-form articles", longform, gazetteer)
    thousand = _report("1,000-word articles", list(_thousand_words(longform)), gazetteer)
    news += thousand
    _report("stress (casualty only)", _stress(), gazetteer)
    print(f"median per 1,000 words over {len(news)} news articles:"
          f" {statistics.median(news):.2f} ms; on the 1,000-word ones:"
          f" {statistics.median(thousand):.2f} ms (target 5)")


if __name__ == "__main__":
    main()
