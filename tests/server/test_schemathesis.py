"""Schemathesis against the app's own OpenAPI schema: requests generated from every operation's
schema (valid, boundary and invalid bodies) never get a server error, and every answer matches
the schema (status code, content type, body).

Bounded for ``make test``: a few dozen examples per operation, no Hypothesis deadline (a request
may simulate). Accepting every schema-valid body is not checked: a string is schema-valid, a plan
it is not always. (The schema is loaded at import: schemathesis's ``from_fixture`` does not run
under this pytest.)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from breakeven.server import create_app
from breakeven.server.limits import MAX_SAMPLES

from .conftest import EXAMPLE

EXAMPLES_PER_OPERATION = 10  # plus the explicit examples and the boundary (coverage) cases
SAMPLES_AT_MOST = 2_000  # the caps are tested elsewhere; these runs stay small

_home = Path(tempfile.mkdtemp(prefix="breakeven-schemathesis-"))
app = create_app([EXAMPLE], _home / "runs.duckdb", None, hosts=["testserver"])
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors_and_answers_match_the_schema(case):
    samples = case.body.get("samples") if isinstance(case.body, dict) else None
    if type(samples) is int and SAMPLES_AT_MOST < samples <= MAX_SAMPLES:
        case.body["samples"] = SAMPLES_AT_MOST  # valid either way: only its size changes
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
