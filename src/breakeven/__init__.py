"""breakeven: will revenue cover costs? Monte Carlo break-even for products built on LLMs.

>>> import breakeven
>>> sc = breakeven.load("examples/chat-assistant-freemium.yaml")
>>> res = breakeven.simulate(sc, samples=2000, seed=1)
>>> res.probabilities["p_breakeven"]  # doctest: +SKIP
"""

from . import report  # noqa: F401  (registers how results are shown: headline, JSON, plots)
from .analysis.update import update
from .engine import Results, simulate
from .errors import ScenarioError, UserError
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
