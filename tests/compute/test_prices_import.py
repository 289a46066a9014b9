"""`breakeven prices import`: a published price file merged into the user catalog.

End to end through the command line with BREAKEVEN_HOME in a temporary folder: a LiteLLM price
map (tests/data/litellm_prices_sample.json, a small excerpt) and rows in the catalog's own
YAML/CSV format are imported, then `breakeven prices` and the price lookups read them merged
with the shipped catalog; a bad file is one located line, exit 2, and the user catalog stays
byte for byte as it was.
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from breakeven.cli import app
from breakeven.compute import prices
from breakeven.compute.price_files import (
    dump_catalog,
    json_key_lines,
    parse_catalog_yaml,
    user_catalog_path,
)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "litellm_prices_sample.json"
runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def _stderr(res):
    try:
        return res.stderr
    except (ValueError, AttributeError):  # older click mixes streams
        return res.output


@pytest.fixture
def home(tmp_path, monkeypatch):
    h = tmp_path / "home"
    monkeypatch.setenv("BREAKEVEN_HOME", str(h))
    return h


def _import_sample(*extra):
    res = cli("prices", "import", SAMPLE, "--as-of", "2025-12-01", *extra)
    assert res.exit_code == 0, res.output
    return res


def test_user_catalog_path_follows_breakeven_home_then_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "bh"))
    assert user_catalog_path() == tmp_path / "bh" / "api_prices.yaml"
    monkeypatch.delenv("BREAKEVEN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_catalog_path() == tmp_path / "xdg" / "breakeven" / "api_prices.yaml"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_catalog_path() == tmp_path / ".local" / "share" / "breakeven" / "api_prices.yaml"


def test_litellm_import_then_prices_show_the_merged_rows(home):
    src = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
    res = cli(
        "prices", "import", SAMPLE, "--as-of", "2025-12-01", "--source", src, "--json"
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["format"] == "litellm" and report["written"]
    assert (report["imported"], report["unchanged"], report["skipped"]) == (3, 3, 4)
    assert report["skipped_by_reason"] == {
        "documentation entry": 1,  # sample_spec
        "not chat": 1,  # text-embedding-3-small
        "no price": 1,  # ollama/llama3.1
        "currency conflict": 1,  # deepseek/deepseek-chat in USD, the catalog's history in CNY
    }
    assert sorted(report["unchanged_entries"]) == ["gpt-4.1", "gpt-4o", "o3"]  # as shipped
    assert (home / "api_prices.yaml").is_file()

    # a new row with a new date extends a shipped model's history
    res = cli("prices", "--provider", "Google", "--history", "--json")
    assert res.exit_code == 0, res.output
    pro = [r for r in json.loads(res.stdout) if r["model"] == "gemini-2.5-pro"]
    assert [(r["effective_from"], r["catalog"]) for r in pro] == [
        ("2025-06-17", "shipped"),
        ("2025-12-01", "user"),
    ]
    assert pro[-1]["cached_input_per_million"] == 0.3125  # 3.125e-07 per token
    # in force after the import date; the shipped row before it
    res = cli("prices", "--provider", "gemini", "--at", "2025-12-02", "--json")
    row = next(r for r in json.loads(res.stdout) if r["model"] == "gemini-2.5-pro")
    assert row["catalog"] == "user"
    # new models under the catalog's provider names (anthropic -> Anthropic, zai -> Zhipu)
    res = cli("prices", "--provider", "Anthropic", "--json")
    opus = next(r for r in json.loads(res.stdout) if r["model"] == "claude-opus-4-1-20250805")
    assert (opus["input_per_million"], opus["cached_input_per_million"]) == (15.0, 1.5)
    assert opus["output_per_million"] == 75.0 and opus["currency"] == "USD"
    assert src in opus["source"] and "litellm_prices_sample.json" in opus["source"]
    assert opus["as_of"] == opus["effective_from"] == "2025-12-01"
    # the lookups the plan blocks use read the same merged catalog
    assert prices.price_at("Z.ai", "glm-4.6", "2026-01-01").output_per_million == 2.2
    assert prices.price_at("Google", "gemini-2.5-pro", "2025-11-30").catalog == "shipped"
    assert prices.price_history("Google", "gemini-2.5-pro")[-1].catalog == "user"
    # the table lists the catalog of every row
    res = cli("prices", "--provider", "Zhipu")
    assert res.exit_code == 0 and "user" in res.stdout and "shipped" in res.stdout


def test_reimporting_the_same_file_changes_nothing(home):
    _import_sample()
    path = home / "api_prices.yaml"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    res = cli("prices", "import", SAMPLE, "--as-of", "2025-12-01")
    assert res.exit_code == 0, res.output
    assert "imported 0 rows" in res.stdout and "6 unchanged" in res.stdout
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_own_format_rows_replace_extend_and_override(home, tmp_path):
    rows = tmp_path / "rows.yaml"
    rows.write_text(
        "rows:\n"
        "  - {provider: OpenAI, model: GPT-4o, currency: USD, effective_from: 2026-01-01,"
        " input_per_million: 2.0, cached_input_per_million: 1.0, output_per_million: 8.0,"
        " source: https://openai.com/api/pricing/, as_of: 2026-01-02}\n"
        "  - {provider: openai, model: gpt-4o, currency: USD, effective_from: 2024-10-01,"
        " input_per_million: 2.4, cached_input_per_million: 1.2, output_per_million: 9.6}\n"
        "  - {provider: DeepSeek, model: deepseek-chat, currency: CNY, effective_from: 2026-01-01,"
        " input_per_million: 2.0, cached_input_per_million: 0.2, output_per_million: 3.0,"
        " off_peak: {hours_utc: '16:30-00:30', input_discount: 0.5, output_discount: 0.5},"
        " source: https://api-docs.deepseek.com/quick_start/pricing}\n",
        encoding="utf-8",
    )
    res = cli("prices", "import", rows, "--as-of", "2025-12-15", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert (report["format"], report["imported"], report["skipped"]) == ("yaml", 3, 0)
    hist = prices.price_history("OpenAI", "gpt-4o")
    # the user row replaces the shipped one of the same date (no duplicate), the other extends
    assert [(str(r.effective_from), r.catalog) for r in hist][-3:] == [
        ("2024-08-06", "shipped"),
        ("2024-10-01", "user"),
        ("2026-01-01", "user"),
    ]
    assert hist[-2].input_per_million == 2.4 and hist[-2].as_of == dt.date(2025, 12, 15)
    assert hist[-1].source == "https://openai.com/api/pricing/"  # a row's own source is kept
    ds = prices.price_at("DeepSeek", "deepseek-chat", "2026-02-01")
    assert ds.catalog == "user" and ds.off_peak == prices.OffPeak("16:30-00:30", 0.5, 0.5)
    # a second import with a new price for the same date replaces the user row
    rows.write_text(
        "- {provider: OpenAI, model: gpt-4o, currency: USD, effective_from: 2026-01-01,"
        " input_per_million: 1.5, output_per_million: 6.0, source: https://openai.com/api/pricing/,"
        " as_of: 2026-01-03}\n",
        encoding="utf-8",
    )
    res = cli("prices", "import", rows, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["updated"][0]["input_per_million"] == 1.5
    assert prices.price_at("OpenAI", "gpt-4o", "2026-02-01").input_per_million == 1.5
    assert len(prices.price_history("OpenAI", "gpt-4o")) == len(hist)


def test_csv_rows_and_provider_map(home, tmp_path):
    csv = tmp_path / "prices.csv"
    csv.write_text(
        "provider,model,currency,effective_from,input_per_million,cached_input_per_million,"
        "output_per_million,off_peak_hours_utc,off_peak_input_discount,off_peak_output_discount\n"
        "Kimi,kimi-k2,CNY,2025-09-05,4,1,16,,,\n"
        "ACME,acme-1,USD,2025-10-01,1.25,,5,00:00-06:00,0.25,0.5\n",
        encoding="utf-8",
    )
    res = cli("prices", "import", csv, "--as-of", "2025-10-02", "--source", "ACME price sheet")
    assert res.exit_code == 0, res.output
    assert "1 new" in res.stdout and "1 unchanged" in res.stdout  # kimi-k2 as shipped
    acme = prices.price_at("ACME", "acme-1", "2025-10-02")
    assert acme.off_peak is not None and acme.off_peak.share_of_day == 0.25
    assert (
        acme.source.startswith("ACME price sheet; prices.csv")
        and acme.cached_input_per_million is None
    )
    # LiteLLM's USD DeepSeek prices filed under a provider name of their own
    res = cli(
        "prices", "import", SAMPLE, "--as-of", "2025-12-01", "--provider-map",
        "deepseek=DeepSeek Global,ollama=Ollama",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    global_chat = prices.price_at("DeepSeek Global", "deepseek-chat", "2025-12-01")
    assert (global_chat.currency, global_chat.input_per_million) == ("USD", 0.27)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _unit_slip(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace('"input_cost_per_token": 2.5e-06', '"input_cost_per_token": 2.5', 1)  # fmt: skip
    line = 1 + text[: text.index('"input_cost_per_token": 2.5,')].count("\n")
    return _write(tmp_path / "slip.json", text), line


BAD_FILES = {
    "truncated JSON": lambda tmp: (
        _write(tmp / "cut.json", SAMPLE.read_text(encoding="utf-8")[:700]),
        None,
        "(document): not valid JSON",
    ),
    "per-million price in a per-token field": lambda tmp: (
        *_unit_slip(tmp),
        "input_cost_per_token: 2.5e+06 USD per million tokens is outside the plausible range",
    ),
    "CSV currency": lambda tmp: (
        _write(
            tmp / "rows.csv",
            "provider,model,currency,effective_from,input_per_million,output_per_million\n"
            "OpenAI,gpt-5,USD,2025-08-07,1.25,10\n"
            "OpenAI,gpt-x,EUR,2025-08-07,1,2\n",
        ),
        3,
        "currency: must be one of USD, CNY (got 'EUR')",
    ),
    "YAML syntax": lambda tmp: (
        _write(tmp / "rows.yaml", "rows:\n  - {provider: OpenAI, model: [\n"),
        3,
        "(document): not valid YAML",
    ),
    "unknown field": lambda tmp: (
        _write(
            tmp / "rows.yaml",
            "rows:\n  - provider: OpenAI\n    model: gpt-5\n    currency: USD\n"
            "    input_per_million: 1.25\n    output_per_million: 10\n    prise: 3\n",
        ),
        7,  # the field's own line
        "prise: unknown field(s) prise",
    ),
    "a 250x jump from the shipped price": lambda tmp: (
        _write(
            tmp / "rows.yaml",
            "rows:\n"
            "  - {provider: OpenAI, model: gpt-4o, currency: USD, effective_from: 2026-02-01,"
            " input_per_million: 0.01, output_per_million: 10, source: https://example.com/p}\n",
        ),
        2,
        "input_per_million: price moved 2.5 -> 0.01 (more than 200x, OpenAI/gpt-4o from 2026-02-01)",
    ),
}

# Found by fuzzing `prices import` (each an internal error, a hang or a poisoned catalog before)
_ROW = (
    "  - {{provider: Acme, model: m1, currency: USD, effective_from: {date}, "
    "input_per_million: {price}, output_per_million: 2, source: https://example.com/p}}\n"
)
BAD_FILES |= {
    "an impossible date": lambda tmp: (
        _write(tmp / "feb30.yaml", "rows:\n" + _ROW.format(date="2025-02-30", price=1)),
        2,
        "rows[0]: cannot be read as a value: day is out of range for month",
    ),
    "an integer too large for a float": lambda tmp: (
        _write(tmp / "big.yaml", "rows:\n" + _ROW.format(date="2025-02-03", price="9" * 400)),
        2,
        "input_per_million: a number too large to be a price",
    ),
    "an integer past Python's digit limit": lambda tmp: (
        _write(tmp / "huge.yaml", "rows:\n" + _ROW.format(date="2025-02-03", price="9" * 5000)),
        2,
        "rows[0]: cannot be read as a value: a number of thousands of digits",
    ),
    "a per-token price of 400 digits": lambda tmp: (
        _write(
            tmp / "big.json",
            '{"acme/m1": {"mode": "chat", "litellm_provider": "acme", '
            f'"input_cost_per_token": {"9" * 400}, "output_cost_per_token": 2e-06}}}}',
        ),
        1,
        "a number too large to be a price",
    ),
    "JSON nested 100,000 deep": lambda tmp: (
        _write(tmp / "deep.json", "[" * 100_000 + "]" * 100_000),
        1,
        "(document): not a price file: nested too deeply",
    ),
    "YAML nested 50,000 deep": lambda tmp: (
        _write(tmp / "deep.yaml", "rows: " + "[" * 50_000 + "]" * 50_000),
        1,
        "nested more than 32 levels deep",
    ),
    "a YAML alias bomb": lambda tmp: (
        _write(
            tmp / "bomb.yaml",
            "rows:\n  - n0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"    n{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
            + "    provider: *a8\n",  # a billion values: its repr in a message never ended
        ),
        2,
        "rows[0]: YAML aliases expand to more than 10,000 values",
    ),
    "a name with a lone surrogate": lambda tmp: (
        _write(
            tmp / "surrogate.json",
            '{"acme/\\ud800": {"mode": "chat", "litellm_provider": "acme", '
            '"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}',
        ),
        1,
        "not valid Unicode (a lone surrogate)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_one_located_line_and_leaves_the_catalog_alone(case, home, tmp_path):
    _import_sample()
    path = home / "api_prices.yaml"
    before = path.read_bytes()
    bad, line, fragment = BAD_FILES[case](tmp_path)
    res = cli("prices", "import", bad)
    assert res.exit_code == 2, res.output
    err = _stderr(res).strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{bad}:{line}: " if line else f"{bad}:"), err
    assert fragment in err
    assert "Traceback" not in res.output
    assert path.read_bytes() == before


def test_skip_invalid_and_dry_run(home, tmp_path):
    bad, _ = _unit_slip(tmp_path)
    res = cli("prices", "import", bad, "--skip-invalid", "--dry-run", "--as-of", "2025-12-01")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("imported 3 rows") and "1 invalid" in res.stdout
    assert "(dry run: " in res.stdout
    assert "skipped gpt-4o: invalid: " in res.stdout
    assert not (home / "api_prices.yaml").exists()


def test_a_corrupt_user_catalog_is_reported_not_used_or_overwritten(home):
    home.mkdir()
    path = home / "api_prices.yaml"
    path.write_text(
        "rows:\n"
        "  - {provider: OpenAI, model: gpt-4o, currency: USD, effective_from: 2026-01-01,"
        " input_per_million: 2, output_per_million: 8, source: https://example.com/p,"
        " as_of: 2026-01-01}\n"
        "  - {provider: OpenAI, model: gpt-5, currency: XYZ, effective_from: 2026-01-01,"
        " input_per_million: 2, output_per_million: 8, source: https://example.com/p,"
        " as_of: 2026-01-01}\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    for args in (["prices"], ["prices", "import", SAMPLE]):
        res = cli(*args)
        assert res.exit_code == 2, res.output
        err = _stderr(res).strip()
        assert err == f"{path}:3: currency: must be one of USD, CNY (got 'XYZ')", err
    assert path.read_bytes() == before


def test_other_user_errors(home, tmp_path):
    for args, fragment in [
        (["prices", "import", tmp_path / "none.json"], "no such file"),
        (["prices", "import", SAMPLE, "--as-of", "2025-13-01"], "--as-of: expected a date"),
        (["prices", "import", SAMPLE, "--provider-map", "deepseek"], "--provider-map"),
        (["prices", "--catalog", tmp_path / "none.yaml"], "--catalog"),
        (["prices", "imprt", SAMPLE], "No such command"),
        (["prices", "import"], "Missing argument"),
    ]:
        res = cli(*args)
        assert res.exit_code == 2, (args, res.output)
        err = _stderr(res).strip()
        assert err.startswith("breakeven: ") and fragment in err and len(err.splitlines()) == 1


def test_explicit_catalog_for_import_and_listing(home, tmp_path):
    mine = tmp_path / "team" / "prices.yaml"
    res = cli("prices", "import", SAMPLE, "--catalog", mine, "--as-of", "2025-12-01")
    assert res.exit_code == 0, res.output
    assert mine.is_file() and not (home / "api_prices.yaml").exists()
    res = cli("prices", "--provider", "Zhipu", "--catalog", mine, "--json")
    assert any(r["model"] == "glm-4.6" for r in json.loads(res.stdout))
    res = cli("prices", "--provider", "Zhipu", "--json")  # the default catalog has none
    assert not any(r["model"] == "glm-4.6" for r in json.loads(res.stdout))


def test_json_key_lines_and_catalog_round_trip():
    text = '{\n  "a/b": {\n    "x": 1,\n    "y": "}{"\n  },\n  "c": {"x": 2}\n}\n'
    assert json_key_lines(text) == {"a/b": (2, {"x": 3, "y": 4}), "c": (6, {"x": 6})}
    row = prices.price_at("DeepSeek", "deepseek-reasoner", "2025-03-01")
    text = dump_catalog([row.to_catalog_row(), row.to_catalog_row() | {"model": "copy"}])
    raws = parse_catalog_yaml(text, "u.yaml")
    back = [prices.validate_price_row(r.data, "u.yaml", "user") for r in raws]
    assert back[0] == prices.PriceRow(**{**row.__dict__, "catalog": "user"})
    assert [r.line for r in raws] == [5, 6] and back[1].off_peak == row.off_peak


def test_a_device_or_fifo_is_refused_not_read(tmp_path):
    import os

    from breakeven.compute.price_files import read_text
    from breakeven.errors import CatalogError

    fifo = tmp_path / "prices.fifo"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="not a regular file"):
        read_text(fifo)
    with pytest.raises(CatalogError, match="not a regular file"):
        read_text(Path("/dev/zero"))


def test_a_price_file_saved_with_a_bom_reads_as_utf8(home, tmp_path):
    """Excel's "CSV UTF-8" starts with a byte-order mark; it is not part of the first header."""
    bom = tmp_path / "excel.csv"
    bom.write_bytes(
        b"\xef\xbb\xbfprovider,model,currency,effective_from,input_per_million,"
        b"output_per_million\nACME,acme-1,USD,2025-08-07,1.25,10\n"
    )
    res = cli("prices", "import", bom, "--source", "ACME sheet")
    assert res.exit_code == 0, res.output
    assert prices.price_at("ACME", "acme-1", "2025-08-07").input_per_million == 1.25


def test_a_symlinked_catalog_is_written_through_the_link(tmp_path):
    real = tmp_path / "dotfiles" / "api_prices.yaml"
    real.parent.mkdir()
    real.write_text("rows: []\n", encoding="utf-8")
    link = tmp_path / "api_prices.yaml"
    link.symlink_to(real)
    res = cli("prices", "import", SAMPLE, "--catalog", link, "--as-of", "2025-12-01")
    assert res.exit_code == 0, res.output
    assert link.is_symlink() and "gemini-2.5-pro" in real.read_text(encoding="utf-8")
