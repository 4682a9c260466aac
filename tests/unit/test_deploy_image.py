"""Static checks of the Dockerfile and .dockerignore, and of the CLI calls in the deploy files."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DEPLOY = ROOT / "deploy"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n(\s*#.*\n)*", " ", text)
    pairs = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def final_stage(steps: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    return steps[starts[-1] :]


def ignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """.dockerignore lines as (include?, pattern); the last matching line wins."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        rules.append((include, re.compile(glob_regex(line.removeprefix("!").strip("/")))))
    return rules


def glob_regex(glob: str) -> str:
    """Docker's ignore-file globs: ** crosses folders, * and ? do not, [...] is a class."""
    tokens = re.findall(r"\*\*/|\*\*|\*|\?|\[[^\]]*\]|.", glob)
    special = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return "".join(special.get(t, t if t.startswith("[") else re.escape(t)) for t in tokens)


def in_context(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether Docker sends ``path`` in the build context (a rule on a folder covers its files)."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    included = True
    for include, pattern in rules:
        if any(pattern.fullmatch(p) for p in prefixes):
            included = include
    return included


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def test_runtime_stage_is_python_311_slim(steps: list[tuple[str, str]]) -> None:
    args = dict(a.split("=", 1) for k, a in steps if k == "ARG" and "=" in a)
    base = final_stage(steps)[0][1].split()[0]
    assert re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base) == "python:3.11-slim"


def test_runtime_runs_as_a_numeric_non_root_user(steps: list[tuple[str, str]]) -> None:
    users = [a for k, a in final_stage(steps) if k == "USER"]
    assert users
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) > 0
    deployment = yaml.safe_load((DEPLOY / "beat.yaml").read_text(encoding="utf-8"))
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == int(uid)


def test_entrypoint_is_the_tollwatch_command(steps: list[tuple[str, str]]) -> None:
    entrypoints = [a for k, a in final_stage(steps) if k == "ENTRYPOINT"]
    assert entrypoints == ['["tollwatch"]']


def test_dependencies_install_before_the_code_is_copied(steps: list[tuple[str, str]]) -> None:
    order = [f"{k} {a}" for k, a in steps]
    copy_pyproject = next(i for i, s in enumerate(order) if s.startswith("COPY pyproject.toml"))
    copy_code = next(i for i, s in enumerate(order) if s.startswith("COPY workers"))
    installs = [i for i, s in enumerate(order) if "pip install '.[postgres]'" in s]
    assert installs
    assert copy_pyproject < installs[0] < copy_code


def test_seeds_are_copied_to_app_seeds(steps: list[tuple[str, str]]) -> None:
    copies = [a.split() for k, a in final_stage(steps) if k == "COPY"]
    assert any(c[-2:] == ["seeds", "/app/seeds"] for c in copies)


def test_every_copied_path_exists_and_is_in_the_build_context(
    steps: list[tuple[str, str]],
) -> None:
    rules = ignore_rules((ROOT / ".dockerignore").read_text(encoding="utf-8"))
    sources = [
        src
        for keyword, args in steps
        if keyword == "COPY" and "--from=" not in args
        for src in [w for w in args.split() if not w.startswith("--")][:-1]
    ]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert in_context(source, rules), source
    assert in_context("workers/config.py", rules)
    assert not in_context(".venv/bin/python", rules)
    assert not in_context("workers/__pycache__/config.cpython-311.pyc", rules)
    assert not in_context("workers/extract/numbers.pyc", rules)


# --- what `pip install '.[postgres]'` puts in the image ------------------------------------


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_by(dist: str, extras: frozenset[str], seen: set[str]) -> set[str]:
    """``dist`` and everything pip installs with it for ``extras``, transitively."""
    seen.add(normalized(dist))
    for line in metadata.requires(dist) or []:
        req = Requirement(line)
        wanted = req.marker is None or any(
            req.marker.evaluate({"extra": extra}) for extra in extras or {""}
        )
        if wanted and normalized(req.name) not in seen:
            installed_by(req.name, frozenset(req.extras), seen)
    return seen


def imported_top_level_modules(package: Path) -> set[str]:
    names: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"workers"}


def test_every_module_the_package_imports_is_installed_in_the_image() -> None:
    image = installed_by("tollwatch", frozenset({"postgres"}), set())
    owners = metadata.packages_distributions()
    modules = imported_top_level_modules(ROOT / "workers")
    assert {"celery", "trafilatura"} <= modules
    missing = {m for m in modules if not {normalized(d) for d in owners.get(m, [])} & image}
    assert not missing, f"imported by workers/ but not a dependency: {sorted(missing)}"
    # The database driver is loaded by URL, never imported by name.
    assert "psycopg" in image


# --- the commands that docker-compose.yml and deploy/ run -----------------------------------


def deployed_commands() -> dict[str, set[str]]:
    """tollwatch subcommand -> the --options the deploy files pass to it."""
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    argvs = [
        s["command"] for s in compose["services"].values() if "entrypoint" not in s and "build" in s
    ]
    for path in DEPLOY.glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            spec = (doc or {}).get("spec", {}).get("template", {}).get("spec", {})
            argvs += [
                c["args"] for c in [*spec.get("initContainers", []), *spec.get("containers", [])]
            ]
    argvs += [["migrate"], ["load-config", "--seeds"]]  # the compose migrate shell line
    commands: dict[str, set[str]] = {}
    for argv in argvs:
        commands.setdefault(argv[0], set()).update(a for a in argv[1:] if a.startswith("--"))
    return commands


def test_deploy_files_call_only_existing_cli_commands_and_options() -> None:
    cli = pytest.importorskip("workers.cli", reason="workers/cli.py is not written yet")
    commands = deployed_commands()
    assert {"worker", "beat", "replay", "sink", "migrate", "load-config", "api"} <= set(commands)
    runner = CliRunner()
    for command, options in sorted(commands.items()):
        result = runner.invoke(cli.app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        for option in options:
            assert option in result.output, (command, option)
