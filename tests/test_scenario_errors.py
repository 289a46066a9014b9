"""Every class of bad input gives exit status 2 and one located line per problem."""

import re

import pytest

import breakeven
from breakeven import ScenarioError, load_text

GOOD = """\
name: tiny
funding:
  starting_cash: 1000
"""

LINE = re.compile(r"^[^:]+\.yaml:\d+: [\w.()]+: .+$")


@pytest.mark.parametrize(
    "text, line, path, words",
    [
        ("name: x\n  bad: [\n", 2, "(document)", "YAML syntax error"),
        (
            "name: x\nfunding:\n  starting_cash: 1\n  startng_cash: 2\n",
            4,
            "funding.startng_cash",
            "did you mean 'starting_cash'",
        ),
        (
            "name: x\nhorizon_months: lots\nfunding: {starting_cash: 1}\n",
            2,
            "horizon_months",
            "valid integer",
        ),
        (
            "name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
            "    price_per_month: 50 to 20\n    conversion: 3%\n",
            5,
            "streams.subscription.price_per_month",
            "below its lower bound",
        ),
        (
            "name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
            "    price_per_month: 20\n    conversion: 130%\n",
            6,
            "streams.subscription.conversion",
            "fraction between 0 and 1",
        ),
        (
            "name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
            "    price_per_month: 0 to 20\n    conversion: 3%\n",
            5,
            "streams.subscription.price_per_month",
            "must start above 0",
        ),
        (
            "name: x\nfunding:\n  starting_cash: 1\nfunding: {starting_cash: 2}\n",
            4,
            "funding",
            "duplicate key",
        ),
        ("funding: {starting_cash: 1}\n", 1, "name", "required field is missing"),
        (
            "name: x\nfunding: {starting_cash: $cash}\n",
            2,
            "funding.starting_cash",
            "unknown variable",
        ),
        (
            "name: x\ncurrency: CNY\nfunding: {starting_cash: 1}\ncompute:\n  serving:\n"
            "    per_token: {input_price_per_million: 1, output_price_per_million: 2,"
            " currency: USD}\n",
            6,
            "compute.serving.per_token.currency",
            "no exchange rate",
        ),
        (
            "name: x\nfunding: {starting_cash: 1}\nstreams:\n  subscription:\n"
            "    price_per_month: {0: 49, twelve: 39}\n    conversion: 3%\n",
            5,
            "streams.subscription.price_per_month",
            "schedule keys are month numbers",
        ),
        (
            "name: x\nfunding: {starting_cash: 1}\nmarket:\n  consumer:\n"
            "    market_size: 1000\n    innovation_per_year: 1%\n    imitation_per_year: 0.3\n"
            "    churn_per_month: 5%\n    usage: {requests_per_day: 1, input_tokens_per_request: 10,"
            " output_tokens_per_request: 10}\n    paid_acquisition:\n      budget_per_month: 10\n"
            "      cost_per_user: 1\n      saturation_exponent: 1T\n",
            13,
            "market.consumer.paid_acquisition.saturation_exponent",
            "at most 10",
        ),
    ],
)
def test_bad_input_is_located(cli, write, text, line, path, words):
    f = write(text)
    code, out, err = cli("run", f)
    assert code == 2
    assert "Traceback" not in err
    lines = [x for x in err.strip().splitlines() if x]
    assert any(x.startswith(f"{f}:{line}: {path}: ") and words in x for x in lines), err
    for x in lines:
        assert LINE.match(x.replace(str(f), "plan.yaml")), x


def test_milestones_need_their_own_names_and_a_month_in_the_horizon(cli, write):
    """Results are keyed by a milestone's name: a second "a" reported the first one's
    probability; a month past the horizon reported the last month's answer as "by month 30"."""
    f = write(
        "name: x\nhorizon_months: 24\nfunding: {starting_cash: 1000}\nmilestones:\n"
        "  - {name: a, month: 6, measure: cash, at_least: 1}\n"
        "  - {name: A , month: 30, measure: cash, at_least: 2}\n"
    )
    code, out, err = cli("validate", f)
    assert code == 2 and "Traceback" not in err
    assert f"{f}:6: milestones.1.name: entries 1 and 2 have the same name" in err
    assert f"{f}:6: milestones.1.month: after the plan's last month (24)" in err


