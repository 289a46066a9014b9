"""Commands ``breakeven sensitivity`` and ``breakeven goalseek`` (added by :func:`register`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import UserError
from ..format import money, number, pct_sig
from .common import METRICS, check_lang, console, dump_json, progress, safe, wrap_name

if TYPE_CHECKING:
    from rich.console import Console

LANG_HELP = "en or zh for what is printed (default: from the locale); --json stays as it is."
SCHEDULER_HELP = (
    "sync (the default: this process, whose simulations already use up to 4 cores), processes "
    "(a local Dask cluster, one worker process per core: for machines with many cores) or the "
    "address of a Dask scheduler (tcp://host:8786) whose workers have breakeven installed. "
    "The figures are the same on each."
)


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
        scheduler: str | None = typer.Option(
            None, "--scheduler", help="sobol: where the design's simulations run: " + SCHEDULER_HELP
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ):
        """Which inputs decide the answer: a ranked tornado, or Sobol indices."""

        from ..analysis.distributed import check_scheduler
        from ..analysis.sensitivity import sobol, tornado
        from ..report.i18n import resolve
        from ..scenario import load

        lang = resolve(check_lang(lang))
        method = method.lower()
        if method not in ("tornado", "sobol"):
            raise UserError(f"--method: choose tornado or sobol (got {method!r})")
        if samples is not None and samples < 2:
            raise UserError(f"--samples: must be at least 2 (got {samples})")
        # a bad scheduler fails before any work; a tornado runs in this process
        if check_scheduler(scheduler or "sync") != "sync" and method != "sobol":
            raise UserError("--scheduler: only with --method sobol (a tornado runs here)")
        sc = load(file)
        if method == "tornado":
            tr = tornado(sc, metric=metric, seed=seed, samples_for_conditional=samples)
            doc = tr.to_dict()
        else:
            bar = progress("sobol", unit="samples")
            try:
                doc = sobol(
                    sc,
                    metric=metric,
                    n_base=samples or 8192,
                    seed=seed,
                    scheduler=scheduler or "sync",
                    progress=bar,
                )
            finally:
                bar.close()
        if as_json:
            _echo_json(doc)
            return
        con = console()
        if method == "tornado":
            _render_tornado(doc, sc, con, lang)
        else:
            _render_sobol(doc, sc, con, lang)

    @app.command()
    def goalseek(
        file: Path = typer.Argument(..., help="Scenario YAML file."),
        vary: str = typer.Option(
            ...,
            "--vary",
            help="Input to vary, by path or as outputs name it (e.g. "
            "streams.subscription.conversion, company.team\\[research & engineering].headcount.0).",
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
        scheduler: str = typer.Option(
            "sync",
            "--scheduler",
            help="Where the simulations run (the scan's points at once on Dask, then the "
            "bisection's steps one by one): " + SCHEDULER_HELP,
        ),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ):
        """Find the value of one input at which the plan reaches a target."""

        from ..analysis.distributed import check_scheduler
        from ..analysis.goalseek import goalseek as seek
        from ..report.i18n import resolve
        from ..scenario import load

        lang = resolve(check_lang(lang))
        if samples is not None and samples < 1:
            raise UserError(f"--samples: must be at least 1 (got {samples})")
        check_scheduler(scheduler)  # a bad scheduler fails before any work
        sc = load(file)
        bar = progress("goal-seek", unit="simulations")
        try:
            out = seek(
                sc,
                vary=vary,
                target=target,
                low=low,
                high=high,
                samples=samples,
                seed=seed,
                scheduler=scheduler,
                progress=bar,
            )
        finally:
            bar.close()
        if as_json:
            _echo_json(out)
            return
        _render_goalseek(out, sc, console(), lang)


def _render_goalseek(out: dict, sc, con: Console, lang: str) -> None:
    from ..report import sentences as say
    from ..report.i18n import t

    cur = sc.currency
    zh = lang == "zh"
    mark = "[green]{}[/]" if out["found"] else "[red]{}[/]"
    mark = mark.format(t("gs.found" if out["found"] else "gs.unreachable", lang))

    con.print(
        t(
            "gs.head",
            lang,
            target=f"[bold]{safe(say.target_text(out, cur, lang))}[/]",
            label=f"[bold]{safe(out['label'])}[/]",
            # the ends of the range as the answer's sentence shows values (552k, 3.48%): a
            # thousands comma would read as the interval's own separator ([551,661, 978,862])
            low=say.goalseek_value(out["low"], out, lang),
            high=say.goalseek_value(out["high"], out, lang),
            mark=mark,
        )
    )
    con.print(say.goalseek_message(out, cur, lang), markup=False, highlight=False)
    if zh:
        from ..engine import build_inputs

        current = say.describe_dist(build_inputs(sc)[out["input"]].dist, lang)
    else:
        current = out["current"]
    now = t(
        "gs.now",
        lang,
        current=safe(current),
        iterations=out["iterations"],
        samples=f"{out['samples']:,}",
        seed=out["seed"],
    )
    con.print(f"[dim]{now}[/]")
    for w in say.goalseek_warnings(out, lang):
        con.print(f"[yellow]{t('warning', lang)}[/]{'' if zh else ' '}{safe(w)}", highlight=False)


def _render_tornado(doc: dict, sc, con: Console, lang: str = "en") -> None:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from ..format import printable
    from ..models.metrics import MONTH_METRICS
    from ..report import sentences as say
    from ..report.i18n import t

    m = doc["metric"]
    month = m in MONTH_METRICS
    zh = lang == "zh"
    name = say.metric_name(m, lang)

    def value(x: object) -> str:  # a value of the metric (its unit in the title)
        if not zh or not isinstance(x, (int, float)) or not math.isfinite(x):
            return _fmt(x)
        return say.plain_number(float(x), lang)

    if zh:
        b = doc["base"]
        base = say.months_value(b, lang) if month else money(b, sc.currency, lang)
    else:
        base = f"{_fmt(doc['base'])} {'months' if month else sc.currency}"
    t_ = Table(
        title=t("sens.t.title", lang, metric=name, name=safe(sc.name), base=base),
        title_justify="left",
        caption=t("sens.t.caption", lang, metric=name),
        caption_justify="left",
    )
    cols = [
        ("#", "#"),
        ("input", t("input", lang)),
        ("p10 → p90", t("sens.c.range", lang)),
        ("at p10", t("sens.c.at_low", lang)),
        ("at p90", t("sens.c.at_high", lang)),
        ("swing", t("swing", lang)),
        ("cond. swing", t("sens.c.cond_swing", lang)),
    ]
    for col, head in cols:
        t_.add_column(
            head,
            justify="left" if col in ("input", "p10 → p90") else "right",
            # Chinese headers are wider than their numbers: they may wrap, the input keeps room
            no_wrap=col != "input" and not (zh and col != "#"),
            overflow="fold",
        )
    cells = []
    from ..scenario.units import field_unit

    for r in doc["rows"]:
        dom = r.get("domain")
        unit = field_unit(sc, r["paths"][0]) if r.get("paths") else ""
        cash = unit.startswith(str(sc.currency)) and dom not in ("fraction", "rate")

        def fx(x: float, dom: str | None = dom, cash: bool = cash) -> str:  # a value of the input
            if cash:  # an amount: with its currency, compact (¥627k, ¥62.7万)
                return money(x, sc.currency, lang)
            if zh:
                return say.goalseek_value(x, {"domain": dom}, lang)
            return pct_sig(x) if dom in ("fraction", "rate") else _fmt(x)

        cells.append(
            [
                str(r["rank"]),
                r["label"],
                f"{fx(r['low'])} → {fx(r['high'])}",
                value(r["metric_low"]),
                value(r["metric_high"]),
                value(r["swing"]),
                value(r["conditional_swing"]),
            ]
        )

    # the input's column gets what the others leave; its names wrap at their dots, and in a
    # narrow terminal each range takes two lines to leave the names more room
    def room() -> int:
        others = sum(
            max(
                [max(map(cell_len, head.split("\n")))]
                + [max(map(cell_len, row[i].split("\n"))) for row in cells]
            )
            for i, (_, head) in enumerate(cols)
            if i != 1
        )
        return con.width - others - 3 * len(cols) - 1

    longest = max([cell_len(row[1]) for row in cells], default=0)
    if longest > room() and room() < 24:
        for row in cells:
            row[2] = row[2].replace(" → ", " →\n")
    width = room()
    if longest > width:
        t_.columns[1].min_width = width  # the lines were cut for this width: keep it
    for row in cells:
        label = row[1] if longest <= width else wrap_name(row[1], width)
        lines = "\n".join(printable(x) for x in label.split("\n"))
        t_.add_row(row[0], Text(lines), *row[2:])  # plain text: no markup
    con.print(t_)
    note = say.tornado_note(doc, lang)
    if note:
        con.print(f"[dim]{safe(note)}[/]", highlight=False)


def _render_sobol(doc: dict, sc, con: Console, lang: str = "en") -> None:
    from rich.table import Table

    from ..report import sentences as say
    from ..report.i18n import t

    name = say.metric_name(doc["metric"], lang)
    t_ = Table(title=t("sens.s.title", lang, metric=name, name=safe(sc.name)), title_justify="left")
    cols = [
        ("#", "#"),
        ("input", t("input", lang)),
        ("s1", t("sens.s.s1", lang)),
        ("st", t("sens.s.st", lang)),
    ]
    for col, head in cols:
        t_.add_column(
            head,
            justify="left" if col == "input" else "right",
            no_wrap=col != "input",
            overflow="fold",
        )
    order = sorted(doc["ST"], key=lambda k: -(doc["ST"][k]["value"] or 0))
    for i, k in enumerate(order, 1):
        s1, st = doc["S1"][k], doc["ST"][k]
        t_.add_row(
            str(i),
            safe(doc.get("labels", {}).get(k, k)),
            f"{s1['value']:.3f} ± {s1['conf']:.3f}",
            f"{st['value']:.3f} ± {st['conf']:.3f}",
        )
    con.print(t_)
    footer = t(
        "sens.s.footer",
        lang,
        n=f"{doc['n']:,}",
        n_base=doc["n_base"],
        note=say.sobol_note(doc, lang),
    )
    con.print(f"[dim]{safe(footer)}[/]", highlight=False)
    if doc["trustworthy"]:
        con.print(f"[green]{t('sens.s.trustworthy', lang)}[/]")
    sep = "" if lang == "zh" else " "
    for w in say.sobol_warnings(doc, lang):
        con.print(f"[yellow]{t('warning', lang)}[/]{sep}{safe(w)}", highlight=False)


__all__ = ["register"]
