# The two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-browser install install-test lint bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py ensure_staff
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn with deploy/gunicorn.conf.py, reading the same environment as every
# other command (README, Deploying). It refuses to start without SECRET_KEY or with migrations
# not yet applied (run `manage.py migrate` once per release, from one machine), and collects the
# static files first (the reverse proxy or WhiteNoise serves them from STATIC_ROOT).
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve: SECRET_KEY must be set (README, Deploying)" >&2; exit 1; }
	$(PY) manage.py check --deploy --fail-level ERROR
	@$(PY) manage.py migrate --check >/dev/null || { echo "make serve: the database has unapplied migrations; run $(PY) manage.py migrate first" >&2; exit 1; }
	$(PY) manage.py collectstatic --no-input --verbosity 0
	exec $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py thetsaban.wsgi:application

test: install-test
	SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	SECRET_KEY=test-only MAP_TILES_URL= $(PY) manage.py test --noinput --parallel auto --exclude-tag browser $(TESTS)

test-browser: install-test
	./scripts/install-test-tools
	SECRET_KEY=test-only MAP_TILES_URL= $(PY) manage.py test --noinput --tag browser $(TESTS)

lint: install-test
	$(VENV)/bin/ruff check thetsaban bench

bench: install
	DEBUG=true $(PY) bench/search.py --practices 100000

# After changing user-facing strings: refresh the catalogues, translate the new Thai entries
# (thetsaban/tests/test_catalogues.py fails until every one is translated), then compile.
messages: install
	DEBUG=true $(PY) manage.py makemessages -l th -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=var
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
