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
from .i18n import resolve, t
from .terminal import safe

PROBABILITY_KEYS = ("p_breakeven", "p_cash_out")
MONEY_KEYS = ("npv_p50", "peak_funding_need_p90")


def figure_name(fig: str, lang: str = "en") -> str:
    """A figure's name: 'P(break-even)', '盈亏平衡概率'."""
    return t(f"sw.fig.{fig}", lang)


def short_head(fig: str, lang: str = "en") -> str:
    """A figure's column head in the terminal's table of every cell."""
    return t(f"sw.short.{fig}", lang)


# ---------------------------------------------------------------------------- numbers in words
def figure_text(
    res: SweepResult, key: str, x: float | None, long: bool = False, lang: str = "en"
) -> str:
    """A figure of a cell: probabilities as percentages, money compact in the plan's currency,
    the break-even month as a number ('> 60' when beyond the horizon; ``long``: with its
    calendar month)."""
    if key in PROBABILITY_KEYS:
        return pct(x, 1)
    if key in MONEY_KEYS:
        return money(x, res.currency, lang)
    if x is None:
        return f"> {res.horizon_months}"
    return month(x, res.horizon_months, res.start) if long else f"{x:.0f}"


def value_text(inp: SweepInput, x: float, lang: str = "en") -> str:
    """A value of a varied input, as the plan shows it (5.00%, 25M, 39; 2,500万)."""
    return input_value(x, inp.domain, lang)


def cell_label(res: SweepResult, row: dict[str, Any], lang: str = "en") -> str:
    """The varied values of a cell: 'price_per_month = 39, budget_per_month = 25M'."""
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{i.label} = {value_text(i, row[i.ref], lang)}" for i in res.inputs)


def short_label(inp: SweepInput) -> str:
    """The last two parts of an input's label: subscription.price_per_month."""
    return ".".join(inp.label.split(".")[-2:])


def figure_label(res: SweepResult, key: str, lang: str = "en") -> str:
    fig, _ = figure_key(key)
    label = figure_name(fig, lang)
    return f"{label} ({res.currency})" if key in MONEY_KEYS else label


def best_line(res: SweepResult, metric: str, lang: str = "en") -> str:
    """The best cell by ``metric`` and all its figures, in one sentence."""
    fig, _ = figure_key(metric)
    row = res.best(metric)
    sep = "；" if lang == "zh" else "; "
    figs = sep.join(
        f"{figure_name(f, lang)} {figure_text(res, key, row[key], long=True, lang=lang)}"
        for f, (key, _, _) in FIGURES.items()
    )
    return t(
        "sw.best", lang, fig=figure_name(fig, lang), cell=cell_label(res, row, lang), figs=figs
    )


def summary_line(res: SweepResult, lang: str = "en") -> str:
    shape = " × ".join(str(n) for n in res.shape)
    return t(
        "sw.summary",
        lang,
        cells=f"{len(res.rows):,}",
        shape=shape,
        samples=f"{res.samples:,}",
        seed=res.seed,
        where=where_text(res, lang),
        s=f"{res.elapsed_s:.1f}",
    )


def where_text(res: SweepResult, lang: str = "en") -> str:
    """Where the cells ran, in ``lang``: this process, a local cluster, or a cluster's address."""
    if lang != "zh":
        return res.scheduler
    if res.scheduler.startswith("sync"):
        return "本进程（同步）"
    if res.scheduler.startswith("local cluster"):
        return f"本地集群（{res.workers} 个工作进程）"
    address = res.scheduler.removeprefix("Dask cluster at ").split(" (")[0]
    return f"Dask 集群 {address}（{res.workers} 个工作进程）"


def warning_lines(res: SweepResult, lang: str = "en") -> list[str]:
    """The sweep's warnings, told from their facts in ``lang``."""
    out = []
    if res.correlated:
        out.append(t("sw.warn.correlated", lang, inputs=", ".join(res.correlated)))
    if res.versions is not None:
        out.append(t("sw.warn.versions", lang, others=res.versions[0], here=res.versions[1]))
    return out


