"""Revenue share: a percentage of chosen streams' revenue paid to a channel or cloud partner.

Each partner takes ``share`` of the revenue booked on the lines it names — 20% of API revenue to
the cloud marketplace that resells the model, 30% of subscriptions to a handset maker that
pre-installs the app — in the months from ``from_month`` to ``until_month``. The payment lands
on cost of revenue (``cogs.partner_share``) in the month the revenue is booked, so gross margin,
unit economics and cash all show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import model_validator

from ..engine import F, Fraction, Section, line, section_of
from ..engine.block import Block, Ctx, Lines, Read
from ..engine.fields import Loc
from ..engine.inputs import InputTable
from ..models import ledger


class PartnerShare(Section):
    """A partner's cut of the revenue of chosen streams (a channel, a cloud marketplace)."""

    partner: str = F("Who is paid, e.g. a cloud marketplace or a handset maker.")
    share: Fraction = F(
        "Share of the named revenue paid to the partner, e.g. 20% or 15% to 25%.", "fraction"
    )
    of: list[str] = F(
        "Revenue lines shared, e.g. [revenue.api] (`breakeven outputs` lists them).", min_length=1
    )
    from_month: int = F("First month the share is paid.", "month", default=1, ge=1)
    until_month: int | None = F(
        "Last month the share is paid; default: to the end.", "month", default=None, ge=1
    )

    @model_validator(mode="after")
    def _months(self) -> PartnerShare:
        if self.until_month is not None and self.until_month < self.from_month:
            raise ValueError("until_month must not be before from_month")
        return self


SECTION = "streams.partner_share"

OUTPUTS = (line("cogs.partner_share", "Partner revenue share", "合作方分成", category="fees"),)


class PartnerShareBlock(Block):
    """Every partner of the plan; present when the plan names at least one."""

    section = SECTION
    schema = list[PartnerShare]
    reads: tuple[Read, ...] = (Lines(kind="revenue"),)  # narrowed to the lines partners name
    books = ("cogs.partner_share",)

    def __init__(self, spec: list[PartnerShare], scenario: Any):
        super().__init__(spec, scenario)
        self.reads = tuple(dict.fromkeys(name for p in spec for name in p.of))

    @classmethod
    def from_scenario(cls, sc: Any) -> list[Block]:
        partners = section_of(sc, SECTION)
        return [cls(partners, sc)] if partners else []

    def problems(self, inputs: InputTable) -> Iterable[tuple[Loc, str, Any]]:
        for i, p in enumerate(self.spec):
            for j, name in enumerate(p.of):
                if name.split(".", 1)[0] != "revenue" or "." not in name:
                    yield (str(i), "of", str(j)), "not a revenue line (revenue.<item>)", name

    def read_at(self, key: str) -> Loc:
        """The first entry of ``of`` naming ``key``."""
        for i, p in enumerate(self.spec):
            if key in p.of:
                return (str(i), "of", str(p.of.index(key)))
        return ()

    def prepare(self, ctx: Ctx) -> None:
        months = np.arange(1, ctx.months + 1)
        self.terms = []
        for p in self.spec:
            last = p.until_month if p.until_month is not None else ctx.months
            active = ((months >= p.from_month) & (months <= last)).astype(float)
            self.terms.append((ledger.order_lines(p.of), ctx.p[p.share], active))

    def step(self, ctx: Ctx, t: int) -> None:
        paid = np.zeros(ctx.n)
        for lines, share, active in self.terms:
            if active[t]:
                shared = np.zeros(ctx.n)
                for name in lines:
                    shared = shared + ctx.read(name)
                paid = paid + share * shared
        ctx.book("cogs.partner_share", t, paid)
