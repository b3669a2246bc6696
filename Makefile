# Encompass Guidance: every target is a one-liner a newcomer can read.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# make run serves plain HTTP on loopback: no HTTPS redirect or secure-only cookies.
LOCAL_ENV := SECURE_SSL=$${SECURE_SSL:-false}

.PHONY: run test test-fast lint format seed migrate static check install install-test clean bench-pdf bench-search bench-pages

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# axe-core for the real-browser tests, pinned in package-lock.json (test-only).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

# The tests also need axe-core (npm) and Debian's Chromium (.ci/run installs it).
install-test: install node_modules/.package-lock.json

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_content --if-empty

static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: seed static
	$(LOCAL_ENV) $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

test: install-test
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

check: install
	$(BIN)/python manage.py check --deploy

bench-pdf: seed static
	$(LOCAL_ENV) $(BIN)/python bench/pdf.py

bench-search: install
	$(BIN)/python bench/search.py

# Sets up its own throw-away database and static files: var/ is never touched.
bench-pages: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	WORKERS=$(WORKERS) $(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) staticfiles node_modules test-artifacts
