"""The block contract: order derived from declarations, checked accesses, declared outputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

import breakeven
from breakeven.engine import Block, ContractViolation, Ctx, discover, order_blocks
from breakeven.engine.order import BlockSet
from breakeven.engine.outputs import AUDIENCES, CATEGORIES, KPI_CATEGORIES, OutputTable
from breakeven.errors import ContractError
from breakeven.scenario import BLOCKS, Scenario, templates

EMPTY = OutputTable([])


def toy(name: str, **decl: tuple[str, ...]) -> Block:
    """A block instance with the given declarations (reads, writes, adds, books, records)."""
    cls = type(name, (Block,), {"section": f"toy.{name}", **decl})
    return cls(None, None)


def names(blocks: list[Block]) -> list[str]:
    return [type(b).__name__ for b in blocks]


def test_order_follows_reads_and_writes_not_the_list_order():
    a = toy("a", reads=("y",), writes=("z",))
    b = toy("b", writes=("y",))
    c = toy("c", reads=("z",), adds=("w",))
    d = toy("d", adds=("w",))
    e = toy("e", reads=("w",))
    for blocks in ([a, b, c, d, e], [e, d, c, b, a], [c, e, a, d, b]):
        order = names(order_blocks(blocks, EMPTY).order)
        assert order.index("b") < order.index("a") < order.index("c") < order.index("e")
        assert order.index("d") < order.index("e")  # readers wait for every adder
        assert order == names(order_blocks([a, b, c, d, e], EMPTY).order)  # ties by name


def test_a_read_nothing_provides_names_the_block():
    with pytest.raises(ContractError, match="reads y, which no block provides") as e:
        order_blocks([toy("a", reads=("y",))], EMPTY)
    assert e.value.key == "y" and e.value.block.section == "toy.a"


def test_a_missing_section_is_a_located_error():
    with pytest.raises(breakeven.ScenarioError) as e:
        breakeven.load_text(
            "name: x\nstreams:\n  ads: {minutes_per_user_per_day: 5, ads_per_minute: 1, cpm: 10}\n",
            "ads.yaml",
        )
    assert str(e.value).startswith("ads.yaml:3: streams.ads: needs market.consumer")


def test_a_cycle_names_its_blocks():
    with pytest.raises(ContractError, match="cycle: toy.a, toy.b") as e:
        order_blocks(
            [toy("a", reads=("y",), writes=("x",)), toy("b", reads=("x",), writes=("y",))], EMPTY
        )
    assert e.value.block is None


def test_one_value_one_writer():
    with pytest.raises(ContractError, match="both write y"):
        order_blocks([toy("a", writes=("y",)), toy("b", writes=("y",))], EMPTY)
    with pytest.raises(ContractError, match="writes y, which other blocks add to"):
        order_blocks([toy("a", writes=("y",)), toy("b", adds=("y",))], EMPTY)
    with pytest.raises(ContractError, match="both record k"):
        order_blocks([toy("a", records=("k",)), toy("b", records=("k",))], EMPTY)


def test_consumed_values_need_a_reader():
    with pytest.raises(ContractError, match="is read by no block"):
        order_blocks([toy("a", adds=("tokens",), consumed=("tokens",))], EMPTY)
    order_blocks(
        [toy("a", adds=("tokens",), consumed=("tokens",)), toy("b", reads=("tokens",))], EMPTY
    )


def _ctx() -> Ctx:
    return Ctx(n=2, months=1, p=None, fx={}, currency="CNY", inputs=None)  # type: ignore[arg-type]


def test_every_access_is_checked_against_the_declarations():
    ctx = _ctx()
    b = toy("a", reads=("x",), writes=("y",), books=("revenue.a",), records=("k",))
    ctx.enter(b, 0)
    ctx.write("y", np.ones(2))
    ctx.book("revenue.a", 0, np.ones(2))
    ctx.record("k", 0, np.ones(2))
    for call, what in (
        (lambda: ctx.read("z"), "reads 'z'"),
        (lambda: ctx.write("x", 1), "writes 'x'"),
        (lambda: ctx.add("y", 1), "adds to 'y'"),
        (lambda: ctx.book("revenue.b", 0, np.ones(2)), "books 'revenue.b'"),
        (lambda: ctx.record("k2", 0, np.ones(2)), "records 'k2'"),
    ):
        with pytest.raises(ContractViolation, match=what):
            call()
    ctx.enter(toy("c", reads=("y",)), 0)
    assert np.array_equal(ctx.read("y"), np.ones(2))


def test_every_output_is_declared_once_and_produced():
    produced = set()
    for cls in BLOCKS.classes:
        for name in (*cls.books, *cls.records):
            assert name in BLOCKS.outputs, f"{cls.__name__} books or records undeclared {name}"
            produced.add(BLOCKS.outputs[name].name)
    for row in BLOCKS.outputs.rows():
        if row.kind in ("total", "metric", "probability"):
            continue
        assert row.name in produced, f"{row.name} is declared but no block produces it"
        assert row.audience in AUDIENCES, row
        assert row.category in (CATEGORIES if row.is_line else KPI_CATEGORIES), row
        assert row.en and row.zh, row


def test_two_different_declarations_of_one_output_are_refused():
    row = BLOCKS.outputs["revenue.subscription"]
    with pytest.raises(ValueError, match="declared twice"):
        OutputTable([row, dataclasses.replace(row, en="Other")])


def test_discovery_order_does_not_change_the_run_order_or_the_numbers():
    sc = breakeven.load(templates.path("office-and-security-suite"))
    reversed_set = BlockSet(tuple(reversed(BLOCKS.classes)), BLOCKS.outputs)
    a = breakeven.simulate(sc, samples=500, seed=3)
    try:
        type(sc).blockset = reversed_set
        assert names(order_blocks(sc.build_blocks(), BLOCKS.outputs).order) == names(
            order_blocks(list(reversed(sc.build_blocks())), BLOCKS.outputs).order
        )
        b = breakeven.simulate(sc, samples=500, seed=3)
    finally:
        type(sc).blockset = BLOCKS
    assert a.kpi_names == b.kpi_names and a.lines == b.lines
    assert np.array_equal(a.ledger_lms, b.ledger_lms) and np.array_equal(a.kpis_lms, b.kpis_lms)


def test_discover_finds_every_block_module():
    again = discover(breakeven.blocks)
    assert [c.__name__ for c in again.classes] == [c.__name__ for c in BLOCKS.classes]
    assert "SubscriptionBlock" in [c.__name__ for c in again.classes]
    assert "ServingBlock" not in [c.__name__ for c in again.classes]  # abstract: a base


@pytest.mark.parametrize("name", templates.names())
def test_a_scenario_made_in_python_simulates_like_one_loaded(name):
    text = templates.text(name)
    loaded = breakeven.load_text(text, f"{name}.yaml")
    made = Scenario.model_validate(yaml.safe_load(text))
    a = breakeven.simulate(loaded, samples=300, seed=5)
    b = breakeven.simulate(made, samples=300, seed=5)
    assert np.array_equal(a.ledger_lms, b.ledger_lms)
    for k in a.metrics:
        assert np.array_equal(a.metrics[k], b.metrics[k], equal_nan=True)
    assert made.source == "<scenario>" and loaded.source == f"{name}.yaml"


def test_fixed_overrides_inputs_without_touching_the_scenario():
    sc = breakeven.load(templates.path("chat-assistant-freemium"))
    before = sc.model_dump()
    path = "streams.subscription.price_per_month"
    res = breakeven.simulate(sc, samples=200, seed=1, fixed={path: 39})
    assert sc.model_dump() == before
    assert res.fixed == {path: 39}
    # the schedule {0: 49, 25: 39} is held at 39 in every month: revenue per payer is flat
    assert not any(k.startswith(path) for k in res.inputs)
    per_payer = res.kpi("subscription_revenue_per_payer")[:, 1:]
    assert np.allclose(per_payer, per_payer[:, :1], rtol=1e-6)
    base = breakeven.simulate(sc, samples=200, seed=1)
    assert not np.array_equal(base.metrics["npv"], res.metrics["npv"])
    one = breakeven.simulate(sc, samples=200, seed=1, fixed={f"{path}.25": 39})
    assert np.array_equal(one.metrics["npv"], base.metrics["npv"])  # it is 39 from 25 anyway
    with pytest.raises(breakeven.UserError, match="must be a fraction"):
        breakeven.simulate(sc, samples=10, fixed={"streams.subscription.conversion": 2})
    with pytest.raises(breakeven.UserError, match="closest inputs"):
        breakeven.simulate(sc, samples=10, fixed={"streams.subscription.prize": 2})


def test_a_block_writes_only_the_month_being_stepped_and_reads_are_read_only():
    ctx = _ctx()
    b = toy("a", books=("revenue.a",), records=("k",))
    ctx.enter(b, 0)
    with pytest.raises(ContractViolation, match="month index 1 while stepping month index 0"):
        ctx.book("revenue.a", 1, np.ones(2))
    with pytest.raises(ContractViolation, match="records 'k' in month index 3"):
        ctx.record("k", 3, np.ones(2))
    ctx.book("revenue.a", 0, np.array([1.0, 2.0]))
    ctx.record("k", 0, np.array([5.0, 6.0]))
    ctx.enter(toy("c", reads=("revenue.a", "k", "revenue")), 0)
    for key in ("revenue.a", "k", "revenue"):
        with pytest.raises(ValueError, match="read-only"):
            ctx.read(key)[0] = 9.0
    assert ctx.read("revenue.a").tolist() == [1.0, 2.0]


def test_rows_are_reused_month_to_month_and_read_as_zero_until_written():
    """The engine reuses one row per line and KPI; what a month does not write reads as zero,
    during the month and once it ends (nothing of last month shows through)."""
    ctx = _ctx()
    booker = toy("a", books=("revenue.a", "opex.b"), records=("k", "j"))
    reader = toy("r", reads=("revenue.a", "opex.b", "k", "j", "ebitda"))
    ctx.new_month(())
    ctx.enter(booker, 0)
    ctx.book("revenue.a", 0, np.array([1.0, 2.0]))
    ctx.book("revenue.a", 0, 3.0)
    ctx.book("opex.b", 0, np.array([4.0, 4.0]))
    ctx.record("k", 0, np.array([7.0, 8.0]))
    ctx.record("j", 0, np.array([1.0, 1.0]))
    ctx.end_month()
    ctx.new_month(())
    ctx.enter(reader, 1)
    assert ctx.read("revenue.a").tolist() == [0.0, 0.0]  # nothing booked yet this month
    assert ctx.read("k").tolist() == [0.0, 0.0]
    ctx.enter(booker, 1)
    ctx.book("revenue.a", 1, np.array([10.0, 20.0]))  # the first flow of the month replaces
    ctx.record("k", 1, np.array([9.0, 9.0]))
    ctx.end_month()
    assert ctx.line_rows["revenue.a"].tolist() == [10.0, 20.0]
    assert ctx.line_rows["opex.b"].tolist() == [0.0, 0.0]  # not booked in month 1: zeroed
    assert ctx.kpi_rows["k"].tolist() == [9.0, 9.0]
    assert ctx.kpi_rows["j"].tolist() == [0.0, 0.0]
    ctx.enter(reader, 1)
    assert ctx.read("ebitda").tolist() == [10.0, 20.0]
