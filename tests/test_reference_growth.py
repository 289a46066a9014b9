"""The reference class for a growth a plan cannot state (issue 9: misleading defaults): each AI
product's latest published growth before the plan's start, by hand on made-up counts; the
shipped counts' provenance; ``reference`` in a plan, in ``validate`` and in
``breakeven reference``."""

from __future__ import annotations

import datetime as dt
import json
import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import breakeven
from breakeven.models import reference_growth as R
from breakeven.models.distributions import Z95
from breakeven.models.reference_growth import Count, ReferenceClassError, reference_growth

from .conftest import tiny


def count(product, value, as_of, published=None, metric="mau"):
    y, m = as_of
    pub = published or date(y, m, 28)
    return Count(product, metric, float(value), date(y, m, 1), pub, "s")


def five(growths=(0.0, 0.05, 0.1, 0.15, 0.2)):
    """Five products of 10M users, each growing by g a month from January to April 2024."""
    return tuple(
        c
        for i, g in enumerate(growths)
        for c in (count(f"p{i}", 1e7, (2024, 1)), count(f"p{i}", 1e7 * (1 + g) ** 3, (2024, 4)))
    )


def test_the_prediction_interval_is_students():
    """prediction_z(n) = t(0.95; n − 1) · √(1 + 1/n), the t quantile by A&S 26.7.5: within 2e-4
    of scipy's from 5 products on (1.1e-4 at 5, less above)."""
    from scipy import stats

    for n in range(R.MIN_PRODUCTS, 400):
        exact = stats.t.ppf(0.95, n - 1) * math.sqrt(1.0 + 1.0 / n)
        assert R.prediction_z(n) == pytest.approx(exact, rel=2e-4)
    assert R.prediction_z(10**6) == pytest.approx(1.6448536, rel=5e-6)  # a class of many: ±1.645


@given(st.integers(min_value=R.MIN_PRODUCTS, max_value=10**5))
def test_a_larger_class_never_widens_the_interval(n):
    """One more product can only narrow the prediction factor, which stays above 1.645 (what
    the class cannot tell of its mean and spread never goes negative)."""
    assert R.prediction_z(n + 1) < R.prediction_z(n)
    assert R.prediction_z(n) > Z95


def test_the_interval_by_hand():
    """ln(1+g) for 0, 5, 10, 15, 20%: mean 0.093237, sd 0.072065; the 90% interval of a sixth
    product is exp(mean ± z sd) − 1 with z = t(0.95; 4) · √(1 + 1/5) = 2.131847 × 1.095445 =
    2.33532 (prediction_z: 2.33506, the expansion's): −7.229% and 29.89%."""
    r = reference_growth("consumer", date(2024, 6, 1), five())
    logs = [math.log1p(g) for g in (0.0, 0.05, 0.1, 0.15, 0.2)]
    mean = sum(logs) / 5
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / 4)
    assert mean == pytest.approx(0.093237, abs=1e-6) and sd == pytest.approx(0.072065, abs=1e-6)
    assert r.low == pytest.approx(-0.07229, abs=1e-5)
    assert r.high == pytest.approx(0.29889, abs=1e-5)
    assert [p.product for p in r.pairs] == ["p0", "p1", "p2", "p3", "p4"]
    assert r.pairs[3].months == 3 and r.pairs[3].growth_per_month == pytest.approx(0.15)
    assert r.median == pytest.approx(math.exp(mean) - 1)
    assert r.describe().startswith(
        "-7.2% to 30% a month: the latest growth of 5 AI products' users"
    )


def test_only_counts_published_before_the_start_are_known():
    data = five()
    # every April count was published on 2024-04-28: a plan starting in April knows none of them
    with pytest.raises(ReferenceClassError, match="only 0 AI products .* before 2024-04"):
        reference_growth("consumer", date(2024, 4, 1), data)
    assert len(reference_growth("consumer", date(2024, 5, 1), data).pairs) == 5
    # a count published later than the month it counts: known from its publication on
    late = (*data, count("p0", 1e9, (2024, 5), published=date(2024, 9, 2)))
    r = reference_growth("consumer", date(2024, 9, 1), late)
    assert r.pairs[0].later.as_of == date(2024, 4, 1)  # the May count is not known yet
    r = reference_growth("consumer", date(2024, 10, 1), late)
    assert r.pairs[0].later.as_of == date(2024, 5, 1) and r.pairs[0].months == 4  # from January


