"""Score casualty extraction on a labelled set: killed / injured accuracy, location P/R/F1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from workers.clean import clean_text
from workers.extract import extract_article
from workers.extract.gazetteer import Gazetteer, loose_key, normalize
from workers.records import CleanArticle, Place, PlaceLevel

Source = Literal["text", "main_text"]
DEFAULT_GOLD = Path("../shared/eval/seeds-gold.json")
# Words the scoring ignores in place names: "Idlib city", "Aleppo countryside", "northern Syria".
_FILLER = frozenset({
    "city", "province", "governorate", "countryside", "district", "town", "village", "region",
    "area", "outskirts", "center", "centre", "central", "north", "south", "east", "west",
    "northern", "southern", "eastern", "western", "northwestern", "northeastern",
    "southwestern", "southeastern", "northwest", "northeast", "southwest", "southeast",
    "rural", "greater", "the", "of", "in", "oblast", "state", "county", "prefecture",
    "department", "territory", "municipality",
})
_CONTAINERS: tuple[PlaceLevel, ...] = ("admin1", "admin2", "admin3")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One article's gold and predicted headline figures and locations."""

    id: str
    gold_killed: int | None
    gold_injured: int | None
    killed: int | None
    injured: int | None
    gold_locations: tuple[str, ...]
    locations: tuple[str, ...]
    true_pos: int
    false_pos: int
    false_neg: int


@dataclass(frozen=True, slots=True)
class ExtractionScore:
    """The README's numbers: accuracy and MAE per metric, micro location P/R/F1, their mean."""

    articles: int
    killed_accuracy: float
    killed_mae: float
    injured_accuracy: float
    injured_mae: float
    location_precision: float
    location_recall: float
    location_f1: float
    rows: tuple[ArticleResult, ...] = field(default=())

    @property
    def score(self) -> float:
        """Mean of killed accuracy, injured accuracy and location F1."""
        return (self.killed_accuracy + self.injured_accuracy + self.location_f1) / 3

    def render(self) -> str:
        """A short human-readable report, one line per article after the totals."""
        lines = [
            f"extraction: {self.articles} articles  score {self.score:.4f}",
            f"  killed   accuracy {self.killed_accuracy:.4f}  MAE {self.killed_mae:.2f}",
            f"  injured  accuracy {self.injured_accuracy:.4f}  MAE {self.injured_mae:.2f}",
            f"  locations  P {self.location_precision:.4f}  R {self.location_recall:.4f}"
            f"  F1 {self.location_f1:.4f}",
        ]
        for r in self.rows:
            lines.append(
                f"  {r.id}: killed {r.killed} (gold {r.gold_killed}), injured {r.injured}"
                f" (gold {r.gold_injured}), places {list(r.locations)}"
                f" (gold {list(r.gold_locations)}) tp={r.true_pos} fp={r.false_pos}"
                f" fn={r.false_neg}"
            )
        return "\n".join(lines)


def _key(name: str) -> str:
    words = [w for w in normalize(name).split() if w not in _FILLER]
    return " ".join(words)


class LocationMatcher:
    """The README's location rules: normalised names, spelling variants, towns in governorates."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def _readings(self, name: str) -> list[Place]:
        key = _key(name)
        if not key:
            return []
        return list(self._gazetteer.candidates(key)) or list(
            self._gazetteer.loose_candidates(key))

    def same(self, predicted: str, gold: str) -> bool:
        """The same place: equal keys, equal loose keys, or one gazetteer entry."""
        pk, gk = _key(predicted), _key(gold)
        if not pk or not gk:
            return False
        if pk == gk or loose_key(pk) == loose_key(gk):
            return True
        pred = self._gazetteer.resolve(pk)
        return pred is not None and any(g.id == pred.id for g in self._readings(gold))

    def inside(self, predicted: str, gold: str) -> bool:
        """A predicted town inside a gold governorate (never a governorate inside a town)."""
        pred = self._gazetteer.resolve(_key(predicted)) if _key(predicted) else None
        if pred is None:
            return False
        containers = [g for g in self._readings(gold) if g.level in _CONTAINERS]
        # "Damascus" as a governorate also names its rural belt (Douma matches Damascus).
        for name in (_key(gold), f"rural {_key(gold)}"):
            for level in _CONTAINERS:
                found = self._gazetteer.resolve(name, level=level)
                if found is not None:
                    containers.append(found)
        return any(pred.id != g.id and pred.within(g.id) for g in containers)


def split_locations(values: Iterable[str]) -> list[str]:
    """Comma-separated predictions are several places; duplicates by key count once."""
    out: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                out.setdefault(_key(part) or part.strip(), part.strip())
    return list(out.values())


def match_locations(matcher: LocationMatcher, predicted: Sequence[str], gold: Sequence[str],
                    optional: Sequence[str]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) for one article."""
    preds = split_locations(predicted)
    matched: set[int] = set()
    left: list[str] = []
    for pred in preds:  # exact and variant matches first, so containment cannot steal them
        hit = next((i for i, g in enumerate(gold) if i not in matched and matcher.same(pred, g)),
                   None)
        if hit is None:
            left.append(pred)
        else:
            matched.add(hit)
    tp, fp = len(matched), 0
    for pred in left:
        hit = next((i for i, g in enumerate(gold) if i not in matched and matcher.inside(pred, g)),
                   None)
        if hit is not None:
            matched.add(hit)
            tp += 1
        elif any(matcher.same(pred, g) or matcher.inside(pred, g) for g in [*gold, *optional]):
            continue  # a second name for a gold place, or an optional one: costs nothing
        else:
            fp += 1
    return tp, fp, len(gold) - len(matched)


