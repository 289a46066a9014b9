"""Reports: what a run shows, as a terminal summary, an HTML report, an Excel workbook, a JSON
document and a notebook view — all from the same :class:`~breakeven.engine.Results`.

:data:`PRESENTER` is how results present themselves (``res.headline()``, ``res.to_dict()``,
``res.plot``, the notebook view): the engine finds it here the first time a result is shown, so
that importing the reports' words (:mod:`.i18n`, which ``infer`` and ``train`` print with) loads
neither the engine nor anything heavy; heavy modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine.results import Results


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


PRESENTER = _Presenter()
"""Taken by :func:`breakeven.engine.results._present` on first use (unless another presenter was
registered with :func:`breakeven.engine.register_presenter`)."""
