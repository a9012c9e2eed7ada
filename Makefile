# Ward Gaps. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WARDGAPS_RAW ?= ../shared/data/raw
export WARDGAPS_RAW

.PHONY: run test test-fast data publish check lint bench soak clean system-deps lock

# Installs come from the lock files only, every file checked against its hash (make lock makes them).
$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	touch $@

# The lock files, refreshed from requirements.txt and requirements-test.txt with uv (the version
# pinned in requirements-test.txt) for CPython 3.11 on Linux x86_64 (glibc 2.28 or later: the
# python:3.11-slim-bookworm image and Debian 12). Pins already in a lock file are kept where the
# requirements still allow them; LOCK_FLAGS=--upgrade takes the newest of everything unpinned. The
# test lock holds the runtime lock's versions (-c), so the two never disagree.
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements-test.txt)
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" $(LOCK_FLAGS)
$(VENV)/bin/uv: requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	touch $@

lock: $(VENV)/bin/uv  ## refresh requirements.lock and requirements-test.lock (with hashes) from requirements*.txt
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements.txt requirements-test.txt -c requirements.lock -o requirements-test.lock

# Debian packages: Pango and HarfBuzz's subsetter (WeasyPrint writes the PDF packs with them; the
# app needs them too), and for the tests Chromium (browser tests, static chart export), poppler-utils
# (PDF text and rendering), LibreOffice Impress (opens the PowerPoint packs as a reader would) and
# nginx (the balancer the deploy test puts in front of two workers).
# Installed only when missing; needs root or sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PANGO_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! command -v soffice >/dev/null \
		|| [ ! -x /usr/sbin/nginx ] || ! { $(foreach l,$(PANGO_LIBS),/sbin/ldconfig -p | grep -q $(l) &&) true; }; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils libreoffice-impress \
			nginx libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	fi

# The public extract is derived (never committed): made from the full one by the publish step, again
# whenever the full extract or the code that publishes it changes (wardgaps.publish.MADE_BY).
PUBLIC_DB := data/public.duckdb
PUBLISH_CODE := wardgaps/disclosure.py wardgaps/publish.py wardgaps/tables.py $(wildcard wardgaps/views/*.py) \
	$(addprefix queries/build/,tables.yaml views.sql view_inputs.sql publish_inputs.sql) \
	$(wildcard queries/build/public_contract/*.sql)
$(PUBLIC_DB): data/wardgaps.duckdb $(PUBLISH_CODE) | $(VENV)/.installed
	$(PY) -m wardgaps publish --db data/wardgaps.duckdb --out $@

publish: $(PUBLIC_DB)  ## make the public extract (data/public.duckdb) from the full one

# With WARDGAPS_PUBLIC=1 the public view is served, from the public extract (made first if missing).
run: $(VENV)/.installed $(if $(filter 1 true yes on,$(WARDGAPS_PUBLIC)),$(PUBLIC_DB))  ## start the dashboard
	$(VENV)/bin/streamlit run dashboard.py

data: $(VENV)/.installed  ## rebuild data/wardgaps.duckdb from $(WARDGAPS_RAW)
	$(PY) -m wardgaps build --raw "$(WARDGAPS_RAW)" --out data/wardgaps.duckdb

check: $(VENV)/.installed  ## run the data contract on the committed extract
	$(PY) -m wardgaps check

node_modules/axe-core/axe.min.js: package.json
	npm install --no-package-lock --no-audit --no-fund --silent
	touch $@

# Tiers (tests/tiers.py, CONTRIBUTING.md): the fast one reads no national data (a guard fails a fast
# test that opens the committed extract or the raw mirror). Two xdist workers; the whole suite shares
# one national build between them, and keeps each group of servers (browser, deploy, office) on one.
test-fast: $(VENV)/.test-installed  ## the fast tier: fixture extract, tiny raw samples, code
	$(PY) -m pytest -q -m fast -n 2

test: $(VENV)/.test-installed system-deps node_modules/axe-core/axe.min.js  ## run the whole test suite
	WARDGAPS_TEST_PREBUILD=1 BROWSER_PATH=/usr/bin/chromium $(PY) -m pytest -q -n 2 --dist loadgroup --durations=15

# Paths are the repo's, so `make -C path/to/repo lint` works from anywhere; sqlfluff is pointed at
# pyproject.toml because it only finds its settings itself when run from the repo root.
lint: $(VENV)/.test-installed
	cd $(CURDIR) && $(VENV)/bin/ruff check wardgaps pages tests bench dashboard.py
	cd $(CURDIR) && $(VENV)/bin/ruff format --check wardgaps pages tests bench dashboard.py
	cd $(CURDIR) && $(VENV)/bin/sqlfluff lint --config pyproject.toml queries

# The largest authority (Birmingham) and, through its Context page, every ward of England.
BIG_VIEW := authority=E08000025&indicator=child_poverty_ahc_dwp
bench: $(VENV)/.test-installed system-deps $(PUBLIC_DB)  ## print benchmark figures and write bench/RESULTS.md (never fails on timing)
	$(PY) bench/build.py
	$(PY) bench/payload.py
	$(PY) bench/pages.py
	$(PY) bench/server.py --compare
	$(PY) bench/browser.py
	$(PY) bench/server.py --query "$(BIG_VIEW)" --pages ",map,gaps,trends,profile,context" --section server-birmingham
	$(PY) bench/browser.py --skip-launch --query "$(BIG_VIEW)" --pages ",map,gaps,trends,profile,context" \
		--section browser-birmingham
	$(PY) bench/browser.py --skip-launch --view public --pages ",map,gaps,trends,profile,similar,context,methods" \
		--section browser-public
	$(PY) bench/arrivals.py --readers 25 --seconds 90 --targets blank,public,full
	$(PY) bench/arrivals.py --readers 100 --seconds 90 --targets cluster-blank,cluster-public,cluster-full
	$(PY) bench/crawl.py --first 60 --crawl
	$(PY) bench/load.py --sessions 25 --seconds 90 --targets blank,app,cluster

# 25 readers by permalinks for 20 minutes on the public view: failures, p95 per 5 minutes, memory
# every 30 s (bench/soak.py; SOAK_ARGS="--minutes 3" for a short one). Never fails on timing.
SOAK_ARGS ?=
soak: $(VENV)/.test-installed $(PUBLIC_DB)  ## the soak: writes its section of bench/RESULTS.md
	$(PY) bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV)
