# Hải Đăng — the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test install install-dev lint typecheck contracts unit-tests test-integration test-browser \
        browser-deps lock messages benchmark clean

run: $(VENV)/.installed                     ## install, migrate, seed and start on http://127.0.0.1:8000
	$(BIN)/haidang up

test: $(VENV)/.installed-dev lint typecheck contracts unit-tests   ## lint, types, import contracts, tests

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python requirements/base.txt pyproject.toml
	$(PIP) install -r requirements/base.txt
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/bin/python requirements/dev.txt pyproject.toml
	$(PIP) install -r requirements/dev.txt
	$(PIP) install --no-deps -e .
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src

contracts: $(VENV)/.installed-dev
	$(BIN)/lint-imports

unit-tests: $(VENV)/.installed-dev
	$(BIN)/pytest -m "not integration" --cov --cov-report=term -q

# Against the PostgreSQL and Redis this machine runs (see README, "Scale-out"). The framework-free engines
# and the browser tests already ran in `make test` and touch neither, so they are not repeated here.
HAIDANG_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/haidang
HAIDANG_TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
test-integration: $(VENV)/.installed-dev
	HAIDANG_DATABASE_URL=$(HAIDANG_TEST_DATABASE_URL) HAIDANG_BROKER_URL=$(HAIDANG_TEST_REDIS_URL) \
	HAIDANG_CACHE_URL=$(HAIDANG_TEST_REDIS_URL) $(BIN)/pytest -q -p no:randomly -m "not browser" \
	  --ignore=tests/engines tests

# Debian's Chromium for the browser tests (needs root and apt; CI runs it).
# LibreOffice (headless) and poppler open the generated DOCX/XLSX reports and render them as images in tests.
browser-deps:                               ## Debian's Chromium (browser tests), Liberation fonts, LibreOffice, poppler
	(command -v chromium >/dev/null && command -v soffice >/dev/null && command -v pdftoppm >/dev/null && \
	  test -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core \
	    fonts-liberation && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)

test-browser: $(VENV)/.installed-dev
	HAIDANG_REQUIRE_BROWSER=1 $(BIN)/pytest -m browser -q

lock:                                       ## re-pin every dependency (needs uv: make install-dev first)
	$(BIN)/uv pip compile pyproject.toml -o requirements/base.txt --generate-hashes --python-version 3.11 -q
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements/dev.txt --generate-hashes --python-version 3.11 -q

messages: $(VENV)/.installed-dev            ## refresh and compile the English translation (needs GNU gettext)
	cd src/haidang && DJANGO_SETTINGS_MODULE=haidang.config.settings.test ../../$(BIN)/django-admin makemessages -l en --no-obsolete
	cd src/haidang && DJANGO_SETTINGS_MODULE=haidang.config.settings.test ../../$(BIN)/django-admin compilemessages

benchmark: $(VENV)/.installed-dev
	$(BIN)/pytest benchmarks -q -p no:cacheprovider --benchmark-only

clean:
	rm -rf $(VENV) .coverage .mypy_cache .ruff_cache
