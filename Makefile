# Encompass Guidance: every target is a one-liner a newcomer can read.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# make run serves plain HTTP on loopback: no HTTPS redirect or secure-only cookies.
LOCAL_ENV := SECURE_SSL=$${SECURE_SSL:-false}

.PHONY: run run-proxied test test-fast lint format seed migrate static check install install-test clean bench-pdf bench-search bench-search-quality bench-pages bench-nodes

# Debian packages the tests need are installed when missing: as root, or with sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

# What the site runs with (requirements.lock) ...
$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# ... and what the tests and linters add (requirements-dev.lock), never on a server.
$(BIN)/.installed-dev: requirements-dev.lock $(BIN)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

# Debian's Chromium headless shell for the real-browser tests (Playwright never
# downloads one).
/usr/bin/chromium-headless-shell:
	@command -v apt-get >/dev/null || { echo "make test needs Chromium at $@: install it (Debian: apt-get install chromium-headless-shell)" >&2; exit 1; }
	$(APT_GET) update -qq && $(APT_GET) install -y -qq chromium-headless-shell >/dev/null

# Debian's nginx for make run-proxied and the proxy tests (its service is not started).
/usr/sbin/nginx:
	@command -v apt-get >/dev/null || { echo "make run-proxied needs nginx at $@: install it (Debian: apt-get install nginx)" >&2; exit 1; }
	$(APT_GET) update -qq && $(APT_GET) install -y -qq nginx >/dev/null

# poppler-utils: pdftotext and pdfinfo read PDFs as a reader's viewer does.
/usr/bin/pdftotext:
	@command -v apt-get >/dev/null || { echo "make test needs pdftotext and pdfinfo: install poppler-utils" >&2; exit 1; }
	$(APT_GET) update -qq && $(APT_GET) install -y -qq poppler-utils >/dev/null

/usr/bin/npm:
	@command -v apt-get >/dev/null || { echo "make test needs npm to fetch axe-core: install it (Debian: apt-get install npm)" >&2; exit 1; }
	$(APT_GET) update -qq && $(APT_GET) install -y -qq npm >/dev/null

# axe-core for the real-browser tests, pinned in package-lock.json (test-only).
node_modules/.package-lock.json: package-lock.json | /usr/bin/npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-dev node_modules/.package-lock.json /usr/bin/chromium-headless-shell /usr/bin/pdftotext

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_content --if-empty

static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: seed static
	$(LOCAL_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

# The production shape on one machine: nginx (deploy/nginx/) on $(PORT) in front
# of 2 gunicorn nodes on loopback, in the foreground; Ctrl-C stops all.
run-proxied: seed static /usr/sbin/nginx
	$(LOCAL_ENV) $(BIN)/python deploy/run_proxied.py --host $(HOST) --port $(PORT) --nodes 2 --workers $(WORKERS)

# One pytest-xdist worker a core; each test file stays on one worker, so its
# module fixtures (a served site, the truth crawl) are set up once. -n0: one process.
PYTEST_WORKERS ?= -n auto --dist loadfile

# Tests write bytecode (__pycache__/, ignored by git) even where the machine sets
# PYTHONDONTWRITEBYTECODE=1: without it every pytest process rewrites and compiles
# every test module again (collecting: 9.1 s of CPU a process, 5.4 s with the
# bytecode an earlier run wrote: make test's second run, CI's second pass).
WRITE_BYTECODE := PYTHONDONTWRITEBYTECODE=

# Both pytest runs copy the test database the first one migrates and loads
# (tests/shared_database.py); the folder holding it goes when they end.
test: install-test
	$(WRITE_BYTECODE) $(BIN)/python manage.py check
	$(WRITE_BYTECODE) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	export ENCOMPASS_TEST_RUN_DIR=$$(mktemp -d) && trap 'rm -rf "$$ENCOMPASS_TEST_RUN_DIR"' EXIT && \
	  export $(WRITE_BYTECODE) && \
	  $(BIN)/pytest $(PYTEST_WORKERS) -m "not timing" && $(BIN)/pytest -m timing

# No browser, node, served site or slow test (docs/testing.md): runs on a fresh
# clone with nothing but Python.
test-fast: $(BIN)/.installed-dev
	$(WRITE_BYTECODE) $(BIN)/pytest -m "not browser and not slow" --skip-integration -rs $(PYTEST_WORKERS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(BIN)/.installed-dev
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

check: install
	$(BIN)/python manage.py check --deploy

bench-pdf: seed static
	$(LOCAL_ENV) $(BIN)/python bench/pdf.py

bench-search: install
	$(BIN)/python bench/search.py

# Hit@1, hit@3, MRR and empty pages for bench/search_queries.csv, development and
# frozen test halves, on SQLite then a throw-away PostgreSQL (-v: development misses).
bench-search-quality: install
	$(BIN)/python bench/search_quality.py $(ARGS)
	bench/with_postgres.sh $(BIN)/python bench/search_quality.py $(ARGS)

# Sets up its own throw-away database and static files: var/ is never touched.
bench-pages: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	WORKERS=$(WORKERS) $(BIN)/python bench/pages.py

# Two nodes on a throw-away PostgreSQL and Redis: throughput while publishing.
bench-nodes: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	WORKERS=$(WORKERS) bench/with_postgres.sh $(BIN)/python bench/nodes.py

clean:
	rm -rf $(VENV) staticfiles node_modules test-artifacts
