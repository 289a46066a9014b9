"""``breakeven runs``: the saved runs of the run store (``list``, ``show``, ``diff``,
``export``, and ``save`` to keep a run from the terminal); added by :func:`register`.

The store is ``$BREAKEVEN_HOME/runs.duckdb``, else ``$XDG_DATA_HOME/breakeven/runs.duckdb``
(``~/.local/share/breakeven``), or ``--store PATH``. A store that cannot be used (not a store, in
use by another process, a read-only folder) or an unknown run is one line, exit status 2. Only
``save`` creates or changes the store: the others open it read-only, so a mistyped ``--store``
is an error, not a new store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import ScenarioError, UserError
from ..format import money, month, pct
from .common import check_outputs, console, dump_json, output_option, safe

if TYPE_CHECKING:
    from rich.table import Table

app = typer.Typer(
    no_args_is_help=True,
    help="Saved runs: list them, show one, diff two, export one (and save one).",
)

STORE_HELP = (
    "The run store (default: $BREAKEVEN_HOME/runs.duckdb, else "
    "$XDG_DATA_HOME/breakeven/runs.duckdb, i.e. ~/.local/share/breakeven)."
)


def register(parent: typer.Typer) -> None:
    """Add ``runs`` to the app."""
    parent.add_typer(app, name="runs")


@contextmanager
def _answered() -> Iterator[None]:
    """User errors as one line (a plan's problems as their located lines), exit status 2."""
    try:
        yield
    except ScenarioError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    except UserError as e:
        typer.echo(f"breakeven: {e}", err=True)
        raise typer.Exit(2) from None


LOCK_WAIT = 5.0  # seconds to wait for a store another process holds
MAX_LIMIT = 1_000_000  # runs list --limit
FORMATS = ("json", "yaml")  # runs export --format


def _open(store: Path | None, read_only: bool = True) -> Any:
    """The run store at ``store`` (None: the default one), read-only unless a run is saved."""
    from ..store import RunStore

    return RunStore(store, lock_timeout=LOCK_WAIT, read_only=read_only)


def _start(run: dict[str, Any]) -> date | None:
    s = run.get("start")
    try:
        return date(int(s[:4]), int(s[5:7]), 1) if isinstance(s, str) else None
    except ValueError:
        return None


def _saved(run: dict[str, Any]) -> str:
    return run["created"].replace("T", " ")[:16] + " UTC"


def _value(v: float | None, unit: str, run: dict[str, Any]) -> str:
    if unit == "probability":
        return pct(v, 1 if v is not None and 0 < abs(v) < 0.1 else 0)
    if unit == "month":
        return month(v, run["horizon_months"], _start(run))
    return money(v, run["currency"])


def _change(v: float | None, unit: str, currency: str) -> str:
    if v is None:
        return "—"
    sign = "+" if v > 0 else ""
    if unit == "probability":
        return f"{sign}{100 * v:.1f} pts"
    if unit == "month":
        return f"{sign}{v:.0f} months" if abs(v) != 1 else f"{sign}{v:.0f} month"
    return sign + money(v, currency)


def _table(title: str | None = None, caption: str | None = None) -> Table:
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
    )


