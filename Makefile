# make test: own venv, project + test deps, pytest.   make run: same set-up, then the bot
# (or the console chat when no TELEGRAM_BOT_TOKEN is set in the environment or .env).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: test run validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

run: $(STAMP)
	$(VENV)/bin/qzbot run --chat-without-token

validate: $(STAMP)
	$(VENV)/bin/qzbot validate

bench: $(STAMP)
	$(PY) bench/accuracy.py
	$(PY) bench/latency.py

clean:
	rm -rf $(VENV)
