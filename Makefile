# The project's habits. Every target creates .venv and installs what it needs first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install lint type test demo eval bench golden check clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check workers tests benchmarks tools

type: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/tollwatch demo

eval: $(STAMP)
	$(BIN)/tollwatch eval

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

golden: $(STAMP)
	$(BIN)/tollwatch timeline seeds > tests/golden/seeds-timeline.jsonl

check: lint type test

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .hypothesis
