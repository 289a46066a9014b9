"""``POST /api/update``: a plan conditioned on its actuals over HTTP — the answer of
``breakeven update --json`` with the fan charts' data, and located 422s for a bad file, actuals
the plan cannot reproduce, and a malformed request."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import breakeven
from breakeven.server import create_app
from breakeven.server.schemas import UpdateOut

from .conftest import BASE, ROOT

PLAN = ROOT / "examples" / "actuals" / "plan.yaml"
ACTUALS = ROOT / "examples" / "actuals" / "actuals.csv"
N = 2048  # small: the same code paths as any number of samples


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    """One app for the module. Its time limit is generous: actuals the plan cannot reproduce
    are refused only after the whole tempering, and no test here is about time."""
    home = tmp_path_factory.mktemp("server")
    app = create_app([PLAN], home / "runs.duckdb", None, time_limit_s=300)
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def plan_text() -> str:
    return PLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def actuals_text() -> str:
    return ACTUALS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def updated(client, plan_text, actuals_text):
    """The example updated on its actuals (one request, shared)."""
    return client.post(
        "/api/update",
        json={
            "yaml": plan_text,
            "actuals": actuals_text,
            "actuals_name": "actuals.csv",
            "samples": N,
            "seed": 3,
        },
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _scaled(text: str, column: str, factor: float) -> str:
    """The actuals with one column multiplied (comment lines kept, so lines stay where they
    were)."""
    out = []
    header: list[str] = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            out.append(line)
            continue
        row = next(csv.reader([line]))
        if row[0] == "month":
            header = row
        elif row[header.index(column)]:
            j = header.index(column)
            row[j] = repr(float(row[j]) * factor)
        out.append(",".join(row))
    return "\n".join(out) + "\n"


def _line_of(text: str, month: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(month))


# ---------------------------------------------------------------------------- the answer


def test_update_on_the_example(updated, actuals_text):
    assert updated.status_code == 200, updated.text
    doc = updated.json()
    UpdateOut.model_validate(doc)  # the answer is what the OpenAPI schema says
    assert "P(break-even)" in doc["narrative"]
    assert doc["actuals"]["file"] == "actuals.csv"
    assert doc["actuals"]["period"] == "2025-01 to 2025-06"
    assert (doc["samples"], doc["seed"], doc["horizon_months"]) == (N, 3, 60)
    assert doc["sampler"]["samples"] == N and doc["currency"] == "CNY"
    # before and after
    p = doc["headline"]["p_breakeven"]
    assert 0 <= p["prior"] <= 1 and 0 <= p["posterior"] <= 1
    assert set(doc["headline"]["npv"]["prior"]) >= {"p10", "p50", "p90"}
    # the fan charts: every observed series, then cash, with the actual values where observed
    series = doc["actuals"]["series"]
    assert list(doc["bands"]) == series  # cash is observed in the example: not twice
    rows = [r for r in _rows(actuals_text) if r and not r[0].startswith("#")]
    head, body = rows[0], rows[1:]
    for name in series:
        band = doc["bands"][name]
        assert len(band["calendar"]) == 60 and band["calendar"][0] == "2025-01"
        assert len(band["plan"]["p50"]) == 60 and len(band["updated"]["p90"]) == 60
        want = [float(r[head.index(name)]) for r in body]
        assert band["actual"][: len(want)] == pytest.approx(want)
        assert band["actual"][len(want) :] == [None] * (60 - len(want))
    # the variance table: one row per observation, flagged against the plan's 80% band
    variance = doc["variance"]
    assert len(variance) == doc["actuals"]["observations"] == len(body) * len(series)
    for row in variance:
        outside = not row["plan_p10"] <= row["actual"] <= row["plan_p90"]
        assert row["outside_plan"] == outside
    # what moved, and the plan updated on the actuals
    assert any(c["moved"] for c in doc["inputs"])
    assert "active_users" in doc["observable"] and "cash" in doc["observable"]
    sc = breakeven.load_text(doc["updated_plan"], "updated.yaml")
    assert sc.horizon_months == 60 and sc.start.isoformat().startswith("2025-01")
    assert doc["updated_plan"].startswith("# Updated by `breakeven update` on actuals.csv")


def test_the_actuals_of_a_workbook(client, plan_text, actuals_text, updated):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in _rows(actuals_text):
        if not row or row[0].startswith("#"):
            continue
        ws.append([row[0]] + [float(x) if x[:1].isdigit() and "%" not in x else x for x in row[1:]])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(
        "/api/update",
        json={
            "yaml": plan_text,
            "actuals_base64": base64.b64encode(buf.getvalue()).decode("ascii"),
            "actuals_name": "C:\\books\\actuals.xlsx",  # a browser may send a path: its name
            "samples": N,
            "seed": 3,
        },
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["actuals"]["file"] == "actuals.xlsx"
    csv_doc = updated.json()
    # the same observations as the CSV file: the same update
    assert doc["actuals"]["observations"] == csv_doc["actuals"]["observations"]
    assert doc["bands"]["cash"]["actual"] == csv_doc["bands"]["cash"]["actual"]
    assert doc["headline"] == csv_doc["headline"]


def test_the_default_error_is_a_number_or_a_percentage(client, plan_text):
    small = "month,active_users\n2025-01,600k\n2025-02,1.2M\n"
    a = client.post(
        "/api/update",
        json={"yaml": plan_text, "actuals": small, "error": "20%", "samples": 512, "seed": 1},
    )
    b = client.post(
        "/api/update",
        json={"yaml": plan_text, "actuals": small, "error": 0.2, "samples": 512, "seed": 1},
    )
    assert a.status_code == 200, a.text
    assert a.json()["headline"] == b.json()["headline"]
    assert list(a.json()["bands"]) == ["active_users", "cash"]  # cash: the outcome, always


# ---------------------------------------------------------------------------- refusals


def test_an_unknown_column_is_located(client, plan_text, actuals_text):
    # an extra column (the example's data without its comment lines: the header is line 1)
    lines = [line for line in actuals_text.splitlines() if not line.startswith("#")]
    bad = "\n".join(
        line.replace("month,", "month,active_userz,", 1)
        if line.startswith("month,")
        else line.replace(",", ",1,", 1)
        for line in lines
    )
    header = _line_of(bad, "month,")
    assert header == 1
    r = client.post(
        "/api/update", json={"yaml": plan_text, "actuals": bad, "actuals_name": "q2.csv"}
    )
    assert r.status_code == 422, r.text
    doc = r.json()
    assert doc["detail"][0]["loc"] == "active_userz"
    assert doc["detail"][0]["line"] == header
    assert "did you mean active_users" in doc["detail"][0]["msg"]
    assert doc["message"].startswith(f"q2.csv:{header}: active_userz: this plan has no output")


def test_every_problem_of_a_file_is_located(client, plan_text):
    bad = "month,active_users,cash\n2025-01,500k,1.5M\n2025-13,lots,\n2025-01,1,2\n"
    r = client.post("/api/update", json={"yaml": plan_text, "actuals": bad})
    assert r.status_code == 422
    doc = r.json()
    got = {(d["loc"], d["line"]) for d in doc["detail"]}
    assert got == {("month", 3), ("month", 4)}, doc
    assert "actuals.csv:3: month:" in doc["message"] and "actuals.csv:4: month:" in doc["message"]


def test_actuals_the_plan_cannot_reproduce_name_their_series(client, plan_text, actuals_text):
    bad = _scaled(actuals_text, "active_users", 1000)
    r = client.post(
        "/api/update", json={"yaml": plan_text, "actuals": bad, "samples": 1024, "seed": 1}
    )
    assert r.status_code == 422, r.text
    doc = r.json()
    assert "incompatible" in doc["message"] and "active_users" in doc["message"]
    named = {d["loc"]: d for d in doc["detail"]}
    assert "active_users" in named, doc
    item = named["active_users"]
    assert "active_users" in item["msg"]
    lines = bad.splitlines()
    assert item["line"] is not None and lines[item["line"] - 1].startswith("2025-")


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        ({}, "actuals", "send the actuals"),
        ({"actuals": "month,cash\n1,5\n", "actuals_base64": "AA=="}, "actuals", "not both"),
        ({"actuals_base64": "not base64!"}, "actuals_base64", "base64"),
        ({"actuals": "month,cash\n1,5\n", "error": "lots"}, "error", "number"),
        ({"actuals": "month,cash\n1,5\n", "error": 3}, "error", "200%"),
        ({"actuals": "month,cash\n1,5\n", "error": 0}, "error", "above 0"),
        ({"actuals": "month,cash\n1,5\n", "samples": 0}, "samples", "greater"),
        ({"actuals": "month,cash\n1,5\n", "samples": 10**9}, "samples", "less"),
        ({"actuals": "month,cash\n6,5\n", "samples": 150_000}, "samples", "sample-months"),
        ({"actuals": 12}, "actuals", "string"),
    ],
)
def test_a_bad_request_is_422_at_its_field(client, plan_text, body, loc, words):
    r = client.post("/api/update", json={"yaml": plan_text, **body})
    assert r.status_code == 422, r.text
    d = r.json()["detail"][0]
    assert d["loc"] == loc and words in d["msg"], d


@pytest.mark.parametrize(
    "data",
    [
        b"month,active_users\n1," + b"9" * 200_000 + b"\n",  # past the CSV reader's field limit
        b"PK\x03\x04 not a workbook",
        "month,active_users\n1,5\n".encode("utf-16"),
        b"",
    ],
)
def test_a_file_that_cannot_be_read_is_422(client, plan_text, data):
    r = client.post(
        "/api/update",
        json={"yaml": plan_text, "actuals_base64": base64.b64encode(data).decode("ascii")},
    )
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith(("actuals.csv", "actuals.xlsx"))


def test_a_broken_workbook_is_422(client, plan_text):
    openpyxl = pytest.importorskip("openpyxl")
    import zipfile

    wb = openpyxl.Workbook()
    wb.active.append(["month", "active_users"])
    wb.active.append(["2025-01", 5])
    good = io.BytesIO()
    wb.save(good)
    broken = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good.getvalue())) as zin,
        zipfile.ZipFile(broken, "w") as zout,
    ):
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # its XML cut off
            zout.writestr(item, data)
    r = client.post(
        "/api/update",
        json={
            "yaml": plan_text,
            "actuals_base64": base64.b64encode(broken.getvalue()).decode("ascii"),
            "actuals_name": "book.xlsx",
        },
    )
    assert r.status_code == 422, r.text
    assert r.json()["message"].startswith("book.xlsx: ")


def test_a_bad_plan_is_located_as_in_other_routes(client, plan_text, actuals_text):
    text = plan_text.replace("churn_per_month: 6% to 15%", "churn_per_month: 16% to 15%")
    r = client.post("/api/update", json={"yaml": text, "actuals": actuals_text, "samples": 64})
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["loc"] == "market.consumer.churn_per_month" and d["line"] is not None


def test_an_update_over_the_time_limit_is_stopped_with_503(make_client, plan_text, actuals_text):
    client = make_client(plans=[PLAN], time_limit_s=0.3, workers=1)
    body = {"yaml": plan_text, "actuals": actuals_text, "samples": N, "seed": 1}
    r = client.post("/api/update", json=body)
    assert r.status_code == 503 and "longer than 0.3 s" in r.json()["message"]
    # the update stopped at its next check, and the only worker is free again
    # (the next run gets a limit it cannot miss on a busy machine: it tests the worker, not
    # the limit)
    client.app.state.jobs.time_limit_s = 60.0
    r = client.post("/api/simulate", json={"yaml": plan_text, "samples": 200, "tornado": False})
    assert r.status_code == 200
    assert client.app.state.jobs.stopped_early == 1


def test_the_route_is_in_the_schema(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/update"]["post"]
    assert "422" in op["responses"] and "200" in op["responses"]


def test_a_server_with_a_token_wants_it_for_an_update(make_client, plan_text, actuals_text):
    client = make_client(plans=[PLAN], token="s3cret-token", base_url="http://192.0.2.10:8000")
    body = {"yaml": plan_text, "actuals": actuals_text, "samples": 16}
    assert client.post("/api/update", json=body).status_code == 401
    r = client.post(
        "/api/update",
        json={**body, "error": "lots"},
        headers={"Authorization": "Bearer s3cret-token"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "error"  # past the door


def test_a_workbook_that_unpacks_to_too_much_is_refused(client, plan_text):
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 << 20))
    data = "data:application/octet-stream;base64," + base64.b64encode(bomb.getvalue()).decode()
    r = client.post("/api/update", json={"yaml": plan_text, "actuals_base64": data})
    assert r.status_code == 422, r.text
    assert "unpacks to 65 MiB" in r.json()["message"]
