"""Names a package exports but imports on first use (PEP 562), so commands that need little
start fast: ``__getattr__, __dir__ = lazy_names(__name__, {"load": ".loader"}, globals())``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(
    package: str, table: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``: ``table`` maps a name to the
    (relative) module that defines it; the first access imports it and keeps it in
    ``namespace`` (the package's globals), so the next access is a plain attribute."""

    def getattr_(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(table))

    return getattr_, dir_
