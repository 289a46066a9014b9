"""Commands ``breakeven sensitivity`` and ``breakeven goalseek`` (added by :func:`register`)."""

from __future__ import annotations

import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..analysis.sensitivity import METRICS
from ..errors import UserError
from ..format import number, pct_sig
from ..models.metrics import MONTH_METRICS
from ..report.terminal import safe
from ..scenario import load
from .common import dump_json


def _fmt(x: object) -> str:
    if isinstance(x, float) and math.isinf(x):
        return "never" if x > 0 else "-inf"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return number(float(x), 4)
    return "—" if x is None else str(x)


def _echo_json(doc: object) -> None:
    typer.echo(dump_json(doc))


def register(app: typer.Typer) -> None:
    """Add ``sensitivity`` and ``goalseek`` to a Typer app."""

    @app.command()
    def sensitivity(
        file: Path = typer.Argument(..., help="Scenario YAML file."),
        metric: str = typer.Option(
            "npv", "--metric", "-m", help=f"Metric to explain: {', '.join(METRICS)}."
        ),
        method: str = typer.Option(
            "tornado",
            "--method",
            help="tornado (one-at-a-time p10→p90 swings and conditional "
            "means) or sobol (variance shares S1, ST).",
        ),
        samples: int | None = typer.Option(
            None,
            "--samples",
            "-n",
            min=1,
            max=10_000_000,
            help="tornado: Monte Carlo samples for the conditional means (default: the "
            "scenario's). sobol: base sample N, a power of 2 (runs N×(inputs+2); "
            "default 8192: about 4 s on the example plan).",
        ),
        seed: int | None = typer.Option(None, "--seed", min=0, help="Override the seed."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ):
        """Which inputs decide the answer: a ranked tornado, or Sobol indices."""
        from ..analysis.sensitivity import sobol, tornado

        method = method.lower()
        if method not in ("tornado", "sobol"):
            raise UserError(f"--method: choose tornado or sobol (got {method!r})")
        if samples is not None and samples < 2:
            raise UserError(f"--samples: must be at least 2 (got {samples})")
        sc = load(file)
        if method == "tornado":
            tr = tornado(sc, metric=metric, seed=seed, samples_for_conditional=samples)
            doc = tr.to_dict()
        else:
            doc = sobol(sc, metric=metric, n_base=samples or 8192, seed=seed)
        if as_json:
            _echo_json(doc)
            return
        con = Console()
        if method == "tornado":
            _render_tornado(doc, sc, con)
        else:
            _render_sobol(doc, sc, con)

    @app.command()
    def goalseek(
        file: Path = typer.Argument(..., help="Scenario YAML file."),
        vary: str = typer.Option(
            ..., "--vary", help="Input to vary, by path (e.g. streams.subscription.conversion)."
        ),
        target: str = typer.Option(
            ...,
            "--target",
            help="Target, e.g. 'p_breakeven>=0.8', 'npv.p50>=0', "
            "'breakeven_month.p50<=36', 'p_cash_out<=10%'.",
        ),
        low: float | None = typer.Option(None, "--low", help="Lowest value to try."),
        high: float | None = typer.Option(None, "--high", help="Highest value to try."),
        samples: int | None = typer.Option(
            None,
            "--samples",
            "-n",
            min=1,
            max=10_000_000,
            help="Samples per trial (default: the scenario's).",
        ),
        seed: int | None = typer.Option(None, "--seed", min=0, help="Override the seed."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ):
        """Find the value of one input at which the plan reaches a target."""
        from ..analysis.goalseek import goalseek as seek

        if samples is not None and samples < 1:
            raise UserError(f"--samples: must be at least 1 (got {samples})")
        sc = load(file)
        out = seek(sc, vary=vary, target=target, low=low, high=high, samples=samples, seed=seed)
        if as_json:
            _echo_json(out)
            return
        con = Console()
        mark = "[green]found[/]" if out["found"] else "[red]not reachable[/]"
        con.print(
            f"[bold]{safe(out['target'])}[/] by varying [bold]{safe(out['label'])}[/] "
            f"in [{_fmt(out['low'])}, {_fmt(out['high'])}]: {mark}"
        )
        con.print(out["message"], markup=False, highlight=False)
        con.print(
            f"[dim]now in the plan: {out['current']}; {out['iterations']} simulations of "
            f"{out['samples']:,} samples, seed {out['seed']}[/]"
        )
        for w in out["warnings"]:
            con.print(f"[yellow]warning:[/] {w}", highlight=False)


def _render_tornado(doc: dict, sc, con: Console) -> None:
    m = doc["metric"]
    unit = "months" if m in MONTH_METRICS else sc.currency
    t = Table(
        title=f"What moves {m} — {safe(sc.name)} (every input at its median: {_fmt(doc['base'])} {unit})",
        title_justify="left",
        caption=f"{m} with the input at its p10 / p90 and all others at their medians; "
        "cond. swing = mean over the top minus bottom decile of a Monte Carlo run",
        caption_justify="left",
    )
    for col in ("#", "input", "p10 → p90", "at p10", "at p90", "swing", "cond. swing"):
        t.add_column(
            col,
            justify="left" if col in ("input", "p10 → p90") else "right",
            no_wrap=col != "input",
            overflow="fold",
        )
    for r in doc["rows"]:
        fx = pct_sig if r.get("domain") in ("fraction", "rate") else _fmt
        t.add_row(
            str(r["rank"]),
            safe(r["label"]),
            f"{fx(r['low'])} → {fx(r['high'])}",
            _fmt(r["metric_low"]),
            _fmt(r["metric_high"]),
            _fmt(r["swing"]),
            _fmt(r["conditional_swing"]),
        )
    con.print(t)
    if doc.get("note"):
        con.print(f"[dim]{doc['note']}[/]", highlight=False)


def _render_sobol(doc: dict, sc, con: Console) -> None:
    t = Table(
        title=f"Share of the variance of {doc['metric']} — {safe(sc.name)}", title_justify="left"
    )
    for col in ("#", "input", "first order S1", "total ST"):
        t.add_column(
            col,
            justify="left" if col == "input" else "right",
            no_wrap=col != "input",
            overflow="fold",
        )
    order = sorted(doc["ST"], key=lambda k: -(doc["ST"][k]["value"] or 0))
    for i, k in enumerate(order, 1):
        s1, st = doc["S1"][k], doc["ST"][k]
        t.add_row(
            str(i),
            safe(doc.get("labels", {}).get(k, k)),
            f"{s1['value']:.3f} ± {s1['conf']:.3f}",
            f"{st['value']:.3f} ± {st['conf']:.3f}",
        )
    con.print(t)
    con.print(
        f"[dim]{doc['n']:,} simulations (base sample {doc['n_base']}); 95% intervals by "
        f"bootstrap. {doc.get('note') or ''}[/]",
        highlight=False,
    )
    if doc["trustworthy"]:
        con.print("[green]indices are precise enough to rank the inputs[/]")
    for w in doc["warnings"]:
        con.print(f"[yellow]warning:[/] {w}", highlight=False)


__all__ = ["register"]
