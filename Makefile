# Agora — two commands on a fresh machine:
#   make run    creates .venv, installs, migrates, seeds the demo and serves http://127.0.0.1:8000
#   make test   installs the dev requirements, runs ruff, checks migrations and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist); 0 runs the tests in this one process. Tests marked xdist_group
# (those sharing a class- or module-scoped world) run in one process.
PYTEST_WORKERS ?= 2

.PHONY: run test lint format messages leaflet clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Agora : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=agora.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Leaflet, pinned in package.json, is served from static/vendor/leaflet/ (no CDN); this copies a
# new release there. Its source-map comment is left out: the map file is not shipped.
leaflet:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/images node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE static/vendor/leaflet/
	grep -v sourceMappingURL node_modules/leaflet/dist/leaflet.js > static/vendor/leaflet/leaflet.js

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
