# Every target sets itself up on a fresh machine: a virtualenv in .venv with the package installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/auditor check datasets/ --top 20 --fail-on never

test: $(STAMP)
	$(BIN)/ruff check auditor checks reports tests benchmarks datasets
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check auditor checks reports tests benchmarks datasets

bench: $(STAMP)
	$(BIN)/python benchmarks/cli_speed.py

clean:
	rm -rf $(VENV) build *.egg-info
