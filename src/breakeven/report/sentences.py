"""The analyses' sentences in the reader's language, told from their structured fields.

The analysis layer writes its messages in English (``--json`` carries them as they are) and keeps
the facts they are made of beside them: a tornado's ``tail_samples``, goal-seek's ``case``, a
lint warning's ``facts``, Sobol's ``warning_facts``. Here the same sentences are told again in
Chinese from those facts — never by translating the English text. English output stays the
analysis's own text (or ``Dist.describe()``), unchanged.

The notes of ``infer`` and ``train`` come from the cost models (:mod:`breakeven.compute`), which
keep no facts beside them: each known sentence is matched by its template and retold with its
numbers; a note of unknown form is shown as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..compute.training import SHAPE_RULE
from ..format import compact, input_value, money, money_exact, number, pct, pct_sig, sig
from ..models import distributions as D
from ..models.metrics import MONTH_METRICS
from .i18n import STRINGS, label, t
from .text import metric_kind

# ---------------------------------------------------------------------------- numbers


def plain_number(x: float, lang: str = "en") -> str:
    """A number of a description: 4 significant digits; in Chinese 万/亿 from 1万 up."""
    if lang == "zh" and math.isfinite(x) and abs(x) >= 1e4:
        return compact(x, "zh")
    return number(x, 4, lang)


# ---------------------------------------------------------------------------- distributions


def describe_dist(dist: D.Dist, lang: str = "en") -> str:
    """A distribution for people: ``Dist.describe()`` in English; in Chinese the same facts
    ('对数正态分布（中位数 1.1亿，90% 区间 6,000万 至 2亿）')."""
    if lang != "zh":
        return dist.describe()

    def n(x: float) -> str:
        return plain_number(float(x), lang)

    if isinstance(dist, D.Point):
        return n(dist.value)
    if isinstance(dist, D.Normal):
        return t("dist.normal", lang, mean=n(dist.mean), sd=n(dist.sd))
    if isinstance(dist, D.LogNormal):
        return t(
            "dist.lognormal",
            lang,
            median=n(math.exp(dist.mu)),
            a=n(dist.quantile(0.05)),
            b=n(dist.quantile(0.95)),
        )
    if isinstance(dist, D.ShiftedLogNormal):
        return t(
            "dist.rate",
            lang,
            median=pct_sig(math.expm1(dist.mu)),
            a=pct_sig(dist.quantile(0.05)),
            b=pct_sig(dist.quantile(0.95)),
        )
    if isinstance(dist, D.LogitNormal):
        return t(
            "dist.logitnormal",
            lang,
            median=pct_sig(1.0 / (1.0 + math.exp(-float(dist.mu)))),  # the logistic of mu
            a=pct_sig(dist.quantile(0.05)),
            b=pct_sig(dist.quantile(0.95)),
        )
    if isinstance(dist, D.Uniform):
        return t("dist.uniform", lang, low=n(dist.low), high=n(dist.high))
    if isinstance(dist, D.Triangular):
        return t("dist.triangular", lang, low=n(dist.low), mode=n(dist.mode), high=n(dist.high))
    if isinstance(dist, D.Beta):
        return t(
            "dist.beta",
            lang,
            alpha=n(dist.alpha),
            beta=n(dist.beta),
            low=n(dist.low),
            high=n(dist.high),
        )
    if isinstance(dist, D.Pert):
        return t("dist.pert", lang, low=n(dist.low), mode=n(dist.mode), high=n(dist.high))
    if isinstance(dist, D.Choice):
        total = sum(dist.weights)
        parts = "，".join(
            t("dist.choice_part", lang, v=n(v), w=pct(w / total))
            for v, w in zip(dist.values, dist.weights, strict=True)
        )
        return t("dist.choice", lang, parts=parts)
    return dist.describe()  # pragma: no cover - every distribution is above


def domain_label(domain: str, lang: str = "en") -> str:
    """An input's domain for people: ``fraction`` / 比例（0–1）."""
    key = f"dom.{domain}"
    return t(key, lang) if key in STRINGS else str(domain)


# ---------------------------------------------------------------------------- sensitivity