def _row_head(res: SweepResult, tab: SweepTable, lang: str = "en") -> list[str]:
    """The label of each row of a table: the values of the inputs that vary along rows."""
    ins = res.inputs[:-1]
    if not ins:
        return [""]
    return [
        " · ".join(value_text(i, x, lang) for i, x in zip(ins, r, strict=True))
        for r in tab.row_values
    ]


# ---------------------------------------------------------------------------- terminal
def render_terminal(res: SweepResult, metric: str, con: Console, lang: str | None = None) -> None:
    """Every cell (or, with two varied inputs, the matrix of ``metric``), then the best cell."""
    lang = resolve(lang)
    fig, key = figure_key(metric)
    con.print(
        f"[bold]{safe(t('sw.title', lang, name=res.name))}[/]{t('sw.colon', lang)}"
        f"{safe(summary_line(res, lang))}",
        highlight=False,
    )
    if len(res.inputs) == 2:
        tab = res.table(key)
        a, b = res.inputs
        t_ = Table(
            title=safe(
                t(
                    "sw.matrix",
                    lang,
                    figure=figure_label(res, key, lang),
                    rows=a.label,
                    cols=b.label,
                )
            ),
            title_justify="left",
        )
        t_.add_column(
            f"{safe(short_label(a))} \\ {safe(short_label(b))}", justify="left", overflow="fold"
        )
        for x in tab.column_values:
            t_.add_column(safe(value_text(b, x, lang)), justify="right", no_wrap=True)
        best = res.best(metric)
        for head, r, vals in zip(
            _row_head(res, tab, lang), tab.row_values, tab.values, strict=True
        ):
            cells = []
            for x, v in zip(tab.column_values, vals, strict=True):
                s = safe(figure_text(res, key, v, lang=lang))
                is_best = best[a.ref] == r[0] and best[b.ref] == x
                cells.append(f"[bold green]{s}[/]" if is_best else s)
            t_.add_row(safe(head), *cells)
        con.print(t_)
    else:
        t_ = Table(
            title=t("sw.every", lang, n=f"{len(res.rows):,}"),
            title_justify="left",
            caption=t("sw.varied", lang) + ", ".join(safe(i.label) for i in res.inputs),
            caption_justify="left",
        )
        for i in res.inputs:
            head = i.label.split(".")[-1].replace("_", " ")
            t_.add_column(safe(head), justify="right", overflow="fold")
        for k, (col, _, _) in FIGURES.items():
            head = short_head(k, lang) + (" ◀" if col == key else "")
            t_.add_column(head, justify="right", overflow="fold")
        for row in res.rows:
            t_.add_row(
                *(safe(value_text(i, row[i.ref], lang)) for i in res.inputs),
                *(safe(figure_text(res, k, row[k], lang=lang)) for k in FIGURE_KEYS),
            )
        con.print(t_)
    con.print(safe(best_line(res, fig, lang)), highlight=False)
    for w in warning_lines(res, lang):
        con.print(
            f"[yellow]{t('warning', lang)}[/]{'' if lang == 'zh' else ' '}{safe(w)}",
            highlight=False,
        )


# ---------------------------------------------------------------------------- HTML
def heatmap(res: SweepResult, key: str, lang: str = "en") -> Any:
    """A plotly heatmap of one figure over the grid (rows as in :meth:`SweepResult.table`,
    the first row on top); cells are labelled with their formatted figure."""
    import plotly.graph_objects as go

    from .charts import TEMPLATE
    from .charts import esc as plot_esc

    fig_name, key = figure_key(key)
    tab = res.table(key)
    col_in = res.inputs[-1]
    rows = [plot_esc(h) for h in _row_head(res, tab, lang)]
    cols = [plot_esc(value_text(col_in, x, lang)) for x in tab.column_values]
    z = [list(r) for r in tab.values]
    text = [[figure_text(res, key, v, lang=lang) for v in r] for r in tab.values]
    high_good = FIGURES[fig_name][1] == "high"
    scale = "RdYlGn" if high_good else "RdYlGn_r"
    extra: dict[str, Any] = {}
    if key in PROBABILITY_KEYS:
        extra = {"zmin": 0.0, "zmax": 1.0}
    row_title = " · ".join(i.label for i in res.inputs[:-1])
    label = figure_label(res, key, lang)
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


