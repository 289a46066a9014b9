PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE ?= examples/chat-assistant-freemium.yaml

.PHONY: demo test venv bench validate docs clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

demo: venv
	$(BIN)/breakeven run $(EXAMPLE) --out out

test: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python bench/engine.py

docs: venv
	$(BIN)/breakeven schema --markdown > docs/scenario-reference.md

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
