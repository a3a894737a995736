# Two commands for a new user: `make run` (serve the app with demo data on
# SQLite) and `make test` (every check and test). Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=0

.PHONY: run test lint setup demo benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo

run: demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(TEST_ENV) $(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/national_scale.py
