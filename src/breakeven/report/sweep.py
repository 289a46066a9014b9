"""The report of a sweep (``breakeven sweep``): terminal tables and an HTML page of heatmaps.

Both read one :class:`~breakeven.analysis.sweep.SweepResult`. The terminal shows every cell (one
row each) or, with exactly two varied inputs, the matrix of one figure (rows: the first input's
values, columns: the second's), then the best cell. The page is the standard report's skeleton
(:mod:`breakeven.report.html`: same CSS, plotly.js embedded once, offline): a heatmap per figure
and the table of every cell. Every number is formatted by :mod:`breakeven.format`; all user text
is escaped. plotly loads only when a page is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..analysis.sweep import FIGURE_KEYS, FIGURES, SweepInput, SweepResult, SweepTable, figure_key
from ..files import atomic_write
from ..format import escape_html as esc
from ..format import input_value, money, month, pct
from .terminal import safe

PROBABILITY_KEYS = ("p_breakeven", "p_cash_out")
MONEY_KEYS = ("npv_p50", "peak_funding_need_p90")
SHORT_HEADS = {  # the columns of the terminal's table of every cell
    "p_breakeven": "P(break-even)",
    "breakeven_month": "break-even month p50",
    "npv": "NPV p50",
    "peak_funding_need": "peak funding need p90",
    "p_cash_out": "P(cash out)",
}


# ---------------------------------------------------------------------------- numbers in words
def figure_text(res: SweepResult, key: str, x: float | None, long: bool = False) -> str:
    """A figure of a cell: probabilities as percentages, money compact in the plan's currency,
    the break-even month as a number ('> 60' when beyond the horizon; ``long``: with its
    calendar month)."""
    if key in PROBABILITY_KEYS:
        return pct(x, 1)
    if key in MONEY_KEYS:
        return money(x, res.currency)
    if x is None:
        return f"> {res.horizon_months}"
    return month(x, res.horizon_months, res.start) if long else f"{x:.0f}"


def value_text(inp: SweepInput, x: float) -> str:
    """A value of a varied input, as the plan shows it (5.00%, 25M, 39)."""
    return input_value(x, inp.domain)


def cell_label(res: SweepResult, row: dict[str, Any]) -> str:
    """The varied values of a cell: 'price_per_month = 39, budget_per_month = 25M'."""
    return ", ".join(f"{i.label} = {value_text(i, row[i.ref])}" for i in res.inputs)


def short_label(inp: SweepInput) -> str:
    """The last two parts of an input's label: subscription.price_per_month."""
    return ".".join(inp.label.split(".")[-2:])


def figure_label(res: SweepResult, key: str) -> str:
    fig, _ = figure_key(key)
    label = FIGURES[fig][2]
    return f"{label} ({res.currency})" if key in MONEY_KEYS else label


def best_line(res: SweepResult, metric: str) -> str:
    """The best cell by ``metric`` and all its figures, in one sentence."""
    fig, _ = figure_key(metric)
    row = res.best(metric)
    figs = "; ".join(
        f"{label} {figure_text(res, key, row[key], long=True)}"
        for key, _, label in FIGURES.values()
    )
    return f"best cell by {FIGURES[fig][2]}: {cell_label(res, row)} → {figs}"


def summary_line(res: SweepResult) -> str:
    shape = " × ".join(str(n) for n in res.shape)
    return (
        f"{len(res.rows):,} cells ({shape}), {res.samples:,} samples each, seed {res.seed} in "
        f"every cell (common random numbers); {res.scheduler}, {res.elapsed_s:.1f} s"
    )


def _row_head(res: SweepResult, tab: SweepTable) -> list[str]:
    """The label of each row of a table: the values of the inputs that vary along rows."""
    ins = res.inputs[:-1]
    if not ins:
        return [""]
    return [
        " · ".join(value_text(i, x) for i, x in zip(ins, r, strict=True)) for r in tab.row_values
    ]


