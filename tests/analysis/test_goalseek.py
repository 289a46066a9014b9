"""Goal-seek on a deterministic plan whose answers are known by hand."""

import math

import pytest

import breakeven
from breakeven.analysis.goalseek import goalseek, parse_target
from breakeven.analysis.sensitivity import AnalysisError

from .conftest import DAYS, tiny

PRICE = "streams.subscription.price_per_month"
GA = "company.g_and_a_per_month"
# month 1 of the tiny plan: 10 active users, half pay, 10% payment fee; tokens cost
# 10 * DAYS * (1000 * 1000 + 500 * 2000) / 1e6; people 200 a month
SERVE1 = 10 * DAYS * 2.0


def test_price_that_breaks_even_in_month_one():
    sc = breakeven.load_text(tiny())  # every input a point value
    r = goalseek(sc, PRICE, "breakeven_month.p50<=1", low=10, high=1000, samples=1, tol=1e-7)
    # EBITDA_1 = 10 * 0.5 * p * 0.9 - SERVE1 - 200 - 50 >= 0
    exact = (SERVE1 + 250) / 4.5
    assert r["found"] is True and r["direction"] == "at or above"
    assert r["value"] == pytest.approx(exact, rel=1e-5)
    assert r["value"] >= exact  # the reported value does reach the target
    assert r["achieved"] == 1
    assert r["input"] == PRICE and r["iterations"] < 60
    # the caller's scenario is untouched
    assert sc.streams.subscription.price_per_month.constant.dist.value == 10


def test_price_for_zero_npv():
    sc = breakeven.load_text(tiny())
    r = goalseek(sc, PRICE, "npv.p50>=0", low=10, high=1000, samples=1, tol=1e-7)
    active = [10.0, 18.9, 18.9 - 1.89 + 0.01 * (1000 - 19.9)]
    s = sum(active)
    # zero discount rate: NPV = sum of EBITDA = 0.45 p s - DAYS * 2 * s - 3 * 250
    exact = (s * DAYS * 2.0 + 3 * 250) / (0.45 * s)
    assert r["found"] and r["value"] == pytest.approx(exact, rel=1e-5)
    assert r["achieved"] >= 0 and r["achieved"] == pytest.approx(0, abs=1e-2)


def test_default_range_of_a_point_value():
    sc = breakeven.load_text(tiny())
    r = goalseek(sc, PRICE, "npv.p50>=0", samples=1)  # 10 → [1, 100]: zero NPV needs ~165
    assert (r["low"], r["high"]) == (1.0, 100.0)
    assert r["found"] is False and r["best"]["value"] == 100.0


def test_decreasing_direction_is_detected():
    sc = breakeven.load_text(tiny(price="200"))
    r = goalseek(sc, GA, "breakeven_month.p50<=1", samples=1, tol=1e-8)
    # month 1: 900 - SERVE1 - 200 - g >= 0
    assert r["found"] and r["direction"] == "at or below"
    assert r["value"] == pytest.approx(900 - SERVE1 - 200, rel=1e-5)


def test_unreachable_target_reports_best():
    sc = breakeven.load_text(tiny(price="10"))
    r = goalseek(sc, "streams.subscription.conversion", "p_breakeven>=0.8", samples=1)
    assert r["found"] is False and r["value"] is None
    assert (r["low"], r["high"]) == (0.0, 1.0)
    assert r["best"]["figure"] == 0.0
    assert "no value" in r["message"]


def test_target_everywhere_in_range():
    sc = breakeven.load_text(tiny(price="200"))
    r = goalseek(sc, GA, "npv.p50>=-1e9", low=10, high=20, samples=1)
    assert r["found"] and r["direction"] == "everywhere"
    assert "may lie beyond the range" in r["message"]


def test_messages_say_what_was_held_in_the_plan_s_own_units():
    sc = breakeven.load_text(tiny())
    r = goalseek(sc, PRICE, "npv.p50>=0", samples=1)  # unreachable: best at the range's end
    assert "an end of the range searched: the target may lie beyond it" in r["message"]
    sc = breakeven.load_text(tiny(price="10", conversion="30% to 70%"))
    r = goalseek(sc, "streams.subscription.conversion", "p_breakeven>=0.5", samples=400, seed=2)
    # a fraction searched over all of 0%–100% has no beyond
    assert not r["found"] and "beyond" not in r["message"]
    sc = breakeven.load_text(tiny(price="200", conversion="30% to 70%"))
    r = goalseek(sc, "streams.subscription.conversion", "p_breakeven>=0.5", samples=400, seed=2)
    assert r["found"]
    # a fraction is shown as a percentage, the probability too; the plan is said unchanged
    assert "%" in r["message"].split("at or above ")[1].split(" ")[0]
    assert "(p_breakeven = 100% there)" in r["message"]
    assert "The plan itself is unchanged" in r["message"]


def test_uncertain_plan_uses_common_random_numbers():
    sc = breakeven.load_text(tiny(price="10", conversion="30% to 70%"))
    r = goalseek(sc, PRICE, "p_breakeven>=0.5", low=10, high=1000, samples=400, seed=2)
    assert r["found"] and r["direction"] == "at or above"
    assert 0.5 <= r["achieved"] < 0.52
    a = goalseek(sc, PRICE, "p_breakeven>=0.5", low=10, high=1000, samples=400, seed=2)
    assert a["value"] == r["value"]  # same seed, same answer
    # half the samples break even in month 1: the price that does it at the median conversion
    r = goalseek(sc, PRICE, "breakeven_month.p50<=1", low=10, high=1000, samples=400, seed=2)
    assert r["value"] == pytest.approx((SERVE1 + 250) / 4.5, rel=0.05)


