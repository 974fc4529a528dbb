# Every target sets itself up on a fresh machine: a virtualenv in .venv with the package installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	# Debian chromium (and a small CJK font for its screenshots) for the HTML report's browser
	# test, which is skipped with a reason when they are unavailable.
	# A failed `apt-get update` (offline, a broken mirror) is not fatal: the install is tried from
	# the cached package lists. NO_APT=1 skips this step.
	[ -n "$(NO_APT)" ] || { command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || \
		{ echo "make: installing chromium and fonts-wqy-microhei with apt-get (NO_APT=1 to skip)"; \
		apt-get update -qq || echo "make: apt-get update failed; trying the cached package lists"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; } || \
		echo "chromium or the CJK font not installed: the browser test may be skipped"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,gx,dask,ocr]'
	# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set every start
	# would compile every module again (~130 ms of a cold `auditor check`): compile them once here.
	# Python checks each cached file against its source, so an edited module is never run stale.
	$(BIN)/python -m compileall -q auditor checks reports >/dev/null
	# The same for the YAML catalogs, messages and labels (~25 ms of a cold check; see auditor/yaml_files.py).
	$(BIN)/python -m auditor.yaml_files checks/catalog checks/messages reports/templates
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
