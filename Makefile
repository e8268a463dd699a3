# The two commands of the README:
#   make run   installs Equo in .venv (Python packages, then Bootstrap Italia and htmx from the npm
#              registry, checked against assets.lock.json) and starts the web platform on
#              http://127.0.0.1:8000 with demo data
#   make test  installs what the tests need and runs lint, format check, types, the whole suite
#              on SQLite, then the web tests again on PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
ASSETS := src/equo/web/ui/static/vendor/.versioni.json
# The PostgreSQL server of the web tests (README, "PostgreSQL"); pytest-django creates test_equo.
EQUO_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/equo
CHROMIUM := /usr/bin/chromium
# pytest-xdist workers for the test runs: one per core by default (each worker gets its own
# test database, SQLite in memory or test_equo_gwN on PostgreSQL).
PYTEST_WORKERS ?= auto
# Italian interface strings and date formats for Debian's Chromium (package chromium-l10n).
CHROMIUM_IT := /usr/lib/chromium/locales/it.pak
# Playwright (a test dependency) drives $(CHROMIUM): it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test check lint typecheck pytest pytest-postgres browser benchmark clean

run: $(VENV)/.installed-run $(ASSETS)
	$(BIN)/equo serve

test: $(VENV)/.installed-test $(ASSETS) browser
	$(MAKE) --no-print-directory check pytest pytest-postgres

check: lint typecheck

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# Everything, browser tests (tests/e2e) included; screenshots and axe-core reports go to
# test-output/ (docs/web/architettura.md, "Browser tests").
pytest: $(VENV)/.installed-test $(ASSETS) browser
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The web tests again, on PostgreSQL: fails (never skips) if the server does not answer. Of the
# browser tests, the operator's path (search, create, audit) runs here too; the accessibility
# and keyboard ones check markup, which does not depend on the database.
pytest-postgres: $(VENV)/.installed-test $(ASSETS) browser
	DATABASE_URL=$(EQUO_TEST_POSTGRES_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider tests/web \
		tests/e2e/test_percorso.py

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium), in Italian.
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -f $(CHROMIUM_IT) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium and chromium-l10n for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n >/dev/null; \
		else \
			echo "The browser tests need $(CHROMIUM) in Italian: install Debian's chromium and chromium-l10n packages (sudo apt-get install chromium chromium-l10n)"; \
			exit 1; \
		fi; \
	fi

# The user guide's screenshots (CONTRIBUTING, "Refreshing the guide screenshots").
.PHONY: guida-immagini
guida-immagini: $(VENV)/.installed-test $(ASSETS) browser
	EQUO_IMMAGINI_GUIDA=docs/guida/img/cartella $(BIN)/pytest -p no:cacheprovider \
		tests/e2e/test_cartella.py tests/test_docs_immagini.py

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

# Bootstrap Italia and htmx, downloaded from the npm registry and checked against their pinned
# sha512 (no Node.js needed); re-fetched when the lock file changes.
$(ASSETS): src/equo/web/assets.lock.json | $(VENV)/.installed-run
	$(BIN)/python -m equo.web.assets

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis src/equo/web/ui/static/vendor \
		tests/e2e/vendor test-output