def test_two_rounds_of_one_name_are_said_where_the_second_is(cli, write):
    """Was "funding: funding and funding both record round_closed:Series B", on the line of
    ``funding:``."""
    f = write(
        "name: x\nfunding:\n  starting_cash: 1000\n  rounds:\n"
        "    - {name: Series B, month: 3, amount: 10}\n"
        "    - {name: Series B, month: 9, amount: 20}\n"
    )
    code, out, err = cli("validate", f)
    assert code == 2 and "both record" not in err
    assert f"{f}:6: funding.rounds.1.name: entries 1 and 2 have the same name" in err
    assert "(got 'Series B')" in err


def test_every_named_list_needs_distinct_names(cli, write):
    """Roles and segments are shown and typed by name (``company.team[research].…``): two of a
    name would be one input to ``--vary`` and one row in a report."""
    f = write(
        "name: x\nfunding: {starting_cash: 1000}\ncompany:\n  team:\n"
        "    - {role: research team, headcount: 2, cost_per_person_per_year: 100k}\n"
        "    - {role: Research   team, headcount: 3, cost_per_person_per_year: 90k}\n"
    )
    code, out, err = cli("validate", f)
    assert code == 2 and "Traceback" not in err
    assert f"{f}:6: company.team.1.role: entries 1 and 2 have the same role" in err
    assert "(got 'Research   team')" in err


SELF_HOST = """name: s
currency: USD
market:
  consumer:
    market_size: 1M
    innovation_per_year: 10%
    imitation_per_year: 0.3
    churn_per_month: 5%
    usage: {requests_per_day: 5, input_tokens_per_request: 1000, output_tokens_per_request: 300}
streams:
  subscription: {price_per_month: 10, conversion: 5%}
compute:
  serving:
    self_host:
      model: DeepSeek-V3
      gpu: H800
      gpus_per_replica: GPUS
      precision: fp8
funding: {starting_cash: 1B}
"""


def test_a_replica_larger_than_a_node_is_whole_nodes_or_refused_where_it_is_said(cli, write):
    """An H800 node holds 8 GPUs: 16 in one replica are two nodes (as ``infer --gpus 16``);
    12, or 16 per node of two nodes, are refused at gpus_per_replica in the plan's words."""
    code, _, err = cli("validate", write(SELF_HOST.replace("GPUS", "16")))
    assert code == 0, err
    f = write(SELF_HOST.replace("GPUS", "12"))
    code, _, err = cli("validate", f)
    assert code == 2 and "Traceback" not in err
    assert f"{f}:17: compute.serving.self_host.gpus_per_replica: a H800 node holds 8 GPUs" in err
    assert "whole nodes (16, or nodes: 2 with gpus_per_replica: 8) (got 12)" in err
    f = write(SELF_HOST.replace("GPUS", "16\n      nodes: 2"))
    code, _, err = cli("validate", f)
    assert code == 2 and f"{f}:17: compute.serving.self_host.gpus_per_replica:" in err
    assert "with nodes > 1 this is the GPUs of each node, at most 8 (got 16)" in err


def test_keys_that_read_alike_are_a_duplicate_not_a_crash(cli, write):
    """``1`` and ``on`` (True) are one key to YAML 1.1 and Python: this was an internal error
    (KeyError) and is now the duplicate it is."""
    f = write("name: x\nvariables:\n  v: {1: a, on: b}\n")
    code, _, err = cli("validate", f)
    assert code == 2 and "internal error" not in err
    assert (
        f"{f}:3: variables.v.True: duplicate key (first given on line 3, read as the same key 1)"
        in err
    )
    assert "(got 'on')" in err


def test_several_unnamed_rounds_are_round_1_round_2(cli, write):
    """A round's name is optional: two without one are told apart by their place (was refused:
    "entries 1 and 2 have the same name (got 'round')", at a field not in the file)."""
    f = write(
        "name: x\nfunding:\n  starting_cash: 1000\n  rounds:\n"
        "    - {month: 3, amount: 10}\n    - {month: 9, amount: 20}\n"
    )
    code, _, err = cli("validate", f)
    assert code == 0, err
    import breakeven

    sc = breakeven.load(f)
    assert [r.name for r in sc.funding.rounds] == ["round 1", "round 2"]
    one = write("name: x\nfunding:\n  starting_cash: 1000\n  rounds: [{month: 3, amount: 10}]\n")
    assert [r.name for r in breakeven.load(one).funding.rounds] == ["round"]


