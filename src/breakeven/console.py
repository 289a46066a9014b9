"""The ``breakeven`` console script: :func:`breakeven.cli.main`, started without the cyclic
garbage collector.

Importing Typer, pydantic and the scenario schema allocates hundreds of thousands of objects,
none of them garbage, and the collector walks them again and again: about 0.03 s of a
``breakeven validate`` of 0.4 s on a 2-core Xeon (``bench/startup.py``). The light commands
(:data:`breakeven.cli.LIGHT_COMMANDS`: read a plan or a catalog, estimate one deployment or one
training run) finish without it — they hold little and exit at once; every other command turns it
back on before it starts (the app's callback), so a long run or the server collects as usual.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Console entry point (``[project.scripts]``): the command line, collector off until the
    command is known."""
    gc.disable()
    from .cli import main as cli_main

    cli_main()
