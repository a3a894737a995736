# Two commands for a new user: `make run` (serve the app with demo data on
# SQLite) and `make test` (every check and test). Both set up .venv first:
# `make run` with what running needs, `make test` with the development tools too.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=0

.PHONY: run test lint setup demo benchmark loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(RUN_STAMP) $(DEV_STAMP)

setup: $(DEV_STAMP)

demo: $(RUN_STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo

run: demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(TEST_ENV) $(BIN)/python -m pytest

# The national benchmark on PostgreSQL (DATABASE_URL names a database of its own):
# pages over HTTP and commands beside their floors, then the load test; writes the
# table into docs/benchmarks.md. Some rows only: BENCH_ARGS="--only ranking --runs 3".
benchmark: $(DEV_STAMP)
	$(BIN)/python benchmarks/national_scale.py --doc docs/benchmarks.md $(BENCH_ARGS)

# 50 users for 2 minutes against gunicorn on a PostgreSQL database of its own
# (DATABASE_URL names the server); writes the figures into docs/benchmarks.md.
loadtest: $(RUN_STAMP)
	$(BIN)/python benchmarks/load_test.py --doc docs/benchmarks.md
