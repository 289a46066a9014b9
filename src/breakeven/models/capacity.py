"""GPU capacity: how many GPUs a month's work needs when capacity is sized for the peak."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .units import HOURS_PER_MONTH

Array = NDArray[np.float64]

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0


def gpus_at_peak(
    gpu_seconds: Array,
    peak_to_average: Array,
    utilisation: Array,
    gpus_per_replica: int,
) -> Array:
    """GPUs to provision in a month for ``gpu_seconds`` of work: average GPUs × peak-to-average
    ÷ target utilisation, rounded up to whole replicas.

    >>> float(gpus_at_peak(np.array([SECONDS_PER_MONTH * 3]), np.array([2.0]), np.array([0.5]),
    ...                    4)[0])
    12.0
    """
    avg = gpu_seconds / SECONDS_PER_MONTH
    need = avg * peak_to_average / utilisation
    return np.ceil(need / gpus_per_replica - 1e-9) * gpus_per_replica
