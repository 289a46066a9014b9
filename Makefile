PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/chat-assistant-freemium.yaml
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test check venv browser bench validate docs screenshots clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

# The main job on the shipped example: terminal summary, JSON, HTML report and workbook in out/.
demo: venv
	$(BIN)/breakeven run $(EXAMPLE) --out out --report out/report.html --excel out/plan.xlsx
	@echo "next: . $(VENV)/bin/activate, or run $(BIN)/breakeven serve $(EXAMPLE) for the web app"

# Browser tests drive Debian's chromium (never a downloaded browser); install it when root.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: $(CHROMIUM) missing (apt-get install chromium); browser tests will skip"; fi; \
	fi

test: $(BIN)/python browser
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pytest

# Lint, format, types and the layer contract (pyproject.toml configures each tool).
check: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# Every speed and memory figure of the README (about 10 minutes on 2 cores): the engine by sample
# count, 10M samples' peak memory, time per month for every template, start-up, a sweep on Dask,
# the peers and the compiled yardstick (the `bench` extra: squigglepy, monaco; numba is a dependency).
bench: venv
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/engine.py --sizes 10000000 --repeats 1
	$(BIN)/python bench/engine.py --sizes 10000000 --repeats 1 --workers 1
	$(BIN)/python bench/months.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/peers.py
	$(BIN)/python bench/kernel.py --workers 2

validate: venv
	$(BIN)/python bench/growth_intervals.py
	$(BIN)/python bench/validate.py

docs: venv
	$(BIN)/breakeven schema --markdown > docs/scenario-reference.md
	$(BIN)/breakeven outputs --markdown > docs/blocks.md

# Chinese text in the screenshots needs a CJK font (Debian's fonts-noto-cjk).
screenshots: $(BIN)/python browser
	@if ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else echo "note: install fonts-noto-cjk for Chinese text in the screenshots"; fi; \
	fi
	$(BIN)/python -m pip install -q -e '.[test,docs]'
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/workbook_screenshots.py

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