# ---------------------------------------------------------------------------- terminal
def render_terminal(res: SweepResult, metric: str, con: Console) -> None:
    """Every cell (or, with two varied inputs, the matrix of ``metric``), then the best cell."""
    fig, key = figure_key(metric)
    con.print(f"[bold]Sweep of {safe(res.name)}[/]: {safe(summary_line(res))}", highlight=False)
    if len(res.inputs) == 2:
        tab = res.table(key)
        a, b = res.inputs
        t = Table(
            title=f"{figure_label(res, key)} — rows: {safe(a.label)}, columns: {safe(b.label)}",
            title_justify="left",
        )
        t.add_column(
            f"{safe(short_label(a))} \\ {safe(short_label(b))}", justify="left", overflow="fold"
        )
        for x in tab.column_values:
            t.add_column(safe(value_text(b, x)), justify="right", no_wrap=True)
        best = res.best(metric)
        for head, r, vals in zip(_row_head(res, tab), tab.row_values, tab.values, strict=True):
            cells = []
            for x, v in zip(tab.column_values, vals, strict=True):
                s = safe(figure_text(res, key, v))
                is_best = best[a.ref] == r[0] and best[b.ref] == x
                cells.append(f"[bold green]{s}[/]" if is_best else s)
            t.add_row(safe(head), *cells)
        con.print(t)
    else:
        t = Table(
            title=f"Every cell ({len(res.rows):,})",
            title_justify="left",
            caption="varied: " + ", ".join(safe(i.label) for i in res.inputs),
            caption_justify="left",
        )
        for i in res.inputs:
            head = i.label.split(".")[-1].replace("_", " ")
            t.add_column(safe(head), justify="right", overflow="fold")
        for k, (col, _, _) in FIGURES.items():
            head = SHORT_HEADS[k] + (" ◀" if col == key else "")
            t.add_column(head, justify="right", overflow="fold")
        for row in res.rows:
            t.add_row(
                *(safe(value_text(i, row[i.ref])) for i in res.inputs),
                *(safe(figure_text(res, k, row[k])) for k in FIGURE_KEYS),
            )
        con.print(t)
    con.print(safe(best_line(res, fig)), highlight=False)
    for w in res.warnings:
        con.print(f"[yellow]warning:[/] {safe(w)}", highlight=False)


# ---------------------------------------------------------------------------- HTML
def heatmap(res: SweepResult, key: str) -> Any:
    """A plotly heatmap of one figure over the grid (rows as in :meth:`SweepResult.table`,
    the first row on top); cells are labelled with their formatted figure."""
    import plotly.graph_objects as go

    from .charts import TEMPLATE
    from .charts import esc as plot_esc

    fig_name, key = figure_key(key)
    tab = res.table(key)
    col_in = res.inputs[-1]
    rows = [plot_esc(h) for h in _row_head(res, tab)]
    cols = [plot_esc(value_text(col_in, x)) for x in tab.column_values]
    z = [list(r) for r in tab.values]
    text = [[figure_text(res, key, v) for v in r] for r in tab.values]
    high_good = FIGURES[fig_name][1] == "high"
    scale = "RdYlGn" if high_good else "RdYlGn_r"
    extra: dict[str, Any] = {}
    if key in PROBABILITY_KEYS:
        extra = {"zmin": 0.0, "zmax": 1.0}
    row_title = " · ".join(i.label for i in res.inputs[:-1])
    label = figure_label(res, key)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            text=text,
            texttemplate="%{text}",
            colorscale=scale,
            hoverongaps=False,
            colorbar=dict(title=dict(text=plot_esc(label), side="right")),
            hovertemplate=(
                (f"{plot_esc(row_title)}: %{{y}}<br>" if row_title else "")
                + f"{plot_esc(col_in.label)}: %{{x}}<br>{plot_esc(label)}: %{{text}}<extra></extra>"
            ),
            **extra,
        )
    )
    row_axis = " · ".join(short_label(i) for i in res.inputs[:-1])
    fig.update_layout(
        template=TEMPLATE,
        height=max(260, 90 + 46 * len(rows)),
        hovermode="closest",
        plot_bgcolor="#eef1f5",  # an undefined cell (no break-even within the horizon)
        margin=dict(l=70 + 9 * max((len(r) for r in rows), default=0)),
        xaxis=dict(title=dict(text=plot_esc(short_label(col_in))), type="category", showgrid=False),
        yaxis=dict(
            title=dict(text=plot_esc(row_axis)),
            type="category",
            autorange="reversed",
            showgrid=False,
        ),
    )
    return fig


