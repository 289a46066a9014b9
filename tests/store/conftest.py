import pytest

import breakeven

from ..conftest import EXAMPLE


@pytest.fixture(scope="session")
def example_run():
    """(plan text, summary) of the shipped example simulated with 500 samples, seed 7 (the
    document `breakeven run --json` prints)."""
    from breakeven.analysis.lint import lint
    from breakeven.report.document import run_document

    text = EXAMPLE.read_text(encoding="utf-8")
    sc = breakeven.load_text(text, str(EXAMPLE))
    res = breakeven.simulate(sc, samples=500, seed=7)
    return text, run_document(res, lint(sc, res))


@pytest.fixture
def store(tmp_path):
    from breakeven.store import RunStore

    return RunStore(tmp_path / "runs.duckdb", lock_timeout=0.2)


@pytest.fixture
def tamper():
    """Edit a store's file by hand (as a user with DuckDB might): ``tamper(path, sql, params)``.
    The stores of this process let go of the file first (DuckDB opens a file with one set of
    settings per process, and a store's connection lingers after its last operation)."""
    import duckdb

    from breakeven.store.db import _release_all

    def _tamper(path, sql, params=()):
        _release_all()
        with duckdb.connect(str(path)) as con:
            con.execute(sql, list(params))

    return _tamper
