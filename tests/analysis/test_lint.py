"""Plan lint: each rule fires on a plan that implies the implausible and not on a sound one;
warnings are located like errors; validate and run print them and still exit 0; the shipped
templates and examples raise only the warnings listed (and justified) here."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import breakeven
from breakeven.analysis import lint as L
from breakeven.analysis.lint import PlanWarning, lint, lint_plan
from breakeven.scenario import templates
from breakeven.scenario.loader import load_text, parse_yaml

from ..blocks.test_business_growth import plan as growth_plan
from ..conftest import ROOT, tiny

LINE = re.compile(r"^\S+:\d+: [a-z_.*]+: warning: .+ \(got .+\); check .+$")
LOCATED = re.compile(r"^plan\.yaml:\d+: [\w.]+: warning: .+ \(got .+\); check .+$")  # with digits


def warnings_of(text: str, file: str = "plan.yaml") -> list[PlanWarning]:
    """Lint a plan written as YAML text (500 samples, the plan's seed), lines from the text."""
    sc = load_text(text, file)
    res = breakeven.simulate(sc, samples=L.LINT_SAMPLES, keep_ledger=L.LINT_SAMPLES)
    return lint(sc, res, lines=parse_yaml(text, file)[1])


def codes(text: str) -> set[str]:
    return {w.code for w in warnings_of(text)}


def line_of(text: str, fragment: str) -> int:
    return next(i for i, s in enumerate(text.splitlines(), 1) if fragment in s)


# ------------------------------------------------------------------ plans

RICH = tiny(price="1000")  # ¥1,000 a month from the first 10 users: EBITDA > 0 in month 1


def long(text: str, months: int = 24) -> str:
    return text.replace("horizon_months: 3", f"horizon_months: {months}")


def huge_market(text: str) -> str:
    return text.replace("market_size: 1000", "market_size: 100M")


def many_people(text: str, n: int = 1000) -> str:
    return text.replace("headcount: 2,", f"headcount: {n},")


def free_serving(text: str) -> str:
    return text.replace("payment_fee: 10%", "payment_fee: 0").replace(
        "input_price_per_million: 1000, output_price_per_million: 2000",
        "input_price_per_million: 0.01, output_price_per_million: 0.02",
    )


def with_cac(text: str, cac: str) -> str:
    return text.replace(
        "    usage:\n",
        f"    paid_acquisition:\n      budget_per_month: 10\n      cost_per_user: {cac}\n"
        "    usage:\n",
    )


# ------------------------------------------------------------------ rule 1: month-1 break-even


def test_first_month_breakeven_is_flagged_on_the_stream_that_earns_most():
    (w,) = [w for w in warnings_of(RICH) if w.code == "first-month-breakeven"]
    assert w.field == "streams.subscription"
    assert w.line == line_of(RICH, "subscription:")
    assert "month 1 in 100% of samples" in w.message
    assert "revenue.subscription" in (w.value or "")
    assert "stage_mix" in w.check and "conversion" in w.check


def test_a_plan_that_starts_at_a_loss_is_not_flagged():
    assert "first-month-breakeven" not in codes(tiny())


# ------------------------------------------------------------------ rule 2: revenue per employee


def test_revenue_per_employee_far_above_the_published_range():
    text = long(huge_market(RICH))  # ¥ billions a month for 2 people
    (w,) = [w for w in warnings_of(text) if w.code == "revenue-per-employee"]
    assert w.field == "company.team" and w.line == line_of(text, "team:")
    low, high = L.credible_range()
    assert high["company"] in w.message and "more than 3×" in w.message
    assert "2 people" in (w.value or "")


def test_revenue_per_employee_far_below_the_published_range():
    text = long(many_people(tiny()))  # ¥ hundreds a month for 1,000 people after two years
    (w,) = [w for w in warnings_of(text) if w.code == "revenue-per-employee"]
    assert "below 1/10 of the lowest" in w.message and "1,000 people" in (w.value or "")


def test_revenue_per_employee_within_the_range_or_too_early_is_not_flagged():
    # ¥30 a month from 2% of the users of a 30M market, for 2 people: ~$1.2M a year per person
    # after two years, inside the range ($25,750 / 10 to 3 × $3.6M)
    inside = long(tiny(price="30", conversion="2%")).replace(
        "market_size: 1000", "market_size: 30M"
    )
    assert "revenue-per-employee" not in codes(inside)
    # the same 1,000 people on a 3-month horizon: too early to judge revenue per employee
    assert "revenue-per-employee" not in codes(many_people(tiny()))


def test_the_plan_currency_is_converted_to_dollars():
    sc = load_text(tiny())  # CNY without fx: the documented fallback rate
    rate, where = L.usd_rate(sc)
    assert 6 < rate < 8 and "revenue_per_employee.yaml" in where
    sc = load_text(tiny().replace("currency: CNY", "currency: CNY\nfx: {USD: 7.5}"))
    assert L.usd_rate(sc) == (7.5, "fx.USD")
    sc = load_text(tiny().replace("currency: CNY", "currency: USD"))
    assert L.usd_rate(sc) == (1.0, "USD")


# ------------------------------------------------------------------ rule 3: gross margin


def test_gross_margin_above_95_percent_with_tokens_served():
    text = free_serving(RICH)
    (w,) = [w for w in warnings_of(text) if w.code == "serving-gross-margin"]
    assert w.field == "compute.serving" and w.line == line_of(text, "serving:")
    assert "above 95%" in w.message


def test_a_realistic_gross_margin_is_not_flagged():
    assert "serving-gross-margin" not in codes(RICH)  # payment fee and token prices count


def test_a_high_margin_from_what_serving_does_not_scale_with_is_not_flagged():
    # the same nearly free serving, but the revenue is commission on purchases, not subscriptions
    text = free_serving(RICH).replace(
        "streams:\n",
        "streams:\n  commission:\n    transacting_share: 100%\n"
        "    gmv_per_transacting_user_per_month: 100000\n    take_rate: 10%\n",
        1,
    )
    assert "serving-gross-margin" not in codes(text)


# ------------------------------------------------------------------ rule 4: CAC below a cent


def test_cac_below_a_cent_points_to_the_field_and_to_existing_users():
    text = with_cac(tiny(), "0.001")
    (w,) = [w for w in warnings_of(text) if w.code == "cac-below-cent"]
    assert w.field == "market.consumer.paid_acquisition.cost_per_user"
    assert w.line == line_of(text, "cost_per_user:")
    assert "market.consumer.existing_users" in w.check
    assert w.value is not None and w.value.startswith("0.001")


def test_a_real_cac_is_not_flagged():
    assert "cac-below-cent" not in codes(with_cac(tiny(), "20 to 40"))
    # five fen is below a US cent (~¥0.07): flagged; in yen a cent is ~¥1.4
    assert "cac-below-cent" in codes(with_cac(tiny(), "0.05"))
    yen = with_cac(tiny(), "1").replace("currency: CNY", "currency: JPY")
    assert "cac-below-cent" in codes(yen)
    assert "cac-below-cent" not in codes(with_cac(tiny(), "1"))


# ------------------------------------------------------------------ rules 5-7: magnitudes


def test_a_market_of_more_people_than_the_world_points_to_the_field():
    text = tiny().replace("market_size: 1000", "market_size: 80B")  # requests, not people?
    (w,) = [w for w in warnings_of(text) if w.code == "people-beyond-world"]
    assert w.field == "market.consumer.market_size"
    assert w.line == line_of(text, "market_size:")
    assert "8.2 billion" in w.message and w.value == "80B, median 80B"
    assert LINE.match(str(w)), str(w)
    # the whole world is a market (a boundary, not a warning); a range reaching past it is
    # judged by its median
    assert "people-beyond-world" not in codes(
        tiny().replace("market_size: 1000", "market_size: 8B")
    )
    assert "people-beyond-world" not in codes(
        tiny().replace("market_size: 1000", "market_size: 1B to 9B")
    )


def test_starting_users_beyond_the_world_are_flagged_and_counted():
    text = tiny().replace("market_size: 1000", "market_size: 20B\n    existing_users: 10B")
    (w,) = [w for w in warnings_of(text) if w.code == "people-beyond-world"]
    assert w.field == "market.consumer.market_size"  # the first, in the plan's order
    assert "(1 more field like it)" in w.message


def test_less_than_one_seat_an_account_is_flagged():
    path = templates.path("enterprise-copilot-seats")
    text = path.read_text(encoding="utf-8")
    bad = text.replace("seats_per_account: 200 to 1500", "seats_per_account: 0.3", 1)
    (w,) = [w for w in warnings_of(bad) if w.code == "seats-below-one"]
    assert w.field == "market.business.segments.1.seats_per_account"  # medium accounts
    assert w.line == line_of(bad, "seats_per_account: 0.3")
    assert "a count, not a share" in w.check
    assert "seats-below-one" not in codes(text)


def test_tokens_beyond_every_context_are_flagged_with_the_longest_model():
    tokens, model = L.longest_context()
    assert tokens == 10_485_760 and model.startswith("Llama-4-Scout")
    # 30M tokens "per request": a user's month of tokens written per request
    text = tiny().replace("input_tokens_per_request: 1000", "input_tokens_per_request: 30M")
    (w,) = [w for w in warnings_of(text) if w.code == "request-beyond-context"]
    assert w.field == "market.consumer.usage.input_tokens_per_request"
    assert "10,485,760" in w.message and "requests_per_day" in w.check
    # a long but possible prompt (one million tokens) is not
    long_prompt = tiny().replace("input_tokens_per_request: 1000", "input_tokens_per_request: 1M")
    assert "request-beyond-context" not in codes(long_prompt)


def test_magnitude_warnings_read_in_chinese():
    from breakeven.report.sentences import lint_text

    text = (
        tiny()
        .replace("market_size: 1000", "market_size: 80B")
        .replace("input_tokens_per_request: 1000", "input_tokens_per_request: 30M")
    )
    found = {w.code: lint_text(w, "zh") for w in warnings_of(text)}
    assert "全世界人口" in found["people-beyond-world"]
    assert "上下文长度（10,485,760，Llama-4-Scout" in found["request-beyond-context"]
    assert "中位数" in found["people-beyond-world"]


def test_a_step_after_the_last_month_is_flagged_at_the_step():
    # a 3-month plan whose price steps down "from month 12": a step written for a longer plan
    text = tiny(price="{0: 10, 2: 9, 12: 5, 24: 4}")
    (w,) = [w for w in warnings_of(text) if w.code == "step-after-horizon"]
    assert w.field == "streams.subscription.price_per_month.12"
    assert w.line == line_of(text, "price_per_month:")
    assert "last month (3)" in w.message and "(1 more field like it)" in w.message
    assert w.value == "month 12"
    assert LOCATED.match(str(w)), str(w)
    from breakeven.report.sentences import lint_text

    assert "永远不会生效" in lint_text(w, "zh") and "第 12 个月" in lint_text(w, "zh")
    # a step in the last month applies (to that month): no warning
    assert "step-after-horizon" not in codes(tiny(price="{0: 10, 3: 5}"))


def test_a_fair_use_cap_below_the_mean_is_flagged():
    """cap_multiple_of_mean 0.5: nobody may use even the average, so every user is cut."""
    text = tiny().replace(
        "      output_tokens_per_request: 500\n",
        "      output_tokens_per_request: 500\n      spread_sigma: 0.8\n"
        "      cap_multiple_of_mean: 0.5\n",
    )
    (w,) = [w for w in warnings_of(text) if w.code == "cap-below-mean"]
    assert w.field == "market.consumer.usage.cap_multiple_of_mean"
    assert w.line == line_of(text, "cap_multiple_of_mean")
    assert w.value == "0.5, median 0.5" and LOCATED.match(str(w)), str(w)
    from breakeven.report.sentences import lint_text

    assert "合理使用上限低于平均用户的用量" in lint_text(w, "zh")
    assert "cap-below-mean" not in codes(
        text.replace("cap_multiple_of_mean: 0.5", "cap_multiple_of_mean: 3")
    )


def test_a_round_or_run_after_the_last_month_is_flagged_at_it():
    """A 3-month plan counting on a round in month 6 and paying for a run in month 9: neither
    is simulated, and the plan said nothing of it."""
    text = tiny().replace(
        "  rounds: [{month: 2, amount: 500}]\n",
        "  rounds:\n    - {name: Seed, month: 6, amount: 1000}\n",
    )
    (w,) = [w for w in warnings_of(text) if w.code == "event-after-horizon"]
    assert w.field == "funding.rounds.0.month"
    assert w.line == line_of(text, "name: Seed")
    assert "last month (3)" in w.message and w.value == "month 6"
    assert LOCATED.match(str(w)), str(w)
    from breakeven.report.sentences import lint_text

    assert "模拟到不了那里" in lint_text(w, "zh") and "第 6 个月" in lint_text(w, "zh")
    # a round in the last month is simulated: no warning
    assert "event-after-horizon" not in codes(text.replace("month: 6", "month: 3"))
    # a period that ends after the horizon is paid to the end: no warning
    shared = tiny().replace(
        "streams:\n",
        "streams:\n  partner_share:\n    - {partner: cloud, share: 20%, "
        "of: [revenue.subscription], from_month: 1, until_month: 120}\n",
        1,
    )
    assert "event-after-horizon" not in codes(shared)
    assert "event-after-horizon" in codes(shared.replace("from_month: 1", "from_month: 4"))


def test_a_segment_too_small_for_its_growth_is_flagged():
    """D₀ = 100 accounts growing 10% a month need 20 budgeted + 120 piloting + 150 exploring =
    290 accounts in the pipeline (by hand in tests/blocks/test_business_growth.py); a segment of
    245 accounts leaves 145 not deployed, half of that."""
    from breakeven.report.sentences import lint_text

    text = growth_plan(accounts=245)
    (w,) = [w for w in warnings_of(text) if w.code == "growth-beyond-segment"]
    assert w.field == "market.business.segments.0.recent_growth_per_month"
    assert w.line == line_of(text, "recent_growth_per_month:")
    assert "'mid'" in w.message and "fades from month 1" in w.message
    assert w.value == (
        "10% a month; the accounts not yet deployed are 50% of the pipeline it needs, in the "
        "median sample"
    )
    assert w.check.startswith("market.business.segments.0.accounts")
    assert w.facts["room"] == pytest.approx(145 / 290)
    assert LOCATED.match(str(w)), str(w)
    zh = lint_text(w, "zh")
    assert "容不下" in zh and "50%" in zh and "market.business.segments.0.accounts" in zh
    # 300 accounts not deployed are room enough for the 290; a large segment, or no growth
    assert "growth-beyond-segment" not in codes(growth_plan(accounts=400))
    assert "growth-beyond-segment" not in codes(growth_plan())
    assert "growth-beyond-segment" not in codes(
        growth_plan(accounts=245, growth="0%")  # a pipeline that only replaces churn: none
    )


def market_growth_plan(market: str) -> str:
    """The tiny plan with 100 users growing 5% a month, churning 10%, none coming back."""
    return (
        tiny()
        .replace(
            "    innovation_per_year: 12%      # p/12 = 1% per month\n",
            "    existing_users: 100\n    recent_growth_per_month: 5%\n",
        )
        .replace("market_size: 1000", f"market_size: {market}")
    )


def test_a_start_that_reads_as_more_accounts_than_the_segment_has_is_flagged():
    """100 accounts of 10 people; at age 0 with 10% adopting in the first month an account pays
    for 1 seat, so 900 paid seats read as 900 accounts: cut to the 100 there are (the run
    starts from 100 paid seats, not 900). At age 24 an account holds 9.2 seats: 900 fit."""
    from ..blocks.test_business_realism import plan as seg_plan

    young = seg_plan("deployed_paid_seats: 900\ndeployed_account_age_months: 0", innovation="10%")
    (w,) = [w for w in warnings_of(young) if w.code == "start-beyond-segment"]
    assert w.field == "market.business.segments.0.deployed_paid_seats"
    assert w.facts["ratio"] == pytest.approx(9.0)
    assert "9.00× the segment's accounts" in w.value
    from breakeven.report.sentences import lint_text

    zh = lint_text(w, "zh")
    assert "9.00 倍" in zh and "market.business.segments.0.accounts" in zh
    assert LOCATED.match(str(w)), str(w)
    old = young.replace("deployed_account_age_months: 0", "deployed_account_age_months: 24")
    assert "start-beyond-segment" not in codes(old)


def test_a_market_too_small_for_its_growth_is_flagged():
    """100 users growing 5% a month and losing 10% need 15 new users in month 1; a product
    that grew so has 10 ÷ 0.05 = 200 lapsed users. A market of 310 leaves 310 − 100 − 200 = 10
    people: two thirds of the 15."""
    from breakeven.report.sentences import lint_text

    text = market_growth_plan("310")
    (w,) = [w for w in warnings_of(text) if w.code == "growth-beyond-market"]
    assert w.field == "market.consumer.recent_growth_per_month"
    assert w.line == line_of(text, "recent_growth_per_month:")
    assert "too few people left" in w.message
    # the lapsed carry the other 5 of the 15: 5 ÷ 200 = 2.5% of them come back a month
    assert w.value == (
        "5% a month; the people left are 67% of the new users it needs, and the lapsed come "
        "back at 2.5% a month instead of 0%, in the median sample"
    )
    assert w.facts["room"] == pytest.approx(10 / 15)
    assert w.facts["rate"] == pytest.approx(5 / 200)
    assert w.check.startswith("market.consumer.market_size")
    assert LOCATED.match(str(w)), str(w)
    zh = lint_text(w, "zh")
    assert "撑不起" in zh and "67%" in zh and "2.5%" in zh and "market.consumer.market_size" in zh
    # 110 people hold 10 of the path's 200 lapsed: all 10 back a month cannot give the 15
    (w,) = [w for w in warnings_of(market_growth_plan("110")) if w.code == "growth-beyond-market"]
    assert w.facts["rate"] == 1.0 and w.facts["capped"] == 1.0
    assert w.value.endswith(
        "; in 100% of samples too few are lapsed (or none) to make it up, and the users grow "
        "less than stated, or shrink"
    )
    assert "全部回流也不够" in lint_text(w, "zh")
    # nobody lapsed: the rate stays the plan's and the growth cannot be had
    none = market_growth_plan("110").replace(
        "    existing_users: 100\n", "    existing_users: 100\n    lapsed_users: 0\n"
    )
    (w,) = [w for w in warnings_of(none) if w.code == "growth-beyond-market"]
    assert w.facts["rate"] == 0.0 and w.facts["capped"] == 1.0
    # 1,000 people leave 700 for the 15; a plan stating no growth has nothing to check
    assert "growth-beyond-market" not in codes(market_growth_plan("1000"))
    assert "growth-beyond-market" not in codes(tiny())


def test_a_rate_beyond_a_hundredfold_a_period_is_a_warning_not_an_error():
    """Doubao's tokens grew 81% a month in 2024 (1,271× a year): by the growth rule a plan's
    5920% to 127000% a year, once refused (+10,000% was a hard limit), now runs and warns."""
    from breakeven.report.sentences import lint_text

    text = tiny(price="{start: 10, change_per_year: 5920% to 127000%}")
    (w,) = [w for w in warnings_of(text) if w.code == "rate-beyond-100x"]
    assert w.field == "streams.subscription.price_per_month.change_per_year"
    assert w.line == line_of(text, "price_per_month:")
    assert "more than +10,000% a year" in w.message and "Doubao" in w.message
    assert w.value == "5920% to 127000%, 95th percentile +127,000%"
    assert "50 is +5,000%" in w.check
    assert "每年变化超过 +10,000%" in lint_text(w, "zh")
    # 100x a year (+9,900%) is not flagged; beyond +1,000,000% a period is refused outright
    assert "rate-beyond-100x" not in codes(tiny(price="{start: 10, change_per_year: 9900%}"))
    with pytest.raises(breakeven.ScenarioError, match=r"1,000,000%"):
        load_text(tiny(price="{start: 10, change_per_year: 2000000%}"), "plan.yaml")


# ------------------------------------------------------------------ the warning itself


def test_a_warning_reads_like_an_error_and_serialises():
    w = PlanWarning("x", "a.b", "what", "3", "a.b", "plan.yaml", 7)
    assert str(w) == "plan.yaml:7: a.b: warning: what (got 3); check a.b"
    assert w.to_dict() == {
        "code": "x",
        "message": "what (got 3); check a.b",
        "field": "a.b",
        "line": 7,
    }
    assert str(PlanWarning("x", "a.b", "what")) == "<scenario>: a.b: warning: what"


def test_every_rule_is_registered_with_a_sourced_docstring():
    assert list(L.RULES) == [
        "first-month-breakeven",
        "revenue-per-employee",
        "serving-gross-margin",
        "cac-below-cent",
        "people-beyond-world",
        "seats-below-one",
        "cap-below-mean",
        "request-beyond-context",
        "step-after-horizon",
        "event-after-horizon",
        "growth-beyond-segment",
        "start-beyond-segment",
        "growth-beyond-market",
        "rate-beyond-100x",
    ]
    for fn in L.RULES.values():
        assert fn.__doc__ and len(fn.__doc__) > 200


def test_every_reference_row_has_a_source_and_a_date():
    data = L.reference()
    rows = data["revenue_per_employee"]
    assert len([r for r in rows if r["credible"]]) >= 5
    for row in rows + data["usd_fallback_rates"]:
        assert isinstance(row["source"], str) and "http" in row["source"], row
        assert isinstance(row["as_of"], dt.date), row
    for row in rows:
        assert set(row) >= {"company", "usd_per_employee_per_year", "year", "credible"}, row
        assert row["usd_per_employee_per_year"] > 0
    low, high = L.credible_range()
    assert 10_000 < low["usd_per_employee_per_year"] < high["usd_per_employee_per_year"] < 10e6
    assert {r["currency"] for r in data["usd_fallback_rates"]} >= {"CNY", "EUR", "JPY", "GBP"}


# ------------------------------------------------------------------ the command line


def test_validate_prints_located_warnings_and_exits_0(cli, write):
    text = with_cac(tiny(), "0.001")
    f = write(text)
    code, out, err = cli("validate", f)
    assert code == 0, err
    assert f"{f}: ok" in out
    lines = [x for x in err.splitlines() if x]
    expected = f"{f}:{line_of(text, 'cost_per_user:')}: market.consumer.paid_acquisition.cost_per_user: warning: "
    assert any(x.startswith(expected) for x in lines), err
    for x in lines:
        assert LINE.match(x), x


def test_validate_of_a_sound_plan_prints_no_warning(cli, write):
    code, out, err = cli("validate", write(tiny()))
    assert code == 0 and err.strip() == "" and ": ok" in out


def test_run_prints_warnings_on_stderr_and_lists_them_in_json(cli, write):
    text = with_cac(tiny(), "0.001")
    f = write(text)
    code, out, err = cli("run", f, "--samples", "200", "--json")
    assert code == 0, err
    doc = json.loads(out)
    (w,) = [w for w in doc["warnings"] if w["code"] == "cac-below-cent"]
    assert set(w) == {"code", "message", "field", "line"}
    assert w["field"] == "market.consumer.paid_acquisition.cost_per_user"
    assert w["line"] == line_of(text, "cost_per_user:")
    assert "warning: " + w["message"] in err
    code, out, err = cli("run", f, "--samples", "200")
    assert code == 0 and "cac-below-cent" not in out and "warning:" in err
    code, out, _ = cli("run", write(tiny(), "sound.yaml"), "--samples", "200", "--json")
    assert code == 0 and json.loads(out)["warnings"] == []


# ------------------------------------------------------------------ the shipped plans

# Warnings the shipped plans raise, each justified: none. (commission-agent's ~96% gross margin
# is not flagged: its revenue is commission, which serving does not scale with.)
EXPECTED: dict[str, set[str]] = {}
SHIPPED = [("template", n) for n in templates.names()] + [
    ("example", str(p.relative_to(ROOT))) for p in sorted((ROOT / "examples").rglob("*.yaml"))
]


@pytest.mark.parametrize(("kind", "name"), SHIPPED, ids=[n for _, n in SHIPPED])
def test_shipped_plans_raise_only_the_listed_warnings(kind, name):
    path = templates.path(name) if kind == "template" else ROOT / name
    sc = breakeven.load(path)
    found = lint_plan(sc)
    key = name if kind == "template" else path.stem
    assert {w.code for w in found} == EXPECTED.get(key, set()), [str(w) for w in found]
    for w in found:
        assert w.file == str(path) and w.line is not None


@given(
    st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1, max_size=60)
)
def test_median_is_numpys(values: list[float]) -> None:
    """The rules' median (kept free of numpy's masked arrays, for start-up) is ``np.median``."""
    assert L._median(np.array(values)) == float(np.median(values))
