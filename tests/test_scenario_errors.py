"""Every class of bad input gives exit status 2 and one located line per problem."""

import re

import pytest

from breakeven import ScenarioError, load_text

GOOD = """\
name: tiny
funding:
  starting_cash: 1000
"""

LINE = re.compile(r"^[^:]+\.yaml:\d+: [\w.()]+: .+$")


@pytest.mark.parametrize("text, line, path, words", [
    ("name: x\n  bad: [\n", 2, "(document)", "YAML syntax error"),
    ("name: x\nfunding:\n  starting_cash: 1\n  startng_cash: 2\n", 4, "funding.startng_cash",
     "did you mean 'starting_cash'"),
    ("name: x\nhorizon_months: lots\nfunding: {starting_cash: 1}\n", 2, "horizon_months",
     "valid integer"),
    ("name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
     "    price_per_month: 50 to 20\n    conversion: 3%\n", 5,
     "streams.subscription.price_per_month", "below its lower bound"),
    ("name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
     "    price_per_month: 20\n    conversion: 130%\n", 6,
     "streams.subscription.conversion", "fraction between 0 and 1"),
    ("name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
     "    price_per_month: 0 to 20\n    conversion: 3%\n", 5,
     "streams.subscription.price_per_month", "must start above 0"),
    ("name: x\nfunding:\n  starting_cash: 1\nfunding: {starting_cash: 2}\n", 4, "funding",
     "duplicate key"),
    ("funding: {starting_cash: 1}\n", 1, "name", "required field is missing"),
    ("name: x\nfunding: {starting_cash: $cash}\n", 2, "funding.starting_cash",
     "unknown variable"),
    ("name: x\ncurrency: CNY\nfunding: {starting_cash: 1}\ncompute:\n  serving:\n"
     "    per_token: {input_price_per_million: 1, output_price_per_million: 2,"
     " currency: USD}\n", 6, "compute.serving.per_token.currency", "no exchange rate"),
    ("name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
     "    price_per_month: {0: 49, twelve: 39}\n    conversion: 3%\n", 5,
     "streams.subscription.price_per_month", "schedule keys are month numbers"),
])
def test_bad_input_is_located(cli, write, text, line, path, words):
    f = write(text)
    code, out, err = cli("run", f)
    assert code == 2
    assert "Traceback" not in err
    lines = [x for x in err.strip().splitlines() if x]
    assert any(x.startswith(f"{f}:{line}: {path}: ") and words in x for x in lines), err
    for x in lines:
        assert LINE.match(x.replace(str(f), "plan.yaml")), x


def test_validate_reports_all_problems_and_exit_2(cli, write):
    f = write("name: x\nfunding: {starting_cash: -1}\nhorizon_months: 0\n")
    code, out, err = cli("validate", f)
    assert code == 2
    assert len(err.strip().splitlines()) == 2
    assert "(got -1)" in err and "(got 0)" in err


def test_missing_file(cli, tmp_path):
    code, _, err = cli("run", tmp_path / "nope.yaml")
    assert code == 2 and "file not found" in err


def test_variables_take_the_domain_of_their_use():
    sc = load_text(GOOD + "variables: {p: 10 to 20}\ncompute:\n  serving:\n    per_token:\n"
                   "      input_price_per_million: $p\n      output_price_per_million: $p\n")
    pt = sc.compute.serving.per_token
    a, b = pt.input_price_per_million.constant, pt.output_price_per_million.constant
    assert a.name == b.name == "variables.p"
    assert a.dist is b.dist


def test_variable_used_as_two_kinds_is_an_error():
    with pytest.raises(ScenarioError, match="used here as fraction"):
        load_text(GOOD + "variables: {x: 10% to 20%}\nstreams:\n  subscription:\n"
                  "    price_per_month: $x\n    conversion: $x\n")


def test_fx_keys_and_currency_normalised():
    sc = load_text(GOOD + "currency: usd\nfx: {cny: 0.14}\n")
    assert sc.currency == "USD" and "CNY" in sc.fx
