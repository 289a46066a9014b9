"""The HTTP API: every route, the CLI's numbers for the same seed and samples, located errors,
limits and access."""

from __future__ import annotations

import json
import time

import pytest
import yaml

import breakeven
from breakeven.engine import build_inputs
from breakeven.scenario import templates as tp
from breakeven.server.limits import MAX_SAMPLES
from breakeven.server.schemas import EXAMPLE_PLAN

from .conftest import EXAMPLE, cli_json

# the line of the example's churn_per_month (the plans the tests send are the example's text)
CHURN_LINE = next(
    n
    for n, ln in enumerate(tp.text("chat-assistant-freemium").splitlines(), 1)
    if ln.strip().startswith("churn_per_month:")
)

SEED, N = 7, 2000


def post(client, path, **body):
    return client.post(path, json=body)


def plan_file(tmp_path, text, name="plan.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------------------- pages and files


def test_pages_and_plotly_are_served(client):
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert len(js.content) > 1_000_000
    for path in ("/", "/plan/chat-assistant-freemium", "/runs"):
        r = client.get(path)
        assert r.status_code in (200, 404), path  # 404 only while the page is not installed
        if r.status_code == 200:
            assert "text/html" in r.headers["content-type"]


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static//etc/passwd"],
)
def test_static_files_stay_in_their_folder(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert b"def create_app" not in r.content and b"root:" not in r.content


def test_an_unknown_page_is_a_page_for_a_browser_and_json_for_the_api(client):
    html = {"Accept": "text/html,application/xhtml+xml"}
    for path in ("/plan/", "/plan", "/nowhere"):
        r = client.get(path, headers=html)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert "Not found" in r.text and 'href="/"' in r.text and "null" not in r.text
    r = client.get("/api/nowhere", headers=html)  # the API answers JSON whoever asks
    assert r.status_code == 404 and r.json()["message"]
    assert client.get("/nowhere").headers["content-type"].startswith("application/json")


def test_no_interactive_docs_but_an_openapi_schema(client):
    assert client.get("/docs").status_code == 404
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for route in (
        "/api/plans",
        "/api/plans/{plan_id}",
        "/api/inputs",
        "/api/apply",
        "/api/simulate",
        "/api/sensitivity",
        "/api/goalseek",
        "/api/compare",
        "/api/validate",
        "/api/templates",
        "/api/gpus",
        "/api/models",
        "/api/prices",
        "/api/runs",
        "/api/runs/{run_id}",
        "/api/runs/{a}/diff/{b}",
    ):
        assert route in paths, route


# ---------------------------------------------------------------------------- plans and catalogs


def test_plans_lists_templates_and_given_files(make_client, tmp_path, example_text):
    other = plan_file(
        tmp_path, example_text.replace("Chat assistant, freemium", "Mine"), "mine.yaml"
    )
    client = make_client(plans=[EXAMPLE, other])
    rows = client.get("/api/plans").json()
    by_id = {r["id"]: r for r in rows}
    assert by_id["chat-assistant-freemium"]["kind"] == "file"
    assert by_id["mine"] == {**by_id["mine"], "kind": "file", "name": "Mine"}
    # the template of the same name as a given file is still there, under another id
    assert by_id["template-chat-assistant-freemium"]["kind"] == "template"
    assert {r["id"] for r in rows if r["kind"] == "template"} >= {"foundation-model-lab"}
    assert len([r for r in rows if r["kind"] == "template"]) == len(tp.names())
    got = client.get("/api/plans/mine").json()
    assert got == {"id": "mine", "name": "Mine", "yaml": other.read_text(encoding="utf-8")}
    t = client.get("/api/plans/foundation-model-lab").json()
    assert t["yaml"] == tp.text("foundation-model-lab")
    r = client.get("/api/plans/nope")
    assert r.status_code == 404 and "nope" in r.json()["message"]
    assert client.get("/api/plans/..%2f..%2fetc%2fpasswd").status_code == 404


def test_catalogs_are_the_clis(client):
    assert client.get("/api/templates").json() == cli_json("templates", "--json")
    assert client.get("/api/gpus").json() == cli_json("gpus", "--json")
    assert client.get("/api/models").json() == cli_json("models", "--json")
    assert client.get("/api/prices?at=2025-01-01").json() == cli_json(
        "prices", "--at", "2025-01-01", "--json"
    )
    r = client.get("/api/prices?at=yesterday")
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["message"]


# ---------------------------------------------------------------------------- inputs and edits


def test_inputs_are_grouped_named_and_united(client, example_text):
    doc = post(client, "/api/inputs", yaml=example_text).json()
    assert doc["plan"]["currency"] == "CNY" and doc["plan"]["horizon_months"] == 60
    groups = {g["group"]: g for g in doc["groups"]}
    consumer = {i["path"]: i for i in groups["Market — consumer"]["inputs"]}
    churn = consumer["market.consumer.churn_per_month"]
    assert churn["name"] == "Churn per month" and churn["unit"] == "1/month"
    assert churn["kind"] == "uncertain" and churn["text"] == "6% to 15%"
    assert churn["low"] == pytest.approx(0.06) and churn["high"] == pytest.approx(0.15)
    assert churn["domain"] == "fraction" and churn["written"] and churn["line"] == CHURN_LINE
    budget = {i["path"]: i for i in groups["Market — consumer — paid acquisition"]["inputs"]}[
        "market.consumer.paid_acquisition.budget_per_month"
    ]
    assert budget["kind"] == "schedule" and budget["unit"] == "CNY/month"
    assert budget["months"] == {"1": 15e6, "13": 25e6, "37": 10e6}
    team = {i["name"]: i for i in groups["Company — team — research & engineering"]["inputs"]}
    assert team["Cost per person per year"]["path"] == "company.team.0.cost_per_person_per_year"
    price = {i["path"]: i for i in groups["Compute — serving — per token"]["inputs"]}
    start = price["compute.serving.per_token.input_price_per_million.start"]
    assert start["name"] == "Input price per million — start"
    fee = {i["path"]: i for i in groups["Streams — subscription"]["inputs"]}[
        "streams.subscription.payment_fee"
    ]
    assert fee["kind"] == "point" and fee["value"] == pytest.approx(0.006)


@pytest.mark.parametrize("name", tp.names())
def test_every_input_path_is_one_the_library_resolves(client, name):
    sc = breakeven.load_text(tp.text(name))
    table = build_inputs(sc)
    doc = post(client, "/api/inputs", yaml=tp.text(name)).json()
    paths = [i["path"] for g in doc["groups"] for i in g["inputs"]]
    assert len(paths) == len(set(paths))
    schedules = {i["path"] for g in doc["groups"] for i in g["inputs"] if i["kind"] == "schedule"}
    for p in paths:
        if p in schedules:
            assert any(q.startswith(p + ".") for q in table.by_path()), p
        elif p.startswith("variables.") and p not in table:
            continue  # a variable no field uses
        else:
            table.resolve(p)
    # every input of the plan is on the page (variables once, under Variables)
    covered = {table.by_path().get(p, p) for p in paths}
    for name_ in table:
        inp = table[name_]
        assert name_ in covered or any(q.rsplit(".", 1)[0] in schedules for q in inp.paths), name_


@pytest.mark.parametrize("name", tp.names())
def test_apply_without_edits_round_trips(client, name):
    text = tp.text(name)
    out = post(client, "/api/apply", yaml=text, edits={}).json()["yaml"]
    a, b = breakeven.load_text(text), breakeven.load_text(out)
    assert a.model_dump(mode="json") == b.model_dump(mode="json")  # the same scenario
    # and once more: apply(apply(x)) is apply(x)
    assert post(client, "/api/apply", yaml=out, edits={}).json()["yaml"] == out


def test_apply_edits_fields_months_and_removals(client, example_text):
    edits = {
        "market.consumer.churn_per_month": "3% to 5%",
        "streams.subscription.price_per_month.1": "59",  # the YAML wrote this month as 0
        "company.team.1.headcount": "{1: 10, 13: 20}",
        "market.consumer.existing_users": "1M",  # a default, now written
        "funding.rounds.0.amount": 5e8,
        "company.brand_marketing_per_month": "",  # removed: back to its default 0
    }
    out = post(client, "/api/apply", yaml=example_text, edits=edits).json()["yaml"]
    assert out.startswith("# A ChatGPT / ERNIE Bot style")  # the header comments are kept
    same = post(client, "/api/apply", yaml=example_text, edits={}).json()["yaml"]
    a, b = breakeven.load_text(example_text), breakeven.load_text(same)
    assert (
        breakeven.simulate(a, samples=300, seed=3).summary()
        == breakeven.simulate(b, samples=300, seed=3).summary()
    )
    data = yaml.safe_load(out)
    consumer = data["market"]["consumer"]
    assert consumer["churn_per_month"] == "3% to 5%" and consumer["existing_users"] == "1M"
    assert data["streams"]["subscription"]["price_per_month"] == {0: 59, 25: 39}
    assert data["company"]["team"][1]["headcount"] == {1: 10, 13: 20}
    assert "brand_marketing_per_month" not in data["company"]
    assert data["funding"]["rounds"][0]["amount"] == 5e8
    doc = post(client, "/api/inputs", yaml=out).json()
    churn = {i["path"]: i for g in doc["groups"] for i in g["inputs"]}[
        "market.consumer.churn_per_month"
    ]
    assert churn["low"] == pytest.approx(0.03) and churn["high"] == pytest.approx(0.05)


def test_an_edit_keeps_the_plans_comments_and_layout(client, example_text):
    """A plan is its author's notes as much as its numbers: an edit changes the edited lines
    and nothing else — inline comments, blank lines and flow mappings stay."""
    edits = {
        "market.consumer.churn_per_month": "3% to 5%",
        "streams.subscription.price_per_month.1": "59",
        "company.team.1.headcount": "{1: 10, 13: 20}",
    }
    out = post(client, "/api/apply", yaml=example_text, edits=edits).json()["yaml"]
    before, after = example_text.splitlines(), out.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(before) == len(after) and len(changed) == 3, changed
    assert "    conversion: 2% to 6%              # share of active users paying" in after
    assert any("price_per_month: {0: 59, 25: 39}" in b for _, b in changed)
    assert "      headcount: {1: 10, 13: 20}" in after  # written as the plan writes schedules
    assert any("churn_per_month: 3% to 5%" in b and "#" in b for _, b in changed)


def test_an_edit_keeps_crlf_line_ends_and_long_lines():
    """A plan written on Windows keeps its line ends; a line over 100 characters is not refolded
    (it was, with trailing spaces)."""
    from breakeven.scenario.edits import apply_edits

    text = "name: x  # keep\r\nfunding: {starting_cash: 1000}  # cash\r\n"
    assert apply_edits(text, {"name": "y"}, "p.yaml") == text.replace("x ", "y ")
    long = "name: x\ndescription: " + "word " * 40 + "\nfunding: {starting_cash: 1000}\n"
    out = apply_edits(long, {"name": "y"}, "p.yaml")
    assert out == long.replace("name: x", "name: y").replace("word \n", "word\n")


def test_a_rewrite_the_loader_would_read_otherwise_falls_back_to_plain_yaml(monkeypatch):
    """The round trip is kept only when the plan loader reads it as the edited data: a text
    that reads differently (here a value ruamel.yaml would write as text) is not returned."""
    from breakeven.scenario import edits as E

    text = "name: x  # the plan\nfunding: {starting_cash: 1000}\n"
    monkeypatch.setattr(E, "_round_trip", lambda t, change: t.replace("1000", "'1000'"))
    out = E.apply_edits(text, {"name": "y"}, "plan.yaml")
    assert out == "name: y\nfunding:\n  starting_cash: 1000\n"
    monkeypatch.undo()
    assert E.apply_edits(text, {"name": "y"}, "plan.yaml") == (
        "name: y  # the plan\nfunding: {starting_cash: 1000}\n"
    )


@pytest.mark.parametrize(
    ("edits", "loc", "words"),
    [
        (
            {"market.consumer.churn_per_month": "300%"},
            "market.consumer.churn_per_month",
            "fraction",
        ),
        ({"market.consumer.churnn": "3%"}, "market.consumer.churnn", "unknown field"),
        ({"company.team.7.headcount": "3"}, "company.team.7", "no item 7"),
        ({"market.consumer.churn_per_month": "[1, "}, "market.consumer.churn_per_month", "YAML"),
        ({"market.consumer.churn_per_month.x": "1"}, "market.consumer.churn_per_month", "single"),
        ({"a..b": "1"}, "a..b", "field path"),
        # found by fuzzing (HTTP 500 before): a digit int() does not read, a path 3,001 deep
        ({"company.team.²": "1"}, "company.team.²", "no item ²"),
        ({"a." * 3000 + "b": "1"}, "a." * 40 + "…", "nested more than 32 levels deep"),
    ],
)
def test_a_bad_edit_is_located_by_its_path(client, example_text, edits, loc, words):
    r = post(client, "/api/apply", yaml=example_text, edits=edits)
    assert r.status_code == 422
    d = r.json()
    assert d["detail"][0]["loc"] == loc and d["detail"][0]["line"] is None
    assert words in d["detail"][0]["msg"] and loc in d["message"]


# ---------------------------------------------------------------------------- the CLI's numbers


def test_simulate_gives_the_numbers_of_breakeven_run(client, example_text):
    t0 = time.perf_counter()
    r = post(client, "/api/simulate", yaml=example_text, samples=N, seed=SEED)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert 0 < doc["elapsed_ms"] <= (time.perf_counter() - t0) * 1000 + 1
    cli = cli_json("run", EXAMPLE, "--samples", N, "--seed", SEED, "--json")
    h, m = doc["headline"], cli["metrics"]
    assert h["p_breakeven"] == cli["probabilities"]["p_breakeven"]
    assert h["p_cash_out"] == cli["probabilities"]["p_cash_out"]
    assert h["breakeven_month_p50"] == m["breakeven_month"]["p50"]
    assert h["peak_funding_need_p50"] == m["peak_funding_need"]["p50"]
    assert h["peak_funding_need_p90"] == m["peak_funding_need"]["p90"]
    assert h["npv_p50"] == m["npv"]["p50"]
    assert h["text"] == cli["headline"] and h["currency"] == "CNY"
    assert h["breakeven_date_p50"] == cli["calendar"][int(h["breakeven_month_p50"]) - 1]
    charts = doc["charts"]
    assert charts["dates"] == cli["calendar"] and charts["months"] == list(range(1, 61))
    for name in ("cash", "revenue"):
        for q in ("p10", "p50", "p90"):
            assert charts[name][q] == cli["monthly"][name][q], (name, q)
    assert len(charts["costs"]["p50"]) == 60
    assert doc["warnings"] == cli["warnings"]
    assert (doc["samples"], doc["seed"]) == (N, SEED)
    # the tornado is `breakeven sensitivity` for the same seed and samples
    sens = cli_json("sensitivity", EXAMPLE, "--samples", N, "--seed", SEED, "--json")
    rows = charts["tornado"]
    assert [row["input"] for row in rows] == [row["input"] for row in sens["rows"]]
    for mine, theirs in zip(rows, sens["rows"], strict=True):
        assert (mine["low"], mine["high"], mine["base"]) == (
            theirs["metric_low"],
            theirs["metric_high"],
            sens["base"],
        )
    assert rows[0]["name"] == "Conversion (Streams — subscription)"
    # without the tornado, the same answer otherwise
    lean = post(client, "/api/simulate", yaml=example_text, samples=N, seed=SEED, tornado=False)
    assert lean.json()["headline"] == h and lean.json()["charts"]["tornado"] == []


def test_seed_and_samples_default_to_the_plans(client, example_text):
    text = example_text.replace("samples: 10000", "samples: 1500")
    doc = post(client, "/api/simulate", yaml=text, tornado=False).json()
    assert (doc["samples"], doc["seed"]) == (1500, 2024)


def test_sensitivity_goalseek_compare_are_the_clis(client, tmp_path):
    text = EXAMPLE_PLAN  # a small plan (12 months): the same code paths as any, faster
    plan = plan_file(tmp_path, text, "small.yaml")
    tornado = post(client, "/api/sensitivity", yaml=text, samples=300, seed=SEED)
    assert tornado.json() == cli_json(
        "sensitivity", plan, "--samples", 300, "--seed", SEED, "--json"
    )
    sobol = post(client, "/api/sensitivity", yaml=text, samples=32, seed=SEED, method="sobol")
    assert sobol.json() == cli_json(
        "sensitivity", plan, "--method", "sobol", "--samples", 32, "--seed", SEED, "--json"
    )
    vary, target = "streams.subscription.conversion", "npv.p50>=-100k"
    seek = post(
        client, "/api/goalseek", yaml=text, input=vary, target=target, samples=300, seed=SEED
    )
    assert seek.status_code == 200, seek.text
    assert seek.json() == cli_json(
        "goalseek",
        plan,
        "--vary",
        vary,
        "--target",
        target,
        "--samples",
        300,
        "--seed",
        SEED,
        "--json",
    )
    cheaper = text.replace("Small subscription app", "Cheaper").replace(
        "price_per_month: 10", "price_per_month: 8"
    )
    other = plan_file(tmp_path, cheaper)
    mine = post(client, "/api/compare", a=text, b=cheaper, samples=300, seed=SEED).json()
    theirs = cli_json("compare", plan, other, "--samples", 300, "--seed", SEED, "--json")
    for p in mine["plans"] + theirs["plans"]:
        p.pop("file")
    assert mine == theirs
    assert [p["label"] for p in mine["plans"]] == ["Small subscription app", "Cheaper"]


def test_analysis_mistakes_are_422(client, example_text):
    r = post(client, "/api/goalseek", yaml=example_text, input="nope", target="npv>0", samples=10)
    assert r.status_code == 422 and "nope" in r.json()["message"]
    r = post(client, "/api/sensitivity", yaml=example_text, samples=10, metric="happiness")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "metric"
    r = post(
        client,
        "/api/goalseek",
        yaml=example_text,
        input="streams.subscription.conversion",
        target="npv is big",
        samples=10,
    )
    assert r.status_code == 422


def test_validate(client, example_text):
    ok = post(client, "/api/validate", yaml=example_text).json()
    assert ok["ok"] is True and isinstance(ok["warnings"], list)
    bad = post(client, "/api/validate", yaml=example_text.replace("6% to 15%", "16% to 15%"))
    assert bad.status_code == 422
    d = bad.json()["detail"][0]
    assert d["loc"] == "market.consumer.churn_per_month" and d["line"] == CHURN_LINE


# ---------------------------------------------------------------------------- located errors


def test_a_yaml_with_a_bad_line_is_located(client, example_text):
    text = example_text.replace("    conversion: 2% to 6%", "    conversion: [2% to 6%")
    r = post(client, "/api/simulate", yaml=text, samples=100)
    assert r.status_code == 422
    doc = r.json()
    assert doc["detail"][0]["line"] is not None and "YAML" in doc["detail"][0]["msg"]
    assert doc["message"].startswith(f"plan.yaml:{doc['detail'][0]['line']}: ")
    typo = example_text.replace("churn_per_month:", "churn_per_mnth:")
    d = post(client, "/api/inputs", yaml=typo).json()
    locs = {p["loc"]: p for p in d["detail"]}
    assert locs["market.consumer.churn_per_mnth"]["line"] == CHURN_LINE
    assert "did you mean 'churn_per_month'" in locs["market.consumer.churn_per_mnth"]["msg"]
    assert f"plan.yaml:{CHURN_LINE}: market.consumer.churn_per_mnth: unknown field" in d["message"]


def test_an_alias_bomb_is_refused_in_milliseconds(client):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    bomb = "\n".join(lines) + "\nname: boom\n"
    for route in ("/api/simulate", "/api/inputs", "/api/validate", "/api/apply"):
        r = post(client, route, yaml=bomb, samples=10)
        # refused by the loader's count of expanded values, before anything is built (its cost
        # is bounded by that count: bench/reliability.py measures it, no timing here)
        assert r.status_code == 422, route
        assert "aliases expand" in r.json()["detail"][0]["msg"]


def test_an_edit_that_is_an_alias_bomb_is_refused(client, example_text):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    bomb = "{" + ", ".join(lines) + "}"
    r = post(client, "/api/apply", yaml=example_text, edits={"name": bomb})
    assert r.status_code == 422


# ---------------------------------------------------------------------------- limits


def test_a_body_over_1_mib_is_413(client):
    big = json.dumps({"yaml": "name: x\n" + "#" * (1 << 20)})
    r = client.post("/api/validate", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "1 MiB" in r.json()["message"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b" " * 65536

    r = client.post("/api/validate", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_caps_on_samples_and_horizon_are_422(client, example_text):
    r = post(client, "/api/simulate", yaml=example_text, samples=MAX_SAMPLES + 1)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "samples"
    many = example_text.replace("samples: 10000", "samples: 1000000")
    r = post(client, "/api/simulate", yaml=many)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "samples"
    assert "200,000" in r.json()["message"]
    long = example_text.replace("horizon_months: 60", "horizon_months: 600")
    r = post(client, "/api/simulate", yaml=long, samples=100)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "horizon_months"
    r = post(client, "/api/sensitivity", yaml=example_text, samples=MAX_SAMPLES, method="sobol")
    assert r.status_code == 422 and "sample-months" in r.json()["message"]
    r = post(client, "/api/simulate", yaml=example_text, samples=0)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == "samples"


def test_a_run_over_the_time_limit_is_stopped_with_503(make_client, example_text):
    client = make_client(time_limit_s=0.3, workers=1)
    r = post(client, "/api/simulate", yaml=example_text, samples=MAX_SAMPLES, seed=1)
    assert r.status_code == 503 and "longer than 0.3 s" in r.json()["message"]
    # the run was stopped at its next chunk (counted by the server), and the only worker is free
    # (the next run gets a limit it cannot miss on a busy machine: it tests the worker, not
    # the limit)
    client.app.state.jobs.time_limit_s = 60.0
    r = post(client, "/api/simulate", yaml=example_text, samples=200, seed=1, tornado=False)
    assert r.status_code == 200
    assert client.app.state.jobs.stopped_early == 1


# ---------------------------------------------------------------------------- access


def test_a_token_is_needed_when_one_is_set(make_client):
    client = make_client(token="correct-horse-battery", base_url="http://192.0.2.10:8000")
    r = client.get("/api/plans")
    assert r.status_code == 401 and "token" in r.json()["message"]
    assert r.headers["www-authenticate"] == "Bearer"
    wrong = client.get("/api/plans", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401
    ok = client.get("/api/plans", headers={"Authorization": "Bearer correct-horse-battery"})
    assert ok.status_code == 200
    # opening a page with ?token= gives the page a cookie its requests carry
    assert client.get("/static/plotly.min.js").status_code == 200  # no data: no token
    page = client.get("/runs?token=correct-horse-battery")
    assert "correct-horse-battery" not in page.headers.get("set-cookie", "")
    assert "breakeven_token" in page.headers.get("set-cookie", "")
    assert "HttpOnly" in page.headers["set-cookie"]
    assert client.get("/api/plans").status_code == 200  # the cookie
    client.cookies.clear()
    assert client.get("/api/plans").status_code == 401


def test_without_a_token_only_this_machine_is_answered(client):
    assert client.get("/api/plans", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/plans", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/plans", headers={"host": "[::1]:8000"}).status_code == 200
    rebound = client.get("/api/plans", headers={"host": "attacker.example"})
    assert rebound.status_code == 421


def test_requests_from_another_origin_are_refused(client, example_text):
    r = client.post(
        "/api/runs",
        json={"yaml": example_text, "samples": 10},
        headers={"origin": "https://attacker.example"},
    )
    assert r.status_code == 403
    same = client.get("/api/plans", headers={"origin": "http://127.0.0.1"})
    assert same.status_code == 200


def test_serve_refuses_another_host_without_a_token(monkeypatch, capsys):
    from breakeven.cli import main

    monkeypatch.delenv("BREAKEVEN_TOKEN", raising=False)
    monkeypatch.setattr("sys.argv", ["breakeven", "serve", "--host", "0.0.0.0"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--token" in lines[0] and lines[0].startswith("breakeven: ")


# ---------------------------------------------------------------------------- the run store


def test_runs_are_saved_listed_read_and_diffed(make_client, example_text):
    client = make_client()  # a store of its own: the list is exactly the runs saved here
    a = post(client, "/api/runs", yaml=example_text, samples=N, seed=SEED, note="first")
    assert a.status_code == 200, a.text
    row_a = a.json()
    assert row_a["name"] == "Chat assistant, freemium" and row_a["note"] == "first"
    assert (row_a["seed"], row_a["samples"]) == (SEED, N)
    edited = post(
        client,
        "/api/apply",
        yaml=example_text,
        edits={"market.consumer.churn_per_month": "3% to 5%"},
    ).json()["yaml"]
    b = post(client, "/api/runs", yaml=edited, samples=N, seed=SEED).json()
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed] == [b["id"], row_a["id"]]  # newest first
    got = client.get(f"/api/runs/{row_a['id']}").json()
    assert got["plan_yaml"] == example_text
    cli = cli_json("run", EXAMPLE, "--samples", N, "--seed", SEED, "--json")
    summary = dict(got["summary"])
    assert summary.pop("file") == "plan.yaml"
    cli.pop("file")
    assert summary == cli  # the stored summary is the document `breakeven run --json` prints
    diff = client.get(f"/api/runs/{row_a['id']}/diff/{b['id']}").json()
    changed = {d["path"]: d for d in diff["assumptions"]}
    assert "market.consumer.churn_per_month" in changed
    assert any(m["metric"].startswith("p_breakeven") for m in diff["metrics"])
    missing = client.get("/api/runs/nope")
    assert missing.status_code == 404  # the id, never the server's store file
    assert missing.json()["detail"][0]["msg"] == "no run 'nope'"
    assert client.get(f"/api/runs/{row_a['id']}/diff/nope").status_code == 404


def test_a_reference_growth_validates_and_its_mistakes_are_422(client):
    """``recent_growth_per_month: reference`` on the server as in ``breakeven validate``."""
    from ..test_reference_growth import consumer_plan

    r = post(client, "/api/validate", yaml=consumer_plan("reference"), lang="en")
    assert r.status_code == 200, r.text
    r = post(client, "/api/validate", yaml=consumer_plan("reference", start=""), lang="en")
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["loc"] == "market.consumer.recent_growth_per_month" and "start" in d["msg"]
    assert d["line"] is not None


def _input_row(client, text: str, path: str) -> dict:
    """The /api/inputs row of ``path`` in the plan ``text``."""
    r = post(client, "/api/inputs", yaml=text)
    assert r.status_code == 200, r.text
    (row,) = [i for g in r.json()["groups"] for i in g["inputs"] if i["path"] == path]
    return row


def test_an_inputs_row_says_what_a_reference_growth_was(client):
    from ..test_reference_growth import consumer_plan

    row = _input_row(client, consumer_plan("reference"), "market.consumer.recent_growth_per_month")
    assert row["text"] == "reference"
    first, rest = row["description"].split("\n", 1)
    assert (
        first.startswith("reference = ") and "AI products' users published before 2026-06" in first
    )
    assert rest.startswith("How fast active users were growing")


def test_an_inputs_row_says_what_a_trend_was_widened_to(client):
    from ..test_reference_growth import consumer_plan

    row = _input_row(client, consumer_plan("trend 4.9%"), "market.consumer.recent_growth_per_month")
    assert row["text"] == "trend 4.9%"
    first = row["description"].split("\n", 1)[0]
    assert first.startswith("trend 4.9% = ") and "published before 2026-06" in first
    r = post(client, "/api/validate", yaml=consumer_plan("trend 0.1%"), lang="en")
    assert r.status_code == 422 and "below 1%" in r.json()["detail"][0]["msg"]


def test_a_variables_row_says_what_its_reference_class_was(client):
    from ..test_reference_growth import API_PLAN

    row = _input_row(
        client, API_PLAN.format(start="2026-06", growth="reference"), "variables.growth"
    )
    first, rest = row["description"].split("\n", 1)
    assert first.startswith("reference = ") and "AI products' tokens" in first
    assert "; a year: " in first and rest.startswith("A variable: drawn once per sample")
    from datetime import date

    from breakeven.models.reference_growth import per_period, reference_growth

    ref = reference_growth("tokens", date(2026, 6, 1))  # the change per year: monthly, compounded
    assert row["low"] == pytest.approx(per_period(ref.low, ref.high, 12)[0], rel=1e-6)
