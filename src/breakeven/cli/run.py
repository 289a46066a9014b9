"""Commands on plans: ``run``, ``compare``, ``validate``, ``templates``, ``new``, ``schema``,
``outputs`` (added to the app by :func:`register`)."""

from __future__ import annotations

import difflib
import itertools
import json
from pathlib import Path
from typing import Any

import typer

from ..errors import AnalysisError, ScenarioError, UncertainError, UserError
from ..files import all_or_none, write_text
from .common import (
    check_lang,
    check_outputs,
    check_regular,
    console,
    dump_json,
    output_option,
    output_path,
    progress,
    safe,
)

MAX_SAMPLES = 10_000_000  # as the scenario's own limit


def memory_limit(text: str | None) -> int | None:
    """--max-memory in bytes (None: the memory available)."""
    if text is None:
        return None
    from ..engine.memory import parse_bytes

    try:
        return parse_bytes(text)
    except ValueError:
        raise UserError(
            f"--max-memory: expected an amount such as 2G or 512M (got {text!r})"
        ) from None


def relative_error(text: str) -> float:
    """--error as a fraction: ``10%`` or ``0.1`` (above 0, at most 200%)."""
    from ..analysis.actuals import relative_error as parse_error
    from ..errors import UncertainError

    try:
        return parse_error(text)
    except UncertainError as e:
        raise UserError(f"--error: {e.message} (got {text!r})") from None


class ValidationFailed(UserError):
    """Problems in one or more files, already one located line each."""


def register(app: typer.Typer) -> None:
    """Add the plan commands to ``app``."""
    for fn in (run, compare, validate, templates, new, schema, outputs, reference):
        app.command()(fn)


def run(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    samples: int | None = typer.Option(
        None, "--samples", "-n", min=1, max=MAX_SAMPLES, help="Override samples."
    ),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Override the seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as one JSON object."),
    out: Path | None = output_option("Write <name>.json into this folder (made if missing)."),
    report: Path | None = output_option("Write a self-contained HTML report here."),
    excel: Path | None = output_option("Write an Excel workbook here."),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="en or zh for the summary, report and workbook (default: from the locale).",
    ),
    max_memory: str | None = typer.Option(
        None,
        "--max-memory",
        help="Refuse a run estimated to need more, e.g. 2G (default: the memory available).",
    ),
    actuals: Path | None = typer.Option(
        None,
        "--actuals",
        help="Plan vs actual: a CSV file or Excel workbook of observed months (as for "
        "`breakeven update`), overlaid on the report's charts, with a variance table.",
    ),
    error: str | None = typer.Option(
        None,
        "--error",
        help="With --actuals: relative measurement error of series without an .error "
        "column (default 10%).",
    ),
):
    """Simulate a scenario and print the answer: break-even, cash needed, probabilities."""
    from ..engine import simulate
    from ..report.terminal import render
    from ..scenario import load

    lang = check_lang(lang)
    targets = [out / f"{file.stem}.json" if out is not None else None, report, excel]
    check_outputs(
        targets, ("--out", "--report", "--excel"), [(file, "the plan"), (actuals, "--actuals")]
    )
    limit = memory_limit(max_memory)
    if error is not None and actuals is None:
        raise UserError("--error: only with --actuals")
    if actuals is not None:
        check_regular(actuals, "actuals")
    err_rel = relative_error(error) if error is not None else 0.1
    sc = load(file)
    observed = None
    if actuals is not None:  # read before the run: a bad file is a located error, at once
        from ..analysis.update import load_actuals

        observed = load_actuals(sc, actuals, error=err_rel)
    res = simulate(
        sc, samples=samples, seed=seed, progress=progress("simulating"), max_memory=limit
    )
    from ..analysis.lint import lint
    from ..report.i18n import resolve
    from ..report.sentences import lint_line
    from .common import error_console

    warnings = lint(sc, res)
    for warning in warnings:  # on stderr, before the summary (and in the JSON document)
        error_console().print(
            lint_line(warning, resolve(lang)), markup=False, highlight=False, soft_wrap=True
        )
    from ..report.document import run_document

    doc = run_document(res, warnings)
    # one view of the run for every report: the tornado only when a report or workbook is asked
    from ..report.view import View

    view = View.of(res, None if (report or excel) is not None else False, actuals=observed)
    if observed is not None:
        doc["actuals"] = {
            "file": observed.file,
            "period": observed.period,
            "series": list(observed.series),
            "variance": view.variance,
        }
    written = [out / f"{file.stem}.json"] if out is not None else []
    with all_or_none():  # a failure on the last file leaves the first ones as they were
        if out is not None:
            write_text(out / f"{file.stem}.json", dump_json(doc))
        if report is not None:
            from ..report.html import write_html

            written.append(write_html(view, report, lang=lang))
        if excel is not None:
            from ..report.excel import write_excel

            written.append(write_excel(view, excel, lang=lang))
    if as_json:
        typer.echo(dump_json(doc))
    else:
        render(view, console(), lang=lang)
        if observed is not None:
            from ..report.terminal import render_variance

            render_variance(view.variance, res, console(), lang=lang)
        from ..report.i18n import t

        for w in written:
            console().print(t("wrote", resolve(lang), path=safe(w)))