def render_html(res: SweepResult, metric: str = "p_breakeven", lang: str | None = None) -> str:
    """The page of a sweep: the best cell by ``metric``, a heatmap per figure (``metric``'s
    first), every cell in a table, and how it was computed."""
    from .html import fig_div, generated_by, page, section, table

    lang = resolve(lang)
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
                    figure_label(res, key, lang),
                    fig_div(heatmap(res, key, lang), f"sweep-{fig}"),
                    esc(t(f"sw.note.{fig}", lang, h=res.horizon_months)),
                ),
            )
        )
    head = [esc(i.label) for i in res.inputs] + [
        esc(figure_label(res, k, lang)) for k, _, _ in FIGURES.values()
    ]
    best = res.best(metric)
    rows = [
        [esc(value_text(i, row[i.ref], lang)) for i in res.inputs]
        + [esc(figure_text(res, k, row[k], lang=lang)) for k, _, _ in FIGURES.values()]
        for row in res.rows
    ]
    classes = ["best" if row is best else "" for row in res.rows]
    cells = section(
        "sweep-cells",
        t("sw.every_head", lang),
        f'<div class="scroll">{table(head, rows, left=0, row_classes=classes)}</div>',
        esc(t("sw.best_marked", lang, fig=figure_name(first, lang))),
    )
    sep = "、" if lang == "zh" else ", "
    vary = "".join(
        f'<li><code class="input">{esc(i.ref)}</code> ({esc(i.label)}): '
        f"{esc(sep.join(value_text(i, x, lang) for x in i.values))}</li>"
        for i in res.inputs
    )
    method = section(
        "sweep-method",
        t("sw.method", lang),
        f"<ul>{vary}</ul>"
        + "".join(
            f'<p class="note">{esc(t("warning", lang))} {esc(w)}</p>'
            for w in warning_lines(res, lang)
        ),
        esc(
            t(
                "sw.method_note",
                lang,
                samples=f"{res.samples:,}",
                seed=res.seed,
                where=where_text(res, lang),
                s=f"{res.elapsed_s:.1f}",
            )
        ),
    )
    toc = "".join(
        f'<a href="#sec-sweep-{f}">{esc(figure_label(res, FIGURES[f][0], lang))}</a>' for f in order
    )
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">{esc(t("sw.kicker", lang))}'
        f"</div><h1>{esc(res.name)}</h1>"
        f'<div class="meta">{esc(summary_line(res, lang))} · {esc(res.source)}</div></div></header>'
    )
    summary = (
        '<section class="sec" id="sec-summary" data-section="summary" '
        'style="background:none;box-shadow:none;padding:0">'
        f'<div class="headline">{esc(best_line(res, first, lang))}</div>'
        f'<nav class="toc">{toc}</nav></section>'
    )
    body = (
        header
        + '<main class="wrap">'
        + summary
        + "".join(h for _, h in secs)
        + cells
        + method
        + generated_by(lang)
        + "</main>"
        + "<style>tr.best td { font-weight:700; }</style>"
    )
    return page(t("sw.page_title", lang, name=res.name), lang, body)


def write_html(
    res: SweepResult, path: str | Path, metric: str = "p_breakeven", lang: str | None = None
) -> Path:
    """Write the page of a sweep to ``path`` (atomically); returns the path."""
    text = render_html(res, metric, lang)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


__all__ = [
    "best_line",
    "figure_name",
    "warning_lines",
    "cell_label",
    "figure_text",
    "heatmap",
    "render_html",
    "render_terminal",
    "value_text",
    "write_html",
]
