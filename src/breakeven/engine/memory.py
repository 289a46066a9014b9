"""How much memory a run needs, and how much there is: a run that cannot fit is refused before
it starts, with the estimate, rather than ending in an out-of-memory kill.

The estimate adds what the engine holds (see :mod:`breakeven.engine.results`): every sample's
metrics and sampled inputs (float64), the kept samples' ledger (float64) and KPIs (float32), and
the chunks in flight, each charged every ledger line and KPI for all its months, plus the
process itself (Python, numpy, scipy, pydantic: about 150 MB). A chunk in flight holds less
since the engine closes each month's books as it goes (one month's rows, the blocks' schedules
for all months and, for the kept samples, their months), so the estimate errs on the safe side:
on the shipped example with one worker the measured peaks (``bench/engine.py --workers 1``:
162, 198 and 419 MB at 10k, 100k and 1M samples) are 0.45, 0.42 and 0.61 times the estimate
(362, 472 and 685 MB). With forked workers (:mod:`breakeven.engine.parallel`) a worker's own
memory is about its chunk: at 1M samples and two workers the main process peaked at 120 MB and
the largest worker at 292 MB (RSS, counting pages shared with the main process) against an
estimate of 914 MB.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UserError

BASE_BYTES = 150 * 2**20  # the interpreter and the libraries, before any sample


def estimate_bytes(
    samples: int,
    months: int,
    lines: int,
    kpis: int,
    per_sample: int,
    keep: int,
    chunk: int,
    workers: int,
) -> int:
    """Peak memory of a run (bytes): ``per_sample`` values kept for every sample (metrics and
    random inputs), ``lines`` × ``months`` float64 and ``kpis`` × ``months`` float32 for each kept
    sample and for each sample of the chunks in flight (one per worker).

    >>> round(estimate_bytes(1_000_000, 60, 23, 19, 37, 5_000, 16_384, 2) / 2**20)
    994
    """
    row = months * (lines * 8 + kpis * 4)
    chunks = -(-samples // chunk)
    in_flight = min(workers, chunks) * min(chunk, samples) * row
    return int(BASE_BYTES + samples * per_sample * 8 + min(keep, samples) * row + in_flight)


def available_bytes() -> int | None:
    """Memory this process may still use: the system's available memory, or the room left
    under a cgroup limit if that is lower; None when neither can be read."""
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError):
        pass
    cg = Path("/sys/fs/cgroup")
    try:
        limit = (cg / "memory.max").read_text().strip()
        if limit != "max":
            used = int((cg / "memory.current").read_text().strip())
            found.append(max(0, int(limit) - used))
    except (OSError, ValueError):
        pass
    own = os.environ.get("BREAKEVEN_MAX_MEMORY")  # a ceiling set by whoever runs the tool
    if own:
        try:
            found.append(parse_bytes(own))
        except ValueError:  # the environment is the user's input too: one line, exit status 2
            raise UserError(
                f"BREAKEVEN_MAX_MEMORY: expected a positive amount such as 2G or 512M (got {own!r})"
            ) from None
    return min(found) if found else None


def parse_bytes(text: str) -> int:
    """'2G', '512M', '1.5 GB', '300000' → bytes (ValueError if it cannot be read)."""
    t = str(text).strip().upper().removesuffix("B").removesuffix("I").strip()
    scale = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    if t and t[-1] in scale:
        value = float(t[:-1]) * scale[t[-1]]
    else:
        value = float(t)
    if not value > 0:
        raise ValueError(f"not a positive amount of memory: {text!r}")
    return int(value)


def gib(n: float) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"
