# Attaché CRM — `make run` for the demo, `make test` for the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint migrate seed bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty

## Web, Celery worker and beat together on the embedded defaults (SQLite, filesystem broker).
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m attache_crm.runall --host $(HOST) --port $(PORT)

## The whole suite: unit, integration (worker on the configured broker) and browser journeys,
## the journeys in their own process: Playwright's sync API wants an interpreter with no event loop.
test: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) -m bench.run

clean:
	rm -rf var/db.sqlite3 var/broker var/static var/celerybeat-schedule* test-artifacts