def render_html(res: SweepResult, metric: str = "p_breakeven") -> str:
    """The page of a sweep: the best cell by ``metric``, a heatmap per figure (``metric``'s
    first), every cell in a table, and how it was computed."""
    from .html import fig_div, generated_by, page, section, table

    first, _ = figure_key(metric)
    order = [first] + [f for f in FIGURES if f != first]
    secs = []
    for fig in order:
        key = FIGURES[fig][0]
        secs.append(
            (
                fig,
                section(
                    f"sweep-{fig}",
                    figure_label(res, key),
                    fig_div(heatmap(res, key), f"sweep-{fig}"),
                    esc(_NOTES[fig].format(h=res.horizon_months)),
                ),
            )
        )
    head = [esc(i.label) for i in res.inputs] + [
        esc(figure_label(res, k)) for k, _, _ in FIGURES.values()
    ]
    best = res.best(metric)
    rows = [
        [esc(value_text(i, row[i.ref])) for i in res.inputs]
        + [esc(figure_text(res, k, row[k])) for k, _, _ in FIGURES.values()]
        for row in res.rows
    ]
    classes = ["best" if row is best else "" for row in res.rows]
    cells = section(
        "sweep-cells",
        "Every cell",
        f'<div class="scroll">{table(head, rows, left=0, row_classes=classes)}</div>',
        esc(f"The best cell by {FIGURES[first][2]} is marked in bold."),
    )
    vary = "".join(
        f'<li><code class="input">{esc(i.ref)}</code> ({esc(i.label)}): '
        f"{esc(', '.join(value_text(i, x) for x in i.values))}</li>"
        for i in res.inputs
    )
    method = section(
        "sweep-method",
        "Method",
        f"<ul>{vary}</ul>"
        + "".join(f'<p class="note">warning: {esc(w)}</p>' for w in res.warnings),
        esc(
            f"Each cell simulates the plan with the varied inputs held at the cell's values and "
            f"every other input as the plan draws it: {res.samples:,} samples, seed {res.seed} "
            "in every cell, so the cells share common random numbers and differ only by the "
            f"values held. Computed on {res.scheduler} in {res.elapsed_s:.1f} s; the figures "
            "are the same on any scheduler."
        ),
    )
    toc = "".join(
        f'<a href="#sec-sweep-{f}">{esc(figure_label(res, FIGURES[f][0]))}</a>' for f in order
    )
    header = (
        '<header class="top"><div class="wrap"><div class="kicker">Sweep</div>'
        f"<h1>{esc(res.name)}</h1>"
        f'<div class="meta">{esc(summary_line(res))} · {esc(res.source)}</div></div></header>'
    )
    summary = (
        '<section class="sec" id="sec-summary" data-section="summary" '
        'style="background:none;box-shadow:none;padding:0">'
        f'<div class="headline">{esc(best_line(res, first))}</div>'
        f'<nav class="toc">{toc}</nav></section>'
    )
    body = (
        header
        + '<main class="wrap">'
        + summary
        + "".join(h for _, h in secs)
        + cells
        + method
        + generated_by("en")
        + "</main>"
        + "<style>tr.best td { font-weight:700; }</style>"
    )
    return page(f"{res.name} — sweep", "en", body)


_NOTES = {
    "p_breakeven": "Share of samples whose EBITDA reaches >= 0 within the {h}-month horizon.",
    "breakeven_month": "Median month of break-even; > {h}: half the samples or more do not "
    "break even within the horizon.",
    "npv": "Median net present value of free cash flow over the horizon.",
    "peak_funding_need": "90th percentile of the largest cumulative cash deficit before funding: "
    "the cash to raise to be covered in 9 cases out of 10.",
    "p_cash_out": "Share of samples whose cash goes below 0 within the horizon.",
}


def write_html(res: SweepResult, path: str | Path, metric: str = "p_breakeven") -> Path:
    """Write the page of a sweep to ``path`` (atomically); returns the path."""
    text = render_html(res, metric)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


__all__ = [
    "best_line",
    "cell_label",
    "figure_text",
    "heatmap",
    "render_html",
    "render_terminal",
    "value_text",
    "write_html",
]
