"""Reports: what a run shows, as a terminal summary, an HTML report, an Excel workbook, a JSON
document and a notebook view — all from the same :class:`~breakeven.engine.Results`.

Importing this package registers how results present themselves (``res.headline()``,
``res.to_dict()``, ``res.plot``, the notebook view); heavy modules load on first use.
"""

from __future__ import annotations

from typing import Any

from ..engine.results import Results, register_presenter


class _Presenter:
    def headline(self, results: Results, lang: str) -> str:
        from .text import headline

        return headline(results, lang)

    def document(self, results: Results) -> dict[str, Any]:
        from .document import document

        return document(results)

    def html(self, results: Results) -> str:
        from .notebook import results_html

        return results_html(results)

    def plot(self, results: Results) -> Any:
        from .notebook import results_plot

        return results_plot(results)


register_presenter(_Presenter())