def compare(
    files: list[Path] = typer.Argument(..., help="Two or more scenario files."),
    samples: int | None = typer.Option(
        None, "--samples", "-n", min=1, max=MAX_SAMPLES, help="Samples for every plan."
    ),
    seed: int | None = typer.Option(None, "--seed", min=0, help="One seed for every plan."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    report: Path | None = output_option("Write an HTML report overlaying the plans."),
    lang: str | None = typer.Option(
        None, "--lang", help="en or zh for the summary and report (default: from the locale)."
    ),
):
    """Run plans with common random numbers: metrics side by side and P(A beats B)."""
    from ..analysis.compare import compare as run_compare
    from ..report.i18n import resolve
    from ..scenario import load

    lang = resolve(check_lang(lang))
    if len(files) < 2:
        raise UserError("compare needs at least two scenario files")
    check_outputs([report], ("--report",), [(f, "a plan") for f in files])
    scenarios = [load(f) for f in files]
    try:
        cmp = run_compare(scenarios, samples=samples, seed=seed, files=[str(f) for f in files])
    except AnalysisError as e:
        raise UserError(str(e)) from None
    doc = cmp.to_dict()
    if report is not None:
        from ..report.html import write_compare_html

        write_compare_html(cmp.labelled(), report, lang=lang)
    if as_json:
        typer.echo(dump_json(doc))
        return
    _print_compare(doc, cmp, lang)
    if report is not None:
        from ..report.i18n import t

        console().print(t("wrote", lang, path=safe(report)))


def _print_compare(doc: dict, cmp, lang: str) -> None:
    """The comparison in the terminal: each plan's headline, the metrics side by side, A
    against B sample by sample, and the assumptions that differ."""
    from rich.table import Table

    from ..analysis.compare import pair_key
    from ..format import money
    from ..report.i18n import t
    from ..report.text import headline

    con = console()
    plans = doc["plans"]
    for plan, res in zip(plans, cmp.results, strict=True):
        head = plan["headline"] if lang == "en" else headline(res, lang)
        colon = ": " if lang == "en" else "："
        con.print(f"[bold]{safe(plan['label'])}[/bold]{colon}{safe(head)}")
    tb = Table(title=t("cmp.side_by_side", lang))
    tb.add_column(t("metric", lang))
    for plan in plans:
        tb.add_column(safe(plan["label"]), justify="right")
    cur = plans[0]["currency"]
    rows = [
        ("cmp.p_breakeven", lambda p: f"{p['probabilities']['p_breakeven']:.0%}"),
        ("cmp.p_cash_out", lambda p: f"{p['probabilities']['p_cash_out']:.0%}"),
        (
            "cmp.breakeven_month",
            lambda p: _month_cell(p["metrics"]["breakeven_month"]["p50"], p["horizon_months"]),
        ),
        ("cmp.peak_need", lambda p: money(p["metrics"]["peak_funding_need"]["p50"], cur, lang)),
        (
            "cmp.peak_need_p90",
            lambda p: money(p["metrics"]["peak_funding_need"]["p90"], cur, lang),
        ),
        ("cmp.npv", lambda p: money(p["metrics"]["npv"]["p50"], cur, lang)),
    ]
    for key, f in rows:
        tb.add_row(t(key, lang), *[f(p) for p in plans])
    con.print(tb)
    b = Table(title=t("cmp.beats_title", lang))
    b.add_column(t("cmp.pair", lang))
    b.add_column(t("cmp.npv_col", lang), justify="right")
    b.add_column(t("cmp.be_col", lang), justify="right")
    n = len(plans)
    labels = [p["label"] for p in plans]
    for i, j in itertools.combinations(range(n), 2):  # A vs B, not also B vs A
        v = doc["p_beats"][pair_key(labels[i], labels[j])]
        later = max(0.0, 1.0 - v["breakeven_month"] - v["breakeven_tie"])
        lower = max(0.0, 1.0 - v["npv"] - v["npv_tie"])
        b.add_row(
            safe(t("cmp.pair_row", lang, a=labels[i], b=labels[j])),
            f"{v['npv']:.0%} / {v['npv_tie']:.0%} / {lower:.0%}",
            f"{v['breakeven_month']:.0%} / {v['breakeven_tie']:.0%} / {later:.0%}",
        )
    con.print(b)
    con.print(f"[dim]{t('cmp.same_month', lang)}[/]", highlight=False)
    if doc["assumptions"]:
        first = safe(plans[0]["label"])
        d = Table(title=t("cmp.assumptions_title", lang, plan=first))
        d.add_column(t("cmp.assumption", lang), overflow="fold")
        d.add_column(first, overflow="fold")
        d.add_column(t("cmp.other_plan", lang), overflow="fold")
        shown = doc["assumptions"][:40]
        for c in shown:
            d.add_row(
                safe(c["name"]),
                safe(c["a"] if c["a"] is not None else "—"),
                safe(
                    f"{c['b'] if c['b'] is not None else '—'}  ({c['vs']})"
                    if n > 2
                    else c["b"]
                    if c["b"] is not None
                    else "—"
                ),
            )
        con.print(d)
        if len(doc["assumptions"]) > len(shown):
            more = t("cmp.more", lang, n=len(doc["assumptions"]) - len(shown))
            con.print(f"[dim]{more}[/]")


def _month_cell(v, horizon):
    return f"> {horizon}" if v is None else f"{v:.0f}"


def validate(
    files: list[Path] = typer.Argument(..., help="Scenario files to check."),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="en or zh for the summary lines and warnings (default: from the locale); the "
        "problems of a plan that does not load are in English.",
    ),
):
    """Check scenario files; print every problem as file:line: field: message, and warnings
    (on stderr, exit status 0) where a plan implies something implausible."""
    from ..analysis.lint import lint_plan
    from ..engine import build_inputs
    from ..report.i18n import resolve, t
    from ..scenario import load
    from ..scenario.checks import dated_counts, references
    from .common import error_console

    lang = resolve(check_lang(lang))
    problems = []
    for f in files:
        try:
            sc = load(f)
            n = sum(not i.dist.is_point for i in build_inputs(sc).values())
            name = repr(sc.name) if lang == "en" else str(sc.name)
            typer.echo(t("val.ok", lang, file=f, name=name, n=n, months=sc.horizon_months))
            for path, ref, months in references(sc):  # the sentences only when a plan has one
                from ..report.sentences import reference_line

                typer.echo(reference_line(path, ref, lang, months))
            for path, counted, growth in dated_counts(sc):
                from ..report.sentences import as_of_line

                typer.echo(as_of_line(path, counted, sc.start, growth, lang))
        except ScenarioError as e:
            problems.append(str(e))
            continue
        try:
            warnings = lint_plan(sc)  # a small deterministic run (500 samples, the plan's seed)
        except UserError as e:  # a plan whose arithmetic breaks down: `run` reports it
            warnings = []
            error_console().print(
                t("val.not_linted", lang, file=f, error=e), markup=False, highlight=False
            )
        if warnings:  # the sentences (and the estimators they name) only to tell a warning
            from ..report.sentences import lint_line

            for w in warnings:
                error_console().print(
                    lint_line(w, lang), markup=False, highlight=False, soft_wrap=True
                )
    if problems:
        raise ValidationFailed("\n".join(problems))


