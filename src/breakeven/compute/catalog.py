"""Shared plumbing for the compute catalogs: YAML loading, name normalisation, closest-name lookup.

Catalog files live in ``breakeven/compute/data/*.yaml``. Every row carries a ``source`` (URL or
paper/table) and an ``as_of`` date; the per-catalog modules (:mod:`.hardware`, :mod:`.models`,
:mod:`.prices`, :mod:`.inference`) validate their rows at load and raise :class:`CatalogError`
with the file and row named.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import yaml

from ..errors import CatalogError, UncertainError

if TYPE_CHECKING:  # numpy and the distributions load when a factor is read or drawn
    import numpy as np

    from ..models.distributions import Dist

T = TypeVar("T")


def normalize_name(name: str) -> str:
    """Case- and punctuation-insensitive key: ``"H100 SXM"``, ``"h100-sxm"``, ``"H100_SXM"`` → ``"h100sxm"``."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", str(name).lower())


@cache
def load_yaml(filename: str) -> Any:
    """Parse ``breakeven/compute/data/<filename>`` (cached; treat the result as read-only)."""
    path = resources.files("breakeven.compute").joinpath("data", filename)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise CatalogError(f"catalog file {filename} is missing from the package") from exc
    try:
        # libyaml's loader when PyYAML has it: the same data, 7-8x faster than pure Python
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:  # pragma: no cover - a broken shipped file
        raise CatalogError(f"{filename}: not valid YAML: {exc}") from exc


def lookup(
    entries: Mapping[str, T], name: str, kind: str, aliases: Mapping[str, str] | None = None
) -> T:
    """Find ``name`` in ``entries`` (keyed by display name) ignoring case and punctuation.

    ``aliases`` maps extra spellings to display names. Unknown names raise :class:`CatalogError`
    naming up to three closest matches (:func:`difflib.get_close_matches`).
    """
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"a {kind} name is required (got {name!r})")
    index: dict[str, str] = {normalize_name(k): k for k in entries}
    for alias, target in (aliases or {}).items():
        index.setdefault(normalize_name(alias), target)
    key = normalize_name(name)
    if key in index:
        return entries[index[key]]
    close_keys = difflib.get_close_matches(key, list(index), n=3, cutoff=0.5)
    close = list(dict.fromkeys(index[k] for k in close_keys))
    if not close:  # substring fallback: "h100" → "H100-SXM", "H100-PCIe"
        close = [v for k, v in index.items() if key and key in k][:3]
        close = list(dict.fromkeys(close))
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else f"; known: {', '.join(list(entries)[:12])}"
        + (f" and {len(entries) - 12} more" if len(entries) > 12 else "")
    )
    raise CatalogError(f"unknown {kind} {name!r}{hint}", close)


def as_date(value: Any, where: str) -> _dt.date:
    """Read a YAML date (or ISO string) or raise CatalogError naming ``where``."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CatalogError(f"{where}: expected a date YYYY-MM-DD (got {value!r})")


def check_keys(row: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    """Reject unknown keys: in YAML flow maps an unquoted comma silently makes a new key."""
    extra = set(row) - set(allowed)
    if extra:
        raise CatalogError(
            f"{where}: unknown field(s) {', '.join(sorted(map(str, extra)))} "
            "(an unquoted comma in a {...} row?)"
        )


def require_source(row: Mapping[str, Any], where: str) -> None:
    """Every catalog row must say where its numbers come from and when they were true."""
    src = row.get("source")
    if not isinstance(src, str) or len(src.strip()) < 5:
        raise CatalogError(f"{where}: every row needs a source (URL or paper/table) (got {src!r})")
    if "as_of" not in row:
        raise CatalogError(f"{where}: every row needs an as_of date")
    as_date(row["as_of"], f"{where}.as_of")


@overload
def check_range(
    value: Any,
    lo: float,
    hi: float,
    where: str,
    unit: str = "",
    allow_none: Literal[False] = False,
) -> float: ...


@overload
def check_range(
    value: Any, lo: float, hi: float, where: str, unit: str = "", *, allow_none: bool
) -> float | None: ...


def check_range(
    value: Any, lo: float, hi: float, where: str, unit: str = "", allow_none: bool = False
) -> float | None:
    """A number within [lo, hi] (catches unit slips such as GB entered as bytes)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CatalogError(
            f"{where}: expected a number{(' in ' + unit) if unit else ''} (got {value!r})"
        )
    if not lo <= float(value) <= hi:
        raise CatalogError(
            f"{where}: {value} is outside the plausible range {lo:g} to {hi:g}"
            f"{(' ' + unit) if unit else ''}"
        )
    return float(value)


# ---------------------------------------------------------------- efficiency factors


class Factor:
    """One uncertain factor from ``efficiency.yaml``: a distribution plus its provenance."""

    __slots__ = ("name", "section", "dist", "domain", "source", "as_of", "meaning", "row")

    def __init__(self, name: str, section: str, row: Mapping[str, Any]):
        from ..models.distributions import Domain, parse_uncertain

        where = f"efficiency.yaml {section}.{name}"
        require_source(row, where)
        try:
            self.domain = Domain(row.get("domain", "fraction"))
            self.dist: Dist = parse_uncertain(row["value"], self.domain)
        except (KeyError, ValueError, UncertainError) as exc:
            raise CatalogError(f"{where}: {getattr(exc, 'message', exc)}") from exc
        self.name, self.section, self.row = name, section, dict(row)
        self.source = str(row["source"]).strip()
        self.as_of = as_date(row["as_of"], where)
        self.meaning = str(row.get("meaning", "")).strip()

    @property
    def median(self) -> float:
        return self.dist.median

    def summary(self) -> dict:
        return {
            "name": self.name,
            "p10": self.dist.quantile(0.1),
            "p50": self.dist.median,
            "p90": self.dist.quantile(0.9),
            "interval_90": self.row["value"],
            "describe": self.dist.describe(),
            "source": self.source,
            "as_of": self.as_of.isoformat(),
        }


