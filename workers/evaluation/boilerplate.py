"""Score the cleaning stage: token P/R/F1 against gold main text, ours vs plain trafilatura."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from workers.clean import clean_html, clean_text
from workers.errors import CleanError

_TOKEN = re.compile(r"\w+")
DEFAULT_DEV = Path("../shared/eval/boilerplate-dev.jsonl.gz")
DEFAULT_SEEDS = Path("../shared/eval/seeds-gold.json")


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1, each averaged over pages."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class BoilerplateScore:
    """The cleaning stage's numbers on the dev pages and on the seed articles."""

    pages: int
    ours: PRF
    trafilatura: PRF
    failures: int  # dev pages where clean_html raised CleanError (scored as empty)
    seed_articles: int = 0
    seed_boilerplate_lines: int = 0
    seed_boilerplate_survived: float = 0.0  # fraction of gold boilerplate lines left by clean_text
    seed_f1: float = 0.0

    def render(self) -> str:
        """A short human-readable report for ``make eval``."""
        rows = [
            f"boilerplate dev pages: {self.pages} ({self.failures} without main text)",
            f"  ours         P {self.ours.precision:.4f}  R {self.ours.recall:.4f}"
            f"  F1 {self.ours.f1:.4f}",
            f"  trafilatura  P {self.trafilatura.precision:.4f}  R {self.trafilatura.recall:.4f}"
            f"  F1 {self.trafilatura.f1:.4f}",
        ]
        if self.seed_articles:
            rows.append(
                f"seeds: {self.seed_articles} articles, {self.seed_boilerplate_lines}"
                f" boilerplate lines, {self.seed_boilerplate_survived:.2%} survived,"
                f" token F1 {self.seed_f1:.4f}"
            )
        return "\n".join(rows)


def tokens(text: str) -> Counter[str]:
    """Case-folded word tokens of ``text``, as a bag."""
    return Counter(_TOKEN.findall(text.casefold()))


def token_prf(predicted: str, gold: str) -> PRF:
    """Bag-of-tokens precision, recall and F1 of ``predicted`` against ``gold``."""
    pred, ref = tokens(predicted), tokens(gold)
    overlap = sum((pred & ref).values())
    if not pred and not ref:
        return PRF(1.0, 1.0, 1.0)
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(ref.values()) if ref else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)


def mean_prf(scores: list[PRF]) -> PRF:
    """Macro average over pages."""
    n = max(1, len(scores))
    return PRF(
        sum(s.precision for s in scores) / n,
        sum(s.recall for s in scores) / n,
        sum(s.f1 for s in scores) / n,
    )


def read_pages(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a ``boilerplate-*.jsonl[.gz]`` file."""
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def ours_text(html: str, url: str | None) -> str:
    """Our main text for one page; a page without main text scores as empty."""
    try:
        return clean_html(html, url=url).text
    except CleanError:
        return ""


def plain_trafilatura_text(html: str, url: str | None) -> str:
    """The baseline: trafilatura.extract with its default options."""
    return trafilatura.extract(html, url=url) or ""


def surviving_boilerplate(raw: str, cleaned: str, boilerplate: list[str]) -> int:
    """How many of the ``boilerplate`` lines of ``raw`` are still in ``cleaned``.

    Counted by occurrences, so a boilerplate line whose words also form a content line elsewhere
    (a caption repeating a place name, say) is judged correctly.
    """
    raw_counts = Counter(line.strip() for line in raw.splitlines())
    out_counts = Counter(line.strip() for line in cleaned.splitlines())
    bp_counts = Counter(line.strip() for line in boilerplate)
    survived = 0
    for line, n in bp_counts.items():
        content_copies = raw_counts[line] - n
        survived += min(n, max(0, out_counts[line] - content_copies))
    return survived


def score_seeds(path: Path) -> tuple[int, int, float, float]:
    """(articles, boilerplate lines, fraction surviving clean_text, mean token F1 vs main_text)."""
    articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
    total = survived = 0
    f1s: list[PRF] = []
    for article in articles:
        cleaned = clean_text(article["text"]).document
        lines = [entry["text"] for entry in article["boilerplate_lines"]]
        total += len(lines)
        survived += surviving_boilerplate(article["text"], cleaned, lines)
        f1s.append(token_prf(cleaned, article["main_text"]))
    return len(articles), total, survived / max(1, total), mean_prf(f1s).f1


def score_boilerplate(path: Path, seeds: Path | None = None) -> BoilerplateScore:
    """Score ``clean_html`` and plain trafilatura on the pages in ``path`` (and the seeds)."""
    ours: list[PRF] = []
    base: list[PRF] = []
    failures = 0
    for page in read_pages(path):
        gold = page["gold"]["main_text"]
        predicted = ours_text(page["html"], page.get("url"))
        failures += not predicted
        ours.append(token_prf(predicted, gold))
        base.append(token_prf(plain_trafilatura_text(page["html"], page.get("url")), gold))
    seed_numbers = score_seeds(seeds) if seeds is not None else (0, 0, 0.0, 0.0)
    return BoilerplateScore(len(ours), mean_prf(ours), mean_prf(base), failures, *seed_numbers)


__all__ = ["PRF", "BoilerplateScore", "score_boilerplate", "token_prf"]
