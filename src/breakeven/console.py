"""The ``breakeven`` console script: :func:`breakeven.cli.main`, started without the cyclic
garbage collector.

Importing Typer, pydantic and the scenario schema allocates hundreds of thousands of objects,
none of them garbage, and the collector walks them again and again: about 0.03 s of a
``breakeven validate`` of 0.4 s on a 2-core Xeon (``bench/startup.py``). The light commands
(:data:`breakeven.cli.LIGHT_COMMANDS`: read a plan or a catalog, estimate one deployment or one
training run) finish without it — they hold little and exit at once; every other command turns it
back on before it starts (the app's callback), so a long run or the server collects as usual.

It also starts OpenBLAS (numpy's BLAS) with one thread unless ``OPENBLAS_NUM_THREADS`` says
otherwise: on loading, OpenBLAS starts a thread per core that spins for about 0.1 s of CPU
waiting for work that never comes (breakeven's only BLAS call multiplies a few correlated
inputs' uniforms; runs spread over samples with workers of their own). On a 2-core machine that
thread took the other core from every command that imports numpy (``python -c "import numpy"``:
0.20 → 0.11 s of CPU on the 2-core AMD EPYC).
"""

from __future__ import annotations

import gc
import os


def main() -> None:
    """Console entry point (``[project.scripts]``): the command line, collector off until the
    command is known."""
    gc.disable()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads OpenBLAS
    from .cli import main as cli_main

    cli_main()
