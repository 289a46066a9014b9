"""Devices already in use at the start: they retire and subscribe, but are not sold again."""

from __future__ import annotations

import pytest

import breakeven

PLAN = """\
name: installed base
currency: CNY
horizon_months: 3
samples: 1
streams:
  hardware:
    devices_sold_per_month: {sold}
    device_price: 1000
    device_cost: 600
    service_life_months: 10        # 10% retire each month
    installed_base: {base}
    subscription_attach_rate: 10%
    subscription_price_per_month: 30
"""


def run(sold: str, base: str):
    return breakeven.simulate(breakeven.load_text(PLAN.format(sold=sold, base=base)), samples=1)


def test_installed_devices_retire_and_subscribe_but_are_not_sold():
    r = run("0", "1000")
    assert r.kpi("devices_in_use")[0].tolist() == pytest.approx([900, 810, 729])
    assert r.line("revenue.devices")[0].tolist() == [0, 0, 0]
    assert r.line("revenue.device_subscriptions")[0, 0] == pytest.approx(900 * 0.1 * 30)


def test_sold_devices_join_the_installed_base():
    r = run("100", "1000")
    assert r.kpi("devices_in_use")[0, 0] == pytest.approx(1000)  # 900 left + 100 sold
    assert r.line("revenue.devices")[0, 0] == pytest.approx(100 * 1000)
    assert r.kpi("devices_sold")[0, 0] == pytest.approx(100)