@cache
def factors(section: str = "factors") -> dict[str, Factor]:
    """The uncertain factors of one section of efficiency.yaml (``factors``, ``ownership``, ``workloads``)."""
    data = load_yaml("efficiency.yaml")
    if section not in data:
        raise CatalogError(f"efficiency.yaml has no section {section!r}")
    return {k: Factor(k, section, v) for k, v in data[section].items()}


def factor(name: str, section: str = "factors") -> Factor:
    return lookup(factors(section), name, f"{section} factor")


def factor_input(name: str, section: str = "factors") -> tuple[Dist, str]:
    """A factor as a plan input: (distribution, domain), drawn once per sample by the engine."""
    f = factor(name, section)
    return (f.dist, f.domain.value)


@cache
def constant(name: str) -> Any:
    """A fixed number from efficiency.yaml ``constants`` (with source and as_of checked at load)."""
    rows = load_yaml("efficiency.yaml")["constants"]
    row = lookup(rows, name, "constant")
    require_source(row, f"efficiency.yaml constants.{name}")
    return row["value"]


def sample_factors(
    n: int | None = None,
    rng: np.random.Generator | None = None,
    uniforms: Mapping[str, np.ndarray] | np.ndarray | None = None,
    section: str = "factors",
    names: Iterable[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """Draw every factor of a section as arrays of shape (n,), through each distribution's ppf.

    Give either ``rng`` (independent uniforms are drawn in the section's file order, so a seed
    reproduces the draw), or ``uniforms`` (a mapping name → array in (0, 1), or an array of shape
    (n, k) whose columns follow ``names`` / file order) so the engine can use its own design
    (copulas, Sobol). With neither, every factor is its median (shape (n,) or (1,)).
    ``overrides`` replaces a factor with a user value: a number, ``"a to b"``, or a Dist.
    """
    import numpy as np

    from ..models.distributions import parse_uncertain

    table = factors(section)
    keys = list(names) if names is not None else list(table)
    dists: dict[str, Dist] = {}
    for k in keys:
        f = lookup(table, k, f"{section} factor")
        dists[f.name] = f.dist
    for k, v in (overrides or {}).items():
        f = lookup(table, k, f"{section} factor")
        try:
            dists[f.name] = parse_uncertain(v, f.domain)
        except UncertainError as exc:
            raise CatalogError(f"{f.name}: {exc.message} (got {v!r})") from exc
    out: dict[str, np.ndarray] = {}
    if uniforms is not None:
        if isinstance(uniforms, np.ndarray):
            u2 = np.atleast_2d(uniforms)
            if u2.shape[1] != len(dists):
                raise ValueError(
                    f"uniforms has {u2.shape[1]} columns; {len(dists)} factors: {', '.join(dists)}"
                )
            cols = {k: u2[:, i] for i, k in enumerate(dists)}
        else:
            cols = {
                lookup(table, k, f"{section} factor").name: np.asarray(v, float)
                for k, v in uniforms.items()
            }
        for k, d in dists.items():
            if k not in cols:
                raise ValueError(f"uniforms missing factor {k!r}")
            out[k] = np.asarray(d.ppf(np.clip(cols[k], 1e-12, 1 - 1e-12)), dtype=float)
        return out
    m = 1 if n is None else int(n)
    if rng is None:
        return {k: np.full(m, d.median) for k, d in dists.items()}
    u = rng.random((m, len(dists)))
    return {k: np.asarray(d.ppf(u[:, i]), dtype=float) for i, (k, d) in enumerate(dists.items())}


def factor_value(
    name: str, value: Any, error: type[Exception] = CatalogError, fraction: bool = False
) -> np.ndarray:
    """A factor given by the caller (number or per-sample array), or the catalog median if None;
    must be positive (and at most 1 when ``fraction``)."""
    import numpy as np

    if value is None:
        value = factors("factors")[name].median
    a = np.asarray(value, dtype=float)
    bad = ~np.isfinite(a) | (a <= 0) | ((a > 1) if fraction else False)
    if np.any(bad):  # name the first bad value, not a thousand-sample array
        got = float(a.flat[int(np.argmax(bad))]) if a.ndim else value
        kind = "a fraction in (0, 1]" if fraction else "a positive number"
        raise error(f"{name} must be {kind} (got {got!r})")
    return a


def describe_factors(section: str = "factors") -> list[dict]:
    """p10 / p50 / p90 of every factor in a section, with its source (for reports and the CLI)."""
    return [f.summary() for f in factors(section).values()]


def percentiles(x: Any) -> dict[str, float]:
    """{p10, p50, p90} of an array (a scalar reports the same number three times)."""
    import numpy as np

    a = np.asarray(x, dtype=float).ravel()
    if a.size == 0:
        return {"p10": float("nan"), "p50": float("nan"), "p90": float("nan")}
    p10, p50, p90 = np.percentile(a, [10, 50, 90])
    return {"p10": float(p10), "p50": float(p50), "p90": float(p90)}
