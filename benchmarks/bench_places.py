"""Benchmark: gazetteer load time and find_places medians on seed-sized articles (a script)."""

from __future__ import annotations

import json
import resource
import statistics
import time
from pathlib import Path

from workers.extract.gazetteer import load_gazetteer
from workers.extract.places import find_places

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seeds-gold.json"


def main() -> None:
    """Print load time, max RSS, and the median find_places time per 1,000 words."""
    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load {load:.2f} s, {len(gaz)} places, max RSS {rss:.0f} MB")
    texts = [a["main_text"] for a in json.loads(GOLD.read_text(encoding="utf-8"))["articles"]]
    per_thousand = []
    for text in texts:
        words = len(text.split())
        runs = []
        for _ in range(50):
            t = time.perf_counter()
            found = find_places(text, gaz)
            runs.append(time.perf_counter() - t)
        per_k = statistics.median(runs) * 1000 * 1000 / words
        per_thousand.append(per_k)
        print(f"{words:5d} words, {len(found):3d} places: median "
              f"{statistics.median(runs) * 1000:.2f} ms ({per_k:.2f} ms per 1,000 words)")
    print(f"median over articles: {statistics.median(per_thousand):.2f} ms per 1,000 words")


if __name__ == "__main__":
    main()