def templates(
    as_json: bool = typer.Option(False, "--json"),
    lang: str | None = typer.Option(
        None, "--lang", help="en or zh for the table (default: from the locale)."
    ),
):
    """List the shipped templates."""
    from ..format import resolve
    from ..scenario import templates as tp

    if as_json:
        typer.echo(dump_json([{"name": n, "description": tp.summary(n)} for n in tp.names()]))
        return
    from rich.table import Table

    lg = resolve(check_lang(lang))
    tb = Table(*(("模板", "模拟的对象") if lg == "zh" else ("template", "what it models")))
    for n in tp.names():
        tb.add_row(n, tp.summary(n, lg))
    console().print(tb)


def reference(
    family: str = typer.Argument(
        ...,
        metavar="consumer|business|tokens",
        help="Users (consumer), paying organisations (business) or tokens a day (an API's volume).",
    ),
    start: str = typer.Option(
        ..., "--start", help="The plan's start month, e.g. 2025-03: counts published before it."
    ),
    trend: str | None = typer.Option(
        None,
        "--trend",
        help="A growth observed, e.g. 4.9%: what `recent_growth_per_month: trend 4.9%` gives "
        "(how AI products' growth carried on from one period to the next) instead.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    lang: str | None = typer.Option(
        None, "--lang", help="en or zh for the table (default: from the locale)."
    ),
):
    """The growth `recent_growth_per_month: reference` gives a plan starting then: each AI
    product's latest published growth, and their 90% interval (with --trend, what `trend x`
    gives)."""
    from pydantic import TypeAdapter, ValidationError

    from ..engine.fields import CalendarMonth
    from ..models.distributions import parse_number
    from ..models.reference_growth import FAMILIES, ReferenceClassError, reference_growth

    if family not in FAMILIES:
        raise UserError(f"unknown reference class {family!r}; choose consumer, business or tokens")
    try:
        month = TypeAdapter(CalendarMonth).validate_python(start)
    except ValidationError:
        raise UserError(f"--start: expected a month such as 2025-03 (got {start!r})") from None
    if trend is not None:
        try:
            observed = parse_number(trend)
        except UncertainError as e:
            raise UserError(f"--trend: {e.message} (got {trend!r})") from None
        return _trend_table(family, month, observed, as_json, lang)
    try:
        ref = reference_growth(family, month)
    except ReferenceClassError as e:
        raise UserError(str(e)) from None
    rows: list[dict[str, Any]] = [
        {
            "product": p.product,
            "series": p.series or None,
            "metric": p.metric,
            "from": {"month": f"{p.earlier.as_of:%Y-%m}", "value": p.earlier.value},
            "to": {"month": f"{p.later.as_of:%Y-%m}", "value": p.later.value},
            "growth_per_month": p.growth_per_month,
            "sources": [p.earlier.source, p.later.source],
        }
        for p in ref.pairs
    ]
    if as_json:
        doc = {
            "family": family,
            "start": f"{month:%Y-%m}",
            "low": ref.low,
            "high": ref.high,
            "median": ref.median,
            "products": rows,
            "units": {"low": "1/month", "high": "1/month", "growth_per_month": "1/month"},
        }
        typer.echo(dump_json(doc))
        return
    from rich.table import Table

    from ..format import compact
    from ..models.reference_growth import growth_text
    from ..report.i18n import resolve, t
    from ..report.sentences import reference_facts

    lg = resolve(check_lang(lang))
    tb = Table(*(t(f"ref.col.{c}", lg) for c in ("product", "metric", "from", "to", "growth")))
    for r, p in zip(rows, ref.pairs, strict=True):
        tb.add_row(
            f"{p.product} ({p.series})" if p.series else p.product,
            p.metric,
            f"{r['from']['month']}: {compact(p.earlier.value, lg)}",
            f"{r['to']['month']}: {compact(p.later.value, lg)}",
            growth_text(p.growth_per_month),
        )
    console().print(tb)
    typer.echo(t("ref.summary", lg, **reference_facts(ref, lg)))