def test_bad_path_lists_close_names():
    sc = breakeven.load_text(tiny())
    with pytest.raises(AnalysisError, match="streams.subscription.conversion"):
        goalseek(sc, "streams.subscription.convrsion", "p_breakeven>=0.5")


def test_schedule_leaf_paths():
    text = tiny().replace("price_per_month: 10", "price_per_month: {0: 10, 2: 20}")
    sc = breakeven.load_text(text)
    r = goalseek(sc, PRICE + ".0", "breakeven_month.p50<=1", low=10, high=1000, samples=1, tol=1e-7)
    assert r["value"] == pytest.approx((SERVE1 + 250) / 4.5, rel=1e-5)


def test_a_stepped_schedule_is_held_in_every_month_as_a_sweep_holds_it():
    """The schedule's own path holds every step at the value tried: the same search, value for
    value, as on the plan whose price is that value from month 1 (was refused: "name one of its
    leaves", while ``sweep --vary`` held the whole schedule)."""
    stepped = breakeven.load_text(
        tiny().replace("price_per_month: 10", "price_per_month: {0: 10, 2: 20}")
    )
    flat = breakeven.load_text(tiny())
    kw = dict(low=10, high=1000, samples=1, tol=1e-7)
    r = goalseek(stepped, PRICE, "npv.p50>=0", **kw)
    assert r["value"] == goalseek(flat, PRICE, "npv.p50>=0", **kw)["value"]
    assert r["input"] == PRICE and r["current"] == "{0: 10, 2: 20}"


@pytest.mark.parametrize(
    "text, figure, stat, op, thr",
    [
        ("p_breakeven>=0.8", "p_breakeven", None, ">=", 0.8),
        ("p_cash_out <= 10%", "p_cash_out", None, "<=", 0.1),
        ("npv.p50>=0", "npv", "p50", ">=", 0.0),
        ("npv>=0", "npv", "p50", ">=", 0.0),
        ("breakeven_month.p50<=36", "breakeven_month", "p50", "<=", 36.0),
        ("peak_funding_need.p90<=1e9", "peak_funding_need", "p90", "<=", 1e9),
        ("ending_cash.mean > 1.5M", "ending_cash", "mean", ">", 1.5e6),
    ],
)
def test_parse_target(text, figure, stat, op, thr):
    t = parse_target(text)
    assert (t.figure, t.stat, t.op) == (figure, stat, op)
    assert t.threshold == pytest.approx(thr)


@pytest.mark.parametrize(
    "text, match",
    [
        ("p_breakeven=>0.8", "cannot read target"),
        ("npvv.p50>=0", "did you mean npv"),
        ("npv.p500>=0", "unknown statistic"),
        ("p_breakeven>=80", "between 0 and 1"),
        ("npv.p50>=__import__('os')", "cannot read the number"),
    ],
)
def test_parse_target_errors(text, match):
    with pytest.raises(AnalysisError, match=match):
        parse_target(text)


def test_month_quantile_beyond_horizon_is_never():
    sc = breakeven.load_text(tiny())
    r = goalseek(sc, PRICE, "breakeven_month.p50<=2", low=1, high=5, samples=1)
    assert r["found"] is False and math.isinf(r["best"]["figure"])


# a plan priced by GPU-seconds: capacity = peak ÷ target_utilisation, so 0% has none to size
UTIL = "compute.serving.gpu_seconds.target_utilisation"
GPU_SECONDS = tiny().replace(
    "per_token: {input_price_per_million: 1000, output_price_per_million: 2000}",
    "gpu_seconds: {gpu_seconds_per_request: 1, gpu: H100-SXM, gpu_hour_price: 3600,"
    " peak_to_average: 1, target_utilisation: 50%}",
)


def test_an_input_held_where_the_plans_checks_refuse_it_is_a_user_error():
    """Held values meet the checks the plan met at load: 0% here divided by zero and ended in
    'the plan's numbers overflow' with no input named."""
    sc = breakeven.load_text(GPU_SECONDS)
    with pytest.raises(breakeven.UserError) as e:
        breakeven.simulate(sc, samples=1, fixed={UTIL: 0})
    assert str(e.value) == (
        f"{UTIL}: must be above 0%: capacity is sized as peak traffic ÷ this share (held at 0)"
    )
    r = breakeven.simulate(sc, samples=1, fixed={UTIL: 0.25})  # half the 50%: twice the cost
    base = breakeven.simulate(sc, samples=1)
    assert r.line("cogs.inference") == pytest.approx(2 * base.line("cogs.inference"))


def test_goalseek_pulls_a_default_end_in_and_refuses_a_given_one():
    sc = breakeven.load_text(GPU_SECONDS)
    r = goalseek(sc, UTIL, "p_breakeven>=0.5", samples=1)  # a fraction: [0, 1] by default
    assert r["low"] == pytest.approx(1e-3) and r["high"] == 1
    with pytest.raises(AnalysisError, match=rf"^low = 0: {UTIL}: must be above 0%"):
        goalseek(sc, UTIL, "p_breakeven>=0.5", low=0, high=1, samples=1)


def test_a_field_using_a_variable_says_every_field_using_it_moves():
    """Holding a field that reads ``$p`` holds ``$p`` wherever it is used: the label says so,
    and names the field asked for (not the variable's first use)."""
    text = "variables: {p: 10}\n" + tiny().replace("price_per_month: 10", "price_per_month: $p")
    sc = breakeven.load_text(text)
    kw = dict(low=10, high=1000, samples=1, tol=1e-7)
    r = goalseek(sc, PRICE, "breakeven_month.p50<=1", **kw)
    assert r["label"] == f"{PRICE} ($p: every field using it)"
    assert goalseek(sc, "$p", "breakeven_month.p50<=1", **kw)["label"] == "$p"
