# Peoplebase: `make run` serves the app, `make test` runs the test suite.
# Both create .venv with the system Python (3.11+) and install into it on first use; the
# install is repeated only when pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Tests spread over two processes, each test file kept in one; PYTEST_ARGS adds more options.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: run test lint demo install clean

run: $(VENV)/.installed
	$(BIN)/peoplebase serve $(ARGS)

test: $(VENV)/.installed-test
	PEOPLEBASE_DATA_DIR="$${PEOPLEBASE_DATA_DIR:-$(CURDIR)/.data/test}" \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

demo: $(VENV)/.installed
	$(BIN)/peoplebase migrate --verbosity 0
	$(BIN)/peoplebase demo $(ARGS)

install: $(VENV)/.installed-test

clean:
	rm -rf $(VENV) .data

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Peoplebase needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version)."; \
		echo "Run make with PYTHON=/path/to/python3.11 (or newer)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Peoplebase into $(VENV)…"
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing Peoplebase and its test tools into $(VENV)…"
	$(PIP_INSTALL) -e '.[test]'
	@touch $@ $(VENV)/.installed