def test_each_product_once_its_latest_pair_recent_and_established():
    data = five()
    # a third count in July: the latest pair is April -> July
    more = (*data, count("p0", 2e7, (2024, 7)))
    p0 = reference_growth("consumer", date(2024, 8, 1), more).pairs[0]
    assert (p0.earlier.as_of, p0.later.as_of) == (date(2024, 4, 1), date(2024, 7, 1))
    assert p0.growth_per_month == pytest.approx(2 ** (1 / 3) - 1)
    # a count in May is too close to April's: the pair reaches back to January (4 months)
    close = (*data, count("p0", 2e7, (2024, 5)))
    p0 = reference_growth("consumer", date(2024, 6, 1), close).pairs[0]
    assert (p0.earlier.as_of, p0.months) == (date(2024, 1, 1), 4)
    assert p0.growth_per_month == pytest.approx(2 ** (1 / 4) - 1)
    # a pair ending more than 12 months before the start is not recent growth
    with pytest.raises(ReferenceClassError):
        reference_growth("consumer", date(2025, 5, 1), data)
    assert len(reference_growth("consumer", date(2025, 4, 1), data).pairs) == 5
    # a product below a million users at the earlier count is a launch, not a reference
    small = (*data, count("tiny", 5e5, (2024, 1)), count("tiny", 5e6, (2024, 4)))
    pairs = reference_growth("consumer", date(2024, 6, 1), small).pairs
    assert "tiny" not in {p.product for p in pairs}
    # two counts of one month: the later published stands
    twice = (*data, count("p4", 2e7, (2024, 4), published=date(2024, 5, 15)))
    assert reference_growth("consumer", date(2024, 6, 1), twice).pairs[4].later.value == 2e7


def test_families_read_their_own_metrics():
    data = five() + tuple(
        c
        for i in range(5)
        for c in (
            count(f"b{i}", 200, (2024, 1), metric="business_accounts"),
            count(f"b{i}", 1600, (2024, 4), metric="business_accounts"),
        )
    )
    b = reference_growth("business", date(2024, 6, 1), data)
    assert {p.product for p in b.pairs} == {f"b{i}" for i in range(5)}
    assert b.low == pytest.approx(1.0) and b.high == pytest.approx(1.0)  # each doubled monthly
    assert "paying organisations" in b.describe()
    assert {p.product for p in reference_growth("consumer", date(2024, 6, 1), data).pairs} == {
        f"p{i}" for i in range(5)
    }
    with pytest.raises(ValueError, match="unknown family"):
        reference_growth("api", date(2024, 6, 1), data)


def test_every_shipped_count_has_its_source_and_dates():
    rows = R.counts()
    assert len({c.product for c in rows}) >= 20
    for c in rows:
        assert c.source.strip() and c.value > 0 and c.metric in R.METRICS
        assert c.published >= c.as_of and dt.date(2022, 11, 1) <= c.as_of <= dt.date(2026, 12, 1)


def test_counts_above_a_threshold_are_kept_out_of_the_class():
    """Customers above $1M a year grow as spending grows: large_accounts, never a pair."""
    rows = R.counts()
    large = [c for c in rows if c.metric == "large_accounts"]
    assert {c.product for c in large} >= {"Claude (Anthropic business)"}
    for start in (date(2026, 6, 1), date(2026, 12, 1)):
        pairs = R.latest_pairs("business", start, rows)
        assert all(p.later.metric == "business_accounts" for p in pairs)


def test_the_shipped_counts_answer_for_a_business_segment():
    """Paying organisations of at least five products for starts from mid-2025 (the fourth
    research session's counts): Agentforce, Azure AI, GitHub Copilot and more."""
    for start in (date(2025, 6, 1), date(2026, 6, 1)):
        ref = reference_growth("business", start)
        assert len(ref.pairs) >= R.MIN_PRODUCTS
        assert all(p.later.published < start for p in ref.pairs)
        assert ref.low < ref.median < ref.high


# ------------------------------------------------------------------ in a plan

START_2026 = "start: 2026-06\n"


def consumer_plan(growth: str, start: str = START_2026) -> str:
    return start + tiny().replace(
        "    innovation_per_year: 12%      # p/12 = 1% per month\n",
        f"    existing_users: 100\n    recent_growth_per_month: {growth}\n",
    )


