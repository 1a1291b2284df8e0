# One command to set everything up and run the demo (`make demo`), one for the tests (`make test`).
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
PORT   ?= 8866

.PHONY: setup demo test test-browser lint bench browser-deps db-deps npm-deps proxy-deps

# Built-in exercises are packages of their own, installed the way a third-party plugin is.
PLUGINS := $(patsubst %/pyproject.toml,%,$(wildcard plugins/*/pyproject.toml))

# The template is installed as a copy (shared-data), so a change to it reinstalls too.
TEMPLATE := $(wildcard placekit/web/share/jupyter/voila/templates/placekit/*)

$(VENV)/.installed: pyproject.toml $(addsuffix /pyproject.toml,$(PLUGINS)) $(TEMPLATE)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[lab,test,postgres,hub]" $(addprefix -e ,$(PLUGINS))
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(VENV)/bin/placekit serve --port $(PORT)

# The real-browser tests drive Debian's Chromium; Playwright never downloads a browser here.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# From npm, for the browser tests: axe-core (Deque's accessibility engine), which checks
# every page, and configurable-http-proxy, JupyterHub's proxy, for the hub service test.
NPM := tests/browser/node_modules/.package-lock.json
$(NPM): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

npm-deps: $(NPM)

# The store tests start a throwaway PostgreSQL server of their own from Debian's binaries.
db-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends postgresql; }

# The two-servers test runs nginx, with the configuration docs/deploy.md gives, in front.
proxy-deps:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends nginx; }

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check $$(git ls-files "*.py")

test: setup browser-deps npm-deps db-deps proxy-deps lint
	$(PY) -m pytest

# The real-browser tests alone (Chromium against a real placekit serve).
test-browser: setup browser-deps npm-deps db-deps proxy-deps
	$(PY) -m pytest -m browser

bench: setup browser-deps
	$(PY) bench/voila_tti.py
	$(PY) bench/demand.py
