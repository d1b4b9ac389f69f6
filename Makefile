# Both targets bootstrap their own virtual environment on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo serve test lint typecheck unit bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	rm -f demo.db demo-congress.db
	$(BIN)/soviet --db demo.db demo && $(BIN)/soviet --db demo-congress.db demo second-congress

# The HTTP API over the demo (docs/http.md), with demo accounts and their one-time codes
# printed first; `make serve SERVE_ARGS="--port 8001"`.
serve: $(VENV)/.installed
	test -f demo.db || $(MAKE) demo
	$(BIN)/soviet --db demo.db account demo
	$(BIN)/soviet --db demo.db serve $(SERVE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Debian's Chromium for the browser tests (tests/web, decision 0014): installed with
# apt-get when missing and we are root; otherwise a warning, and those tests skip loudly.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "WARNING: $(CHROMIUM) is missing and cannot be installed (not root, or no apt-get): the browser tests in tests/web will be SKIPPED" >&2; \
	else \
	  echo "Installing Debian's chromium for the browser tests (apt-get)..."; \
	  log=$$(mktemp); \
	  { apt-get -qq -o DPkg::Lock::Timeout=600 update && \
	    DEBIAN_FRONTEND=noninteractive apt-get -qq -y -o DPkg::Lock::Timeout=600 \
	      install chromium; } >$$log 2>&1 || \
	  { cat $$log >&2; echo "WARNING: apt-get could not install chromium: the browser tests in tests/web will be SKIPPED" >&2; }; \
	  rm -f $$log; \
	fi

unit: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/ledger.py
	$(BIN)/python benchmarks/count.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/verify.py
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) demo.db .mypy_cache .ruff_cache .pytest_cache test-artifacts
