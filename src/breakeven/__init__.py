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

from typing import TYPE_CHECKING

from .errors import ScenarioError, UserError
from .lazy import lazy_names

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


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())
