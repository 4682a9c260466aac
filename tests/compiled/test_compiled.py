"""The mypyc-compiled extractor (what the image ships) extracts the same bytes as the pure one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from workers import codec
from workers.extract import extract_article, load_gazetteer
from workers.records import CleanArticle

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "extraction"
GOLD = ROOT.parent / "shared" / "eval" / "seeds-gold.json"
PUBLISHED = datetime(2024, 3, 14, 12, 0, tzinfo=UTC).isoformat()
# Text a compiled string primitive could read differently from CPython: full case mappings
# that change length (İ), the Greek final sigma, scripts with no case, digits of other scripts.
UNICODE = [
    "ΟΔΟΣ ΑΘΗΝΩΝ. 12 killed in Αθήνα, 3 ΤΡΑΥΜΑΤΙΕΣ",
    "İSTANBUL (Reuters) - 3 KILLED, 14 injured in İzmir and Ünye",
    "Des frappes ont tué 7 civils à Alep; الحصيلة ٧ قتلى in Idlib",
    "ﬁve ﬂood victims: 5 people died in Kraków, ß Straße",
]

pytestmark = pytest.mark.timeout(1200)


def _cases() -> list[tuple[str, str, str | None]]:
    texts: list[tuple[str, str]] = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "title" in case:
                texts.append((case["title"], case["text"]))
            else:  # a long-form article opens on its title line; a sentence case has none
                title, _, body = case["text"].partition("\n")
                texts.append((title, body) if path.stem == "longform" else ("", case["text"]))
    if GOLD.exists():
        for record in json.loads(GOLD.read_text(encoding="utf-8"))["articles"]:
            title, _, body = record["main_text"].partition("\n")
            texts.append((title, body))
    texts += [("", text) for text in UNICODE]
    return [(t, b, p) for t, b in texts for p in (None, PUBLISHED)]


def _can_compile() -> bool:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(compiler) is not None and headers.exists()


@pytest.fixture(scope="module")
def compiled_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built with TOLLWATCH_USE_MYPYC=1, installed into a folder of its own."""
    if not _can_compile():
        if os.environ.get("TOLLWATCH_REQUIRE_COMPILER"):
            pytest.fail("TOLLWATCH_REQUIRE_COMPILER is set but there is no C compiler or Python.h")
        pytest.skip("no C compiler or Python headers: the compiled build cannot be made here")
    wheels, target = tmp_path_factory.mktemp("wheels"), tmp_path_factory.mktemp("compiled")
    env = {**os.environ, "TOLLWATCH_USE_MYPYC": "1"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(ROOT)],
                   env=env, check=True, timeout=1000)
    (wheel,) = wheels.glob("tollwatch-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    return target


def test_compiled_extractor_equals_the_pure_one(compiled_path: Path) -> None:
    cases = _cases()
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("extract_all.py"))],
        input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(compiled_path)}, cwd=compiled_path,
    )
    header, *lines = result.stdout.splitlines()
    assert json.loads(header) == {"compiled": True}
    gazetteer = load_gazetteer()
    expected = [codec.dumps(extract_article(
        CleanArticle(t, b, datetime.fromisoformat(p) if p else None), gazetteer))
        for t, b, p in cases]
    assert len(lines) == len(expected) > 600
    differ = [i for i, (a, b) in enumerate(zip(lines, expected, strict=True)) if a != b]
    assert not differ, f"{len(differ)} differ, first: {cases[differ[0]][:2]}"
    assert any('"killed":' in line and '"killed":null' not in line for line in lines)
