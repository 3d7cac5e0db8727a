# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings
RUN_ENV = SECRET_KEY="$${SECRET_KEY:-$$(cat $(VENV)/secret_key)}" DEBUG="$${DEBUG:-false}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_COOKIES="$${SECURE_COOKIES:-false}"

.PHONY: run test install lint check pytest clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# A key for this checkout only, kept out of git inside .venv/.
$(VENV)/secret_key: | $(BIN)/python
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# `make run` serves the site as production does (DEBUG off, hashed static files, our error pages),
# over plain http on 127.0.0.1. DEBUG=true make run for Django's debug pages.
run: install $(VENV)/secret_key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving the VNG Jaarcongres at http://127.0.0.1:$(PORT)/ (Ctrl+C stops)"
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	DEBUG=true $(BIN)/python manage.py check
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# Browser tests (marker `browser`) save screenshots of the main pages for reviewers.
pytest: install
	@$(BIN)/python -m pytest; status=$$?; \
	echo "Screenshots of the main pages (phone and desktop): $(CURDIR)/test-artifacts/screenshots/"; \
	exit $$status

test: lint check pytest

# Serves the site with gunicorn and drives every page with wrk (apt-get install -y wrk) at 60, 600
# and 6,000 sessions, on SQLite and, when DATABASE_URL points at one, PostgreSQL (a database of its
# own, <name>_bench). Writes bench/RESULTS.md. BENCH_ARGS="--sizes 60 --duration 2" for a quick look.
bench: install
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
