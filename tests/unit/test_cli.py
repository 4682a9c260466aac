"""The `tollwatch` command as a user runs it: real processes, a real SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIELDS = {"id", "title", "published", "main_text", "killed", "injured", "locations", "mentions"}


def tollwatch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")}
    return subprocess.run([sys.executable, "-m", "workers", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**base, **(env or {})}, timeout=120,
                          check=False)


def test_extract_prints_one_json_line_per_seed() -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = tollwatch("extract", *files)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [Path(f).name for f in files]
    for record in records:
        assert set(record) == FIELDS
        assert record["published"]  # from seeds/manifest.yaml
        for mention in record["mentions"]:
            start, end = mention["span"]
            document = f"{record['title']}\n\n{record['main_text']}"
            assert document[start:end] == mention["text"]
    # No seed boilerplate line survives into the main text.
    assert not any("Please enter your comment" in r["main_text"] for r in records)


def test_timeline_is_the_golden_file_byte_for_byte() -> None:
    result = tollwatch("timeline", "seeds")
    assert result.returncode == 0, result.stderr
    golden = (ROOT / "tests" / "golden" / "seeds-timeline.jsonl").read_text(encoding="utf-8")
    assert result.stdout == golden


def test_check_config_names_the_file_and_field_of_an_error(tmp_path: Path) -> None:
    assert tollwatch("check-config", "--seeds", "seeds").returncode == 0
    (tmp_path / "watchlist.yaml").write_text(
        "watches:\n  - name: w\n    place: Qwxzyville\n    metric: killed\n"
        "    threshold: 5\n    window: 1d\n", encoding="utf-8")
    result = tollwatch("check-config", "--seeds", str(tmp_path))
    assert result.returncode == 2
    assert "watchlist.yaml" in result.stderr
    assert "field place" in result.stderr


def test_operator_commands_on_a_database(tmp_path: Path) -> None:
    env = {"TOLLWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}"}
    for args in (("migrate",), ("migrate",), ("load-config", "--seeds", "seeds")):
        result = tollwatch(*args, env=env)
        assert result.returncode == 0, result.stderr
    assert "4 watch(es)" in result.stdout
    silenced = tollwatch("silence", "idlib-killed", "--for", "6h", "--reason", "drill", env=env)
    assert silenced.returncode == 0, silenced.stderr
    # Reloading the watchlist keeps a silence set from the CLI.
    assert tollwatch("load-config", "--seeds", "seeds", env=env).returncode == 0
    listing = tollwatch("watches", env=env).stdout.splitlines()
    assert len(listing) == 4
    assert any(line.startswith("idlib-killed") and "silenced until" in line for line in listing)
    assert tollwatch("silence", "nobody", "--for", "1h", "--reason", "x", env=env).returncode == 1
    assert tollwatch("deliveries", env=env).stdout == ""
    assert tollwatch("redeliver", "1", env=env).returncode == 1
