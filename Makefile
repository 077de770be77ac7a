# The two commands: `make run` (install, demo data, serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The self-signed seal seed_demo makes when no real one is configured (CHARTER_DEMO_SEAL_DIR).
DEMO_SEAL := var/demo-seal

.PHONY: run test setup check-system catalogues messages clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Portal on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	CHARTER_SEAL_CERT_PATH="$${CHARTER_SEAL_CERT_PATH:-$(DEMO_SEAL)/cert.pem}" \
	CHARTER_SEAL_KEY_PATH="$${CHARTER_SEAL_KEY_PATH:-$(DEMO_SEAL)/key.pem}" \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

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
