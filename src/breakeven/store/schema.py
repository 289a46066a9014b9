"""The run store's tables, and the migrations that bring an older store up to date.

``store_schema`` holds one row per migration applied (its number, when, by which version of the
tool); a store's version is the largest number there. Version N of the schema is what
``MIGRATIONS[1] … MIGRATIONS[N]`` build, in order, each in the transaction that records it. A
later version of breakeven appends to ``MIGRATIONS`` (never edits an applied step), so opening an
older store brings it up to date; a store newer than the tool is refused, not rewritten.
"""

from __future__ import annotations

SCHEMA_TABLE = "store_schema"

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        f"""CREATE TABLE {SCHEMA_TABLE} (
            version INTEGER PRIMARY KEY,
            applied TIMESTAMP NOT NULL,
            tool_version VARCHAR NOT NULL
        )""",
        # One row per saved run: what was run (the plan's text, seed, samples, the tool's
        # version), its results summary (the document `breakeven run --json` prints) and the
        # headline numbers copied out of it for listing without reading the summaries.
        """CREATE TABLE runs (
            id VARCHAR PRIMARY KEY,
            created TIMESTAMP NOT NULL,
            name VARCHAR NOT NULL,
            seed HUGEINT NOT NULL,
            samples BIGINT NOT NULL,
            version VARCHAR NOT NULL,
            note VARCHAR NOT NULL,
            plan_yaml VARCHAR NOT NULL,
            summary JSON NOT NULL,
            currency VARCHAR,
            horizon_months INTEGER,
            start VARCHAR,
            p_breakeven DOUBLE,
            p_cash_out DOUBLE,
            breakeven_month_p50 DOUBLE,
            peak_funding_need_p50 DOUBLE,
            peak_funding_need_p90 DOUBLE,
            npv_p50 DOUBLE
        )""",
    ),
}

SCHEMA_VERSION = max(MIGRATIONS)

# The headline of a run: (column, where it is in the summary, unit). Listing reads these
# columns; a diff compares them.
HEADLINE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("p_breakeven", ("probabilities", "p_breakeven"), "probability"),
    ("p_cash_out", ("probabilities", "p_cash_out"), "probability"),
    ("breakeven_month_p50", ("metrics", "breakeven_month", "p50"), "month"),
    ("peak_funding_need_p50", ("metrics", "peak_funding_need", "p50"), "currency"),
    ("peak_funding_need_p90", ("metrics", "peak_funding_need", "p90"), "currency"),
    ("npv_p50", ("metrics", "npv", "p50"), "currency"),
)

# Columns of a listed run, in order (the headline columns follow).
META = ("id", "created", "name", "seed", "samples", "version", "note")
PLAN = ("currency", "horizon_months", "start")
