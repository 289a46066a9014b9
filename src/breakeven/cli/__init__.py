"""The command line: ``breakeven <command>``.

Every exception is answered at this boundary: a mistake the user can fix prints one located line
per problem and exits with 2 — a usage error too (a bad option value, an unknown option or
command, a missing argument), as ``breakeven: <message>`` for every command and subcommand
(:class:`.common.OneLineUsage`); running out of memory exits with 2 and says what to lower; an
interrupt exits with 130; anything else is an internal error — one line asking for a report, exit
1, and the traceback only with ``breakeven --debug``.
"""

from __future__ import annotations

import gc
import sys
import traceback

import typer

from ..errors import ScenarioError, UserError
from . import analysis, compute, prices, run, runs, serve, sweep, update
from .common import OneLineUsage, error_console

app = typer.Typer(
    cls=OneLineUsage,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Will revenue cover costs? Monte Carlo break-even for LLM products.",
)
run.register(app)
compute.register(app)
prices.register(app)
analysis.register(app)
update.register(app)
runs.register(app)
serve.register(app)
sweep.register(app)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"breakeven {version('breakeven')}")
        raise typer.Exit()


# Commands that read a plan or a catalog, or estimate one deployment or one training run: they
# hold little and exit at once, so the console script (breakeven.console) runs them without the
# cyclic garbage collector; every other command turns it back on before it starts.
LIGHT_COMMANDS = frozenset({"templates", "gpus", "models", "prices", "validate", "infer", "train"})


@app.callback()
def _options(
    ctx: typer.Context,
    debug: bool = typer.Option(
        False, "--debug", help="Show the traceback of an internal error (before the command)."
    ),
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Will revenue cover costs? Monte Carlo break-even for LLM products."""
    if ctx.invoked_subcommand not in LIGHT_COMMANDS:
        gc.enable()  # off only for the start-up of a light command (breakeven.console)


def main() -> None:
    """Console entry point: run the app and answer every exception (see the module docstring;
    usage errors are answered inside the app, by :class:`.common.OneLineUsage`)."""
    debug = sys.argv[1:2] == ["--debug"]
    try:
        app()
    except (ScenarioError, run.ValidationFailed) as e:  # already one located line each
        error_console().print(str(e), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except UserError as e:
        error_console().print(f"breakeven: {e}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except OSError as e:  # a file that cannot be read or written
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        error_console().print(
            f"breakeven: {where}{e.strerror or e}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except MemoryError:
        error_console().print(
            "breakeven: ran out of memory; use fewer samples (or a shorter horizon)",
            markup=False,
            highlight=False,
        )
        sys.exit(2)
    except KeyboardInterrupt:
        error_console().print("breakeven: interrupted", markup=False, highlight=False)
        sys.exit(130)
    except Exception as e:  # the boundary: every other error is a bug of ours
        if debug:
            traceback.print_exc()
        error_console().print(
            f"breakeven: internal error ({type(e).__name__}: {e}); please report it with the "
            "command you ran" + ("" if debug else " (breakeven --debug … shows the traceback)"),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)


__all__ = ["LIGHT_COMMANDS", "app", "main", "UserError"]
