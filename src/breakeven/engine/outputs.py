"""Declared outputs: every ledger line, KPI, total and metric, as one table of data.

Each block module declares the lines and KPIs it introduces in a module-level ``OUTPUTS`` tuple
(like PyPSA's per-component attribute files); the engine declares the ledger totals, the metrics
and the probabilities here. :func:`breakeven.engine.discover` assembles them into one
:class:`OutputTable`: the statement layout, totals and signs, the report's groupings and the en/zh
labels are all read from it, never re-typed. ``breakeven outputs`` prints it and
``docs/outputs.md`` is generated from it.

Vocabulary:

- ``kind``: a ledger kind (revenue, cogs, opex, depreciation, capex, wc, funding) for detail lines;
  ``total`` for derived ledger lines; ``kpi``; ``metric`` (one value per sample); ``probability``.
- ``sign``: how the line enters cash flow (+1 revenue, working capital, funding; −1 costs), from
  its kind (:data:`breakeven.models.ledger.KINDS`).
- ``category``: what a line rolls into in the reports (a cost group of :data:`CATEGORIES`, or
  ``revenue``); for KPIs ``users``, ``pipeline``, ``usage``, ``capacity``, ``economics``,
  ``devices``, ``funding``.
- ``audience``: whose activity it measures: consumer, business, platform, devices, company, buyer.
- ``rank``: order within a category where the reports pick a few (users charted first), and
  ``per``: rank as a unit-economics denominator (revenue and costs *per* paying user, …).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..models import ledger
from ..models.metrics import METRIC_DOCS, PROBABILITY_DOCS

AUDIENCES = ("consumer", "business", "platform", "devices", "company", "buyer")
KPI_CATEGORIES = ("users", "pipeline", "usage", "capacity", "economics", "devices", "funding")

# Where a line rolls into in the reports: cost groups (cost breakdown, unit economics) and their
# labels. ``revenue`` is every revenue line; assets, timing and funding are below EBITDA.
CATEGORIES: dict[str, tuple[str, str]] = {
    "revenue": ("Revenue", "收入"),
    "serving": ("Serving (inference)", "推理服务"),
    "training": ("Training", "训练"),
    "people": ("People", "人员"),
    "marketing": ("Marketing", "市场营销"),
    "fees": ("Payment, store & partner fees", "支付、渠道与合作方分成"),
    "delivery": ("Delivery (integration, support, pre-sales)", "交付（集成、运维、售前）"),
    "devices": ("Devices", "硬件设备"),
    "licences": ("Licences", "软件许可"),
    "other": ("Other", "其他"),
    "assets": ("Assets", "资产"),
    "timing": ("Cash timing", "现金时点"),
    "funding": ("Funding", "融资"),
}
COST_CATEGORIES = (
    "serving",
    "training",
    "people",
    "marketing",
    "fees",
    "delivery",
    "devices",
    "licences",
    "other",
)


@dataclass(frozen=True)
class Output:
    """One declared output. ``name`` may end in a ``{placeholder}`` (``round_closed:{round}``)
    for outputs named after a user's entry."""

    name: str
    kind: str
    en: str
    zh: str
    unit: str = "currency/month"
    category: str = "other"
    audience: str = "company"
    doc: str = ""
    doc_zh: str = ""
    rank: int = 0
    per: int | None = None

    @property
    def sign(self) -> int:
        """+1 / −1 for ledger lines and kind totals (how they enter cash flow); 0 otherwise."""
        if self.kind in ledger.KIND:
            return ledger.KIND[self.kind].sign
        for k in ledger.KINDS:
            if self.kind == "total" and k.total == self.name:
                return k.sign
        return 0

    @property
    def is_line(self) -> bool:
        return self.kind in ledger.KIND

    @property
    def pattern(self) -> str | None:
        """The fixed prefix of a templated name (``round_closed:``), else None."""
        return self.name.split("{", 1)[0] if "{" in self.name else None

    def label(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else self.en

    def row(self) -> dict[str, Any]:
        return {**asdict(self), "sign": self.sign}


def line(
    name: str,
    en: str,
    zh: str,
    *,
    category: str,
    audience: str = "company",
    unit: str = "currency/month",
    doc: str = "",
) -> Output:
    """A detail ledger line ``kind.item``; its kind is the part before the dot."""
    return Output(name, ledger.kind_of(name), en, zh, unit, category, audience, doc)


def kpi(
    name: str,
    en: str,
    zh: str,
    *,
    unit: str,
    category: str,
    audience: str = "company",
    doc: str = "",
    rank: int = 0,
    per: int | None = None,
) -> Output:
    """A KPI: an operating figure recorded each month (users, tokens, GPUs…)."""
    return Output(name, "kpi", en, zh, unit, category, audience, doc, rank=rank, per=per)


_TOTAL_LABELS = {
    "revenue": ("Revenue", "营业收入"),
    "cost_of_revenue": ("Cost of revenue", "营业成本"),
    "gross_profit": ("Gross profit", "毛利"),
    "operating_expenses": ("Operating expenses", "运营费用"),
    "ebitda": ("EBITDA", "EBITDA（息税折旧摊销前利润）"),
    "depreciation": ("Depreciation", "折旧"),
    "ebit": ("EBIT", "EBIT（息税前利润）"),
    "capex": ("Capital expenditure", "资本支出"),
    "working_capital": ("Working capital", "营运资金变动"),
    "free_cash_flow": ("Free cash flow", "自由现金流"),
    "funding": ("Funding", "融资"),
    "net_cash_flow": ("Net cash flow", "净现金流"),
    "cash": ("Cash, end of month", "月末现金"),
}
_METRIC_LABELS: dict[str, tuple[str, str, str, str]] = {  # en, zh, unit, zh doc
    "breakeven_month": (
        "Break-even month",
        "盈亏平衡月份",
        "month",
        "首个 EBITDA ≥ 0（且当月有收入）的月份；期内未出现则为未发生。",
    ),
    "sustained_breakeven_month": (
        "Lasting break-even month",
        "持续盈亏平衡月份",
        "month",
        "自该月起至期末 EBITDA 一直 ≥ 0 的首个月份（持续的盈亏平衡，而非下一轮招聘前的短暂转正）；"
        "末月亏损则为未发生。",
    ),
    "payback_month": (
        "Payback month",
        "回本月份",
        "month",
        "累计自由现金流（融资前现金流）在谷底之后首次回到 ≥ 0 的月份；从未为负则为 0；"
        "期内未回升则为未发生。",
    ),
    "peak_funding_need": (
        "Peak funding need",
        "峰值资金需求",
        "currency",
        "融资前累计现金缺口的最大值：max(0, −累计自由现金流最小值)。"
        "即需要向投资人或银行筹集的资金。",
    ),
    "npv": (
        "NPV",
        "净现值",
        "currency",
        "期内自由现金流按年折现率折现的净现值（月利率 (1+r)^(1/12)−1，月末现金流，不含终值）。",
    ),
    "runway_months": (
        "Runway (months)",
        "资金跑道（月）",
        "months",
        "现金（含期初现金与融资）首次低于 0 之前的月数；期内未耗尽则为未发生。",
    ),
    "ending_cash": ("Ending cash", "期末现金", "currency", "期末现金余额。"),
    "revenue_last_month": (
        "Revenue, last month",
        "末月收入",
        "currency/month",
        "期内最后一个月的收入（年化收入 / 12）。",
    ),
    "ebitda_total": ("EBITDA, total", "EBITDA 合计", "currency", "期内 EBITDA 合计。"),
    "roi": (
        "ROI",
        "投资回报率（ROI）",
        "ratio",
        "期内投资回报：总收入（或收益）除以营业成本、运营费用与资本支出之和，再减 1。",
    ),
}
_PROBABILITY_LABELS = {
    "p_breakeven": (
        "P(break-even within horizon)",
        "期内盈亏平衡概率",
        "期内 EBITDA 达到 ≥ 0 的样本占比。",
    ),
    "p_cash_out": ("P(cash runs out)", "资金耗尽概率", "期内现金低于 0 的样本占比。"),
}


def engine_outputs() -> tuple[Output, ...]:
    """The engine's own rows: ledger totals, per-sample metrics and probabilities."""
    rows = [
        Output(
            name,
            "total",
            *_TOTAL_LABELS[name],
            unit="currency" if name == ledger.CASH else "currency/month",
            category="total",
        )
        for name in ledger.TOTALS
    ]
    for name, doc in METRIC_DOCS.items():
        en, zh, unit, doc_zh = _METRIC_LABELS[name]
        rows.append(Output(name, "metric", en, zh, unit, "metric", doc=doc, doc_zh=doc_zh))
    for name, doc in PROBABILITY_DOCS.items():
        en, zh, doc_zh = _PROBABILITY_LABELS[name]
        rows.append(
            Output(
                name, "probability", en, zh, "probability", "probability", doc=doc, doc_zh=doc_zh
            )
        )
    return tuple(rows)


class OutputTable(Mapping[str, Output]):
    """The assembled table: look up, filter and label outputs by name (templated names match by
    their prefix: ``round_closed:Series A`` is ``round_closed:{round}``)."""

    def __init__(self, rows: Iterable[Output]):
        self._rows: dict[str, Output] = {}
        self._patterns: list[Output] = []
        for r in rows:
            old = self._rows.get(r.name)
            if old is not None and old != r:
                raise ValueError(f"output {r.name!r} is declared twice, differently: {old} and {r}")
            self._rows[r.name] = r
            if r.pattern is not None and old is None:
                self._patterns.append(r)

    def __getitem__(self, name: str) -> Output:
        row = self._rows.get(name)
        if row is not None:
            return row
        for p in self._patterns:
            if name.startswith(p.pattern or "") and name != p.pattern:
                return p
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        try:
            self[name]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def label(self, name: str, lang: str = "en") -> str:
        """The en or zh label of an output; a readable form of an unknown name."""
        if name in self:
            row = self[name]
            if row.pattern is not None and name != row.name:
                return f"{row.label(lang)}: {name[len(row.pattern) :]}"
            return row.label(lang)
        s = name.split(".", 1)[-1].replace("_", " ").strip()  # an undeclared line: its item
        return s[:1].upper() + s[1:]

    def doc(self, name: str, lang: str = "en") -> str:
        row = self._rows.get(name)
        if row is None:
            return ""
        return row.doc_zh if lang == "zh" and row.doc_zh else row.doc

    def select(self, names: Iterable[str], **where: Any) -> list[str]:
        """The ``names`` whose declared fields equal ``where`` (a tuple value: any of them)."""
        out = []
        for n in names:
            if n not in self:
                continue
            row = self[n]
            if all(
                (getattr(row, k) in v) if isinstance(v, tuple) else getattr(row, k) == v
                for k, v in where.items()
            ):
                out.append(n)
        return out

    def rows(self) -> list[Output]:
        return list(self._rows.values())
