"""breakeven: will revenue cover costs? Monte Carlo break-even for products built on LLMs.

>>> import breakeven
>>> sc = breakeven.load("examples/chat-assistant-freemium.yaml")
>>> res = breakeven.simulate(sc, samples=2000, seed=1)
>>> res.probabilities["p_breakeven"]  # doctest: +SKIP

The names below load on first use (PEP 562), so that ``import breakeven`` — and every command
that needs little, such as ``breakeven --version`` or ``breakeven templates`` — does not pay for
the schema, the engine, scipy or the reports. :mod:`breakeven.report`, which tells
:class:`Results` how to show themselves, is imported by the engine the first time a result is
shown.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ScenarioError, UserError

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .analysis.update import update
    from .engine import Results, simulate
    from .scenario import Scenario, load, load_text

__all__ = [
    "load",
    "load_text",
    "simulate",
    "update",
    "Results",
    "Scenario",
    "ScenarioError",
    "UserError",
]
__version__ = "0.1.0"

# name → the module that defines it (imported on first access)
_LAZY = {
    "load": ".scenario",
    "load_text": ".scenario",
    "Scenario": ".scenario",
    "simulate": ".engine",
    "Results": ".engine",
    "update": ".analysis.update",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
