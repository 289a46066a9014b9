"""The report of an update on actuals (``breakeven update``): HTML page and terminal summary.

Both read one :class:`~breakeven.analysis.update.Update`: the narrative sentence, what the
sampler did, the headline before → after, plan vs actual per observed series (the plan's band,
the updated forecast's and the actuals), the variance of each observation against the plan, the
inputs whose ranges moved and the plan rewritten with them. The page is the standard report's
skeleton (:mod:`breakeven.report.html`: same CSS, plotly.js embedded once, offline); every
number is formatted by :mod:`breakeven.format`, every word comes from :mod:`.i18n`. The English
narrative is the analysis's own sentence; the Chinese one is built here from the same facts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ..analysis.actuals import Actuals
from ..analysis.update import InputChange, Update
from ..files import atomic_write
from ..format import escape_html as esc
from ..format import input_value, month_label, number, pct, pct_sig
from . import charts
from .html import fig_div, generated_by, neg, outside_count, page, section, table, variance_html
from .i18n import STRINGS, resolve, t
from .terminal import render_variance, safe
from .text import metric_value

# the headline rows below P(break-even) and P(cash runs out): (metric, quantile, label key)
HEADLINE_ROWS = (
    ("breakeven_month", "p50", "upd.be_p50"),
    ("peak_funding_need", "p50", "peak_need"),
    ("peak_funding_need", "p90", "peak_need"),
    ("runway_months", "p50", "upd.runway_p50"),
    ("npv", "p50", "npv_p50"),
)


# ---------------------------------------------------------------------------- facts in words
def period(a: Actuals, lang: str = "en") -> str:
    """The calendar months observed: '2025-01 to 2025-06' / '2025-01 至 2025-06'."""
    if lang != "zh":
        return a.period
    first, last = month_label(a.start, a.first_month), month_label(a.start, a.months)
    return first if first == last else f"{first} 至 {last}"


def phrase(c: InputChange, lang: str = "en") -> str:
    """How an input's range changed (:attr:`InputChange.side`), in words."""
    q0, q1 = c.prior, c.posterior

    def v(x: float) -> str:
        return input_value(x, c.domain, lang)

    side = c.side
    if side == "narrowed":
        return t("upd.p.narrow", lang, label=c.label, a=v(q1["p5"]), b=v(q1["p95"]))
    if side == "above":
        return t("upd.p.cut_high", lang, label=c.label, v=v(q1["p95"]))
    if side == "below":
        return t("upd.p.cut_low", lang, label=c.label, v=v(q1["p5"]))
    return t("upd.p.move", lang, label=c.label, a=v(q0["p50"]), b=v(q1["p50"]))


def narrative(upd: Update, lang: str = "en") -> str:
    """The one sentence of the update: the analysis's in English; in Chinese, told from the
    same facts (:meth:`Update.story`)."""
    lang = resolve(lang)
    if lang != "zh":
        return upd.narrative()
    st = upd.story()
    what = t("upd.n.what", lang, n=st.months, period=period(upd.actuals, lang))
    if st.unchanged:
        head = t("upd.n.left", lang, what=what, p1=pct(st.p1))
    else:
        head = t("upd.n.moved", lang, what=what, p0=pct(st.p0), p1=pct(st.p1))
    if st.lead is None:
        return head + t("upd.n.none_moved", lang)
    key = "upd.n.mostly" if st.mostly else "upd.n.mainly"
    return head + t(key, lang, phrase=phrase(st.lead, lang))


def plan_text(upd: Update, lang: str = "en") -> str | None:
    """The updated plan's YAML with its header (where the ranges came from) in ``lang``: the
    analysis's own text in English; in Chinese the header told from
    :attr:`Update.plan_edits`, the plan below it unchanged."""
    text = upd.plan_text
    if text is None or resolve(lang) != "zh" or not upd.plan_edits:
        return text
    e, a = upd.plan_edits, upd.actuals
    lines = text.split("\n")
    corr = t("upd.h.corr", "zh", k=e["correlations"]) if e["correlations"] else ""
    header = [
        t(
            "upd.h.source",
            "zh",
            file=a.file,
            period=period(a, "zh"),
            n=a.observations,
            series="、".join(a.series),
        ),
        t("upd.h.narrowed", "zh", k=e["narrowed"], corr=corr),
        t("upd.h.again", "zh"),
    ]
    return "\n".join(header + lines[e["header_lines"] :])


