# cxbench task runner. `make run` and `make test` do all set-up on a fresh machine.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB := data/cx.duckdb
PORT ?= 8501
ROWS ?= 1000000
# make decks: the language of the decks (en, zh, ru)
DECK_LANG ?= en

# Load test: 20 concurrent sessions for SECONDS_, speaking the WebSocket protocol (server only)
# and then as headless Chromium pages (end to end, browsers on this machine's CPUs too).
SECONDS_ ?= 60

.PHONY: loadtest loadtest-10m run run-dev test test-fast test-e2e test-scale lint fix bench bench-ingest bench-10m db clean screens decks messages

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.runtime
	$(BIN)/python -m cx demo --db $(DB)

db: $(DB)

run: $(VENV)/.runtime $(DB)
	$(BIN)/python -m components.server --server.port $(PORT)

# Development: reload on source changes (production config watches nothing).
run-dev: $(VENV)/.runtime $(DB)
	$(BIN)/python -m components.server --server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true --client.showErrorDetails full

# Every tier: tests/unit, queries, app, e2e (marker browser) and scale (marker scale). CI runs this.
test: $(VENV)/.dev $(DB)
	$(BIN)/python -m pytest

# The edit-test loop: unit, queries and app tiers; no browser, Spark or replicas, and not the
# hostile-file probes that measure a new process each (the upload page's refusal of each file
# still runs). Commands run in the test's process (tests/support/cli.py) and failing properties
# are not shrunk (tests/conftest.py); `make test` runs everything, each command as a new process.
test-fast: $(VENV)/.dev $(DB)
	CX_TEST_CLI=in-process $(BIN)/python -m pytest -m "not browser and not scale and not process" --hypothesis-profile=fast

# One tier on its own: the browser tests, or Spark and the replicas.
test-e2e: $(VENV)/.dev $(DB)
	$(BIN)/python -m pytest tests/e2e

test-scale: $(VENV)/.dev $(DB)
	$(BIN)/python -m pytest tests/scale

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fix: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.runtime
	$(BIN)/python -m cx bench --rows $(ROWS)

bench-ingest: $(VENV)/.runtime
	$(BIN)/python -m cx bench --ingest --rows $(ROWS)

bench-10m: $(VENV)/.runtime
	$(BIN)/python -m cx bench --rows 10000000 --repeat 10

screens: $(VENV)/.dev $(DB)
	$(BIN)/python -m pytest -m browser -k screenshot

loadtest: $(VENV)/.dev $(DB)
	$(BIN)/python tests/scale/loadtest.py --protocol --sessions 20 --seconds $(SECONDS_) --db $(DB)
	$(BIN)/python tests/scale/loadtest.py --sessions 20 --seconds $(SECONDS_) --db $(DB)

loadtest-10m: $(VENV)/.dev
	$(BIN)/python tests/scale/loadtest.py --protocol --sessions 20 --seconds $(SECONDS_) --rows 10000000
	$(BIN)/python tests/scale/loadtest.py --sessions 20 --seconds $(SECONDS_) --rows 10000000

# Export every page to PowerPoint and render the slides to PNG for a look (needs Debian
# libreoffice-impress-nogui and poppler-utils; not part of `make test`).
decks: $(VENV)/.runtime $(DB)
	mkdir -p artifacts/decks/$(DECK_LANG)
	$(BIN)/python -m cx export --page all --format pptx --out artifacts/decks/$(DECK_LANG) --db $(DB) --lang $(DECK_LANG)
	soffice --headless --convert-to pdf --outdir artifacts/decks/$(DECK_LANG) artifacts/decks/$(DECK_LANG)/*.pptx >/dev/null
	for pdf in artifacts/decks/$(DECK_LANG)/*.pdf; do pdftoppm -png -r 60 $$pdf $${pdf%.pdf}; done

clean:
	rm -rf $(VENV) $(DB) data/bench artifacts .pytest_cache .ruff_cache .mypy_cache

# Beyond one machine (README "Deployment"). Replicas: 1, 2 and 3 app servers behind Debian
# nginx on loopback, 60 protocol sessions each for SECONDS_. Cells: a 10M-respondent lake built
# by DuckDB and by Spark local[2] (needs Java; timings in the JSON each prints).
.PHONY: loadtest-replicas bench-cells messages
SESSIONS ?= 60
BENCH_10M := data/bench/cx-10000000.duckdb

loadtest-replicas: $(VENV)/.dev $(DB)
	$(BIN)/python tests/scale/replicas.py --replicas 1 2 3 --sessions $(SESSIONS) --seconds $(SECONDS_) --db $(DB)

$(BENCH_10M): | $(VENV)/.runtime
	$(BIN)/python -m cx demo --rows 10000000 --db $@

bench-cells: $(VENV)/.dev $(BENCH_10M)
	$(BIN)/python -m cx publish --db $(BENCH_10M) --out data/bench/lake-10m --respondents >/dev/null
	$(BIN)/python -m cx cells --engine duckdb --input data/bench/lake-10m --output data/bench/cells-10m-duckdb
	$(BIN)/python -m cx cells --engine spark --master 'local[2]' --input data/bench/lake-10m --output data/bench/cells-10m-spark

# The interface's catalogs: extract every message from the code into locale/cxbench.pot, merge
# it into locale/{zh,ru}/LC_MESSAGES/cxbench.po (translators fill in new entries), compile .mo.
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --sort-by-file --no-wrap --project=cxbench -o locale/cxbench.pot app.py components pages cx
	$(BIN)/pybabel update -i locale/cxbench.pot -d locale -D cxbench --no-wrap --ignore-obsolete
	$(BIN)/python -c 'from cx.core import i18n; print(i18n.compile_catalogs())'
