# Every target sets itself up on a fresh machine: a virtualenv in .venv with the package installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	# Debian chromium for the HTML report's browser test (skipped with a reason when unavailable).
	command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; } || echo "chromium not installed: the browser test will be skipped"
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
