# Everything a newcomer needs: `make demo` and `make test` set up .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	@mkdir -p out
	$(BIN)/formreader predict samples/digits --out out/predictions.csv
	@cat out/predictions.csv

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/bench_recognizer.py

clean:
	rm -rf $(VENV) out
