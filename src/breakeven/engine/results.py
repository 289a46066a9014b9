"""Results of a simulation: per-sample metrics, the ledger as labelled arrays, and summaries.

What is kept (memory is bounded whatever the sample count):
- every sample's metrics and sampled inputs (arrays of shape (samples,));
- the full monthly ledger and KPIs (sample × month × line) for the first ``keep`` samples
  (default 5,000 — an i.i.d. subsample, since samples are independent: monthly bands from 5,000
  samples put the p10 within about ±0.4 percentile points);
- the mean of every ledger line and KPI per month over *all* samples, summed chunk by chunk.
Monthly quantile bands (p10/p50/p90) come from the kept samples; metric quantiles and
probabilities from all samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..finance.metrics import METRIC_DOCS

QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}


@dataclass
class Results:
    scenario: Any
    samples: int
    seed: int
    lines: list[str]
    detail_lines: list[str]
    kpi_names: list[str]
    ledger_lms: np.ndarray  # (lines, months, kept): line-major storage
    kpis_lms: np.ndarray  # (kpis, months, kept)
    ledger_sum_lm: np.ndarray  # (lines, months), sums over all samples
    kpi_sum_lm: np.ndarray  # (kpis, months)
    metrics: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    input_table: dict
    elapsed_s: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- basics
    @property
    def ledger(self) -> np.ndarray:
        """Kept samples of the ledger, (sample, month, line) — a view, no copy."""
        return self.ledger_lms.transpose(2, 1, 0)

    @property
    def kpis(self) -> np.ndarray:
        return self.kpis_lms.transpose(2, 1, 0)

    @property
    def ledger_sum(self) -> np.ndarray:
        """Sums over all samples, (month, line)."""
        return self.ledger_sum_lm.T

    @property
    def kpi_sum(self) -> np.ndarray:
        return self.kpi_sum_lm.T

    @property
    def months(self) -> int:
        return self.ledger_sum_lm.shape[1]

    @property
    def currency(self) -> str:
        return self.scenario.currency

    @property
    def kept(self) -> int:
        return self.ledger_lms.shape[2]

    def line(self, name: str) -> np.ndarray:
        """Kept samples of one ledger line, shape (kept, months)."""
        return self.ledger_lms[self.lines.index(name)].T

    def kpi(self, name: str) -> np.ndarray:
        return self.kpis_lms[self.kpi_names.index(name)].T

    def monthly_mean(self, name: str) -> np.ndarray:
        """Mean over all samples of a ledger line or KPI, per month."""
        if name in self.lines:
            return self.ledger_sum_lm[self.lines.index(name)] / self.samples
        return self.kpi_sum_lm[self.kpi_names.index(name)] / self.samples

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

    def summary(self) -> dict[str, dict]:
        return {k: self.metric_summary(k) for k in self.metrics if ":" not in k}

    @property
    def milestones(self) -> list[dict]:
        """Each milestone with the probability (share of all samples) of hitting it."""
        out = []
        for m in self.scenario.milestones:
            hits = self.metrics[f"milestone:{m.name}"]
            out.append({"name": m.name, "month": m.month, "measure": m.measure,
                        "at_least": m.at_least, "probability": float(hits.mean())})
        for r in self.scenario.funding.rounds:
            k = f"round_closed:{r.name}"
            if k in self.kpi_names and (r.requires or not r.close_probability.is_point
                                        or r.close_probability.median < 1):
                closed = self.kpi(k)[:, -1] if self.kept else None
                out.append({"name": f"round {r.name} closes", "month": r.month,
                            "measure": "conditions" if r.requires else "close_probability",
                            "at_least": None,
                            "probability": float(self.monthly_mean(k)[-1])
                            if closed is not None else None})
        return out

    @property
    def user_margins(self) -> dict | None:
        """Monthly margin of the mean, median, p90 and p99 paying user (mean over samples)."""
        if "margin_p50_payer" not in self.kpi_names:
            return None
        return {k: self.monthly_mean(f"margin_{k}_payer").tolist()
                for k in ("mean", "p50", "p90", "p99")}

    def monthly(self, names: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
        """Each ledger line and KPI → {mean, p10, p50, p90: [per month]}."""
        out = {}
        for name in names or (self.lines + self.kpi_names):
            arr = (self.ledger_lms[self.lines.index(name)] if name in self.lines
                   else self.kpis_lms[self.kpi_names.index(name)])  # (months, kept)
            qs = np.quantile(arr, list(QUANTILES.values()), axis=1) if self.kept else None
            row = {"mean": self.monthly_mean(name).tolist()}
            for i, k in enumerate(QUANTILES):
                row[k] = qs[i].tolist() if qs is not None else []
            out[name] = row
        return out

    def headline(self) -> str:
        from ..report.text import headline
        return headline(self)

    def _repr_html_(self) -> str:
        """Compact summary for Jupyter."""
        from ..report.notebook import results_html
        return results_html(self)

    @property
    def plot(self):
        """Plotly figures: ``results.plot.cash()``, ``.revenue_vs_cost()``, ``.users()``,
        ``.breakeven_cdf()``, ``.funding_need()``, ``.unit_economics()``, ``.cost_breakdown()``."""
        from ..report.notebook import results_plot
        return results_plot(self)

    def to_dict(self) -> dict:
        """The JSON document of a run (format documented in the README)."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "file": getattr(sc, "_source", None),
            "samples": self.samples,
            "seed": self.seed,
            "horizon_months": self.months,
            "currency": self.currency,
            "headline": self.headline(),
            "probabilities": self.probabilities,
            "metrics": self.summary(),
            "metric_definitions": {k: METRIC_DOCS[k] for k in self.metrics if ":" not in k},
            "milestones": self.milestones,
            "user_margins": self.user_margins,
            "monthly_from_samples": self.kept,
            "monthly": self.monthly(),
        }

    # ---------------------------------------------------------------- labelled data
    def to_xarray(self):
        """xarray Dataset: ledger (sample × month × line), kpis, metrics (sample), inputs."""
        import xarray as xr
        months = np.arange(1, self.months + 1)
        kept = np.arange(self.kept)
        allsamp = np.arange(self.samples)
        ds = xr.Dataset(
            {
                "ledger": (("sample", "month", "line"), self.ledger),
                "kpis": (("sample", "month", "kpi"), self.kpis),
                "ledger_mean": (("month", "line"), self.ledger_sum / self.samples),
            },
            coords={"sample": kept, "month": months, "line": self.lines, "kpi": self.kpi_names},
            attrs={"scenario": self.scenario.name, "currency": self.currency,
                   "seed": self.seed, "samples": self.samples},
        )
        ds = ds.assign({f"metric_{k}": (("all_samples",), v) for k, v in self.metrics.items()})
        return ds.assign_coords(all_samples=allsamp)

    def to_pandas(self):
        """Per-sample metrics and random inputs as a DataFrame (one row per sample)."""
        import pandas as pd
        df = pd.DataFrame(self.metrics)
        for k, v in self.inputs.items():
            df[k] = v
        df.index.name = "sample"
        return df

    def statement(self, stat: str = "p50"):
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
            from ..report.statement import representative_samples
            sample = representative_samples(self, "npv", {stat: QUANTILES[stat]})[stat]
            data = self.ledger_lms[:, :, sample]
        else:
            raise ValueError(f"stat must be mean, p10, p50 or p90 (got {stat!r})")
        df = pd.DataFrame(data, index=self.lines, columns=range(1, self.months + 1))
        df.attrs["sample"] = sample
        return df
