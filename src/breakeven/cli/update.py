"""Command ``breakeven update PLAN ACTUALS``: condition a plan on its actuals and re-forecast."""

from __future__ import annotations

from pathlib import Path

import typer

from ..files import all_or_none, write_text
from .common import (
    check_lang,
    check_outputs,
    check_regular,
    console,
    dump_json,
    output_option,
    safe,
)
from .run import MAX_SAMPLES, relative_error


def register(app: typer.Typer) -> None:
    """Add ``update`` to a Typer app."""
    app.command()(update)


def update(
    file: Path = typer.Argument(..., help="Scenario YAML file (the plan as made)."),
    actuals: Path = typer.Argument(
        ...,
        help="Actuals: a CSV file or an Excel workbook, one row per month (column `month`, "
        "2025-03), one column per output (`breakeven outputs`), NAME.error for its error.",
    ),
    out: Path | None = output_option("Write the plan with its narrowed ranges here (YAML)."),
    report: Path | None = output_option("Write an HTML report: plan vs actual and what changed."),
    error: str = typer.Option(
        "10%",
        "--error",
        help="Relative measurement error of series without an .error column (lognormal or, "
        "for series that can be negative, normal).",
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="Excel: the sheet to read."),
    samples: int | None = typer.Option(
        None, "--samples", "-n", min=1, max=MAX_SAMPLES, help="Samples (default: the plan's)."
    ),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Override the seed."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    lang: str | None = typer.Option(None, "--lang", help="en or zh for the summary and report."),
):
    """Condition the plan's uncertain inputs on actuals and say what they now mean."""
    from ..analysis.update import load_actuals
    from ..analysis.update import update as run_update
    from ..report.i18n import resolve, t
    from ..report.update import plan_text, print_update, write_update_html
    from ..scenario import load

    lang = resolve(check_lang(lang))
    check_outputs(
        [out, report], ("--out", "--report"), [(file, "the plan"), (actuals, "the actuals")]
    )
    check_regular(actuals, "actuals")
    err_rel = relative_error(error)
    sc = load(file)
    obs = load_actuals(sc, actuals, error=err_rel, sheet=sheet)
    text = file.read_text(encoding="utf-8")
    upd = run_update(sc, obs, samples=samples, seed=seed, plan_text=text, file=str(file))
    written: list[Path] = []
    narrowed = plan_text(upd, lang)  # its header in the language asked
    with all_or_none():  # a failure on the report leaves --out's file as it was
        if out is not None and narrowed is not None:
            written.append(write_text(out, narrowed))
        if report is not None:
            write_update_html(upd, report, lang=lang)
            written.append(report)
    if as_json:
        typer.echo(dump_json(upd.to_dict()))
        return
    con = console()
    print_update(upd, con, lang=lang)
    for w in written:
        con.print(t("wrote", lang, path=safe(w)))
