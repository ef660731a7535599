# Two commands on a fresh machine: `make site` builds the site, `make test` runs every test.
# Each installs what it needs into .venv first.

PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

.PHONY: site test clean

site: $(INSTALLED)
	$(VENV)/bin/python build.py

test: $(INSTALLED)
	$(VENV)/bin/python -m pytest

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet --editable '.[test]'
	touch $@

clean:
	rm -rf site $(VENV)
