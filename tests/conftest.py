import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"


def run_cli(args, capsys, monkeypatch):
    """Run the console entry point in-process; returns (exit code, stdout, stderr)."""
    from breakeven.cli import main
    monkeypatch.setattr(sys, "argv", ["breakeven", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def cli(capsys, monkeypatch):
    return lambda *args: run_cli(args, capsys, monkeypatch)


@pytest.fixture
def write(tmp_path):
    def _write(text: str, name: str = "plan.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p
    return _write
