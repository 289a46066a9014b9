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
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, TypeVar

import yaml

T = TypeVar("T")


class CatalogError(ValueError):
    """A user-visible catalog problem: an unknown name, or a catalog row that fails validation.

    ``message`` is one line, fit for ``breakeven: <message>`` on stderr; ``suggestions`` holds the
    closest known names when a lookup failed.
    """

    def __init__(self, message: str, suggestions: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


def normalize_name(name: str) -> str:
    """Case- and punctuation-insensitive key: ``"H100 SXM"``, ``"h100-sxm"``, ``"H100_SXM"`` → ``"h100sxm"``."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", str(name).lower())


@lru_cache(maxsize=None)
def load_yaml(filename: str) -> Any:
    """Parse ``breakeven/compute/data/<filename>`` (cached; treat the result as read-only)."""
    path = resources.files("breakeven.compute").joinpath("data", filename)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise CatalogError(f"catalog file {filename} is missing from the package") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:  # pragma: no cover - a broken shipped file
        raise CatalogError(f"{filename}: not valid YAML: {exc}") from exc


def lookup(entries: Mapping[str, T], name: str, kind: str,
           aliases: Mapping[str, str] | None = None) -> T:
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
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(list(entries)[:12])}"
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


def require_source(row: Mapping[str, Any], where: str) -> None:
    """Every catalog row must say where its numbers come from and when they were true."""
    src = row.get("source")
    if not isinstance(src, str) or len(src.strip()) < 5:
        raise CatalogError(f"{where}: every row needs a source (URL or paper/table) (got {src!r})")
    if "as_of" not in row:
        raise CatalogError(f"{where}: every row needs an as_of date")
    as_date(row["as_of"], f"{where}.as_of")


def check_range(value: Any, lo: float, hi: float, where: str, unit: str = "",
                allow_none: bool = False) -> float | None:
    """A number within [lo, hi] (catches unit slips such as GB entered as bytes)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CatalogError(f"{where}: expected a number{(' in ' + unit) if unit else ''} (got {value!r})")
    if not lo <= float(value) <= hi:
        raise CatalogError(f"{where}: {value} is outside the plausible range {lo:g} to {hi:g}"
                           f"{(' ' + unit) if unit else ''}")
    return float(value)
