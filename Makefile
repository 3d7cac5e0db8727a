# The two commands of the README: `make run` and `make test`; `make serve` for the production stack.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings
RUN_ENV = SECRET_KEY="$${SECRET_KEY:-$$(cat $(VENV)/secret_key)}" DEBUG="$${DEBUG:-false}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" HTTPS="$${HTTPS:-false}"

.PHONY: run serve serve-tls test install lint check pytest clean bench

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

# `make serve` runs the production stack on this machine: collectstatic, migrate, then gunicorn
# (gunicorn.conf.py: workers from the CPU count, one-line logs on stdout) on http://127.0.0.1:8000.
# DATABASE_URL, REDIS_URL and the rest of README's variables are passed through, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/vng REDIS_URL=redis://127.0.0.1:6379/0 make serve
serve: install $(VENV)/secret_key
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving the VNG Jaarcongres with gunicorn at $$([ -n "$$GUNICORN_CERTFILE" ] && echo https || echo http)://127.0.0.1:$(PORT)/ (Ctrl+C stops)"
	$(RUN_ENV) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py

# `make serve-tls`: the same, but gunicorn speaks https itself on https://127.0.0.1:8443/ with a
# self-signed certificate made for this checkout (.venv/tls/; the browser warns once), and the site
# runs as in production: secure cookies, HSTS, http redirected.
TLS_PORT ?= 8443
$(VENV)/tls/cert.pem: | $(BIN)/python
	mkdir -p $(VENV)/tls
	openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout $(VENV)/tls/key.pem -out $(VENV)/tls/cert.pem 2>/dev/null

serve-tls: install $(VENV)/secret_key $(VENV)/tls/cert.pem
	HTTPS=true GUNICORN_CERTFILE="$(CURDIR)/$(VENV)/tls/cert.pem" \
		GUNICORN_KEYFILE="$(CURDIR)/$(VENV)/tls/key.pem" $(MAKE) serve PORT=$(TLS_PORT)

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
