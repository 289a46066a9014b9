"""LLM API list prices with history: which price was in force for a model on a date.

Rows live in ``data/api_prices.yaml`` in the provider's native currency (USD or CNY), per million
tokens, one row per (provider, model, effective_from). :func:`price_at` returns the row in force
on a date; :func:`price_history` the whole series. Every row is validated at load, including a
unit-magnitude guard (:func:`validate_price_row`) that rejects per-1K or per-token prices
entered as per-million.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .catalog import CatalogError, as_date, check_keys, load_yaml, lookup, require_source

CURRENCIES = ("USD", "CNY")
# Plausible per-MILLION-token list prices (a non-zero price outside is a unit slip). The floor
# catches per-1K prices entered as per-1M (gpt-4o input 0.0025 USD/1K; Doubao 0.0008 CNY/1K);
# the ceiling catches per-1K figures multiplied twice (per-billion).
PRICE_BOUNDS_PER_MILLION = {"USD": (0.01, 1000.0), "CNY": (0.05, 7000.0)}
# Consecutive list prices of one model never moved by more than this factor (the biggest real
# cuts, e.g. Qwen-Long's 97%, are ~40x); a bigger jump is a unit slip in one of the rows.
MAX_STEP_RATIO = 200.0

PROVIDER_ALIASES = {
    "Alibaba Qwen": "Alibaba",
    "Qwen": "Alibaba",
    "Aliyun": "Alibaba",
    "DashScope": "Alibaba",
    "Doubao": "ByteDance",
    "ByteDance Doubao": "ByteDance",
    "Volcengine": "ByteDance",
    "ERNIE": "Baidu",
    "Baidu ERNIE": "Baidu",
    "Wenxin": "Baidu",
    "Kimi": "Moonshot",
    "Moonshot AI": "Moonshot",
    "Zhipu AI": "Zhipu",
    "GLM": "Zhipu",
    "Z.ai": "Zhipu",
    "Gemini": "Google",
    "Claude": "Anthropic",
}


@dataclass(frozen=True)
class PriceRow:
    provider: str
    model: str
    currency: str
    input_per_million: float
    cached_input_per_million: float | None
    output_per_million: float
    effective_from: _dt.date
    source: str
    as_of: _dt.date

    def to_row(self) -> dict[str, Any]:
        d = asdict(self)
        d["effective_from"] = self.effective_from.isoformat()
        d["as_of"] = self.as_of.isoformat()
        d["name"] = f"{self.provider}/{self.model}"
        return d

    def cost(self, input_tokens: Any, output_tokens: Any, cached_share: Any = 0.0) -> Any:
        """API cost (native currency) of ``input_tokens`` in and ``output_tokens`` out, with a
        share of the input hitting the prompt cache (at the cached price where one exists)."""
        cached_price = (
            self.cached_input_per_million
            if self.cached_input_per_million is not None
            else self.input_per_million
        )
        inp = input_tokens * (
            (1 - cached_share) * self.input_per_million + cached_share * cached_price
        )
        return (inp + output_tokens * self.output_per_million) / 1e6


def validate_price_row(row: Mapping[str, Any], where: str = "api_prices.yaml") -> PriceRow:
    """Check one catalog row (fields, currency, dates, source, unit magnitude) and build it.

    A non-zero per-million price outside :data:`PRICE_BOUNDS_PER_MILLION` is rejected as a
    probable unit slip (e.g. a per-1K price entered as per-1M). Zero means free.
    """
    for key in (
        "provider",
        "model",
        "currency",
        "input_per_million",
        "output_per_million",
        "effective_from",
    ):
        if key not in row:
            raise CatalogError(f"{where}: missing {key}")
    check_keys(
        row,
        (
            "provider",
            "model",
            "currency",
            "input_per_million",
            "cached_input_per_million",
            "output_per_million",
            "effective_from",
            "source",
            "as_of",
            "notes",
        ),
        where,
    )
    require_source(row, where)
    cur = str(row["currency"]).upper()
    if cur not in CURRENCIES:
        raise CatalogError(
            f"{where}.currency: must be one of {', '.join(CURRENCIES)} (got {row['currency']!r})"
        )
    lo, hi = PRICE_BOUNDS_PER_MILLION[cur]
    vals: dict[str, float | None] = {}
    for key in ("input_per_million", "cached_input_per_million", "output_per_million"):
        v = row.get(key)
        if v is None and key == "cached_input_per_million":
            vals[key] = None
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise CatalogError(
                f"{where}.{key}: expected a number of {cur} per million tokens (got {v!r})"
            )
        v = float(v)
        if v < 0:
            raise CatalogError(f"{where}.{key}: a price must not be negative (got {v})")
        if v != 0 and not lo <= v <= hi:
            hint = (
                "per-1K or per-token price entered as per-million?"
                if v < lo
                else "price per billion entered as per-million?"
            )
            raise CatalogError(
                f"{where}.{key}: {v:g} {cur} per million tokens is outside the "
                f"plausible range {lo:g} to {hi:g} ({hint})"
            )
        vals[key] = v
    if (
        vals["cached_input_per_million"] is not None
        and vals["input_per_million"]
        and vals["cached_input_per_million"] > vals["input_per_million"]
    ):
        raise CatalogError(f"{where}.cached_input_per_million: above the uncached input price")
    price_in, price_out = vals["input_per_million"], vals["output_per_million"]
    assert price_in is not None and price_out is not None  # only the cached price may be absent
    return PriceRow(
        provider=str(row["provider"]),
        model=str(row["model"]),
        currency=cur,
        input_per_million=price_in,
        cached_input_per_million=vals["cached_input_per_million"],
        output_per_million=price_out,
        effective_from=as_date(row["effective_from"], f"{where}.effective_from"),
        source=str(row["source"]),
        as_of=as_date(row["as_of"], f"{where}.as_of"),
    )


def validate_price_rows(
    rows: Iterable[Mapping[str, Any]], filename: str = "api_prices.yaml"
) -> dict[tuple[str, str], list[PriceRow]]:
    """Validate every row, group by (provider, model) sorted by date, and check each history:
    no duplicate effective dates, no jump between consecutive prices beyond MAX_STEP_RATIO."""
    out: dict[tuple[str, str], list[PriceRow]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise CatalogError(f"{filename}[{i}]: expected a mapping")
        where = f"{filename}[{i}] {row.get('provider', '?')}/{row.get('model', '?')}"
        r = validate_price_row(row, where)
        out.setdefault((r.provider, r.model), []).append(r)
    for (prov, model), hist in out.items():
        hist.sort(key=lambda r: r.effective_from)
        for a, b in zip(hist, hist[1:], strict=False):
            where = f"{filename} {prov}/{model} {b.effective_from}"
            if a.effective_from == b.effective_from:
                raise CatalogError(f"{where}: two rows with the same effective_from")
            if a.currency != b.currency:
                raise CatalogError(f"{where}: currency changed within one model's history")
            for key in ("input_per_million", "output_per_million"):
                x, y = getattr(a, key), getattr(b, key)
                if x and y and max(x / y, y / x) > MAX_STEP_RATIO:
                    raise CatalogError(
                        f"{where}.{key}: price moved {x:g} -> {y:g} (more than "
                        f"{MAX_STEP_RATIO:g}x); unit slip in one of the rows?"
                    )
    return out


@lru_cache(maxsize=1)
def _catalog() -> dict[tuple[str, str], list[PriceRow]]:
    data = load_yaml("api_prices.yaml")
    return validate_price_rows(data["rows"])


def providers() -> list[str]:
    return list(dict.fromkeys(p for p, _ in _catalog()))


def _provider(name: str) -> str:
    return lookup({p: p for p in providers()}, name, "API provider", PROVIDER_ALIASES)


def _history(provider: str, model: str) -> list[PriceRow]:
    prov = _provider(provider)
    models = {m: hist for (p, m), hist in _catalog().items() if p == prov}
    return lookup(models, model, f"{prov} model")


def price_history(provider: str, model: str) -> list[PriceRow]:
    """Every price row of one model, oldest first."""
    return list(_history(provider, model))


def _to_date(date: Any) -> _dt.date:
    if date is None:
        return _dt.date.today()
    if isinstance(date, str) and date.strip().lower() == "today":
        return _dt.date.today()
    return as_date(date, "date")


def price_at(provider: str, model: str, date: Any = None) -> PriceRow:
    """The price row in force on ``date`` (default today): the latest row with effective_from <= date.

    Raises CatalogError if the model had no price yet on that date.
    """
    d = _to_date(date)
    hist = _history(provider, model)
    in_force = [r for r in hist if r.effective_from <= d]
    if not in_force:
        raise CatalogError(
            f"{hist[0].provider}/{hist[0].model} has no price before "
            f"{hist[0].effective_from} (asked for {d})"
        )
    return in_force[-1]


def list_prices(
    provider: str | None = None, at: Any = None, history: bool = False
) -> list[PriceRow]:
    """Rows for the catalog or one provider: all history rows, or the row in force ``at`` a date
    (default today) for every model that had a price by then."""
    prov = _provider(provider) if provider else None
    d = _to_date(at)
    out: list[PriceRow] = []
    for (p, _m), hist in _catalog().items():
        if prov and p != prov:
            continue
        if history:
            out.extend(hist)
            continue
        in_force = [r for r in hist if r.effective_from <= d]
        if in_force:
            out.append(in_force[-1])
    return out


def all_rows() -> list[PriceRow]:
    return [r for hist in _catalog().values() for r in hist]


def month_date(start: _dt.date, t: int) -> _dt.date:
    """Calendar date of month index t (0-based) from a plan's start date.

    >>> month_date(_dt.date(2024, 11, 1), 3)
    datetime.date(2025, 2, 1)
    """
    m = start.month - 1 + t
    return _dt.date(start.year + m // 12, m % 12 + 1, 1)


def price_path(
    provider: str,
    model: str,
    start: _dt.date,
    months: int,
    rate: Callable[[str], Any],
    cached_share: Any = 0.0,
    discount: Any = 0.0,
    change_per_year: Any = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Input and output prices per million tokens for months 1..months, (months, n) or
    (months, 1): the catalog row in force each month (the earliest before the first), then
    ``change_per_year`` after the last listed price; ``rate(currency)`` converts to the plan's
    currency; ``cached_share`` of input at the cached price; ``discount`` off."""
    history = price_history(provider, model)
    last = history[-1].effective_from
    keep = 1.0 - np.asarray(discount, dtype=float)
    growth = np.log1p(np.asarray(change_per_year, dtype=float))
    pin, pout = [], []
    for t in range(months):
        d = month_date(start, t)
        row = price_at(provider, model, max(d, history[0].effective_from))
        fx = rate(row.currency)
        drift = np.exp(growth * max(0.0, (d - last).days / 365.25))
        cin = row.cached_input_per_million
        inp = (
            row.input_per_million
            if cin is None
            else ((1 - cached_share) * row.input_per_million + cached_share * cin)
        )
        pin.append(inp * fx * keep * drift)
        pout.append(row.output_per_million * fx * keep * drift)
    return np.atleast_2d(np.array(pin, dtype=float).T).T, np.atleast_2d(
        np.array(pout, dtype=float).T
    ).T
