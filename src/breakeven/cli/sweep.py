"""Command ``breakeven sweep`` (added by :func:`register`): a decision map over a grid of inputs."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UserError
from .analysis import LANG_HELP
from .common import check_lang, check_outputs, console, dump_json, output_option, progress, safe

METRIC_CHOICES = ("p_breakeven", "breakeven_month", "npv", "peak_funding_need", "p_cash_out")


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to a Typer app."""

    @app.command()
    def sweep(
        file: Path = typer.Argument(..., help="Scenario YAML file."),
        vary: list[str] = typer.Option(
            ...,
            "--vary",
            help="FIELD=v1,v2,… : an input (field path or $variable) and the values to hold it "
            "at, read like plan numbers (39, 5%, 1.5M; no thousands commas). Repeat for a "
            "grid: every combination is a cell.",
        ),
        samples: int | None = typer.Option(
            None,
            "--samples",
            "-n",
            min=1,
            max=10_000_000,
            help="Samples per cell (default: the scenario's).",
        ),
        seed: int | None = typer.Option(
            None, "--seed", min=0, help="Seed of every cell (default: the scenario's)."
        ),
        scheduler: str = typer.Option(
            "processes",
            "--scheduler",
            help="processes (a local Dask cluster, one worker process per core), sync (one "
            "cell after the other in this process) or the address of a Dask scheduler "
            "(tcp://host:8786) whose workers have breakeven installed.",
        ),
        metric: str = typer.Option(
            "p_breakeven",
            "--metric",
            "-m",
            help=f"Figure of the matrix and of the best cell: {', '.join(METRIC_CHOICES)}.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        report: Path | None = output_option("Write a self-contained HTML page of heatmaps here."),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ):
        """A decision map: simulate the plan on a grid of input values, over Dask.

        Each combination of the --vary values is a cell; all cells share one seed."""
        from ..analysis.sweep import figure_key, parse_vary
        from ..analysis.sweep import sweep as run_sweep
        from ..report.i18n import resolve

        lang = resolve(check_lang(lang))
        figure_key(metric)  # an unknown figure fails before any work
        grid: dict[str, list[str]] = {}
        for opt in vary:
            ref, values = parse_vary(opt)
            if ref in grid:
                raise UserError(f"--vary {ref}: given twice; list all its values in one --vary")
            grid[ref] = values
        check_outputs([report], ("--report",), [(file, "the plan")])
        bar = progress("sweep", unit="cells")
        try:
            res = run_sweep(
                file,
                grid,
                samples=samples,
                seed=seed,
                scheduler=scheduler,
                progress=bar,
            )
        finally:
            bar.close()
        if report is not None:
            from ..report.sweep import write_html

            write_html(res, report, metric, lang)
        if as_json:
            typer.echo(dump_json(res.to_dict()))
            return
        from ..report.sweep import render_terminal

        con = console()
        render_terminal(res, metric, con, lang)
        if report is not None:
            from ..report.i18n import t

            con.print(t("wrote", lang, path=safe(report)))


__all__ = ["register"]