def test_reference_in_a_plan_is_the_reference_class_at_its_start():
    sc = breakeven.load_text(consumer_plan("reference"), "plan.yaml")
    leaf = sc.market.consumer.recent_growth_per_month
    ref = reference_growth("consumer", date(2026, 6, 1))
    assert leaf.basis == ref
    assert leaf.dist.ppf(np.array([0.05]))[0] == pytest.approx(ref.low)
    assert leaf.dist.ppf(np.array([0.95]))[0] == pytest.approx(ref.high)
    assert breakeven.simulate(sc, samples=50, seed=1).samples == 50
    # "reference" is the same in any case and with spaces
    again = breakeven.load_text(consumer_plan(" Reference "), "plan.yaml")
    assert again.market.consumer.recent_growth_per_month.basis == ref


def test_reference_is_refused_where_it_means_nothing():
    with pytest.raises(breakeven.ScenarioError, match=r"reference needs the plan's start"):
        breakeven.load_text(consumer_plan("reference", start=""), "plan.yaml")
    with pytest.raises(breakeven.ScenarioError, match=r"no reference class for this start"):
        breakeven.load_text(consumer_plan("reference", start="start: 2023-01\n"), "plan.yaml")
    wrong = START_2026 + tiny(price="{start: 10, change_per_year: reference}")
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(wrong, "plan.yaml")
    assert "change_per_year only" in str(e.value)
    assert "streams.subscription.price_per_month" in str(e.value)


