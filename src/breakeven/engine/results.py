"""Results of a simulation: per-sample metrics, the ledger as labelled data, and summaries.

What is kept (memory is bounded whatever the sample count):
- every sample's metrics and sampled inputs (arrays of shape (samples,));
- the full monthly ledger and KPIs (sample × month × line) for the first ``keep`` samples
  (default 5,000 — an i.i.d. subsample, since samples are independent: monthly bands from 5,000
  samples put the p10 within about ±0.4 percentile points);
- the mean of every ledger line and KPI per month over *all* samples, summed chunk by chunk.
Monthly quantile bands (p10/p50/p90) come from the kept samples; metric quantiles and
probabilities from all samples.

:attr:`Results.ds` is all of it as one :class:`xarray.Dataset` (built on first use, without
copying): ``ledger`` (sample × month × line over the kept samples, with each line's declared
kind, sign, category, audience, unit and labels as coordinates), ``kpis`` (sample × month × kpi),
``ledger_mean`` and ``kpi_mean`` (month × …, over all samples; every month also has its calendar
``date``), ``metrics`` (all_samples ×
metric) and ``inputs`` (all_samples × input, each input named by its path, e.g.
``company.team.0.cost_per_person_per_year``, with its ``input_label`` as a coordinate: list items
named as the reports name them, ``company.team[research & engineering].cost_per_person_per_year``,
and a variable as ``$growth``; :attr:`Results.input_labels`).
Presentation (the headline, the JSON document, plots, the notebook view) belongs to
:mod:`breakeven.report`, whose presenter is taken from it on first use.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ..format import month_label
from ..models.metrics import MONTH_METRICS
from .inputs import InputTable
from .outputs import OutputTable

Array = NDArray[np.float64]

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}


class Presenter(Protocol):
    """How results are shown; :mod:`breakeven.report` provides one."""

    def headline(self, results: Results, lang: str) -> str: ...

    def document(self, results: Results) -> dict[str, Any]: ...

    def html(self, results: Results) -> str: ...

    def plot(self, results: Results) -> Any: ...


_presenter: list[Presenter] = []


def register_presenter(presenter: Presenter) -> None:
    """Show results with ``presenter`` (by default, :data:`breakeven.report.PRESENTER`)."""
    _presenter[:] = [presenter]


def _present() -> Presenter:
    if not _presenter:  # the reports' presenter, taken on first use
        # (by name: the engine does not depend on the reports, they are found at run time)
        report = importlib.import_module(__name__.rsplit(".", 2)[0] + ".report")
        _presenter[:] = [report.PRESENTER]
    return _presenter[0]


@dataclass
class Results:
    scenario: Any
    samples: int
    seed: int
    lines: list[str]
    detail_lines: list[str]
    kpi_names: list[str]
    ledger_lms: Array  # (lines, months, kept): line-major storage
    kpis_lms: NDArray[np.float32]  # (kpis, months, kept)
    ledger_sum_lm: Array  # (lines, months), sums over all samples
    kpi_sum_lm: Array  # (kpis, months)
    metrics: dict[str, Array]
    inputs: Mapping[str, Array]  # a dict, or drawn again when read for large runs
    input_table: InputTable
    outputs: OutputTable
    fixed: dict[str, float] = field(default_factory=dict)
    first_sample: int = 0  # samples are numbered from here (sample_range)
    elapsed_s: float = 0.0

    def __post_init__(self) -> None:
        self._line = {k: i for i, k in enumerate(self.lines)}
        self._kpi = {k: i for i, k in enumerate(self.kpi_names)}

    # ---------------------------------------------------------------- basics
    @property
    def months(self) -> int:
        return int(self.ledger_sum_lm.shape[1])

    @property
    def currency(self) -> str:
        return str(self.scenario.currency)

    @property
    def start(self) -> str:
        """The calendar month of month 1, as 2025-03."""
        return month_label(self.scenario.start, 1)

    @cached_property
    def calendar(self) -> list[str]:
        """The calendar month of each simulated month: ['2025-03', '2025-04', …]."""
        return [month_label(self.scenario.start, m) for m in range(1, self.months + 1)]

    def month_name(self, month: float | None) -> str | None:
        """The calendar month of a (possibly fractional) month number, None beyond the plan."""
        if month is None or not math.isfinite(month) or month < 1:
            return None
        return month_label(self.scenario.start, int(round(month)))

    @property
    def kept(self) -> int:
        return int(self.ledger_lms.shape[2])

    def line(self, name: str) -> Array:
        """Kept samples of one ledger line, shape (kept, months) — a view, no copy."""
        line_mk: Array = self.ledger_lms[self._line[name]]
        return line_mk.T

    def kpi(self, name: str) -> NDArray[np.float32]:
        """Kept samples of one KPI, shape (kept, months)."""
        kpi_mk: NDArray[np.float32] = self.kpis_lms[self._kpi[name]]
        return kpi_mk.T

    def monthly_mean(self, name: str) -> Array:
        """Mean over all samples of a ledger line or KPI, per month."""
        sum_m: Array = (
            self.ledger_sum_lm[self._line[name]]
            if name in self._line
            else self.kpi_sum_lm[self._kpi[name]]
        )
        return sum_m / self.samples

    # ---------------------------------------------------------------- labelled data
    @cached_property
    def ds(self) -> Any:
        """Everything as an :class:`xarray.Dataset` (see the module docstring); no copies."""
        import xarray as xr

        kept = np.arange(self.first_sample, self.first_sample + self.kept)
        allsamp = np.arange(self.first_sample, self.first_sample + self.samples)
        rows = [self.outputs[n] if n in self.outputs else None for n in self.lines]
        coords: dict[str, Any] = {
            "sample": kept,
            "all_samples": allsamp,
            "month": np.arange(1, self.months + 1),
            "date": (
                "month",
                np.array(self.calendar, dtype="datetime64[M]").astype("datetime64[ns]"),
            ),
            "line": self.lines,
            "kpi": self.kpi_names,
            "metric": list(self.metrics),
            "input": list(self.inputs),
            "input_label": ("input", [self.input_labels[k] for k in self.inputs]),
        }
        for attr in ("kind", "category", "audience", "unit", "en", "zh"):
            coords[f"line_{attr}"] = ("line", [getattr(r, attr, "") if r else "" for r in rows])
        coords["line_sign"] = ("line", [r.sign if r else 0 for r in rows])
        metric = (
            np.stack(list(self.metrics.values()), axis=1)
            if self.metrics
            else np.empty((self.samples, 0))
        )
        inp = (
            np.stack(list(self.inputs.values()), axis=1)
            if self.inputs
            else np.empty((self.samples, 0))
        )
        return xr.Dataset(
            {
                "ledger": (("sample", "month", "line"), self.ledger_lms.transpose(2, 1, 0)),
                "kpis": (("sample", "month", "kpi"), self.kpis_lms.transpose(2, 1, 0)),
                "ledger_mean": (("month", "line"), self.ledger_sum_lm.T / self.samples),
                "kpi_mean": (("month", "kpi"), self.kpi_sum_lm.T / self.samples),
                "metrics": (("all_samples", "metric"), metric),
                "inputs": (("all_samples", "input"), inp),
            },
            coords=coords,
            attrs={
                "scenario": str(self.scenario.name),
                "currency": self.currency,
                "seed": self.seed,
                "samples": self.samples,
                "kept": self.kept,
            },
        )

    @property
    def ledger(self) -> Any:
        """Kept samples of the ledger as a DataArray (sample × month × line)."""
        return self.ds["ledger"]

    @property
    def kpis(self) -> Any:
        """Kept samples of the KPIs as a DataArray (sample × month × kpi)."""
        return self.ds["kpis"]

    def to_xarray(self) -> Any:
        """The :attr:`ds` Dataset."""
        return self.ds

    @cached_property
    def input_labels(self) -> dict[str, str]:
        """Each random input's path → its name as the reports show it:
        ``company.team.0.cost_per_person_per_year`` →
        ``company.team[research & engineering].cost_per_person_per_year``, ``variables.growth`` →
        ``$growth`` (:meth:`~breakeven.engine.inputs.InputTable.label`). Either form is taken
        back by ``fixed``, ``--vary`` and goal seek. Should two inputs ever read alike, each
        keeps its path, so that the labels name the inputs one to one."""
        shown = {k: self.input_table.label(k) for k in self.inputs}
        seen: dict[str, int] = {}
        for v in shown.values():
            seen[v] = seen.get(v, 0) + 1
        return {k: v if seen[v] == 1 else k for k, v in shown.items()}

    def to_pandas(self, labels: bool = False) -> Any:
        """Per-sample metrics and random inputs as a DataFrame (one row per sample).

        The inputs' columns are named by path (``company.team.0.cost_per_person_per_year``), as
        they always were, so code that selects them keeps working; ``labels=True`` names them as
        the reports do instead (``company.team[research & engineering].cost_per_person_per_year``,
        ``$growth``; see :attr:`input_labels`). Either way ``df.attrs["input_labels"]`` maps each
        path to its label, and the metrics' columns are unchanged. An argument rather than a
        second column level: a MultiIndex would change what ``df[name]`` returns. Labels are
        one to one with paths (:attr:`input_labels`), so no column is lost.
        """
        import pandas as pd

        df = pd.DataFrame(self.metrics)
        for k, v in self.inputs.items():
            df[self.input_labels[k] if labels else k] = v
        df.index.name = "sample"
        df.attrs["input_labels"] = dict(self.input_labels)
        return df

    # ---------------------------------------------------------------- summaries
    @property
    def probabilities(self) -> dict[str, float]:
        return {
            "p_breakeven": float(np.mean(~np.isnan(self.metrics["breakeven_month"]))),
            "p_cash_out": float(np.mean(~np.isnan(self.metrics["runway_months"]))),
        }

    def metric_summary(self, name: str) -> dict[str, float | None]:
        """mean (over defined samples), p10/p50/p90 (over all; None = beyond the horizon),
        and the share of samples where the metric is undefined."""
        x = self.metrics[name]
        undefined = np.isnan(x)
        out: dict[str, float | None] = {}
        out["mean"] = float(np.mean(x[~undefined])) if (~undefined).any() else None
        filled = np.where(undefined, np.inf, x)
        for k, q in QUANTILES.items():
            v = float(np.quantile(filled, q, method="inverted_cdf"))
            out[k] = v if math.isfinite(v) else None
        out["undefined_share"] = float(undefined.mean())
        return out

    def summary(self) -> dict[str, dict[str, float | None]]:
        return {k: self.metric_summary(k) for k in self.metrics if ":" not in k}

    @property
    def milestones(self) -> list[dict[str, Any]]:
        """Each milestone with the probability (share of all samples) of hitting it, then each
        funding round that may not close, with the probability that it does."""
        out: list[dict[str, Any]] = []
        for m in self.scenario.milestones:
            hits = self.metrics[f"milestone:{m.name}"]
            out.append(
                {
                    "name": m.name,
                    "month": m.month,
                    "measure": m.measure,
                    "at_least": m.at_least,
                    "probability": float(hits.mean()),
                }
            )
        for r in self.scenario.funding.rounds:
            k = f"round_closed:{r.name}"
            if k not in self._kpi:
                continue
            certain = self.input_table.dist(r.close_probability)
            if r.requires or not certain.is_point or certain.median < 1:
                out.append(
                    {
                        "name": f"round {r.name} closes",
                        "month": r.month,
                        "measure": "conditions" if r.requires else "close_probability",
                        "at_least": None,
                        "probability": float(self.monthly_mean(k)[-1]) if self.kept else None,
                    }
                )
        return out

    @property
    def user_margins(self) -> dict[str, list[float]] | None:
        """Monthly margin of the mean, median, p90 and p99 paying user (mean over samples)."""
        if "margin_p50_payer" not in self._kpi:
            return None
        return {
            k: self.monthly_mean(f"margin_{k}_payer").tolist()
            for k in ("mean", "p50", "p90", "p99")
        }

    def monthly(self, names: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
        """Each ledger line and KPI → {mean, p10, p50, p90: [per month]}."""
        out = {}
        for name in names or (self.lines + self.kpi_names):
            arr = (
                self.ledger_lms[self._line[name]]
                if name in self._line
                else self.kpis_lms[self._kpi[name]]
            )  # (months, kept)
            qs = np.quantile(arr, list(QUANTILES.values()), axis=1) if self.kept else None
            row = {"mean": self.monthly_mean(name).tolist()}
            for i, k in enumerate(QUANTILES):
                row[k] = qs[i].tolist() if qs is not None else []
            out[name] = row
        return out

    def statement(self, stat: str = "p50") -> Any:
        """Monthly P&L and cash flow (lines × months) as a pandas DataFrame.

        ``mean``: the mean of every line over all samples (means add up). ``p10``/``p50``/
        ``p90``: the whole ledger of the kept sample whose NPV sits at that quantile — one
        coherent outcome, so revenue − costs = EBITDA in every column (per-line quantiles
        would not add up). The chosen sample is in ``df.attrs['sample']``.
        """
        import pandas as pd

        if stat == "mean":
            data, sample = self.ledger_sum_lm / self.samples, None
        elif stat in QUANTILES:
            sample = self.representative_samples("npv", {stat: QUANTILES[stat]})[stat]
            data = self.ledger_lms[:, :, sample]
        else:
            raise ValueError(f"stat must be mean, p10, p50 or p90 (got {stat!r})")
        df = pd.DataFrame(data, index=self.lines, columns=range(1, self.months + 1))
        df.attrs["sample"] = sample
        return df

    def representative_samples(
        self, metric: str = "npv", stats: dict[str, float] | None = None
    ) -> dict[str, int]:
        """Index (among kept samples) of the sample whose ``metric`` sits at each quantile:
        {'p10': i, 'p50': j, 'p90': k}. Its whole ledger is one coherent outcome."""
        stats = stats or {"p50": 0.50, "p10": 0.10, "p90": 0.90}
        if self.kept == 0:
            raise ValueError("no kept samples: simulate with keep_ledger > 0")
        x = np.asarray(self.metrics[metric], dtype=float)[: self.kept]
        x = np.where(np.isnan(x), -np.inf, x)
        order = np.argsort(x, kind="stable")
        n = len(order)
        return {
            k: int(order[min(n - 1, max(0, int(round(q * (n - 1)))))]) for k, q in stats.items()
        }

    def month_metric(self, name: str) -> bool:
        """Whether a metric is a month number (undefined when it never happens)."""
        return name in MONTH_METRICS

    # ---------------------------------------------------------------- presentation
    def headline(self, lang: str = "en") -> str:
        """'Break-even by month 31 in 68% of outcomes; median month 22; cash needed …'."""
        return _present().headline(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of a run (format documented in the README)."""
        return _present().document(self)

    def _repr_html_(self) -> str:
        """Compact summary for Jupyter."""
        return _present().html(self)

    @property
    def plot(self) -> Any:
        """Plotly figures: ``results.plot.cash()``, ``.revenue_vs_cost()``, ``.users()``,
        ``.breakeven_cdf()``, ``.funding_need()``, ``.unit_economics()``, ``.cost_breakdown()``."""
        return _present().plot(self)
