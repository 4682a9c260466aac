"""Median ms per page of clean_html (and plain trafilatura) over the boilerplate dev pages.

Run: .venv/bin/python benchmarks/bench_clean.py [path/to/boilerplate-dev.jsonl.gz] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from workers.evaluation.boilerplate import ours_text, plain_trafilatura_text, read_pages

DEFAULT = Path(__file__).parents[2] / "shared/eval/boilerplate-dev.jsonl.gz"


def _timings(run: Callable[[str, str | None], str], pages: list[dict], rounds: int) -> list[float]:
    """Per-page median over ``rounds`` runs, in milliseconds."""
    per_page = []
    for page in pages:
        runs = []
        for _ in range(rounds):
            started = time.perf_counter()
            run(page["html"], page.get("url"))
            runs.append((time.perf_counter() - started) * 1000)
        per_page.append(statistics.median(runs))
    return per_page


def main() -> None:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages = list(read_pages(args.path))
    ours_text(pages[0]["html"], None)  # build trafilatura's options and caches outside the clock
    kb = statistics.median(len(p["html"].encode()) / 1024 for p in pages)
    print(f"{len(pages)} pages, median size {kb:.0f} KB, {args.rounds} rounds each")
    for name, run in (("clean_html", ours_text), ("trafilatura", plain_trafilatura_text)):
        times = sorted(_timings(run, pages, args.rounds))
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"{name:12s} median {statistics.median(times):6.1f} ms/page  p90 {p90:6.1f} ms")


if __name__ == "__main__":
    main()
