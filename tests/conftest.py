import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"


TINY_TEMPLATE = """\
name: tiny hand-checked
currency: CNY
horizon_months: 3
samples: 3
seed: 1
discount_rate_per_year: 0
market:
  consumer:
    market_size: 1000
    innovation_per_year: 12%      # p/12 = 1% per month
    imitation_per_year: 0
    churn_per_month: 10%
    usage:
      requests_per_day: 1
      input_tokens_per_request: 1000
      output_tokens_per_request: 500
streams:
  subscription:
    price_per_month: {price}
    conversion: {conversion}
    payment_fee: 10%
compute:
  serving:
    per_token: {{input_price_per_million: 1000, output_price_per_million: 2000}}
company:
  team:
    - {{role: eng, headcount: 2, cost_per_person_per_year: 1200}}
  g_and_a_per_month: {g_and_a}
funding:
  starting_cash: 1000
  rounds: [{{month: 2, amount: 500}}]
"""

DAYS = 365.25 / 12


def tiny(price="10", conversion="50%", g_and_a="50", churn=None):
    text = TINY_TEMPLATE.format(price=price, conversion=conversion, g_and_a=g_and_a)
    if churn is not None:
        text = text.replace("churn_per_month: 10%", f"churn_per_month: {churn}")
    return text


TINY = tiny()  # the hand-checked plan: every input a point value


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


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """Tests read English output: the default language follows the locale (LC_ALL first)."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture(autouse=True)
def _no_user_price_catalog(monkeypatch, tmp_path_factory):
    """Tests see the shipped price catalog only: the user catalog (``breakeven prices import``)
    is looked up in an empty folder, never in the developer's ~/.local/share/breakeven."""
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path_factory.getbasetemp() / "no-breakeven-home"))


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
