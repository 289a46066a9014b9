"""The machine a benchmark ran on, in one line: shared by the scripts in bench/."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo where there is one)."""
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe(extra: str = "") -> str:
    """'Linux x86_64, AMD EPYC …, 2 cores, Python 3.11.7, numpy 2.4.6' (+ ``extra``)."""
    import numpy as np

    return (
        f"{platform.system()} {platform.machine()}, {cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}{extra}"
    )
