# make run: serve the app on http://127.0.0.1:$(PORT). make test: run every test;
# make test-fast: every test but those in a real browser. Each prepares a fresh clone
# first: the virtual environment, the npm packages, the compiled translations and the database.
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app pwa
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)

.PHONY: run test test-fast setup lint format translations benchmark clean

# A laptop: a secret key of its own under instance/, and links to this address.
run benchmark translations: export DEVELOPMENT = 1
run: export PUBLIC_URL ?= http://127.0.0.1:$(PORT)

run: setup
	$(FLASK) db upgrade
	$(FLASK) harbours seed
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest --ignore=tests/browser

setup: $(VENV)/installed static/vendor/htmx.min.js $(CATALOGUES:.po=.mo)

$(VENV)/installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/htmx.min.js: node_modules/installed
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

%.mo: %.po $(VENV)/installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Extract new messages into the catalogues; then translate the new entries in sv.
translations: $(VENV)/installed
	$(FLASK) translate

lint: $(VENV)/installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmark: setup
	$(BIN)/python -m benchmarks.page_weight
	$(BIN)/python -m benchmarks.throughput
	$(BIN)/python -m benchmarks.lighthouse
	$(BIN)/python -m benchmarks.submissions
	$(BIN)/python -m benchmarks.crash
	$(BIN)/python -m benchmarks.outbox_reconnect
	$(BIN)/python -m benchmarks.inbox_scale
	$(BIN)/python -m benchmarks.situation_scale

clean:
	rm -rf $(VENV) node_modules static/vendor translations/*/LC_MESSAGES/*.mo