def metric_name(metric: str, lang: str = "en") -> str:
    """A metric as the sentences name it: its key in English (as the analysis writes it), its
    declared label in Chinese."""
    return label(metric, lang) if lang == "zh" else metric


def tornado_note(tr: Any, lang: str = "en") -> str:
    """The note under a tornado (a :class:`~breakeven.analysis.sensitivity.Tornado` or its
    ``to_dict()``): the analysis's own in English, told from its facts in Chinese."""
    get: Callable[[str], Any] = (
        tr.get if isinstance(tr, Mapping) else lambda k: getattr(tr, k, None)
    )
    if lang != "zh":
        return str(get("note") or "")
    metric, H = str(get("metric")), int(get("horizon_months") or 0)
    name = metric_name(metric, lang)
    notes = []
    if metric in MONTH_METRICS and H:
        notes.append(t("sens.n.month", lang, metric=name, H=H, H1=H + 1))
    if get("correlations_ignored"):
        notes.append(t("sens.n.correlations", lang))
    m = get("tail_samples")
    if m:
        notes.append(
            t(
                "sens.n.conditional",
                lang,
                metric=name,
                m=f"{m:,}",
                n=f"{int(get('samples')):,}",
                share=pct(float(get("tail_share") or 0.1)),
            )
        )
    else:
        notes.append(t("sens.n.no_inputs", lang))
    return "".join(notes)


def sobol_note(doc: Mapping[str, Any], lang: str = "en") -> str:
    """The note of a Sobol result: how undefined month metrics were counted."""
    if lang != "zh":
        return str(doc.get("note") or "")
    metric, H = str(doc["metric"]), int(doc.get("horizon_months") or 0)
    if metric in MONTH_METRICS and H:
        return t("sens.n.month", lang, metric=metric_name(metric, lang), H=H, H1=H + 1)
    return ""


