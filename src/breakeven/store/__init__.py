"""The run store: saved runs (plan, seed, samples, tool version, results summary) in an embedded
DuckDB file, listed, diffed and exported (see :mod:`breakeven.store.db`).

>>> from breakeven.store import RunStore, default_store_path, StoreError, NoStore
"""

from ..scenario.diff import changed_assumptions
from .db import (
    NoStore,
    RunNotFound,
    RunStore,
    StoreBusy,
    StoreError,
    default_store_path,
    tool_version,
)
from .schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "NoStore",
    "RunNotFound",
    "RunStore",
    "StoreBusy",
    "StoreError",
    "changed_assumptions",
    "default_store_path",
    "tool_version",
]
