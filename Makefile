# Townhall. `make demo` to see it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DATA ?= ../shared/data
PYTEST_ARGS ?=

.PHONY: install demo serve test test-sqlite test-postgres lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

frontend/build/townhall/townhall.css: node_modules/.installed frontend/src/townhall.scss frontend/build.mjs
	node frontend/build.mjs

install: $(VENV)/.installed frontend/build/townhall/townhall.css

# The demo council's back office is a test Open311 server on port 8311, run beside Townhall.
# Links printed and emailed point at the port served unless TOWNHALL_BASE_URL says otherwise.
demo: export TOWNHALL_BASE_URL ?= http://127.0.0.1:$(PORT)
demo: install
	$(BIN)/townhall migrate --verbosity 0
	$(BIN)/townhall demo $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD),)
	$(BIN)/townhall open311 fake-backoffice & trap 'kill $$!' EXIT INT TERM; \
		$(BIN)/townhall serve --port $(PORT)

serve: install
	$(BIN)/townhall serve --port $(PORT)

# The suite runs on SQLite, then again on PostgreSQL when DATABASE_URL is set.
test: install
	env -u DATABASE_URL $(BIN)/pytest -n 2 $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Running the suite again on PostgreSQL ($$DATABASE_URL)"; \
		$(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	fi

lint: install
	$(BIN)/ruff check townhall config
	$(BIN)/mypy townhall config

# The Welsh catalogue: gather new and changed strings into townhall/locale/cy/.../django.po,
# then compile django.mo. Commit both; a test fails when the .mo lags behind the .po.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=frontend
messages: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings $(BIN)/django-admin makemessages -l cy \
		--no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DJANGO_SETTINGS_MODULE=config.settings $(BIN)/django-admin compilemessages -l cy $(MESSAGES_IGNORE)

bench: install
	$(BIN)/python -m townhall.bench --data $(DATA)

clean:
	rm -rf $(VENV) node_modules frontend/build var/static
