# Everything a newcomer needs: `make demo` and `make test` set up .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The main job on the bundled sample forms: out/results.csv, out/fields.csv, out/errors.csv
demo: setup
	$(BIN)/formreader scan samples/forms --out out/results.csv
	@echo "--- out/fields.csv (one row per field):"
	@cat out/fields.csv

# The review report is tested in Debian's Chromium (browsers cannot be downloaded by test tools here).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "note: no chromium (apt-get install chromium): the report's browser tests will be skipped"

test: setup browser
	$(BIN)/python -m pytest

# The benchmarks read the MNIST files and the real pages from ../shared (or FORMREADER_DATA).
bench: export FORMREADER_DATA ?= $(abspath ../shared/data/mnist)

bench: setup
	$(BIN)/python bench/bench_recognizer.py
	$(BIN)/python bench/bench_sources.py
	$(BIN)/python bench/bench_scan.py --pages 120 --dpi 200
	$(BIN)/python bench/bench_scan.py --pages 120 --dpi 300 --variant-pages 0 --letter-pages 0 --dropout-pages 0 --third-pages 0 --fax-pages 0 --turned-pages 0 --lid-pages 0 --lit-pages 0 --pale-pages 0 --slant-pages 0
	$(BIN)/python bench/bench_scan.py --pages 120 --dpi 200 --maker other --format png --variant-pages 0 --letter-pages 0 --dropout-pages 0 --other-pages 0 --third-pages 0 --fax-pages 0 --turned-pages 0 --lid-pages 0 --lit-pages 0 --pale-pages 0 --slant-pages 0
	$(BIN)/python bench/bench_scan.py --pages 120 --dpi 300 --maker other --format png --variant-pages 0 --letter-pages 0 --dropout-pages 0 --other-pages 0 --third-pages 0 --fax-pages 0 --turned-pages 0 --lid-pages 0 --lit-pages 0 --pale-pages 0 --slant-pages 0
	$(BIN)/python bench/bench_strings.py

clean:
	rm -rf $(VENV) out