@app.command("list")
def list_runs(
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    limit: int | None = typer.Option(
        None, "--limit", min=1, max=MAX_LIMIT, help="Show the newest N runs."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the runs as JSON."),
):
    """The saved runs, newest first, with their headline numbers."""
    from ..store import NoStore, default_store_path

    with _answered():
        try:
            st = _open(store)
            path, runs = st.path, st.list(limit=limit)
        except NoStore:
            if store is not None:  # a path given, perhaps mistyped: say so
                raise
            path, runs = default_store_path(), []  # nothing saved yet
    if as_json:
        typer.echo(dump_json(runs))
        return
    con = console()
    if not runs:
        con.print(
            f"no runs saved in {safe(path)} yet: `breakeven runs save PLAN` or the Save "
            "button of `breakeven serve` keeps one",
            highlight=False,
        )
        return
    noted = any(r["note"] for r in runs)
    t = _table(
        caption=f"{len(runs)} run{'s' if len(runs) != 1 else ''} in {safe(path)}; month, "
        "cash need and NPV are medians (P50)"
    )
    cols = ("run", "saved", "plan", "P(break-even)", "month", "cash need", "NPV")
    for col in (*cols, "note") if noted else cols:
        text = col in ("plan", "note")
        t.add_column(
            col,
            justify="left" if text or col in ("run", "saved") else "right",
            no_wrap=not text,
            overflow="fold",
            min_width=8 if text else None,
        )
    for r in runs:
        h = r["headline"]
        t.add_row(
            r["id"],
            r["created"][:10],
            safe(r["name"]),
            _value(h["p_breakeven"], "probability", r),
            month(h["breakeven_month_p50"], r["horizon_months"]),
            _value(h["peak_funding_need_p50"], "currency", r),
            _value(h["npv_p50"], "currency", r),
            *([safe(r["note"])] if noted else []),
        )
    con.print(t)


@app.command()
def show(
    run_id: str = typer.Argument(
        ..., metavar="RUN", help="The run's id (see `breakeven runs list`)."
    ),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(
        False, "--json", help="Print the run as JSON: its fields, plan_yaml and summary."
    ),
):
    """One saved run: how it was made, its headline and its metrics."""
    with _answered():
        run = _open(store).get(run_id)
    if as_json:
        typer.echo(dump_json(run))
        return
    from ..report.text import metric_value
    from ..scenario import BLOCKS

    con = console()
    con.print(f"[bold]run {run['id']}[/bold] — {safe(run['name'])}", highlight=False)
    con.print(
        f"saved {_saved(run)} with breakeven {safe(run['version'])}; {run['samples']:,} samples, "
        f"seed {run['seed']}; {run['horizon_months']} months from {safe(run['start'])}, "
        f"{safe(run['currency'])}",
        highlight=False,
    )
    if run["note"]:
        con.print(f"note: {safe(run['note'])}", highlight=False)
    summary = run["summary"] if isinstance(run["summary"], dict) else {}  # a damaged store: none
    if summary.get("headline"):
        con.print(safe(summary["headline"]), highlight=False)
    h = run["headline"]
    con.print(
        f"P(break-even) {_value(h['p_breakeven'], 'probability', run)}; "
        f"P(cash runs out) {_value(h['p_cash_out'], 'probability', run)}",
        highlight=False,
    )
    t = _table()
    t.add_column("metric")
    for q in ("P10", "P50", "P90"):
        t.add_column(q, justify="right")
    start = _start(run)
    for name, qs in (summary.get("metrics") or {}).items():
        if not isinstance(qs, dict):
            continue
        label = BLOCKS.outputs[name].label("en") if name in BLOCKS.outputs else name
        t.add_row(
            safe(label),
            *(
                metric_value(qs.get(q), name, run["horizon_months"], run["currency"], "en", start)
                for q in ("p10", "p50", "p90")
            ),
        )
    con.print(t)


@app.command()
def diff(
    a: str = typer.Argument(..., metavar="RUN_A", help="The first run's id."),
    b: str = typer.Argument(..., metavar="RUN_B", help="The second run's id."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the diff as JSON."),
):
    """What changed between two runs: their plans' assumptions, and each headline metric."""
    with _answered():
        d = _open(store).diff(a, b)
    if as_json:
        typer.echo(dump_json(d))
        return
    con = console()
    ra, rb = d["runs"]
    for tag, r in (("A", ra), ("B", rb)):
        con.print(
            f"[bold]{tag}[/bold] {r['id']}  {safe(r['name'])}  [dim]saved {_saved(r)}; "
            f"{r['samples']:,} samples, seed {r['seed']}[/dim]",
            highlight=False,
        )
    for s in d["settings"]:
        con.print(f"{s['field']}: {safe(s['a'])} → {safe(s['b'])}", highlight=False)
    if any(s["field"] in ("seed", "samples") for s in d["settings"]):
        con.print(
            "[dim]the runs differ in seed or samples: part of each change is sampling noise[/dim]"
        )
    if d["assumptions"]:
        n = len(d["assumptions"])
        t = _table(f"Assumptions that changed ({n})")
        t.add_column("input", overflow="fold")
        t.add_column("A", overflow="fold")
        t.add_column("B", overflow="fold")
        for row in d["assumptions"]:
            t.add_row(
                safe(row["name"]),
                "—" if row["a"] is None else safe(row["a"]),
                "—" if row["b"] is None else safe(row["b"]),
            )
        con.print(t)
    elif not d["warnings"]:
        con.print("The two plans make the same assumptions.")
    t = _table("Headline")
    for col in ("metric", "A", "B", "change"):
        t.add_column(col, justify="left" if col == "metric" else "right")
    for m in d["metrics"]:
        t.add_row(
            safe(m["name"]),
            _value(m["a"], m["unit"], ra),
            _value(m["b"], m["unit"], rb),
            _change(m["change"], m["unit"], rb["currency"]),
        )
    con.print(t)
    for w in d["warnings"]:
        con.print(f"[yellow]warning:[/] {safe(w)}", highlight=False)


def _export_format(fmt: str | None, plan: bool) -> str:
    """The export's format: json (the default) or yaml; with ``--plan``, whose text is the plan's
    YAML, only yaml (another format asked for is refused, not ignored)."""
    chosen = "json" if fmt is None else fmt.strip().lower()
    if chosen not in FORMATS:
        raise UserError(f"--format: choose json or yaml (got {fmt!r})")
    if plan and fmt is not None and chosen != "yaml":
        raise UserError(
            f"--format {chosen}: --plan prints the plan's YAML text (leave out --format, or "
            f"leave out --plan to export the whole run as {chosen})"
        )
    return chosen


@app.command()
def export(
    run_id: str = typer.Argument(..., metavar="RUN", help="The run's id."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="json or yaml (default: json; --plan: yaml only)."
    ),
    plan: bool = typer.Option(
        False, "--plan", help="Only the plan's YAML text (a file `breakeven run` reads)."
    ),
    out: Path | None = output_option("Write to this file.", "--out", "-o"),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
):
    """A saved run as one JSON or YAML document (its fields, plan and summary), or its plan."""
    from ..files import write_text

    with _answered():
        fmt = _export_format(fmt, plan)
        st = _open(store)
        if out is not None:  # the store is a file this command reads
            check_outputs([out], ("--out",), [(Path(st.path), "the run store")])
        text = st.get(run_id)["plan_yaml"] if plan else st.export(run_id, fmt)
        if out is not None:
            write_text(out, text)
    if out is not None:
        console(stderr=True).print(f"wrote {safe(out)}", highlight=False)
    else:
        typer.echo(text, nl=not text.endswith("\n"))


@app.command()
def save(
    file: Path = typer.Argument(..., help="Scenario YAML file."),
    samples: int | None = typer.Option(
        None, "--samples", "-n", min=1, max=10_000_000, help="Override samples."
    ),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Override the seed."),
    note: str = typer.Option("", "--note", help="A note kept with the run."),
    name: str | None = typer.Option(None, "--name", help="The run's name (default: the plan's)."),
    store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the saved run's row as JSON."),
):
    """Simulate a plan as `breakeven run` does and keep the run in the store."""
    from ..analysis.lint import lint
    from ..engine import simulate
    from ..report.document import run_document
    from ..scenario import load_text
    from ..scenario.loader import read_plan
    from .common import error_console, progress

    with _answered():
        st = _open(store, read_only=False)  # one that cannot be used fails before simulating
        text = read_plan(file)
        sc = load_text(text, str(file))
        res = simulate(sc, samples=samples, seed=seed, progress=progress("simulating"))
        warnings = lint(sc, res)
        for w in warnings:
            error_console().print(str(w), markup=False, highlight=False, soft_wrap=True)
        doc = run_document(res, warnings)  # as `breakeven run --json` prints it
        run_id = st.save(
            text,
            name=name if name is not None else sc.name,
            seed=res.seed,
            samples=res.samples,
            summary=doc,
            note=note,
        )
        row = st.row(run_id)
    if as_json:
        typer.echo(dump_json(row))
        return
    con = console()
    con.print(f"saved run [bold]{run_id}[/bold] — {safe(row['name'])}", highlight=False)
    con.print(safe(doc["headline"]), highlight=False)


__all__ = ["app", "register"]
