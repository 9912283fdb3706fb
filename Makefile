# Two commands matter: `make run` (set up from nothing and serve) and `make test` (what CI checks).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL pass runs when TEST_DATABASE_URL (or DATABASE_URL) names a postgres database.
PG_URL := $(or $(TEST_DATABASE_URL),$(filter postgres%,$(DATABASE_URL)))

.PHONY: run worker test install lint typecheck migrations-check test-sqlite test-postgres
# The project's packages: what `make run` watches for changes.
APPS := accesslog accounts api backend engagement ide kernel webclient
# The worker (backend/celery.py): video processing and, from its beat (-B), the scheduled jobs
# (CELERY_BEAT_SCHEDULE). Without CELERY_BROKER_URL or REDIS_URL its broker is this folder
# (kombu's filesystem transport), so it needs no service.
CELERY_QUEUE_DIR ?= var/celery
WORKER := $(BIN)/celery -A backend worker -B --concurrency 2 --loglevel INFO

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Then GraphiQL's files from the npm registry (ide/assets.py): checked, and fast when already there.
# `make test` stops here when they cannot be fetched, as the browser tests need them.
install: $(VENV)/.installed
	$(BIN)/python manage.py install_graphiql

# Development mode (DJANGO_DEBUG=1) unless DJANGO_DEBUG is set: with DEBUG off the service refuses to
# start without DJANGO_SECRET_KEY and DJANGO_PRIVACY_NOISE_KEY (backend/secret_keys.py).
# The API starts even when GraphiQL's files cannot be fetched; its page then says how to fetch them.
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	@$(BIN)/python manage.py install_graphiql || echo "== WARNING: GraphiQL is unavailable (its files could not be \
	fetched from the npm registry); the API runs without it. Retry with: make install" >&2
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	# A few of the demo's videos get a playable file (ffmpeg; idempotent, skipped with a warning without it).
	@$(BIN)/python manage.py demo_clips || echo "== WARNING: the demo's videos have no files to play \
	(install ffmpeg: apt-get install ffmpeg); uploads need it too." >&2
	# The demo's 30 days of activity, rolled up for insights (idempotent; the worker's beat then rolls up hourly).
	$(BIN)/python manage.py rollup_insights --no-progress \
		--since $$($(BIN)/python -c 'import datetime as d; print(d.datetime.now(d.UTC).date() - d.timedelta(days=31))')
	# Then the For You ranking from those rollups (idempotent; the beat ranks again after each rollup).
	$(BIN)/python manage.py rank_videos --no-progress
	@mkdir -p $(CELERY_QUEUE_DIR)/control
	# The worker in the background, and HTTP and WebSockets (GraphQL subscriptions) from the ASGI
	# application, reloading on code changes. Ctrl-C stops both (the worker ends the job in hand first).
	$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/uvicorn backend.asgi:application --host 127.0.0.1 --port 8000 --lifespan off \
		--reload $(addprefix --reload-dir ,$(APPS))

# The worker alone, as `make run` starts it beside the API (DJANGO_DEBUG as there).
worker: export DJANGO_DEBUG ?= 1
worker: $(VENV)/.installed
	@mkdir -p $(CELERY_QUEUE_DIR)/control
	$(WORKER)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy .

migrations-check: install
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run

# pytest-xdist workers per pass: `auto` is one per core; PYTEST_WORKERS=0 runs in this process.
# Each worker has its own test database (name suffixed _gwN) and, with REDIS_URL, its own Redis database.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS)

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest $(PYTEST_PARALLEL)

test-postgres: install
	@if [ -n "$(PG_URL)" ]; then \
		echo "== suite on PostgreSQL"; DATABASE_URL="$(PG_URL)" $(BIN)/pytest $(PYTEST_PARALLEL); \
	else echo "== PostgreSQL pass skipped: set TEST_DATABASE_URL=postgres://... to run it"; fi

test: lint typecheck migrations-check e2e-check test-sqlite test-postgres

# The browser tests (tests/e2e) run inside both passes when Debian's chromium is installed.
.PHONY: e2e-check
e2e-check:
	@if command -v chromium >/dev/null; then echo "== e2e: chromium found at $$(command -v chromium)"; \
	else echo "== e2e tests SKIPPED: chromium not installed (apt-get install chromium)"; fi

# A long privacy fuzz (docs/PRIVACY.md): thousands of generated operations per engine and kind.
# `make test` runs a bounded one; FUZZ_EXAMPLES sets the length, DATABASE_URL the database.
.PHONY: fuzz
FUZZ_EXAMPLES ?= 3000
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DATABASE_URL=$(or $(filter postgres%,$(DATABASE_URL)),sqlite:///:memory:) \
		$(BIN)/pytest tests/api/test_fuzz.py -p no:cacheprovider
