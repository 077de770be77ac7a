# The two commands: `make run` (install, demo data, serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debug is off unless DJANGO_DEBUG=1 (settings.py); the commands here are a developer's, so they
# turn it on unless the environment already says (with DJANGO_DEBUG=0, seed_demo refuses to run).
# bench sets its own, off.
export DJANGO_DEBUG ?= 1
# Links in emails and on sealed PDFs point at the server `make run` starts, unless the
# environment sets PORTAL_BASE_URL (an IPv6 HOST goes in brackets).
RUN_ADDRESS := $(if $(findstring :,$(HOST)),[$(HOST)],$(HOST)):$(PORT)
RUN_BASE_URL := $(or $(PORTAL_BASE_URL),http://$(RUN_ADDRESS))
# The self-signed seal seed_demo makes when no real one is configured (CHARTER_DEMO_SEAL_DIR).
DEMO_SEAL := var/demo-seal

.PHONY: run test bench setup check-system catalogues messages clean

run: setup
	$(PY) manage.py migrate --noinput
	PORTAL_BASE_URL="$(RUN_BASE_URL)" $(PY) manage.py seed_demo
	@echo "Portal on http://$(RUN_ADDRESS)/ (Ctrl+C to stop)"
	PORTAL_BASE_URL="$(RUN_BASE_URL)" \
	CHARTER_SEAL_CERT_PATH="$${CHARTER_SEAL_CERT_PATH:-$(DEMO_SEAL)/cert.pem}" \
	CHARTER_SEAL_KEY_PATH="$${CHARTER_SEAL_KEY_PATH:-$(DEMO_SEAL)/key.pem}" \
	$(PY) manage.py runserver $(RUN_ADDRESS)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark (README, Benchmark): a large dataset in a throw-away PostgreSQL database, pages
# timed through the test client, then a load run with gunicorn and wrk, debug off as in production.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/welfare_bench
BENCH_ARGS ?=
BENCH_STATIC := $(or $(DJANGO_STATIC_ROOT),staticfiles)
BENCH_ENV = DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_CONN_MAX_AGE=$(or $(DJANGO_CONN_MAX_AGE),60) DJANGO_MEDIA_ROOT=$(CURDIR)/var/bench/media \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"

bench: setup $(BENCH_STATIC)/staticfiles.json
	@command -v wrk >/dev/null || { echo "Installing wrk"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	rm -rf var/bench
	$(BENCH_ENV) DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench $(BENCH_ARGS)

# Hashed, compressed static files as production serves them; collected again only when the
# dependencies or the portal's own static files changed.
$(BENCH_STATIC)/staticfiles.json: $(VENV)/.installed $(shell find static -type f)
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0

# Virtual environment, pinned dependencies and compiled catalogues; re-runs only when a
# requirements file changed.
setup: $(VENV)/.installed catalogues

$(VENV)/.installed: requirements.txt requirements-test.txt
	@$(PYTHON) scripts/check_system.py
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

check-system:
	@$(PYTHON) scripts/check_system.py

catalogues: $(VENV)/.installed
	@$(PY) manage.py compile_catalogues

# Refresh the source catalogues after changing user-visible strings (needs GNU gettext).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale it --locale en --ignore '$(VENV)/*' --no-obsolete
	$(PY) manage.py compile_catalogues

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
