# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/digest_site

.PHONY: install install-serve browser run load-fixtures test test-sqlite test-postgres lint format migrations-check messages clean

# `install`: everything, tests and tools included; `install-serve`: only what serving needs.
install: $(VENV)/.installed
install-serve: $(VENV)/.serving

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.serving

$(VENV)/.serving: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@fc-list :lang=zh >/dev/null 2>&1 && [ -n "$$(fc-list :lang=zh)" ] || { \
		echo "Installing a CJK font so Chinese pages render in the browser tests and screenshots"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }; }

# The seed newsletters go into an empty database only; `make load-fixtures RELOAD=1` loads them
# over what is there (items/seed_fixtures.py lists them).
load-fixtures: install-serve
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_seeds $(if $(RELOAD),--reload)

run: load-fixtures
	$(PY) manage.py create_demo_users
	@echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# One pytest run per database, browser tests included: tests/conftest.py runs the transactional
# tests (the browser's live server among them) after all the others, so their flush never empties
# a table a later test needs. PYTEST_ARGS: two pytest-xdist workers, one per core, each on its own
# test database (`make test PYTEST_ARGS=` runs in one process).
PYTEST_ARGS ?= -n 2
test-sqlite: install browser
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

# PostgreSQL is the production database: the suite runs there too whenever a server answers.
test-postgres: install browser
	@if $(PY) -c "import psycopg2; psycopg2.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres').close()" 2>/dev/null; then \
		echo "Running the suite on PostgreSQL"; \
		DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS); \
	else \
		echo "No PostgreSQL answers at $(PG_URL); skipping the PostgreSQL run"; \
	fi

test: lint migrations-check test-sqlite test-postgres

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=test-results
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Performance benchmark (issue 5; not part of `make test`): builds the 100k-item databases (SQLite,
# and PostgreSQL when one answers), serves the site with gunicorn in production mode and writes
# benchmarks/RESULTS.md. Try it with `make bench BENCH_ARGS=--quick`; see benchmarks/README.md.
.PHONY: bench
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "Installing Debian's wrk (load generator of the two-server throughput)"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the benchmark falls back to its Python load generator"; }
	$(VENV)/bin/pip install --quiet -r requirements-bench.txt
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Load and fault test (issue 6, item 6; not part of `make test`): needs PostgreSQL (a pg_ctlcluster
# cluster on 127.0.0.1:5432, which it stops for 10 s and always starts again) and redis-server (it
# runs its own on port 8791, with maxmemory and allkeys-lru).
# 50 clients on the public pages under gunicorn in production mode: while publishing, through a
# PostgreSQL outage, through two graceful reloads; then an import killed midway; then Redis stopped
# and Redis hung. Writes benchmarks/LOAD_AND_FAULTS.md. Try it with
# `make load-faults LOAD_FAULTS_ARGS=--quick`; `LOAD_FAULTS_ARGS="--phases ef"` runs only the
# Redis faults (PostgreSQL is left running).
.PHONY: load-faults
load-faults: install
	$(PY) benchmarks/load_and_faults.py $(LOAD_FAULTS_ARGS)
