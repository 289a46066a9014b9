"""breakeven: will revenue cover costs? Monte Carlo break-even for products built on LLMs.

    >>> import breakeven
    >>> sc = breakeven.load("examples/chat-assistant-freemium.yaml")
    >>> res = breakeven.simulate(sc, samples=2000, seed=1)
    >>> res.probabilities["p_breakeven"]  # doctest: +SKIP
"""

from .engine.results import Results
from .engine.simulate import simulate
from .scenario.loader import ScenarioError, load, load_text
from .scenario.schema import Scenario

__all__ = ["load", "load_text", "simulate", "Results", "Scenario", "ScenarioError"]
__version__ = "0.1.0"