def _trend_table(family: str, month: Any, observed: float, as_json: bool, lang: str | None) -> None:
    """``breakeven reference … --trend x``: the periods the persistence of growth was read from,
    and the interval ``trend x`` gives (:func:`~breakeven.models.reference_growth.growth_persistence`)."""
    from ..models.reference_growth import ReferenceClassError, growth_persistence, growth_text

    try:
        ref = growth_persistence(family, month, observed)
    except ReferenceClassError as e:
        raise UserError(str(e)) from None
    rows: list[dict[str, Any]] = [
        {
            "product": p.product,
            "series": p.first.series or None,
            "metric": p.metric,
            "months": [f"{c.as_of:%Y-%m}" for c in (p.first, p.middle, p.last)],
            "values": [c.value for c in (p.first, p.middle, p.last)],
            "growth_before": p.before,
            "growth_after": p.after,
            "ratio": p.ratio,
            "sources": [c.source for c in (p.first, p.middle, p.last)],
        }
        for p in ref.periods
    ]
    if as_json:
        doc = {
            "family": family,
            "start": f"{month:%Y-%m}",
            "observed": observed,
            "low": ref.low,
            "high": ref.high,
            "median": ref.median,
            "mean_ratio": ref.mean_ratio,
            "sd_ratio": ref.sd_ratio,
            "pooled": ref.pooled,
            "periods": rows,
            "units": {
                "observed": "1/month",
                "low": "1/month",
                "high": "1/month",
                "growth_before": "1/month",
                "growth_after": "1/month",
            },
        }
        typer.echo(dump_json(doc))
        return
    from rich.table import Table

    from ..report.i18n import resolve, t
    from ..report.sentences import trend_facts

    lg = resolve(check_lang(lang))
    cols = ("product", "metric", "from", "to", "before", "after", "ratio")
    tb = Table(*(t(f"ref.col.{c}", lg) for c in cols))
    for r, p in zip(rows, ref.periods, strict=True):
        tb.add_row(
            f"{p.product} ({p.first.series})" if p.first.series else p.product,
            p.metric,
            r["months"][0],
            r["months"][2],
            growth_text(p.before),
            growth_text(p.after),
            f"{p.ratio:.2g}",
        )
    console().print(tb)
    typer.echo(t("ref.trend_summary", lg, **trend_facts(ref, lg)))


