"""LLM API list prices with history: which price was in force for a model on a date.

Rows live in ``data/api_prices.yaml`` in the provider's native currency (USD or CNY), per million
tokens, one row per (provider, model, effective_from). :func:`price_at` returns the row in force
on a date; :func:`price_history` the whole series. Every row is validated at load, including a
unit-magnitude guard (:func:`validate_price_row`) that rejects per-1K or per-token prices
entered as per-million.

A row may carry a time-of-day price, ``off_peak: {hours_utc: "16:30-00:30", input_discount: 0.5,
output_discount: 0.5}`` (DeepSeek's night discount of 2025); :func:`blended_price_per_million`
and :meth:`PriceRow.cost` blend it in for the share of traffic sent in those hours.

The shipped catalog is merged with the user's own (``breakeven prices import``; see
:mod:`.price_files` for where it lives): a user row replaces the shipped row of the same
(provider, model, effective_from), and a row with a new date extends the history. Every lookup
(:func:`price_at`, :func:`price_history`, :func:`list_prices`, :func:`price_path`) reads the
merged catalog; ``PriceRow.catalog`` says where a row came from.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import show
from ..files import write_text
from .catalog import CatalogError, as_date, load_yaml, lookup, normalize_name
from .price_files import (
    LITELLM_CHAT_MODES,
    LITELLM_FIELDS,
    LITELLM_PROVIDERS,
    PriceFileError,
    RawRow,
    dump_catalog,
    is_litellm,
    litellm_entries,
    located,
    parse_catalog_csv,
    parse_catalog_yaml,
    parse_json,
    read_text,
    stamp,
    user_catalog_path,
)

if TYPE_CHECKING:  # numpy loads when prices are turned into series
    import numpy as np

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

ROW_KEYS = (
    "provider",
    "model",
    "currency",
    "input_per_million",
    "cached_input_per_million",
    "output_per_million",
    "effective_from",
    "off_peak",
    "source",
    "as_of",
    "notes",
)
PRICE_KEYS = ("input_per_million", "cached_input_per_million", "output_per_million")
_HOURS = re.compile(r"^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*$")


class PriceRowError(CatalogError):
    """An invalid price row: ``where: field: detail``; ``where``, ``field`` and ``detail`` are
    kept apart so that an importer can re-locate the message at the file's line and field."""

    def __init__(self, where: str, field_name: str, detail: str, row: Any = None):
        super().__init__(f"{where}: {field_name}: {detail}")
        self.where, self.field, self.detail = where, field_name, detail
        self.row = row  # the PriceRow blamed by a history check


def _bad(where: str, field_name: str, detail: str, row: Any = None) -> PriceRowError:
    return PriceRowError(where, field_name, detail, row)


# ---------------------------------------------------------------- time-of-day prices


@dataclass(frozen=True)
class OffPeak:
    """A daily window (UTC) in which the row's prices are discounted: ``input_discount`` off the
    input and cached-input prices, ``output_discount`` off the output price (0.5 = half price)."""

    hours_utc: str
    input_discount: float
    output_discount: float

    @property
    def hours_per_day(self) -> float:
        """Length of the window in hours (a window may wrap past midnight, 16:30-00:30 = 8)."""
        m = _HOURS.match(self.hours_utc)
        assert m is not None  # validated at load
        start = int(m[1]) * 60 + int(m[2])
        end = int(m[3]) * 60 + int(m[4])  # 24:00 = 1440, the end of the day
        minutes = end - start if end > start else end - start + 1440
        return minutes / 60.0

    @property
    def share_of_day(self) -> float:
        """Share of the day's hours in the window: the off-peak share of evenly spread traffic."""
        return self.hours_per_day / 24.0

    def describe(self) -> str:
        i, o = self.input_discount, self.output_discount
        cut = f"-{i:.0%}" if i == o else f"-{i:.0%} in / -{o:.0%} out"
        return f"{cut} {self.hours_utc} UTC"