def headline_rows(upd: Update, lang: str = "en") -> list[tuple[str, str, str]]:
    """(label, plan, updated) of the headline: probabilities, break-even month, funding need,
    runway and NPV."""
    h = upd.headline()
    r = upd.posterior
    rows = [
        (t(k, lang), pct(h[k]["prior"]), pct(h[k]["posterior"]))
        for k in ("p_breakeven", "p_cash_out")
    ]
    for name, q, key in HEADLINE_ROWS:
        if name not in h:
            continue
        label = t(key, lang) + (f" {q.upper()}" if key == "peak_need" else "")

        def f(side: str, name: str = name, q: str = q) -> str:
            return metric_value(h[name][side][q], name, r.months, r.currency, lang, upd.plan.start)

        rows.append((label, f("prior"), f("posterior")))
    return rows


def sampler_rows(upd: Update, lang: str = "en") -> list[tuple[str, str]]:
    """(fact, value): method, the prior's effective sample size, stages and moves, samples,
    distinct samples after conditioning, observations."""
    s, n, a = upd.sampler, upd.posterior.samples, upd.actuals
    key = f"upd.m.{s.method}"
    method = t(key, lang) if key in STRINGS else s.method
    moves = (
        t(
            "upd.stages_value",
            lang,
            stages=s.stages,
            moves=s.moves,
            acc=pct(float(np.mean(s.acceptance))) if s.acceptance else "—",
        )
        if s.stages
        else t("upd.no_moves", lang)
    )
    return [
        (t("upd.f.method", lang), method),
        (
            t("upd.f.ess", lang),
            t(
                "upd.ess_value",
                lang,
                ess=number(s.ess_prior, 3, lang),
                n=f"{n:,}",
                share=pct_sig(s.ess_prior / n if n else None, 2),
            ),
        ),
        (t("upd.f.stages", lang), moves),
        (t("upd.f.samples", lang), f"{n:,}"),
        (t("upd.f.distinct", lang), f"{s.distinct:,}"),
        (
            t("upd.f.observations", lang),
            t(
                "upd.obs_value",
                lang,
                n=f"{a.observations:,}",
                series=len(a.series),
                months=a.months_observed,
            ),
        ),
    ]


def _range(c: InputChange, side: str, lang: str) -> str:
    q = getattr(c, side)
    return f"{input_value(q['p10'], c.domain, lang)} – {input_value(q['p90'], c.domain, lang)}"


def _narrowing(c: InputChange, lang: str) -> str:
    if c.width_ratio <= 1:
        return pct(1.0 - c.width_ratio)
    return t("upd.widened", lang, x=pct(c.width_ratio - 1.0))


def _effect(c: InputChange, lang: str) -> str:
    return t("upd.pp", lang, x=f"{100 * c.effect:+.1f}")


# ---------------------------------------------------------------------------- HTML
def _changes_section(upd: Update, lang: str) -> str:
    moved = upd.moved
    if moved:
        rows = [
            [
                f'<code class="input">{esc(c.label)}</code>',
                esc(_range(c, "prior", lang)),
                esc(_range(c, "posterior", lang)),
                esc(_narrowing(c, lang)),
                neg(_effect(c, lang), c.effect),
            ]
            for c in moved
        ]
        head = [
            t("input", lang),
            t("upd.c.before", lang),
            t("upd.c.after", lang),
            t("upd.c.narrowing", lang),
            t("upd.c.effect", lang),
        ]
        inner = table(head, rows)
        inner += fig_div(charts.input_ranges(moved, lang), "ranges")
    else:
        inner = f'<p class="lead">{esc(t("upd.none_moved", lang))}</p>'
    still = [c for c in upd.changes if not c.moved]
    if still:
        names = ", ".join(f'<code class="input">{esc(c.label)}</code>' for c in still)
        inner += f'<p class="note">{esc(t("upd.unmoved", lang, n=len(still)))} {names}</p>'
    return section("changes", t("upd.sec.changes", lang), inner, esc(t("upd.note.changes", lang)))


def _plan_vs_actual_section(upd: Update, lang: str) -> str:
    r = upd.posterior
    inner = ""
    for name, entry in upd.bands().items():
        fig = charts.plan_vs_actual(entry, name, name in r.lines, r.currency, lang)
        inner += f"<h3>{esc(r.outputs.label(name, lang))} <code>{esc(name)}</code></h3>"
        inner += fig_div(fig, "pva-" + name.replace(".", "-"))
    return section(
        "plan_vs_actual",
        t("upd.sec.plan_vs_actual", lang),
        inner,
        esc(t("upd.note.plan_vs_actual", lang)),
    )


