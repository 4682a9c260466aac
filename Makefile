# The project's habits. Every target creates .venv and installs what it needs first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# The extractor compiled by mypyc (setup.py), installed apart from the editable pure one.
COMPILED := build/compiled

.PHONY: install compiled lint type test demo eval bench golden check clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check workers tests benchmarks tools setup.py

type: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/tollwatch demo

eval: $(STAMP)
	$(BIN)/tollwatch eval

$(COMPILED)/.built: $(STAMP) setup.py $(wildcard workers/extract/*.py)
	rm -rf $(COMPILED) build/wheels
	TOLLWATCH_USE_MYPYC=1 $(BIN)/python -m pip wheel -q --no-deps --no-build-isolation \
		-w build/wheels .
	$(BIN)/python -m pip install -q --no-deps --target $(COMPILED) build/wheels/tollwatch-*.whl
	touch $@

compiled: $(COMPILED)/.built

bench: $(STAMP) compiled
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done
	@echo "== benchmarks/bench_extract.py, with the compiled extractor the image ships"
	@PYTHONPATH=$(COMPILED) $(BIN)/python benchmarks/bench_extract.py

golden: $(STAMP)
	$(BIN)/tollwatch timeline seeds > tests/golden/seeds-timeline.jsonl

check: lint type test

clean:
	rm -rf $(VENV) var build .mypy_cache .ruff_cache .hypothesis
