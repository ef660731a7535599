# Two commands on a fresh machine: `make site` builds the site, `make test` runs every test.
# Each installs what it needs first, and nothing more: building needs Python packages only
# (into .venv); the tests add their own packages, Debian's chromium and a Java runtime (apt)
# and the Nu HTML checker (npm, so Node.js).

PYTHON ?= python3
VENV := .venv
BUILDING := $(VENV)/.installed-build
TESTING := $(VENV)/.installed-test
CHECKERS := node_modules/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test clean

site: $(BUILDING)
	$(VENV)/bin/python build.py

# The linter and the type checker first: quick, and they hold the line on every change.
test: $(TESTING) $(CHECKERS) /usr/bin/chromium /usr/bin/java
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/python -m pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip

$(BUILDING): pyproject.toml $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --editable .
	touch $@

$(TESTING): pyproject.toml $(BUILDING)
	$(VENV)/bin/python -m pip install --quiet --editable '.[test]'
	touch $@

$(CHECKERS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's own builds: the tests drive this chromium and never download a browser.
/usr/bin/chromium /usr/bin/java:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium default-jre-headless

clean:
	rm -rf site $(VENV) node_modules
