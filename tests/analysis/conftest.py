"""Shared for the analysis tests: the tiny hand-checked plan of tests/conftest.py, and a local
Dask cluster of two worker processes (one per test module that asks for it)."""

import logging

import pytest

from ..conftest import DAYS, tiny  # noqa: F401


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    distributed = pytest.importorskip("distributed")
    with pytest.MonkeyPatch.context() as mp:  # the workers inherit the tests' environment
        mp.setenv("BREAKEVEN_HOME", str(tmp_path_factory.getbasetemp() / "no-breakeven-home"))
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # not 8787: may be taken
            silence_logs=logging.ERROR,
        ) as c:
            yield c