def update_html(upd: Update, lang: str = "en") -> str:
    """The report of an update on actuals as one self-contained, offline HTML page."""
    lang = resolve(lang)
    a = upd.actuals
    secs: list[tuple[str, str]] = []

    def add(key: str, inner: str, note: str | None = None) -> None:
        secs.append((key, section(key, t(f"upd.sec.{key}", lang), inner, note)))

    add("sampler", table(None, [[esc(k), esc(v)] for k, v in sampler_rows(upd, lang)]))
    add(
        "headline",
        table(
            ["", esc(t("upd.plan", lang)), esc(t("upd.updated", lang))],
            [[esc(k), esc(b), f"<b>{esc(c)}</b>"] for k, b, c in headline_rows(upd, lang)],
        ),
        esc(t("upd.note.headline", lang)),
    )
    secs.append(("plan_vs_actual", _plan_vs_actual_section(upd, lang)))
    rows = upd.variance()
    add(
        "variance",
        f'<p class="lead">{esc(outside_count(rows, lang))}</p>'
        + variance_html(rows, upd.prior, lang),
    )
    secs.append(("changes", _changes_section(upd, lang)))
    add("method", f"<p>{esc(t('upd.method', lang))}</p>")
    if upd.plan_text:
        add(
            "plan_yaml",
            f'<details class="yaml"><summary>{esc(t("upd.yaml_summary", lang))}</summary>'
            f"<pre>{esc(plan_text(upd, lang))}</pre></details>",
            esc(t("upd.note.yaml", lang)),
        )

    meta = t("upd.meta", lang, file=a.file, period=period(a, lang))
    toc = "".join(f'<a href="#sec-{k}">{esc(t(f"upd.sec.{k}", lang))}</a>' for k, _ in secs)
    header = (
        f'<header class="top"><div class="wrap"><div class="kicker">'
        f"{esc(t('upd.title', lang))}</div><h1>{esc(upd.plan.name)}</h1>"
        f'<div class="meta">{esc(meta)}</div></div></header>'
    )
    summary = (
        '<section class="sec" id="sec-summary" data-section="summary" '
        'style="background:none;box-shadow:none;padding:0">'
        f'<div class="headline">{esc(narrative(upd, lang))}</div>'
        f'<nav class="toc">{toc}</nav></section>'
    )
    body = (
        header
        + '<main class="wrap">'
        + summary
        + "".join(h for _, h in secs)
        + generated_by(lang)
        + "</main>"
    )
    return page(f"{upd.plan.name} — {t('upd.title', lang)}", lang, body)


def write_update_html(upd: Update, path: str | Path, lang: str = "en") -> None:
    """Write :func:`update_html` to ``path`` atomically (a temporary file, then a rename)."""
    text = update_html(upd, lang)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


# ---------------------------------------------------------------------------- terminal
def print_update(upd: Update, console: Console, lang: str = "en") -> None:
    """The update in the terminal: the narrative, the headline before → after, the inputs that
    moved, and the observations outside the plan's 80% band."""
    lang = resolve(lang)
    a = upd.actuals
    meta = t("upd.meta", lang, file=a.file, period=period(a, lang))
    console.print(f"[bold]{safe(upd.plan.name)}[/bold] — {safe(meta)}")
    console.print(f"[bold green]{safe(narrative(upd, lang))}[/bold green]")
    facts = dict(sampler_rows(upd, lang))
    semi, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    console.print(
        f"[dim]{safe(facts[t('upd.f.method', lang)])}{semi}{safe(t('upd.f.ess', lang))}{colon}"
        f"{safe(facts[t('upd.f.ess', lang)])}[/dim]"
    )
    h = Table(title=t("upd.t.headline", lang))
    h.add_column("", overflow="fold")
    h.add_column(t("upd.plan", lang), justify="right", no_wrap=True)
    h.add_column(t("upd.updated", lang), justify="right", no_wrap=True)
    for label, before, after in headline_rows(upd, lang):
        h.add_row(label, before, f"[bold]{after}[/bold]")
    console.print(h)
    moved = upd.moved
    if moved:
        cells = [
            [_range(c, "prior", lang), _range(c, "posterior", lang), _effect(c, lang)]
            for c in moved
        ]
        # the input's name gets what the numbers leave, broken after its dots
        widths = [max(cell_len(row[i]) for row in cells) for i in range(3)]
        widths[2] = max(widths[2], 13)  # room for "P(break-even)" in the header
        width = max(16, console.width - sum(widths) - 3 * 4)  # padding and separators
        m = Table(title=t("upd.t.moved", lang), box=box.SIMPLE_HEAD, show_edge=False)
        m.add_column(t("input", lang), overflow="fold")
        m.add_column(t("upd.c.before", lang), justify="right", no_wrap=True)
        m.add_column(t("upd.c.after", lang), justify="right", no_wrap=True)
        m.add_column(t("upd.c.effect", lang), justify="right", overflow="fold", max_width=widths[2])
        for c, row in zip(moved, cells, strict=True):
            m.add_row("\n".join(safe(x) for x in charts.wrap_dotted(c.label, width)), *row)
        console.print(m)
    else:
        console.print(t("upd.none_moved", lang))
    render_variance(upd.variance(), upd.prior, console, lang)


__all__ = ["narrative", "plan_text", "print_update", "update_html", "write_update_html"]