def new(
    name: str = typer.Argument(..., help="Template name (see `breakeven templates`)."),
    path: Path = typer.Argument(
        ..., parser=output_path, metavar="PATH", help="Where to write the new scenario."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
):
    """Start a plan from a template."""
    from ..scenario import templates as tp

    if name not in tp.names():
        close = difflib.get_close_matches(name, tp.names(), n=3, cutoff=0.3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UserError(f"unknown template {name!r}{hint} (see `breakeven templates`)")
    check_outputs([path], ("the new plan",))  # into a folder that exists, as every output
    if path.is_dir():
        raise UserError(
            f"{path}: is a folder; name the plan's file, e.g. {path / (name + '.yaml')}"
        )
    if path.exists() and not force:
        raise UserError(f"{path}: already exists; use --force to overwrite")
    write_text(path, tp.text(name))
    typer.echo(f"wrote {path} from template {name}")


def schema(
    markdown: bool = typer.Option(False, "--markdown", help="The reference as Markdown."),
):
    """Print the scenario schema (JSON Schema, or the Markdown reference)."""
    from ..scenario.schema import Scenario

    if markdown:
        from ..scenario.reference import markdown as md

        typer.echo(md())
    else:
        typer.echo(json.dumps(Scenario.model_json_schema(mode="validation"), indent=1))


def outputs(
    markdown: bool = typer.Option(
        False, "--markdown", help="The blocks and their outputs as Markdown."
    ),
    as_json: bool = typer.Option(False, "--json", help="The outputs table as JSON."),
):
    """Every ledger line, KPI and metric, with its block, unit, sign, category and labels."""
    from ..scenario.reference import blocks_markdown, output_rows

    if markdown:
        typer.echo(blocks_markdown())
        return
    rows = output_rows()
    if as_json:
        typer.echo(dump_json(rows))
        return
    from rich.table import Table

    t = Table("name", "kind", "sign", "category", "label", "标签")
    t.columns[0].no_wrap = True
    for r in rows:
        t.add_row(
            r["name"],
            r["kind"],
            f"{r['sign']:+d}" if r["sign"] else "",
            r["category"],
            r["en"],
            r["zh"],
        )
    console().print(t)