def test_a_bad_memory_ceiling_in_the_environment_is_one_line(cli, write, monkeypatch):
    monkeypatch.setenv("BREAKEVEN_MAX_MEMORY", "2GB+")
    code, out, err = cli("run", write(GOOD), "--samples", "100")
    assert code == 2 and "Traceback" not in err
    assert "BREAKEVEN_MAX_MEMORY: expected a positive amount such as 2G" in err


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
    sc = load_text(
        GOOD + "variables: {p: 10 to 20}\ncompute:\n  serving:\n    per_token:\n"
        "      input_price_per_million: $p\n      output_price_per_million: $p\n"
    )
    pt = sc.compute.serving.per_token
    a, b = pt.input_price_per_million.constant, pt.output_price_per_million.constant
    table = breakeven.engine.build_inputs(sc)
    assert table.name(a) == table.name(b) == "variables.p"
    assert a.dist is b.dist


def test_variable_used_as_two_kinds_is_an_error():
    with pytest.raises(ScenarioError, match="used here as fraction"):
        load_text(
            GOOD + "variables: {x: 10% to 20%}\nstreams:\n  subscription:\n"
            "    price_per_month: $x\n    conversion: $x\n"
        )


def test_fx_keys_and_currency_normalised():
    sc = load_text(GOOD + "currency: usd\nfx: {cny: 0.14}\n")
    assert sc.currency == "USD" and "CNY" in sc.fx


# ------------------------------------------------------------------ fuzz: never a traceback

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from breakeven.errors import SimulationError  # noqa: E402

from .conftest import EXAMPLE, TINY  # noqa: E402

_KEYS = [
    "name",
    "funding",
    "starting_cash",
    "market",
    "consumer",
    "business",
    "segments",
    "streams",
    "subscription",
    "price_per_month",
    "conversion",
    "usage",
    "dist",
    "low",
    "high",
    "compute",
    "serving",
    "per_token",
    "self_host",
    "api",
    "gpu",
    "model",
    "variables",
    "correlations",
    "between",
    "rank",
    "milestones",
    "month",
    "measure",
    "at_least",
    "start",
    "change_per_year",
    "0",
    "12",
    "horizon_months",
    "fx",
    "USD",
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "5 to 2",
            "2% to 5%",
            "0 to 10",
            "1.5M",
            "abc",
            "$x",
            "H100-SXM",
            "Qwen2.5-7B",
            "-3",
            "120%",
            "",
            "1e400",
        ]
    ),
    st.text(max_size=12),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


def _mutations():
    """Paths in the tiny plan and the example whose values the fuzzer replaces."""
    out = []
    for text in (TINY, EXAMPLE.read_text()):
        doc = yaml.safe_load(text)

        def walk(x, path, text=text):
            if isinstance(x, dict):
                for k, v in x.items():
                    out.append((text, path + (k,)))
                    walk(v, path + (k,))
            elif isinstance(x, list):
                for i, v in enumerate(x):
                    walk(v, path + (i,))

        walk(doc, ())
    return out


MUTATIONS = _mutations()


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(which=st.integers(0, len(MUTATIONS) - 1), value=_VALUES)
def test_any_mutated_plan_loads_or_fails_with_located_errors(which, value):
    text, path = MUTATIONS[which]
    doc = yaml.safe_load(text)
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    try:
        dumped = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        sc = load_text(dumped, "fuzz.yaml")
    except ScenarioError as e:
        for problem in e.problems:
            assert str(problem).startswith("fuzz.yaml")
            assert "\n" not in problem.message
        return
    # a plan that validates also simulates (or says its numbers overflow), and its books balance
    try:
        res = breakeven.simulate(sc, samples=8, seed=1, keep_ledger=8)
    except SimulationError:
        return
    cash, ncf = res.line("cash"), res.line("net_cash_flow")
    assert np.isfinite(res.ledger).all()
    assert np.array_equal(cash[:, 1:], cash[:, :-1] + ncf[:, 1:])


def test_unknown_variables_are_reported_with_the_fields_problems_in_one_pass():
    """A field that fails stops the scenario's later checks; its unknown $variables are still
    reported in the same pass, located, with the same message."""
    text = (
        "name: x\nvariables: {growth: 1% to 3%}\nfunding: {starting_cash: $cash}\n"
        "company: {g_and_a_per_month: lots}\nstreams:\n  subscription:\n"
        "    price_per_month: 10\n    conversion: $grwth\n"
    )
    with pytest.raises(ScenarioError) as e:
        breakeven.load_text(text, "p.yaml")
    got = [str(p) for p in e.value.problems]
    assert got[0].startswith("p.yaml:3: funding.starting_cash: unknown variable; declare it")
    assert got[1].startswith("p.yaml:4: company.g_and_a_per_month: expected a number")
    assert got[2] == (
        "p.yaml:8: streams.subscription.conversion: unknown variable; did you mean "
        "'$growth'? (got '$grwth')"
    )
