# Integration Patterns — task runner. `make help` lists the targets.
# Every target bootstraps .venv from requirements.lock when needed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# pytest caches its rewritten test modules as bytecode; an inherited "do not write bytecode"
# setting would make every run (and every xdist worker) rewrite them again.
unexport PYTHONDONTWRITEBYTECODE
# Test processes (pytest-xdist): one per CPU, at most four; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --maxprocesses=4

.DEFAULT_GOAL := help
.PHONY: help serve build test test-fast coverage doctor lint bench lock clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11+ or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

serve: $(STAMP) ## Serve the site with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP) ## Build the static site into site/ (strict)
	$(BIN)/mkdocs build --strict

test: $(STAMP) ## Run the whole suite (unit, snippets, PostgreSQL, build, browser); fetches a browser if none
	$(BIN)/python -m tests.environment_check prepare --need browser,postgres
	$(BIN)/python -m pytest $(XDIST)

# Coverage tracing slows every Python test by about half, so the whole suite runs
# without it; this target runs the same suite with the report of macros/ and snippets/.
coverage: $(STAMP) ## Run the whole suite with a line and branch coverage report of macros/ and snippets/
	$(BIN)/python -m tests.environment_check prepare --need browser,postgres
	$(BIN)/python -m pytest $(XDIST) --cov --cov-report=term

test-fast: $(STAMP) ## Run the tests that need no browser and no site build
	$(BIN)/python -m tests.environment_check prepare --need postgres
	$(BIN)/python -m pytest $(XDIST) -m "not slow"

doctor: $(STAMP) ## Show which browser and PostgreSQL the tests will use, and why
	$(BIN)/python -m tests.environment_check doctor

lint: $(STAMP) ## Lint Python with ruff
	$(BIN)/ruff check macros snippets tests hooks benchmarks
	$(BIN)/ruff format --check macros snippets tests hooks benchmarks

bench: $(STAMP) ## Lighthouse scores of our page templates vs a default Material page
	$(BIN)/python benchmarks/lighthouse.py

.PHONY: check-sources
check-sources: $(STAMP) ## Request every cited source URL (needs internet); report dead, moved, retitled
	$(BIN)/python -m macros.source_check --json source-report.json --markdown source-report.md

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[test]"
	.lock-venv/bin/python -m pip freeze --exclude integration-patterns > requirements.lock
	rm -rf .lock-venv

clean: ## Remove the build output and caches
	rm -rf site .pytest_cache .coverage htmlcov