def _fraction(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _bad(
            where, name, f"expected a discount between 0 and 1, e.g. 0.5 (got {show(value)})"
        )
    return float(value)


def validate_off_peak(value: Any, where: str) -> OffPeak:
    """Check an ``off_peak`` mapping: ``hours_utc`` "HH:MM-HH:MM" and two discounts in [0, 1]."""
    if not isinstance(value, Mapping):
        raise _bad(
            where,
            "off_peak",
            "expected {hours_utc: 'HH:MM-HH:MM', input_discount: 0.5, output_discount: 0.5} "
            f"(got {show(value)})",
        )
    extra = set(value) - {"hours_utc", "input_discount", "output_discount"}
    if extra:
        name = sorted(map(str, extra))[0]
        raise _bad(
            where, f"off_peak.{name}", "unknown field (hours_utc, input_discount, output_discount)"
        )
    for key in ("hours_utc", "input_discount", "output_discount"):
        if key not in value:
            raise _bad(where, f"off_peak.{key}", "missing")
    hours = value["hours_utc"]
    m = _HOURS.match(hours) if isinstance(hours, str) else None
    if m is None or (m[1], m[2]) == (m[3], m[4]) or (m[3] == "24" and m[4] != "00"):
        raise _bad(
            where,
            "off_peak.hours_utc",
            f"expected a UTC window 'HH:MM-HH:MM' such as '16:30-00:30' (got {show(hours)})",
        )
    return OffPeak(
        hours_utc=f"{m[1]}:{m[2]}-{m[3]}:{m[4]}",
        input_discount=_fraction(value["input_discount"], where, "off_peak.input_discount"),
        output_discount=_fraction(value["output_discount"], where, "off_peak.output_discount"),
    )


def _share(off_peak_share: Any) -> Any:
    import numpy as np

    s = np.asarray(off_peak_share, dtype=float)
    if np.any(~np.isfinite(s)) or np.any(s < 0) or np.any(s > 1):
        raise CatalogError(
            f"off_peak_share must be a fraction in [0, 1] (got {show(off_peak_share)})"
        )
    return s if s.ndim else float(s)


# ---------------------------------------------------------------- one row


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
    off_peak: OffPeak | None = None
    catalog: str = "shipped"  # "shipped" (the package's file) or "user" (the user catalog)
    where: str = field(default="", compare=False, repr=False)  # file and row, for messages

    def to_row(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("where")
        d["effective_from"] = self.effective_from.isoformat()
        d["as_of"] = self.as_of.isoformat()
        d["name"] = f"{self.provider}/{self.model}"
        return d

    def to_catalog_row(self) -> dict[str, Any]:
        """The row in the catalog file format (what the user catalog stores)."""
        d: dict[str, Any] = {
            "provider": self.provider,
            "model": self.model,
            "currency": self.currency,
            "effective_from": self.effective_from,
            "input_per_million": self.input_per_million,
            "cached_input_per_million": self.cached_input_per_million,
            "output_per_million": self.output_per_million,
        }
        if self.off_peak is not None:
            d["off_peak"] = asdict(self.off_peak)
        d["source"] = self.source
        d["as_of"] = self.as_of
        return d

    def same_price(self, other: PriceRow) -> bool:
        """Same currency, prices and off-peak terms (dates, source and catalog aside)."""
        return (
            self.currency == other.currency
            and self.input_per_million == other.input_per_million
            and self.cached_input_per_million == other.cached_input_per_million
            and self.output_per_million == other.output_per_million
            and self.off_peak == other.off_peak
        )

    def cost(
        self,
        input_tokens: Any,
        output_tokens: Any,
        cached_share: Any = 0.0,
        off_peak_share: Any = 0.0,
    ) -> Any:
        """API cost (native currency) of ``input_tokens`` in and ``output_tokens`` out, with a
        share of the input hitting the prompt cache (at the cached price where one exists) and a
        share of the traffic sent in the row's off-peak hours (ignored when it has none)."""
        pin, pcached, pout = blended_price_per_million(self, off_peak_share)
        cached_price = pcached if pcached is not None else pin
        inp = input_tokens * ((1 - cached_share) * pin + cached_share * cached_price)
        return (inp + output_tokens * pout) / 1e6


def blended_price_per_million(row: PriceRow, off_peak_share: Any = 0.0) -> tuple[Any, Any, Any]:
    """(input, cached input or None, output) per million tokens when ``off_peak_share`` of the
    traffic falls in the row's off-peak window: ``price × (1 − share × discount)``.

    A row without an off-peak price returns its list prices whatever the share. For traffic
    spread evenly over the day use ``row.off_peak.share_of_day`` (1/3 for 16:30-00:30).
    """
    share = _share(off_peak_share)
    pin, pcached, pout = (
        row.input_per_million,
        row.cached_input_per_million,
        row.output_per_million,
    )
    op = row.off_peak
    if op is None:
        return pin, pcached, pout
    keep_in = 1 - share * op.input_discount
    keep_out = 1 - share * op.output_discount
    return pin * keep_in, (None if pcached is None else pcached * keep_in), pout * keep_out


def _date(row: Mapping[str, Any], key: str, where: str) -> _dt.date:
    try:
        return as_date(row[key], key)
    except CatalogError:
        raise _bad(where, key, f"expected a date YYYY-MM-DD (got {show(row[key])})") from None


def _name_problem(name: str) -> str | None:
    """Why a provider or model name cannot be kept in a catalog (None if it can): a lone
    surrogate cannot be written as UTF-8, and a control character (NUL, a newline, an escape)
    is no part of a name."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a character that is not valid Unicode (a lone surrogate)"
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        return "contains a control character"
    return None


def validate_price_row(
    row: Mapping[str, Any], where: str = "api_prices.yaml", catalog: str = "shipped"
) -> PriceRow:
    """Check one catalog row (fields, currency, dates, source, unit magnitude, off-peak terms)
    and build it; a problem raises :class:`PriceRowError` (``where: field: what is wrong``).

    A non-zero per-million price outside :data:`PRICE_BOUNDS_PER_MILLION` is rejected as a
    probable unit slip (e.g. a per-1K price entered as per-1M). Zero means free.
    """
    if not isinstance(row, Mapping):
        raise _bad(where, "(row)", f"expected a mapping of row fields (got {show(row)})")
    extra = set(row) - set(ROW_KEYS)
    if extra:
        raise _bad(
            where,
            sorted(map(str, extra))[0],
            f"unknown field(s) {', '.join(sorted(map(str, extra)))} "
            "(an unquoted comma in a {...} row?)",
        )
    for key in (
        "provider",
        "model",
        "currency",
        "input_per_million",
        "output_per_million",
        "effective_from",
    ):
        if key not in row:
            raise _bad(where, key, "missing")
    for key in ("provider", "model"):
        if not isinstance(row[key], str) or not row[key].strip():
            raise _bad(where, key, f"expected a name (got {show(row[key])})")
        why = _name_problem(row[key])
        if why:
            raise _bad(where, key, f"{why} (got {show(row[key])})")
    src = row.get("source")
    if not isinstance(src, str) or len(src.strip()) < 5:
        raise _bad(
            where, "source", f"every row needs a source (URL or paper/table) (got {show(src)})"
        )
    if "as_of" not in row:
        raise _bad(where, "as_of", "every row needs an as_of date")
    cur = str(row["currency"]).upper()
    if cur not in CURRENCIES:
        raise _bad(
            where,
            "currency",
            f"must be one of {', '.join(CURRENCIES)} (got {show(row['currency'])})",
        )
    lo, hi = PRICE_BOUNDS_PER_MILLION[cur]
    vals: dict[str, float | None] = {}
    for key in PRICE_KEYS:
        v = row.get(key)
        if v is None and key == "cached_input_per_million":
            vals[key] = None
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise _bad(where, key, f"expected a number of {cur} per million tokens (got {show(v)})")
        try:
            v = float(v)
        except OverflowError:  # an integer of hundreds of digits
            raise _bad(where, key, "a number too large to be a price") from None
        if not math.isfinite(v):
            raise _bad(where, key, f"expected a finite number (got {v})")
        if v < 0:
            raise _bad(where, key, f"a price must not be negative (got {v:g})")
        if v != 0 and not lo <= v <= hi:
            hint = (
                "per-1K or per-token price entered as per-million?"
                if v < lo
                else "price per billion entered as per-million?"
            )
            raise _bad(
                where,
                key,
                f"{v:g} {cur} per million tokens is outside the plausible range {lo:g} to "
                f"{hi:g} ({hint})",
            )
        vals[key] = v
    if (
        vals["cached_input_per_million"] is not None
        and vals["input_per_million"]
        and vals["cached_input_per_million"] > vals["input_per_million"]
    ):
        raise _bad(
            where,
            "cached_input_per_million",
            f"above the uncached input price (got {vals['cached_input_per_million']:g} > "
            f"{vals['input_per_million']:g})",
        )
    price_in, price_out = vals["input_per_million"], vals["output_per_million"]
    assert price_in is not None and price_out is not None  # only the cached price may be absent
    off_peak = None if row.get("off_peak") is None else validate_off_peak(row["off_peak"], where)
    return PriceRow(
        provider=str(row["provider"]).strip(),
        model=str(row["model"]).strip(),
        currency=cur,
        input_per_million=price_in,
        cached_input_per_million=vals["cached_input_per_million"],
        output_per_million=price_out,
        effective_from=_date(row, "effective_from", where),
        source=str(row["source"]).strip(),
        as_of=_date(row, "as_of", where),
        off_peak=off_peak,
        catalog=catalog,
        where=where,
    )


# ---------------------------------------------------------------- histories


Catalog = dict[tuple[str, str], list[PriceRow]]


def _group(rows: Iterable[PriceRow]) -> Catalog:
    out: Catalog = {}
    for r in rows:
        out.setdefault((r.provider, r.model), []).append(r)
    for hist in out.values():
        hist.sort(key=lambda r: r.effective_from)
    return out


def _check_histories(out: Catalog) -> Catalog:
    """No duplicate effective dates, one currency, no jump beyond MAX_STEP_RATIO per history.
    A problem between a shipped and a user row is laid on the user row."""
    for (prov, model), hist in out.items():
        for a, b in zip(hist, hist[1:], strict=False):
            blamed = a if b.catalog == "shipped" and a.catalog != "shipped" else b
            where = blamed.where or f"{prov}/{model}"
            when = f"{prov}/{model} from {b.effective_from}"
            if a.effective_from == b.effective_from:
                raise _bad(
                    where,
                    "effective_from",
                    f"two rows with the same effective_from ({when})",
                    blamed,
                )
            if a.currency != b.currency:
                raise _bad(
                    where,
                    "currency",
                    f"currency changed within one model's history ({a.currency} -> "
                    f"{b.currency}, {when})",
                    blamed,
                )
            for key in ("input_per_million", "output_per_million"):
                x, y = getattr(a, key), getattr(b, key)
                if x and y and max(x / y, y / x) > MAX_STEP_RATIO:
                    raise _bad(
                        where,
                        key,
                        f"price moved {x:g} -> {y:g} (more than {MAX_STEP_RATIO:g}x, {when}); "
                        "unit slip in one of the rows?",
                        blamed,
                    )
    return out


def validate_price_rows(
    rows: Iterable[Mapping[str, Any]], filename: str = "api_prices.yaml"
) -> Catalog:
    """Validate every row, group by (provider, model) sorted by date, and check each history:
    no duplicate effective dates, no jump between consecutive prices beyond MAX_STEP_RATIO."""
    built = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise CatalogError(f"{filename}[{i}]: expected a mapping")
        where = f"{filename}[{i}] {row.get('provider', '?')}/{row.get('model', '?')}"
        built.append(validate_price_row(row, where))
    return _check_histories(_group(built))


@lru_cache(maxsize=1)
def _shipped() -> Catalog:
    data = load_yaml("api_prices.yaml")
    return validate_price_rows(data["rows"])


class _Names:
    """Canonical spellings: a user row's provider and model match the catalog's (case,
    punctuation and the provider aliases aside) so that they extend the right history."""

    def __init__(self, cat: Catalog):
        self.providers: dict[str, str] = {}
        for alias, target in PROVIDER_ALIASES.items():
            self.providers[normalize_name(alias)] = target
        self.models: dict[tuple[str, str], str] = {}
        for prov, model in cat:
            self.providers[normalize_name(prov)] = prov
            self.models[(prov, normalize_name(model))] = model

    def provider(self, name: str) -> str:
        return self.providers.get(normalize_name(name), name)

    def model(self, provider: str, name: str) -> str:
        return self.models.get((provider, normalize_name(name)), name)

    def canonical(self, r: PriceRow) -> PriceRow:
        prov = self.provider(r.provider)
        model = self.model(prov, r.model)
        if (prov, model) == (r.provider, r.model):
            return r
        return dataclasses.replace(r, provider=prov, model=model)


def _merge(shipped: Catalog, user_rows: Iterable[PriceRow]) -> Catalog:
    names = _Names(shipped)
    user = [names.canonical(r) for r in user_rows]
    keys = {(r.provider, r.model, r.effective_from) for r in user}
    rows = [
        r
        for hist in shipped.values()
        for r in hist
        if (r.provider, r.model, r.effective_from) not in keys
    ]
    return _check_histories(_group(rows + user))


def _read_user_rows(path: Path) -> list[PriceRow]:
    """The validated rows of a user catalog (a located one-line error for a bad one)."""
    raws = parse_catalog_yaml(read_text(path), path)
    return [_validate_raw(raw, path, "user") for raw in raws]


def _validate_raw(
    raw: RawRow,
    file: Path,
    catalog: str,
    names: Mapping[str, str] | None = None,
    originals: Mapping[str, Any] | None = None,
) -> PriceRow:
    try:
        return validate_price_row(raw.data, f"{file}:{raw.line}", catalog)
    except PriceRowError as e:
        raise _relocate(e, raw, file, names, originals) from None


def _relocate(
    e: PriceRowError,
    raw: RawRow,
    file: Path,
    names: Mapping[str, str] | None = None,
    originals: Mapping[str, Any] | None = None,
) -> PriceFileError:
    top = e.field.split(".")[0]
    name = (names or {}).get(e.field, e.field)
    detail = e.detail
    if originals and e.field in originals:  # what the file holds: a price per token
        detail = (
            re.sub(r" \(got .*\)$", "", detail) + f" (got {show(originals[e.field])} per token)"
        )
    return located(file, raw.line_of(top), name, detail)


@lru_cache(maxsize=4)
def _merged(path: str, file_stamp: tuple[int, int]) -> Catalog:
    p = Path(path)
    try:
        return _merge(_shipped(), _read_user_rows(p))
    except PriceRowError as e:  # a history problem inside the user catalog
        raise PriceFileError(f"{e.where}: {e.field}: {e.detail}") from None


def _catalog(catalog: str | Path | None = None) -> Catalog:
    """The shipped catalog merged with the user catalog (``catalog``, default the user's)."""
    path = Path(catalog) if catalog is not None else user_catalog_path()
    st = stamp(path)
    if st is None:
        return _shipped()
    return _merged(str(path), st)


def providers(catalog: str | Path | None = None) -> list[str]:
    return list(dict.fromkeys(p for p, _ in _catalog(catalog)))


def _provider(name: str, catalog: str | Path | None = None) -> str:
    return lookup({p: p for p in providers(catalog)}, name, "API provider", PROVIDER_ALIASES)


def _history(provider: str, model: str, catalog: str | Path | None = None) -> list[PriceRow]:
    prov = _provider(provider, catalog)
    models = {m: hist for (p, m), hist in _catalog(catalog).items() if p == prov}
    return lookup(models, model, f"{prov} model")


def price_history(
    provider: str, model: str, *, catalog: str | Path | None = None
) -> list[PriceRow]:
    """Every price row of one model, oldest first."""
    return list(_history(provider, model, catalog))


def _to_date(date: Any) -> _dt.date:
    if date is None:
        return _dt.date.today()
    if isinstance(date, str) and date.strip().lower() == "today":
        return _dt.date.today()
    return as_date(date, "date")


def price_at(
    provider: str, model: str, date: Any = None, *, catalog: str | Path | None = None
) -> PriceRow:
    """The price row in force on ``date`` (default today): the latest row with effective_from <= date.

    Raises CatalogError if the model had no price yet on that date.
    """
    d = _to_date(date)
    hist = _history(provider, model, catalog)
    in_force = [r for r in hist if r.effective_from <= d]
    if not in_force:
        raise CatalogError(
            f"{hist[0].provider}/{hist[0].model} has no price before "
            f"{hist[0].effective_from} (asked for {d})"
        )
    return in_force[-1]


def list_prices(
    provider: str | None = None,
    at: Any = None,
    history: bool = False,
    *,
    catalog: str | Path | None = None,
) -> list[PriceRow]:
    """Rows for the catalog or one provider: the history (every row, or with ``at`` the rows
    effective by that date), or the row in force ``at`` a date (default today) for every model
    that had a price by then."""
    prov = _provider(provider, catalog) if provider else None
    d = _to_date(at)
    out: list[PriceRow] = []
    for (p, _m), hist in _catalog(catalog).items():
        if prov and p != prov:
            continue
        if history:
            out.extend(r for r in hist if at is None or r.effective_from <= d)
            continue
        in_force = [r for r in hist if r.effective_from <= d]
        if in_force:
            out.append(in_force[-1])
    return out


def all_rows(catalog: str | Path | None = None) -> list[PriceRow]:
    return [r for hist in _catalog(catalog).values() for r in hist]


# ---------------------------------------------------------------- importing a published price file


@dataclass
class ImportReport:
    """What ``import_prices`` did: rows added or replaced in the user catalog, rows already
    there (unchanged), and entries skipped with the reason (non-chat, no price, …)."""

    file: str
    catalog: str
    format: str
    added: list[PriceRow] = field(default_factory=list)
    updated: list[PriceRow] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return len(self.added) + len(self.updated)

    def skipped_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, reason in self.skipped:
            kind = reason.split(":")[0]
            out[kind] = out.get(kind, 0) + 1
        return out

    def summary(self) -> str:
        why = ", ".join(f"{n} {k}" for k, n in self.skipped_by_reason().items())
        if self.written:
            where = f"into {self.catalog}"
        elif self.dry_run and self.imported:
            where = f"(dry run: {self.catalog} not written)"
        else:
            where = f"(nothing to write to {self.catalog})"
        return (
            f"imported {self.imported} row{'' if self.imported == 1 else 's'} "
            f"({len(self.added)} new, {len(self.updated)} "
            f"replaced), {len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
            f"{f' ({why})' if why else ''} from {self.file} {where}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "catalog": self.catalog,
            "format": self.format,
            "imported": self.imported,
            "added": [r.to_row() for r in self.added],
            "updated": [r.to_row() for r in self.updated],
            "unchanged": len(self.unchanged),
            "unchanged_entries": self.unchanged,
            "skipped": len(self.skipped),
            "skipped_by_reason": self.skipped_by_reason(),
            "skipped_entries": [{"entry": k, "reason": r} for k, r in self.skipped],
            "written": self.written,
            "dry_run": self.dry_run,
        }


@dataclass
class _Candidate:
    raw: RawRow
    names: dict[str, str]  # catalog field -> the file's own field name (LiteLLM)
    originals: dict[str, Any]  # catalog field -> the file's value before conversion


def _per_million(value: Any) -> Any:
    """USD per token → per million, rounded to 10 significant digits (2.5e-06 → 2.5)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value  # left for the row check to report
    try:
        return float(f"{value * 1e6:.10g}")
    except OverflowError:  # an integer of hundreds of digits: left for the row check
        return value


def _litellm_candidates(
    data: Any,
    text: str,
    file: Path,
    as_of: _dt.date,
    source: str,
    provider_map: Mapping[str, str],
    skipped: list[tuple[str, str]],
    skip_invalid: bool,
) -> list[_Candidate]:
    out = []
    for e in litellm_entries(data, text, file):
        if e.key == "sample_spec":
            skipped.append((e.key, "documentation entry: LiteLLM's field descriptions"))
            continue
        body = e.body
        if not isinstance(body, Mapping):
            err = located(file, e.line, e.key, "expected an object of model fields", body)
            if not skip_invalid:
                raise err
            skipped.append((e.key, f"invalid: {err.message}"))
            continue
        mode = body.get("mode")
        if mode not in LITELLM_CHAT_MODES:
            skipped.append((e.key, f"not chat: mode {show(mode)}"))
            continue
        pin, pout = (
            body.get(LITELLM_FIELDS["input_per_million"]),
            body.get(LITELLM_FIELDS["output_per_million"]),
        )
        if pin is None or pout is None:
            skipped.append(
                (e.key, "no price: input_cost_per_token or output_cost_per_token missing")
            )
            continue
        if pin == 0 and pout == 0:
            skipped.append((e.key, "no price: both prices are 0 (free or not published)"))
            continue
        lp = body.get("litellm_provider")
        if not isinstance(lp, str) or not lp.strip():
            err = located(
                file,
                e.field_lines.get("litellm_provider", e.line),
                "litellm_provider",
                "missing (the provider that serves this model)"
                if lp is None or isinstance(lp, str)
                else "must be the name of the provider that serves this model, as text",
                lp,
            )
            if not skip_invalid:
                raise err
            skipped.append((e.key, f"invalid: {err.message}"))
            continue
        provider = provider_map.get(lp, LITELLM_PROVIDERS.get(lp, lp))
        model = e.key[len(lp) + 1 :] if e.key.startswith(f"{lp}/") else e.key
        row: dict[str, Any] = {
            "provider": provider,
            "model": model,
            "currency": "USD",
            "effective_from": as_of,
            "input_per_million": _per_million(pin),
            "cached_input_per_million": _per_million(
                body.get(LITELLM_FIELDS["cached_input_per_million"])
            ),
            "output_per_million": _per_million(pout),
            "source": f"{source} ({e.key})",
            "as_of": as_of,
        }
        lines = {k: e.field_lines[v] for k, v in LITELLM_FIELDS.items() if v in e.field_lines}
        if "litellm_provider" in e.field_lines:
            lines["provider"] = e.field_lines["litellm_provider"]
        names = dict(LITELLM_FIELDS)
        names.update(provider="litellm_provider", model=e.key, currency="(USD)")
        originals = {k: body.get(v) for k, v in LITELLM_FIELDS.items() if body.get(v) is not None}
        out.append(_Candidate(RawRow(row, e.line, lines, e.key), names, originals))
    return out


def _own_format_candidates(
    raws: list[RawRow], as_of: _dt.date, source: str, file: Path, provider_map: Mapping[str, str]
) -> list[_Candidate]:
    out = []
    for raw in raws:
        row = dict(raw.data)
        row.setdefault("effective_from", as_of)
        row.setdefault("as_of", as_of)
        if not row.get("source"):
            row["source"] = f"{source} ({raw.label})"
        if isinstance(row.get("provider"), str) and row["provider"] in provider_map:
            row["provider"] = provider_map[row["provider"]]
        out.append(_Candidate(RawRow(row, raw.line, raw.field_lines, raw.label), {}, {}))
    return out


def _read_import(path: Path, text: str) -> tuple[str, Any]:
    """(format, parsed): "litellm" (a JSON object of entries), "yaml" / "csv" / "json" rows."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv", parse_catalog_csv(text, path)
    if suffix in (".yaml", ".yml"):
        return "yaml", parse_catalog_yaml(text, path)
    if suffix == ".json" or text.lstrip().startswith(("{", "[")):
        data = parse_json(text, path)
        if is_litellm(data):
            return "litellm", data
        # catalog rows written as JSON: YAML is a superset of JSON, and keeps the lines
        return "json", parse_catalog_yaml(text, path)
    return "yaml", parse_catalog_yaml(text, path)


def import_prices(
    file: str | Path,
    *,
    catalog: str | Path | None = None,
    as_of: _dt.date | None = None,
    source: str | None = None,
    provider_map: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Merge a published price file into the user catalog (atomically; the shipped one is
    never written).

    ``file``: LiteLLM's ``model_prices_and_context_window.json`` (USD per token; chat entries
    with both prices are kept) or rows in the catalog's own format (YAML, CSV or JSON). Every
    row gets ``effective_from``/``as_of`` (``as_of``, default today, for rows that carry none)
    and a ``source`` naming the file. ``provider_map`` renames providers (LiteLLM ids such as
    ``deepseek`` → catalog names). A row equal to the price already in force is left out
    (unchanged); a row in another currency than the model's history is skipped (map it to
    another provider name). An invalid row stops the import with a located
    :class:`PriceFileError` and nothing is written, unless ``skip_invalid``.
    """
    path = Path(file)
    cat_path = Path(catalog) if catalog is not None else user_catalog_path()
    day = as_of or _dt.date.today()
    src = f"{source}; {path.name}" if source else str(path.resolve())
    pmap = dict(provider_map or {})
    text = read_text(path)
    fmt, parsed = _read_import(path, text)
    report = ImportReport(file=str(path), catalog=str(cat_path), format=fmt, dry_run=dry_run)
    existing = _read_user_rows(cat_path) if stamp(cat_path) is not None else []
    current = _catalog(cat_path)
    names = _Names(current)
    if fmt == "litellm":
        cands = _litellm_candidates(
            parsed, text, path, day, src, pmap, report.skipped, skip_invalid
        )
    else:
        cands = _own_format_candidates(parsed, day, src, path, pmap)

    rows: list[tuple[PriceRow, _Candidate]] = []
    for c in cands:
        try:
            r = names.canonical(_validate_raw(c.raw, path, "user", c.names, c.originals))
        except PriceFileError as err:
            if not skip_invalid:
                raise
            report.skipped.append((c.raw.label, f"invalid: {err.message}"))
            continue
        rows.append((r, c))

    seen: dict[tuple[str, str, _dt.date], tuple[PriceRow, _Candidate]] = {}
    user_by_key = {(r.provider, r.model, r.effective_from): r for r in existing}
    kept: dict[tuple[str, str, _dt.date], PriceRow] = dict(user_by_key)
    for r, c in rows:
        key = (r.provider, r.model, r.effective_from)
        if key in seen:
            first, fc = seen[key]
            if first.same_price(r):
                report.skipped.append((c.raw.label, f"duplicate: same price as {fc.raw.label}"))
                continue
            clash = located(
                path,
                c.raw.line,
                c.names.get("model", "model"),
                f"a second, different price for {r.provider}/{r.model} from {r.effective_from} "
                f"(the first is at line {fc.raw.line})",
            )
            if not skip_invalid:
                raise clash
            report.skipped.append((c.raw.label, f"invalid: {clash.message}"))
            continue
        seen[key] = (r, c)
        hist = current.get((r.provider, r.model), [])
        if hist and hist[-1].currency != r.currency:
            report.skipped.append(
                (
                    c.raw.label,
                    f"currency conflict: {r.provider}/{r.model} is priced in "
                    f"{hist[-1].currency} in the catalog, this row in {r.currency} (use "
                    "--provider-map to file it under another provider name)",
                )
            )
            continue
        if key in user_by_key:
            if user_by_key[key].same_price(r):
                report.unchanged.append(c.raw.label)
            else:
                kept[key] = r
                report.updated.append(r)
            continue
        in_force = [h for h in hist if h.effective_from <= r.effective_from]
        if in_force and in_force[-1].same_price(r):
            report.unchanged.append(c.raw.label)
            continue
        kept[key] = r
        report.added.append(r)

    if not report.imported:
        return report
    new_rows = sorted(kept.values(), key=lambda r: (r.provider, r.model, r.effective_from))
    try:
        _merge(_shipped(), new_rows)
    except PriceRowError as e:
        blamed = e.row.where if isinstance(e.row, PriceRow) else None
        cand = next((c for r, c in rows if blamed and r.where == blamed), None)
        if cand is None:
            raise PriceFileError(f"{e.where}: {e.field}: {e.detail}") from None
        raise _relocate(e, cand.raw, path, cand.names) from None
    if not dry_run:
        write_text(cat_path, dump_catalog([r.to_catalog_row() for r in new_rows]))
        _merged.cache_clear()
        report.written = True
    return report


# ---------------------------------------------------------------- month by month


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
    off_peak_share: Any = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Input and output prices per million tokens for months 1..months, (months, n) or
    (months, 1): the rows of :func:`price_rows`, stacked."""
    import numpy as np

    rows = list(
        price_rows(
            provider,
            model,
            start,
            months,
            rate,
            cached_share,
            discount,
            change_per_year,
            off_peak_share,
        )
    )
    if not rows:
        return np.empty((0, 1)), np.empty((0, 1))
    pin = np.array([r[0] for r in rows], dtype=float).reshape(months, -1)
    pout = np.array([r[1] for r in rows], dtype=float).reshape(months, -1)
    return pin, pout


def price_rows(
    provider: str,
    model: str,
    start: _dt.date,
    months: int,
    rate: Callable[[str], Any],
    cached_share: Any = 0.0,
    discount: Any = 0.0,
    change_per_year: Any = 0.0,
    off_peak_share: Any = 0.0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Input and output prices per million tokens, month 1 to ``months`` one month at a time
    (each a number or (n,)): the catalog row in force each month (the earliest before the
    first), then ``change_per_year`` after the last listed price; ``rate(currency)`` converts to
    the plan's currency; ``cached_share`` of input at the cached price; ``off_peak_share`` of the
    traffic at the row's off-peak price where it has one (:func:`blended_price_per_million`);
    ``discount`` off."""
    import numpy as np

    history = price_history(provider, model)
    last = history[-1].effective_from
    keep = 1.0 - np.asarray(discount, dtype=float)
    growth = np.log1p(np.asarray(change_per_year, dtype=float))
    listed: dict[int, tuple[Any, Any]] = {}  # a row's input (cached share in) and output prices
    for t in range(months):
        d = month_date(start, t)
        # the row in force (price_at's, from the history read once rather than every month)
        when = max(d, history[0].effective_from)
        row = [r for r in history if r.effective_from <= when][-1]
        fx = rate(row.currency)
        drift = np.exp(growth * max(0.0, (d - last).days / 365.25))
        if id(row) not in listed:  # once per row: the same numbers every month it is in force
            p_in, cin, p_out = blended_price_per_million(row, off_peak_share)
            listed[id(row)] = (
                p_in if cin is None else ((1 - cached_share) * p_in + cached_share * cin),
                p_out,
            )
        inp, p_out = listed[id(row)]
        yield (
            np.asarray(inp * fx * keep * drift, dtype=float),
            np.asarray(p_out * fx * keep * drift, dtype=float),
        )
