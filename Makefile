# The two commands of the README:
#   make run   installs Equo in .venv and runs the main job (the bundled example DSUs, explained)
#   make test  installs what the tests need and runs lint, format check, types and the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: run test check lint typecheck pytest benchmark clean

run: $(VENV)/.installed-run
	$(BIN)/equo isee esempi

test: $(VENV)/.installed-test
	$(MAKE) --no-print-directory check pytest

check: lint typecheck

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest

benchmark: $(VENV)/.installed-run
	$(BIN)/python benchmarks/isee_batch.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Equo needs Python 3.11 or newer: set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test]'
	@touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