def sobol_warnings(doc: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The warnings of a Sobol result in ``lang`` (English: as the analysis wrote them)."""
    texts = list(doc.get("warnings") or [])
    facts = list(doc.get("warning_facts") or [])
    if lang != "zh" or len(facts) != len(texts):
        return texts
    out = []
    for text, f in zip(texts, facts, strict=True):
        key = f"sens.w.{f.get('code')}"
        if key not in STRINGS:
            out.append(text)
            continue
        kw = {k: v for k, v in f.items() if k != "code"}
        if "width" in kw:
            kw["width"] = f"{kw['width']:.2f}"
        if "total" in kw:
            kw["total"] = f"{kw['total']:.2f}"
        if "inputs" in kw:
            kw["inputs"] = "、".join(kw["inputs"])
        out.append(t(key, lang, **kw))
    return out


# ---------------------------------------------------------------------------- goal-seek

_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
PROBABILITIES = ("p_breakeven", "p_cash_out")


def _figure_parts(out: Mapping[str, Any]) -> tuple[str, str | None]:
    figure = str(out["figure"])
    stat = out.get("stat")
    if "." in figure:
        figure, stat = figure.split(".", 1)
    return figure, stat


def figure_label(out: Mapping[str, Any], lang: str = "en") -> str:
    """The figure of a goal-seek: ``npv.p50`` / 净现值 P50."""
    if lang != "zh":
        return str(out["figure"])
    figure, stat = _figure_parts(out)
    if figure in PROBABILITIES:
        return t(figure, lang)
    name = label(figure, lang)
    if stat is None:
        return name
    return f"{name}{t('gs.stat.mean', lang)}" if stat == "mean" else f"{name} {stat.upper()}"


def figure_value(x: float | None, out: Mapping[str, Any], currency: str, lang: str = "en") -> str:
    """A value of the goal-seek's figure: probabilities as percentages, money as money."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return t("gs.undefined", lang)
    if math.isinf(x):
        return t("gs.never", lang) if x > 0 else "-∞"
    figure, _ = _figure_parts(out)
    if figure in PROBABILITIES:
        return pct_sig(x)
    kind = metric_kind(figure)
    if kind == "money":
        return money(x, currency, lang)
    if kind == "ratio":
        return pct_sig(x)
    return number(x, 6, lang)


def target_text(out: Mapping[str, Any], currency: str, lang: str = "en") -> str:
    """The target: as the user wrote it in English; '期内盈亏平衡概率 ≥ 80%' in Chinese."""
    if lang != "zh":
        return str(out["target"])
    op = _OPS.get(str(out["op"]), str(out["op"]))
    return f"{figure_label(out, lang)} {op} {figure_value(out['threshold'], out, currency, lang)}"


def goalseek_value(x: float | None, out: Mapping[str, Any], lang: str = "en") -> str:
    """A value of the varied input, as the plan shows it (3.48%, 1.1亿)."""
    if x is None or not math.isfinite(x):
        return t("gs.undefined", lang)
    return input_value(x, out.get("domain"), lang)


def goalseek_message(out: Mapping[str, Any], currency: str, lang: str = "en") -> str:
    """The answer of a goal-seek: the analysis's sentence in English, told from its facts
    (``case``, ``beyond``, the values) in Chinese."""
    case = out.get("case")
    if lang != "zh" or case not in ("crossing", "everywhere", "unreachable"):
        return str(out["message"])

    def v(x: float | None) -> str:
        return goalseek_value(x, out, lang)

    def f(x: float | None) -> str:
        return figure_value(x, out, currency, lang)

    figure = figure_label(out, lang)
    common = {
        "label": out["label"],
        "low": v(out["low"]),
        "high": v(out["high"]),
        "target": target_text(out, currency, lang),
        # a space between Latin and Chinese: '净现值 P50 为', '期内盈亏平衡概率为'
        "figure": figure + (" " if figure[-1:].isascii() else ""),
    }
    if case == "crossing":
        return t(
            "gs.m.crossing",
            lang,
            direction=t(f"gs.dir.{out['direction']}", lang),
            value=v(out["value"]),
            achieved=f(out["achieved"]),
            **common,
        )
    if case == "everywhere":
        key = "gs.m.everywhere_beyond" if out.get("beyond") else "gs.m.everywhere"
        return t(key, lang, value=v(out["value"]), achieved=f(out["achieved"]), **common)
    best = out.get("best") or {}
    key = "gs.m.unreachable_beyond" if out.get("beyond") else "gs.m.unreachable"
    return t(key, lang, value=v(best.get("value")), best=f(best.get("figure")), **common)


def goalseek_warnings(out: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The warnings of a goal-seek in ``lang`` (English: as the analysis wrote them)."""
    texts = list(out.get("warnings") or [])
    facts = list(out.get("warning_facts") or [])
    if lang != "zh" or len(facts) != len(texts):
        return texts
    res = []
    for text, fa in zip(texts, facts, strict=True):
        if fa.get("code") == "correlated":
            res.append(t("gs.w.correlated", lang, input=fa["input"]))
        elif fa.get("code") == "not_monotone":
            near = "、".join(goalseek_value(x, out, lang) for x in fa.get("crossings", []))
            res.append(t("gs.w.not_monotone", lang, input=fa["input"], crossings=near))
        else:
            res.append(text)
    return res


# ---------------------------------------------------------------------------- plan lint


MAGNITUDE_KEYS = {
    "people-beyond-world": "world",
    "seats-below-one": "seats",
    "cap-below-mean": "cap",
    "request-beyond-context": "ctx",
}
"""The input-magnitude rules of the plan lint and their i18n keys (``lint.<key>.message``)."""


def lint_text(w: Any, lang: str = "en") -> str:
    """A :class:`~breakeven.analysis.lint.PlanWarning`'s message, what the plan implies and
    what to check: ``w.text`` in English, told from ``w.facts`` in Chinese."""
    if lang != "zh" or not w.facts:
        return str(w.text)
    f = w.facts
    if w.code == "first-month-breakeven":
        cur = f["currency"]
        message = t("lint.fmb.message", lang, share=pct(f["share"]))
        value = t(
            "lint.fmb.value",
            lang,
            revenue=money(f["revenue"], cur, lang),
            top=f["top"],
            top_revenue=money(f["top_revenue"], cur, lang),
        )
        check = t("lint.fmb.check", lang, fields="、".join(f["fields"]))
    elif w.code == "revenue-per-employee":
        cur, ref = f["currency"], f["reference"]
        plan = money(f["per_person"], cur, lang)
        if cur != "USD":
            plan = t("lint.rpe.fx", lang, plan=plan, usd=money(f["usd"], "USD", lang))
        value = t(
            "lint.rpe.value",
            lang,
            plan_value=plan,
            month=f["month"],
            monthly=money(f["monthly_revenue"], cur, lang),
            people=f"{f['people']:,.0f}",
        )
        common = {
            "ref": money(float(ref["usd_per_employee_per_year"]), "USD", lang),
            "company": ref.get("company_zh") or ref["company"],
            "year": ref["year"],
        }
        if f["side"] == "high":
            message = t("lint.rpe.high", lang, multiple=f"{f['multiple']:g}", **common)
            check = t("lint.rpe.high_check", lang)
        else:
            message = t("lint.rpe.low", lang, n=f"{1 / f['fraction']:g}", **common)
            check = t("lint.rpe.low_check", lang)
    elif w.code == "serving-gross-margin":
        message = t("lint.sgm.message", lang, months=f["months"], threshold=pct(f["threshold"]))
        value = pct_sig(f["margin"])
        check = t("lint.sgm.check", lang)
    elif w.code == "cac-below-cent":
        cur = f["currency"]
        message = t("lint.cac.message", lang, floor=money_exact(f["floor"], cur, lang, decimals=4))
        value = t(
            "lint.cac.value",
            lang,
            raw=f["raw"],
            median=money_exact(f["median"], cur, lang, decimals=f["decimals"]),
        )
        check = t("lint.cac.check", lang, field=w.field)
    elif w.code in ("step-after-horizon", "event-after-horizon"):
        key = "lint.step.message" if w.code == "step-after-horizon" else "lint.event.message"
        message = t(key, lang, horizon=f["horizon"])
        if f["more"]:
            message += t("lint.more", lang, n=f["more"])
        value = t("lint.step.value", lang, month=f["month"])
        check = t("lint.step.check", lang, field=w.field)
    elif w.code == "growth-beyond-segment":
        message = t("lint.growth.message", lang, segment=f["segment"])
        if f["more"]:
            message += t("lint.more", lang, n=f["more"])
        value = t("lint.growth.value", lang, raw=f["raw"], room=pct(f["room"]))
        check = t("lint.growth.check", lang, field=f["accounts_field"])
    elif w.code == "start-beyond-segment":
        message = t("lint.start.message", lang, segment=f["segment"], field=f["field"])
        if f["more"]:
            message += t("lint.more", lang, n=f["more"])
        value = t("lint.start.value", lang, raw=f["raw"], ratio=f"{f['ratio']:.2f}")
        check = t("lint.start.check", lang, field=w.field.rsplit(".", 1)[0])
    elif w.code == "growth-beyond-market":
        message = t("lint.market_growth.message", lang)
        value = t(
            "lint.market_growth.value",
            lang,
            raw=f["raw"],
            room=pct(f["room"]),
            rate=pct_sig(f["rate"]),
            planned=pct_sig(f["planned"]),
        )
        if f["capped"] > 0:
            value += t("lint.market_growth.capped", lang, capped=pct(f["capped"]))
        check = t("lint.market_growth.check", lang)
    elif w.code == "rate-beyond-100x":
        unit = {"year": "年", "month": "月"}.get(f["period"], "期")
        message = t("lint.rate.message", lang, per=t("lint.rate.per", lang, period=unit))
        if f["more"]:
            message += t("lint.more", lang, n=f["more"])
        value = t("lint.rate.value", lang, raw=f["raw"], p95=f"{f['p95'] * 100:,.0f}")
        check = t("lint.rate.check", lang, field=w.field)
    elif w.code in MAGNITUDE_KEYS:
        key = MAGNITUDE_KEYS[w.code]
        extra = {"tokens": f"{f['tokens']:,}", "model": f["model"]} if "tokens" in f else {}
        message = t(f"lint.{key}.message", lang, **extra)
        if f["more"]:
            message += t("lint.more", lang, n=f["more"])
        value = t("lint.median", lang, raw=f["raw"], median=compact(f["median"], lang))
        check = t(f"lint.{key}.check", lang, field=w.field)
    else:
        return str(w.text)
    return message + t("lint.got", lang, value=value) + t("lint.check", lang, check=check)


def lint_line(w: Any, lang: str = "en") -> str:
    """A warning located like an error: ``plan.yaml:49: compute.serving: warning: …``."""
    if lang != "zh":
        return str(w)
    where = f"{w.file}:{w.line}" if w.line else w.file
    return t(
        "lint.line",
        lang,
        where=where,
        field=w.field or t("lint.document", lang),
        text=lint_text(w, lang),
    )


# ---------------------------------------------------------------------------- infer / train

_NOTES: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]] = [
    (
        re.compile(r"^(\d+) tokens exceed (.+)'s context of (\d+)$"),
        lambda m, lang: t("cn.context", lang, n=m.group(1), model=m.group(2), context=m.group(3)),
    ),
    (
        re.compile(r"^(.+) has no (fp8|fp4) tensor cores: \2 weights computed at bf16 speed$"),
        lambda m, lang: t("cn.fp8", lang, gpu=m.group(1), p=m.group(2)),
    ),
    (
        re.compile(
            r"^one (\d+)-token request's KV cache does not fit beside the weights in (\S+) of "
            r"samples \(at the high end of the memory reserve\); the figures are over the "
            r"other samples$"
        ),
        lambda m, lang: t("cn.no_room", lang, n=m.group(1), share=m.group(2)),
    ),
    (
        re.compile(
            r"^batch (?P<batch>\d+) exceeds the memory limit in (?P<share>\S+) of samples "
            r"\(max batch p10-p90 (?P<lo>\d+)-(?P<hi>\d+)\): their KV cache would not fit$"
        ),
        lambda m, lang: t("cn.batch_share", lang, **m.groupdict()),
    ),
    (
        re.compile(
            r"^latency targets missed at batch (\d+) in (\S+) of the samples where it fits$"
        ),
        lambda m, lang: t("cn.latency_at_batch", lang, batch=m.group(1), share=m.group(2)),
    ),
    (
        re.compile(
            r"^decode attention reads each GPU's KV cache (\S+) times a step "
            r"\(attention kernel per_head: once per query head\)$"
        ),
        lambda m, lang: t("cn.per_head", lang, reads=m.group(1)),
    ),
    (
        re.compile(
            r"^(?P<gpus>\d+) (?P<gpu>\S+) GPUs are (?P<nodes>\d+) nodes of (?P<per>\d+) "
            r"\((?P<node>.+)\): the replica's communication crosses the network$"
        ),
        lambda m, lang: t("cn.split_nodes", lang, **m.groupdict()),
    ),
    (
        re.compile(r"^latency targets missed even at batch 1 in (\S+) of samples$"),
        lambda m, lang: t("cn.latency_missed", lang, share=m.group(1)),
    ),
    (
        re.compile(
            r"^no latency target given: sized for an interactive (\S+) ms to the first token "
            r"and (\S+) ms per output token \(--ttft-ms, --tpot-ms\)$"
        ),
        lambda m, lang: t("cn.no_target", lang, ttft=m.group(1), tpot=m.group(2)),
    ),
    (
        re.compile(
            r"^attention shape: (.+) derived from (active )?params by "
            + re.escape(SHAPE_RULE)
            + "$"
        ),
        lambda m, lang: t(
            "cn.shape",
            lang,
            derived=m.group(1).replace(" and ", t("cn.and", lang)),
            active=t("cn.shape_active", lang) if m.group(2) else "",
            rule=t("cn.rule", lang),
        ),
    ),
    (
        re.compile(r"^attention FLOPs not counted \(no seq_len\): parameter FLOPs only$"),
        lambda m, lang: t("cn.no_attention", lang),
    ),
]


def compute_note(note: str, lang: str = "en") -> str:
    """A note of ``infer`` / ``train`` in ``lang``: each known sentence of the cost models
    retold with its numbers; anything else as written."""
    if lang != "zh":
        return note
    for pattern, tell in _NOTES:
        m = pattern.match(note)
        if m:
            return tell(m, lang)
    return note


def months_value(x: float, lang: str = "en") -> str:
    """A number of months (a tornado's base of a month metric): '36.5 个月'."""
    return t("sens.months", lang, x=sig(x, 3))


__all__ = [
    "compute_note",
    "describe_dist",
    "domain_label",
    "figure_label",
    "figure_value",
    "goalseek_message",
    "goalseek_value",
    "goalseek_warnings",
    "lint_line",
    "lint_text",
    "metric_name",
    "months_value",
    "sobol_note",
    "sobol_warnings",
    "target_text",
    "tornado_note",
]


def reference_facts(ref: Any, lang: str = "en") -> dict[str, Any]:
    """The words of a :class:`~breakeven.models.reference_growth.ReferenceGrowth` in ``lang``:
    ``low``, ``high``, ``median``, ``n``, ``what``, ``family``, ``start``."""
    from ..models.reference_growth import growth_text

    return {
        "low": growth_text(ref.low),
        "high": growth_text(ref.high),
        "median": growth_text(ref.median),
        "n": len(ref.products),
        "what": t(f"val.reference.{ref.family}", lang),
        "family": ref.family,
        "start": f"{ref.start.year:04d}-{ref.start.month:02d}",
    }


def trend_facts(ref: Any, lang: str = "en") -> dict[str, Any]:
    """The words of a :class:`~breakeven.models.reference_growth.Persistence` (a ``trend``) in
    ``lang``: :func:`reference_facts` and the growth observed, the ratio's mean and spread."""
    from ..models.reference_growth import growth_text

    facts = reference_facts(ref, lang)
    if ref.pooled:  # the field's own kind had too few products: every kind together
        facts["what"] = t("val.reference.pooled", lang, own=facts["what"])
    return facts | {
        "observed": growth_text(ref.observed),
        "mean": f"{ref.mean_ratio:.2f}",
        "sd": f"{ref.sd_ratio:.2f}",
    }


def reference_line(path: str, ref: Any, lang: str = "en", months: int = 1) -> str:
    """What a plan's ``reference`` (or ``trend x``) growth was resolved to, for ``validate``:
    its interval and the products it was made of; for a field that changes per ``months``
    months (12: a change per year), the same interval over that period too."""
    if getattr(ref, "observed", None) is not None:
        line = t("val.trend", lang, path=path, **trend_facts(ref, lang))
    else:
        line = t("val.reference", lang, path=path, **reference_facts(ref, lang))
    if months == 1:
        return line
    from ..models.reference_growth import growth_text, per_period

    low, high = per_period(ref.low, ref.high, months)
    return line + t("val.per_year", lang, low=growth_text(low), high=growth_text(high))


def as_of_line(path: str, counted: Any, start: Any, growth: Any, lang: str = "en") -> str:
    """How ``validate`` says a starting count of an earlier month is grown to month 0: its
    month, how many months behind, and the factor (1 + growth)^months at the growth's 90%
    interval."""
    import numpy as np

    from ..models.starting_state import month_zero, months_behind

    k = months_behind(counted, start)
    low, high = (float((1.0 + growth.dist.ppf(np.array([q]))[0]) ** k) for q in (0.05, 0.95))
    return t(
        "val.as_of",
        lang,
        path=path,
        counted=f"{counted:%Y-%m}",
        zero=f"{month_zero(start):%Y-%m}",
        months=k,
        low=f"{low:.3g}",
        high=f"{high:.3g}",
    )


def basis_text(basis: Mapping[str, Any], lang: str = "en") -> str:
    """Where a ``reference`` (or ``trend x``) growth came from, for the assumptions table
    (``basis`` as :func:`~breakeven.report.view.assumptions` gives it)."""
    what = t(f"val.reference.{basis['family']}", lang)
    if basis.get("pooled"):
        what = t("val.reference.pooled", lang, own=what)
    return t(
        "ref.trend_basis" if basis.get("observed") is not None else "ref.basis",
        lang,
        observed=basis.get("observed"),
        n=len(basis["products"]),
        what=what,
        start=basis["start"],
        products=", ".join(basis["products"]),
    )
