"""The ``breakeven`` console script: :func:`breakeven.cli.main`, started without the cyclic
garbage collector.

Importing Typer, pydantic and the scenario schema allocates hundreds of thousands of objects,
none of them garbage, and the collector walks them again and again: about 0.03 s of a
``breakeven validate`` of 0.4 s on a 2-core Xeon (``bench/startup.py``). The light commands
(:data:`breakeven.cli.LIGHT_COMMANDS`: read a plan or a catalog, estimate one deployment or one
training run) finish without it — they hold little and exit at once; every other command turns it
back on before it starts (the app's callback), so a long run or the server collects as usual.
When a light command ends, its objects are frozen (``gc.freeze``) before Python exits: the
collection the interpreter still runs at exit then skips them instead of walking all of them,
about 60 ms of every light command on the 2-core EPYC (``validate`` 0.41 → 0.34 s of wall time in
one process, measured from the command's end to the process's). Exit itself is unchanged: output
is flushed, ``atexit`` handlers and finalizers run as before.

It also starts OpenBLAS (numpy's BLAS) with one thread unless ``OPENBLAS_NUM_THREADS`` says
otherwise: on loading, OpenBLAS starts a thread per core that spins for about 0.1 s of CPU
waiting for work that never comes (breakeven's only BLAS call multiplies a few correlated
inputs' uniforms; runs spread over samples with workers of their own). On a 2-core machine that
thread took the other core from every command that imports numpy (``python -c "import numpy"``:
0.20 → 0.11 s of CPU on the 2-core AMD EPYC).

And it tells pydantic not to look for plugins (``PYDANTIC_DISABLE_PLUGINS``, unless set: an empty
value looks for them again). breakeven uses none, and the search reads the metadata of every
installed distribution when the first model is built: about 6 ms of every ``validate``.
"""

from __future__ import annotations

import gc
import os


def main() -> None:
    """Console entry point (``[project.scripts]``): the command line, collector off until the
    command is known."""
    gc.disable()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads OpenBLAS
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as cli_main

    try:
        cli_main()
    finally:
        if not gc.isenabled():  # a light command ran: nothing of it is garbage worth a walk
            gc.freeze()