def test_validate_and_the_reference_command_say_what_it_was(cli, write):
    path = write(consumer_plan("reference"))
    code, out, err = cli("validate", path)
    ref = reference_growth("consumer", date(2026, 6, 1))
    assert code == 0, err
    line = next(s for s in out.splitlines() if "reference =" in s)
    assert line.strip().startswith("market.consumer.recent_growth_per_month: reference = ")
    assert (
        f"the latest growth of {len(ref.pairs)} AI products' users published before 2026-06" in line
    )
    code, out, err = cli("validate", "--lang", "zh", path)
    assert code == 0 and "个 AI 产品用户数的最近增长" in out
    code, out, err = cli("reference", "consumer", "--start", "2026-06", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["low"] == ref.low and doc["high"] == ref.high
    assert len(doc["products"]) == len(ref.pairs) and doc["units"]["low"] == "1/month"
    code, out, err = cli("reference", "consumer", "--start", "2026-06")
    assert code == 0 and "reference: " in out and ref.pairs[0].product in out
    code, out, err = cli("reference", "consumer", "--start", "June")
    assert code == 2 and "expected a month such as 2025-03" in err
    code, out, err = cli("reference", "api", "--start", "2026-06")
    assert code == 2 and "choose consumer, business or tokens" in err


def test_the_report_and_workbook_say_where_a_reference_came_from(cli, write, tmp_path):
    import html

    from openpyxl import load_workbook

    path = write(consumer_plan("reference"))
    ref = reference_growth("consumer", date(2026, 6, 1))
    for lang, words in (
        ("en", f"reference class: the latest growth of {len(ref.pairs)} AI products' users"),
        ("zh", f"参照组：2026-06 之前公布的 {len(ref.pairs)} 个 AI 产品用户数的最近增长"),
    ):
        report, book = tmp_path / f"r-{lang}.html", tmp_path / f"p-{lang}.xlsx"
        code, out, err = cli(
            "run", path, "-n", "200", "--report", report, "--excel", book, "--lang", lang
        )
        assert code == 0, err
        assert words in html.unescape(report.read_text(encoding="utf-8"))
        cells = [
            str(c.value)
            for ws in load_workbook(book, read_only=True).worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        ]
        assert any(words in c and ref.pairs[0].product in c for c in cells)


def test_a_product_counts_once_whatever_its_series():
    """Agentforce's paid deals and all its deals are two series of one product: compared within
    each, and the product's latest pair stands for it."""
    deals = (
        Count("A", "business_accounts", 3000, date(2025, 1, 1), date(2025, 2, 26), "s", "paid"),
        Count("A", "business_accounts", 6000, date(2025, 7, 1), date(2025, 9, 3), "s", "paid"),
        Count("A", "business_accounts", 5000, date(2025, 1, 1), date(2025, 2, 26), "s", "all"),
        Count("A", "business_accounts", 29000, date(2026, 1, 1), date(2026, 2, 25), "s", "all"),
    )
    others = tuple(
        Count(f"b{i}", "business_accounts", v, date(2025, m, 1), date(2025, m, 28), "s")
        for i in range(4)
        for m, v in ((1, 200), (4, 400))
    )
    pairs = R.latest_pairs("business", date(2026, 3, 1), deals + others)
    a = next(p for p in pairs if p.product == "A")
    assert len(pairs) == 5 and a.series == "all" and a.months == 12  # all deals: Jan -> Jan
    assert a.growth_per_month == pytest.approx((29000 / 5000) ** (1 / 12) - 1)
    # before the January count was public, the paid deals' pair was the latest
    a = next(
        p for p in R.latest_pairs("business", date(2026, 2, 1), deals + others) if p.product == "A"
    )
    assert (a.series, a.earlier.value, a.later.value) == ("paid", 3000, 6000)


def test_a_business_segment_takes_the_reference_class_at_its_start():
    from tests.blocks.test_business_growth import plan as segment_plan

    sc = breakeven.load_text(START_2026 + segment_plan(growth="reference"), "plan.yaml")
    leaf = sc.market.business.segments[0].recent_growth_per_month
    ref = reference_growth("business", date(2026, 6, 1))
    assert leaf.basis == ref
    assert leaf.dist.ppf(np.array([0.95]))[0] == pytest.approx(ref.high)
    r = breakeven.simulate(sc, samples=50, seed=1)
    assert np.all(np.asarray(r.kpi("new_deployments"))[:, 0] >= 0)


# ------------------------------------------------------------------ trend x


def three(ratios_after=(0.0, 0.05, 0.1, 0.15, 0.2), before=0.1):
    """Five products of 10M users growing by ``before`` a month from January to April 2024 and
    then by each of ``ratios_after`` to July."""
    return tuple(
        count(f"p{i}", v, (2024, m))
        for i, g2 in enumerate(ratios_after)
        for m, v in (
            (1, 1e7),
            (4, 1e7 * (1 + before) ** 3),
            (7, 1e7 * (1 + before) ** 3 * (1 + g2) ** 3),
        )
    )


def test_a_trend_by_hand():
    """Ratios ln(1+g2)/ln(1.1) = 0, 0.5119, 1, 1.4664, 1.9129: mean 0.97825, sd 0.75611 (the
    sd of ln(1+g2), 0.072065, ÷ ln 1.1). A trend of 10% (every product's first growth) gives
    ln(1.1) × (0.97825 ∓ 2.33506 × 0.75611): −7.229% to 29.89%, the reference interval of their
    second growths."""
    p = R.growth_persistence("consumer", date(2024, 9, 1), 0.1, three())
    assert p.mean_ratio == pytest.approx(0.97825, abs=1e-5)
    assert p.sd_ratio == pytest.approx(0.75611, abs=1e-5)
    assert p.low == pytest.approx(-0.07229, abs=1e-5) and p.high == pytest.approx(0.29889, abs=1e-5)
    # a trend of 5% scales the log growth: ln(1.05) × the same ratios
    half = R.growth_persistence("consumer", date(2024, 9, 1), 0.05, three())
    assert math.log1p(half.high) == pytest.approx(
        math.log(1.05) * (0.97825 + 2.33506 * 0.7561), rel=1e-4
    )


def test_a_trend_counts_each_product_once_and_only_periods_it_may():
    data = three()
    # p0 gets a third period (its ratio from 0 growth is not taken: the growth before is below 1%)
    data += (count("p0", 1e7 * 1.1**3 * 1.5, (2024, 10), published=date(2024, 10, 28)),)
    # p1 twice: its two ratios average; a later count of p4 not yet public is not known
    data += (count("p4", 1e9, (2024, 8), published=date(2024, 12, 1)),)
    p = R.growth_persistence("consumer", date(2024, 11, 1), 0.1, data)
    assert sorted(p.products) == [f"p{i}" for i in range(5)]
    assert len(p.periods) == 5  # p0's second pair starts from no growth: left out
    small = tuple(c for c in three() if c.product != "p4") + tuple(
        count("p4", v, (2024, m)) for m, v in ((1, 5e5), (4, 6e5), (7, 7e5))
    )
    with pytest.raises(ReferenceClassError, match="only 4 AI products of this kind and 4 of every"):
        R.growth_persistence("consumer", date(2024, 9, 1), 0.1, small)  # p4 below 1M users
    with pytest.raises(ReferenceClassError, match="below 1%"):
        R.growth_persistence("consumer", date(2024, 9, 1), 0.005, three())


def test_a_thin_family_takes_every_familys_periods_together():
    """Tokens with one product and users with four: neither answers alone, the five together do.
    The token product grows 10% a month and then 20%: ratio ln 1.2 / ln 1.1 = 1.91291, so the
    ratios are 0, 0.5119, 1, 1.4664 (users p0-p3, as in test_a_trend_by_hand) and 1.91291 —
    the same five as there: mean 0.97825, sd 0.75611."""
    users = tuple(c for c in three() if c.product != "p4")
    tokens = tuple(
        R.Count("t4", "tokens", v, date(2024, m, 1), date(2024, m, 28), "s")
        for m, v in ((1, 1e10), (4, 1e10 * 1.1**3), (7, 1e10 * 1.1**3 * 1.2**3))
    )
    p = R.growth_persistence("tokens", date(2024, 9, 1), 0.1, users + tokens)
    assert p.pooled and sorted(p.products) == ["p0", "p1", "p2", "p3", "t4"]
    assert p.mean_ratio == pytest.approx(0.97825, abs=1e-5)
    assert p.sd_ratio == pytest.approx(0.75611, abs=1e-5)
    # the users' family alone has four: it pools too, to the same class
    assert R.growth_persistence("consumer", date(2024, 9, 1), 0.1, users + tokens) == (
        R.Persistence("consumer", p.start, 0.1, p.mean_ratio, p.sd_ratio, p.periods, True)
    )
    # a family with five of its own never pools, whatever the others hold
    own = R.growth_persistence("consumer", date(2024, 9, 1), 0.1, three() + tokens)
    assert not own.pooled and "t4" not in own.products
    # the levels of growth are never pooled: reference (not trend) needs the family's own five
    with pytest.raises(ReferenceClassError, match="only 1 AI product with two counts"):
        R.reference_growth("tokens", date(2024, 9, 1), users + tokens)


def test_a_pooled_trend_says_so(cli):
    ref = R.growth_persistence("tokens", date(2026, 6, 1), 0.0627)
    assert ref.pooled  # four token products with two periods before 2026-06
    code, out, _ = cli("reference", "tokens", "--start", "2026-06", "--trend", "6.27%", "--json")
    assert code == 0 and json.loads(out)["pooled"] is True
    code, out, _ = cli("reference", "tokens", "--start", "2026-06", "--trend", "6.27%")
    assert "users, paying organisations and tokens (too few products' tokens alone)" in out
    code, _, err = cli("reference", "tokens", "--start", "2025-05", "--trend", "6.27%")
    assert code == 2 and "of this kind and 4 of every kind" in err


def test_trend_in_a_plan_validate_report_and_the_command(cli, write, tmp_path):
    sc = breakeven.load_text(consumer_plan("trend 4.9%"), "plan.yaml")
    leaf = sc.market.consumer.recent_growth_per_month
    ref = R.growth_persistence("consumer", date(2026, 6, 1), 0.049)
    assert leaf.trend == pytest.approx(0.049) and leaf.basis == ref
    assert leaf.dist.ppf(np.array([0.95]))[0] == pytest.approx(ref.high)
    assert ref.low < 0.049 < ref.high
    path = write(consumer_plan("trend 4.9%"))
    code, out, _ = cli("validate", path)
    assert code == 0 and "recent_growth_per_month: trend 4.9% = " in out
    assert "--trend 4.9%" in out
    code, out, _ = cli("reference", "consumer", "--start", "2026-06", "--trend", "4.9%", "--json")
    doc = json.loads(out)
    assert doc["low"] == pytest.approx(ref.low) and len(doc["periods"]) == len(ref.periods)
    assert {"growth_before", "growth_after", "ratio", "sources"} <= set(doc["periods"][0])
    code, out, _ = cli("reference", "consumer", "--start", "2026-06", "--trend", "4.9%")
    assert code == 0 and out.strip().splitlines()[-1].startswith("trend 4.9%: ")
    code, _, err = cli("reference", "consumer", "--start", "2026-06", "--trend", "fast")
    assert code == 2 and "--trend:" in err
    code, _, _ = cli("run", path, "-n", "200", "--report", tmp_path / "r.html")
    assert code == 0
    assert "trend 4.9%, widened by how the growth of" in (tmp_path / "r.html").read_text()


def test_trend_is_refused_where_it_means_nothing():
    with pytest.raises(breakeven.ScenarioError, match=r"trend needs the plan's start"):
        breakeven.load_text(consumer_plan("trend 5%", start=""), "plan.yaml")
    with pytest.raises(breakeven.ScenarioError, match=r"no reference class for this start"):
        breakeven.load_text(consumer_plan("trend 5%", start="start: 2024-06\n"), "plan.yaml")
    with pytest.raises(breakeven.ScenarioError, match=r"trend needs the growth observed"):
        breakeven.load_text(consumer_plan("trend fast"), "plan.yaml")
    wrong = START_2026 + tiny(price="{start: 10, change_per_year: trend 5%}")
    with pytest.raises(breakeven.ScenarioError, match="change_per_year only"):
        breakeven.load_text(wrong, "plan.yaml")


def test_a_trend_beyond_any_growth_is_a_located_error(cli):
    """``trend 1e30`` (a growth without its %, a slip of units) gave "(document): math domain
    error" for a plan and an interval up to 6e+98% a month from the command; both now say what
    is wrong where, whatever the start."""
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(consumer_plan("trend 1e30"), "plan.yaml")
    line = str(e.value).splitlines()[0]
    assert "market.consumer.recent_growth_per_month: a trend of" in line
    assert "above +1,000,000%" in line and "math domain" not in line
    with pytest.raises(breakeven.ScenarioError, match="above [+]1,000,000%"):
        breakeven.load_text(consumer_plan("trend 1e30", start=""), "plan.yaml")
    code, out, err = cli("reference", "consumer", "--start", "2026-06", "--trend", "1e30")
    assert code == 2 and "above +1,000,000%" in err and "Traceback" not in err


# ------------------------------------------------------------------ tokens, and variables

API_PLAN = """\
name: api volume
start: {start}
horizon_months: 3
samples: 50
seed: 1
currency: USD
variables:
  growth: {growth}
streams:
  api:
    input_price_per_million: 1
    output_price_per_million: 2
    input_tokens_per_month: {{start: 100B, change_per_year: $growth}}
    output_tokens_per_month: {{start: 20B, change_per_year: $growth}}
compute:
  serving:
    per_token: {{input_price_per_million: 0.5, output_price_per_million: 1}}
"""


def test_per_period_compounds_the_monthly_interval():
    assert R.per_period(0.0, 0.1, 12)[1] == pytest.approx(1.1**12 - 1)
    assert R.per_period(-0.05, 0.0, 1) == (pytest.approx(-0.05), 0.0)


def test_token_growth_in_a_variable_is_the_tokens_class_a_year(cli, write):
    """A variable shared by the API's input and output growth takes the class once, per year:
    (1 + monthly)^12 − 1 at each end; validate prints it once, by the variable's name."""
    sc = breakeven.load_text(API_PLAN.format(start="2026-06", growth="reference"), "p.yaml")
    ref = reference_growth("tokens", date(2026, 6, 1))
    assert len(ref.pairs) >= R.MIN_PRODUCTS and ref.low > 0  # token volumes grew every month
    leaves = [sc.streams.api.input_tokens_per_month, sc.streams.api.output_tokens_per_month]
    growth = [leaf.change_per_year for leaf in leaves]  # the two uses share one distribution
    assert growth[0].dist is growth[1].dist and growth[0].basis == ref
    assert growth[0].dist.ppf(np.array([0.95]))[0] == pytest.approx((1 + ref.high) ** 12 - 1)
    assert breakeven.simulate(sc, samples=50, seed=1).samples == 50
    code, out, _ = cli("validate", write(API_PLAN.format(start="2026-06", growth="reference")))
    lines = [ln for ln in out.splitlines() if "reference =" in ln]
    assert len(lines) == 1 and lines[0].startswith("  variables.growth: reference = ")
    assert "AI products' tokens" in lines[0] and "; a year: " in lines[0]


def test_a_variable_class_that_cannot_answer_is_said_once_where_declared(cli, write):
    path = write(API_PLAN.format(start="2024-06", growth="reference"))
    code, _, err = cli("validate", path)
    assert code == 2 and err.count("no reference class for this start") == 1
    assert "plan.yaml:8: variables.growth: no reference class" in err
    text = API_PLAN.format(start="2026-06", growth="trend fast")
    with pytest.raises(breakeven.ScenarioError, match="trend needs the growth observed"):
        breakeven.load_text(text, "p.yaml")


def test_one_variable_cannot_be_two_kinds_of_growth():
    text = API_PLAN.format(start="2026-06", growth="reference") + (
        "market:\n  consumer:\n    market_size: 1000\n    imitation_per_year: 0\n"
        "    churn_per_month: 10%\n    existing_users: 100\n"
        "    recent_growth_per_month: $growth\n"
        "    usage: {requests_per_day: 1, input_tokens_per_request: 10, "
        "output_tokens_per_request: 5}\n"
    )
    with pytest.raises(breakeven.ScenarioError, match="use one variable per kind of growth"):
        breakeven.load_text(text, "p.yaml")
