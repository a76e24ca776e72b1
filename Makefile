# Sangathan: `make run` serves the demo, `make test` runs the suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-e2e fuzz bench load lint messages vendor clean

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/sangathan migrate --noinput
	$(BIN)/sangathan demo --scale small --if-empty
	SANGATHAN_DEBUG=1 $(BIN)/sangathan serve --host $(HOST) --port $(PORT)

# The whole suite: unit and integration tests, then the browser tests in real Chromium.
test: install
	$(BIN)/pytest -p xdist -n 2
	$(BIN)/pytest -m e2e

# schemathesis over the whole API as a state admin and a booth president (tests/fuzz; not in `make test`).
fuzz: install
	$(BIN)/pytest -m fuzz tests/fuzz

# BENCH=name1,name2 runs some of them (one summary table); BENCH_ARGS="--repeat 30" passes options.
BENCH ?= all
bench: install
	$(BIN)/sangathan bench $(BENCH) $(BENCH_ARGS)

# The load test (benchmarks/load/run.py): 4 web processes behind nginx on the PostgreSQL mp demo
# (DATABASE_URL), driven by locust from its own venv. Not in CI. LOAD_ARGS="--steps 10,20 …" to change it.
load: install
	@test -x .venv-load/bin/locust || ($(PYTHON) -m venv .venv-load && \
		.venv-load/bin/python -m pip install --quiet -r benchmarks/load/requirements.lock)
	$(BIN)/python benchmarks/load/run.py $(LOAD_ARGS)

lint: install
	$(BIN)/ruff check .

# Refresh the gettext catalogs from the source (needs GNU gettext) and compile them (pure Python).
messages: install
	cd src/sangathan && ../../$(BIN)/django-admin makemessages --locale hi --locale en --no-obsolete \
		--ignore 'migrations/*' --add-location file
	$(BIN)/python -m sangathan.core.catalogs

# Browser libraries from the npm registry (versions pinned in package-lock.json), copied into static/vendor/
# and committed, so `make run` needs no Node. Run after changing package.json.
VENDOR := src/sangathan/static/vendor
vendor:
	npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)/dexie
	cp node_modules/dexie/dist/dexie.min.js node_modules/dexie/LICENSE $(VENDOR)/dexie/
	# The source map is not shipped: drop its reference (the manifest storage would look for the file).
	sed -i '/^\/\/# sourceMappingURL=/d' $(VENDOR)/dexie/dexie.min.js

clean:
	rm -rf $(VENV) .venv-load var .pytest_cache .ruff_cache
