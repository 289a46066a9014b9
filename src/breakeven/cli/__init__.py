"""The command line: ``breakeven <command>``. User errors print one located line and exit 2."""

from __future__ import annotations

import sys

import typer

from ..errors import ScenarioError, UserError
from . import analysis, compute, run
from .common import err

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Will revenue cover costs? Monte Carlo break-even for LLM products.",
)
run.register(app)
compute.register(app)
analysis.register(app)


def main() -> None:
    """Console entry point: run the app; user errors → one line per problem, exit 2.
    (Usage errors are Typer's own: a message and exit 2.)"""
    try:
        app()
    except (ScenarioError, run.ValidationFailed) as e:  # already one located line each
        err.print(str(e), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except UserError as e:
        err.print(f"breakeven: {e}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except OSError as e:  # an output path that cannot be written
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        err.print(
            f"breakeven: {where}cannot write ({e.strerror or e})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)


__all__ = ["app", "main", "UserError"]
