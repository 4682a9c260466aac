"""Packaging hook: with TOLLWATCH_USE_MYPYC=1 the extractor is compiled by mypyc.

Everything else about the package lives in pyproject.toml. The compiled build is what the
image ships and what `make bench` measures beside the pure one; an editable install for
development stays pure Python, so an edited module is never shadowed by a stale build. The
test suite checks that both builds extract the same bytes.
"""

import os
from pathlib import Path

from setuptools import setup


def _ext_modules() -> list[object]:
    if os.environ.get("TOLLWATCH_USE_MYPYC") != "1":
        return []
    from mypyc.build import mypycify  # noqa: PLC0415 - needed only for a compiled build

    sources = sorted(str(p) for p in Path("workers/extract").glob("*.py"))
    return list(mypycify(sources, opt_level="3", strip_asserts=False))


setup(ext_modules=_ext_modules())