def display_name(place: Place) -> str:
    """The name a prediction file carries; Latin script, falling back to the province's name."""
    if _LATIN.search(place.name) or len(place.admin_names) < 2:
        return place.name
    return place.admin_names[1]


def _article(record: dict[str, Any], source: Source) -> CleanArticle:
    if source == "main_text":
        title, _, body = record["main_text"].lstrip().partition("\n")
        return CleanArticle(title=title.strip(), text=body.strip())
    return clean_text(record["text"])


def predictions(gold_path: Path, gazetteer: Gazetteer, *,
                source: Source = "text") -> list[dict[str, Any]]:
    """One prediction object per article, in the README's JSONL format."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    for record in data["articles"]:
        extraction = extract_article(_article(record, source), gazetteer)
        out.append({"id": record["id"], "killed": extraction.killed,
                    "injured": extraction.injured,
                    "locations": list(dict.fromkeys(display_name(p)
                                                    for p in extraction.locations))})
    return out


def write_predictions(rows: Iterable[dict[str, Any]], path: Path) -> None:
    """Write prediction objects as JSONL."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def _accuracy(pairs: Sequence[tuple[int, int | None]]) -> tuple[float, float]:
    if not pairs:
        return 1.0, 0.0
    hits = sum(1 for gold, pred in pairs if pred == gold)
    mae = sum(abs(gold - (pred or 0)) for gold, pred in pairs) / len(pairs)
    return hits / len(pairs), mae


def score_predictions(gold: Sequence[dict[str, Any]], preds: Sequence[dict[str, Any]],
                      gazetteer: Gazetteer) -> ExtractionScore:
    """Score prediction objects against gold articles with the README's rules."""
    by_id = {p["id"]: p for p in preds}
    matcher = LocationMatcher(gazetteer)
    rows: list[ArticleResult] = []
    for record in gold:
        g, p = record["gold"], by_id.get(record["id"], {})
        tp, fp, fn = match_locations(matcher, p.get("locations") or [], g["locations"],
                                     g.get("locations_optional") or [])
        rows.append(ArticleResult(record["id"], g["killed"], g["injured"], p.get("killed"),
                                  p.get("injured"), tuple(g["locations"]),
                                  tuple(p.get("locations") or []), tp, fp, fn))
    return _totals(rows)


def _totals(rows: Sequence[ArticleResult]) -> ExtractionScore:
    k_acc, k_mae = _accuracy([(r.gold_killed, r.killed) for r in rows
                              if r.gold_killed is not None])
    i_acc, i_mae = _accuracy([(r.gold_injured, r.injured) for r in rows
                              if r.gold_injured is not None])
    tp = sum(r.true_pos for r in rows)
    fp = sum(r.false_pos for r in rows)
    fn = sum(r.false_neg for r in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScore(len(rows), k_acc, k_mae, i_acc, i_mae, precision, recall, f1,
                           tuple(rows))


def score_seeds(gold_path: Path, gazetteer: Gazetteer, *,
                source: Source = "text") -> ExtractionScore:
    """Extract every article of a gold file and score it (``source``: raw text or gold main text).

    ``"text"`` runs the pipeline's own cleaning first, as the workers do.
    """
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    return score_predictions(data["articles"], predictions(gold_path, gazetteer, source=source),
                             gazetteer)
