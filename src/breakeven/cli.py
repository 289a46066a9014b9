"""The command line: ``breakeven <command>``. User errors print one located line and exit 2."""

from __future__ import annotations

import difflib
import json
import math
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .engine.simulate import SimulationError
from .scenario.loader import ScenarioError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Will revenue cover costs? Monte Carlo break-even for LLM products.")
err = Console(stderr=True)


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 2."""


def _clean(x):
    """JSON-safe: NaN/inf → null, numpy scalars → Python."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def dump_json(obj) -> str:
    return json.dumps(_clean(obj), ensure_ascii=False, indent=1)


class _LazyProgress:
    """A progress bar that appears only when a run takes longer than a second."""

    def __init__(self, label: str, enabled: bool = True):
        self.t0 = time.perf_counter()
        self.bar = None
        self.task = None
        self.label = label
        self.enabled = enabled

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.t0 > 1.0 and done < total:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
            self.bar = Progress(TextColumn(self.label), BarColumn(),
                                TextColumn("{task.completed:,}/{task.total:,} samples"),
                                TimeRemainingColumn(), console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
            if done >= total:
                self.bar.stop()


def _load(path: Path):
    from .scenario.loader import load
    return load(path)


@app.command()
def run(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    samples: Optional[int] = typer.Option(None, "--samples", "-n", min=1, help="Override samples."),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="Override the seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as one JSON object."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write <name>.json into this folder."),
    report: Optional[Path] = typer.Option(None, "--report",
                                          help="Write a self-contained HTML report here."),
    excel: Optional[Path] = typer.Option(None, "--excel", help="Write an Excel workbook here."),
    lang: Optional[str] = typer.Option(None, "--lang",
                                       help="en or zh for the summary, report and workbook "
                                            "(default: from the locale)."),
):
    """Simulate a scenario and print the answer: break-even, cash needed, probabilities."""
    from .engine.simulate import simulate
    from .report.terminal import render

    lang = _lang(lang)
    sc = _load(file)
    if samples is not None and samples < 1:
        raise UserError(f"--samples: must be at least 1 (got {samples})")
    res = simulate(sc, samples=samples, seed=seed,
                   progress=_LazyProgress("simulating", sys.stderr.isatty()))
    doc = res.to_dict()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        _atomic(out / f"{file.stem}.json",
                lambda tmp: tmp.write_text(dump_json(doc), encoding="utf-8"))
    written = [out / f"{file.stem}.json"] if out is not None else []
    if report is not None:
        from .report.html import write_html
        written.append(_atomic(report, lambda tmp: write_html(res, tmp, lang=lang)))
    if excel is not None:
        from .report.excel import write_excel
        written.append(_atomic(excel, lambda tmp: write_excel(res, tmp, lang=lang)))
    if as_json:
        typer.echo(dump_json(doc))
    else:
        render(res, Console(), lang=lang)
        for w in written:
            Console().print(f"wrote {w}")


def _lang(lang: str | None) -> str | None:
    if lang is not None and lang not in ("en", "zh"):
        raise UserError(f"--lang: choose en or zh (got {lang!r})")
    return lang


def _atomic(target: Path, write) -> Path:
    """Write through a temporary file in the same folder, then rename: a failure never leaves a
    half-written report where the user's previous one was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp{target.suffix}")
    try:
        write(tmp)
        tmp.replace(target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


@app.command()
def compare(
    files: list[Path] = typer.Argument(..., help="Two or more scenario files."),
    samples: Optional[int] = typer.Option(None, "--samples", "-n", min=1, help="Samples for every plan."),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="One seed for every plan."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    report: Optional[Path] = typer.Option(None, "--report",
                                          help="Write an HTML report overlaying the plans."),
    lang: Optional[str] = typer.Option(None, "--lang", help="en or zh for the report."),
):
    """Run plans with common random numbers: metrics side by side and P(A beats B)."""
    from .analysis.compare import compare as run_compare
    lang = _lang(lang)
    if len(files) < 2:
        raise UserError("compare needs at least two scenario files")
    scenarios = [_load(f) for f in files]
    try:
        cmp = run_compare(scenarios, samples=samples, seed=seed, files=[str(f) for f in files])
    except ValueError as e:
        raise UserError(str(e)) from None
    doc = cmp.to_dict()
    if report is not None:
        from .report.html import write_compare_html
        _atomic(report, lambda tmp: write_compare_html(cmp.results, tmp, lang=lang))
    if as_json:
        typer.echo(dump_json(doc))
        return
    from rich.table import Table

    from .report.text import money
    con = Console()
    for plan in doc["plans"]:
        con.print(f"[bold]{plan['label']}[/bold]: {plan['headline']}")
    t = Table(title="Side by side (p50 unless noted)")
    t.add_column("metric")
    for plan in doc["plans"]:
        t.add_column(plan["label"], justify="right")
    cur = doc["plans"][0]["currency"]
    rows = [("P(break-even)", lambda p: f"{p['probabilities']['p_breakeven']:.0%}"),
            ("P(cash runs out)", lambda p: f"{p['probabilities']['p_cash_out']:.0%}"),
            ("break-even month", lambda p: _month_cell(p["metrics"]["breakeven_month"]["p50"],
                                                       p["horizon_months"])),
            ("peak funding need", lambda p: money(p["metrics"]["peak_funding_need"]["p50"], cur)),
            ("peak funding need p90", lambda p: money(p["metrics"]["peak_funding_need"]["p90"],
                                                      cur)),
            ("NPV", lambda p: money(p["metrics"]["npv"]["p50"], cur))]
    for label, f in rows:
        t.add_row(label, *[f(p) for p in doc["plans"]])
    con.print(t)
    b = Table(title="P(row beats column)")
    b.add_column("pair")
    b.add_column("on NPV", justify="right")
    b.add_column("breaks even earlier", justify="right")
    for pair, v in doc["p_beats"].items():
        b.add_row(pair, f"{v['npv']:.0%}", f"{v['breakeven_month']:.0%}")
    con.print(b)
    if report is not None:
        con.print(f"wrote {report}")


def _month_cell(v, horizon):
    return f"> {horizon}" if v is None else f"{v:.0f}"


@app.command()
def validate(files: list[Path] = typer.Argument(..., help="Scenario files to check.")):
    """Check scenario files; print every problem as file:line: field: message."""
    from .engine.inputs import input_table
    problems = []
    for f in files:
        try:
            sc = _load(f)
            n = sum(not i.dist.is_point for i in input_table(sc).values())
            typer.echo(f"{f}: ok — {sc.name!r}, {n} uncertain inputs, {sc.horizon_months} months")
        except ScenarioError as e:
            problems.append(str(e))
    if problems:
        raise _Exit("\n".join(problems))


class _Exit(Exception):
    def __init__(self, text: str):
        self.text = text


@app.command()
def templates(as_json: bool = typer.Option(False, "--json")):
    """List the shipped templates."""
    from .scenario import templates as tp
    rows = [{"name": n, "description": tp.summary(n)} for n in tp.names()]
    if as_json:
        typer.echo(dump_json(rows))
        return
    from rich.table import Table
    t = Table("template", "what it models")
    for r in rows:
        t.add_row(r["name"], r["description"])
    Console().print(t)


@app.command()
def new(
    name: str = typer.Argument(..., help="Template name (see `breakeven templates`)."),
    path: Path = typer.Argument(..., help="Where to write the new scenario."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
):
    """Start a plan from a template."""
    from .scenario import templates as tp
    if name not in tp.names():
        close = difflib.get_close_matches(name, tp.names(), n=3, cutoff=0.3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"unknown template {name!r}{hint} (see `breakeven templates`)")
    if path.exists() and not force:
        raise UserError(f"{path}: already exists; use --force to overwrite")
    _atomic(path, lambda tmp: tmp.write_text(tp.text(name), encoding="utf-8"))
    typer.echo(f"wrote {path} from template {name}")


@app.command()
def schema(
    markdown: bool = typer.Option(False, "--markdown", help="The reference as Markdown."),
):
    """Print the scenario schema (JSON Schema, or the Markdown reference)."""
    from .scenario.schema import Scenario
    if markdown:
        from .scenario.reference import markdown as md
        typer.echo(md())
    else:
        typer.echo(json.dumps(Scenario.model_json_schema(mode="validation"), indent=1))


def _register_extensions() -> None:
    """Commands that live beside what they expose: the cost physics and the analyses."""
    from .analysis import cli as analysis_cli
    from .compute import cli as compute_cli
    compute_cli.register(app)
    analysis_cli.register(app)


_register_extensions()


def main() -> None:
    """Console entry point: run the app; user errors → one line per problem, exit 2.
    (Usage errors are Typer's own: a message and exit 2.)"""
    try:
        app()
    except ScenarioError as e:
        err.print(str(e), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except _Exit as e:
        err.print(e.text, markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except UserError as e:
        err.print(f"breakeven: {e}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except SimulationError as e:
        err.print(f"breakeven: {e}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except OSError as e:  # an output path that cannot be written
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        err.print(f"breakeven: {where}cannot write ({e.strerror or e})", markup=False,
                  highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
