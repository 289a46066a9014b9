"""``POST /api/sweep``: the decision map of ``breakeven sweep``, in the server's process — the
library's rows for the same plan, grid, samples and seed; the command line's ``--vary`` syntax;
every problem a 422 located at the item, input or values it concerns; the server's limits."""

from __future__ import annotations

import json

import pytest
import yaml

from breakeven.analysis.sweep import MAX_CELLS, sweep
from breakeven.format import json_safe
from breakeven.server.limits import MAX_VARY, MAX_WORK

SEED, N = 5, 300
PRICE = "streams.subscription.price_per_month"
CONVERSION = "streams.subscription.conversion"


def post(client, **body):
    return client.post("/api/sweep", json=body)


def problems(r) -> dict[str, str]:
    """loc → msg of a 422 answer."""
    assert r.status_code == 422, r.text
    doc = r.json()
    assert doc["message"]
    return {d["loc"]: d["msg"] for d in doc["detail"]}


@pytest.fixture(scope="module")
def grid_answer(client, example_text):
    r = post(
        client,
        yaml=example_text,
        vary=[{"input": PRICE, "values": ["39", "59"]}, {"input": CONVERSION, "values": "2%, 5%"}],
        samples=N,
        seed=SEED,
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_rows_are_the_librarys_for_the_same_seed(grid_answer, example_text):
    res = sweep(
        example_text,
        {PRICE: ["39", "59"], CONVERSION: ["2%", "5%"]},
        samples=N,
        seed=SEED,
        scheduler="sync",
    )
    assert grid_answer["rows"] == json.loads(json.dumps(json_safe(res.rows)))
    assert grid_answer["cells"] == 4 and len(grid_answer["rows"]) == 4
    assert [v["ref"] for v in grid_answer["vary"]] == [PRICE, CONVERSION]
    assert [v["values"] for v in grid_answer["vary"]] == [[39.0, 59.0], [0.02, 0.05]]
    assert (grid_answer["samples"], grid_answer["seed"]) == (N, SEED)
    assert grid_answer["scheduler"].startswith("sync")  # in this process: no Dask cluster
    assert grid_answer["currency"] == "CNY" and grid_answer["start"] == "2025-01-01"
    for row in grid_answer["rows"]:
        assert set(row) == {
            PRICE,
            CONVERSION,
            "p_breakeven",
            "breakeven_month_p50",
            "npv_p50",
            "peak_funding_need_p90",
            "p_cash_out",
        }
    # the best cell by each figure, as the library picks it
    for fig, i in grid_answer["best"].items():
        assert grid_answer["rows"][i] == json_safe(res.best(fig)), fig


def test_the_command_lines_vary_syntax_gives_the_same_rows(client, example_text, grid_answer):
    r = post(
        client,
        yaml=example_text,
        vary=[f"{PRICE}=39,59", {"input": CONVERSION, "values": [0.02, "5%"]}],
        samples=N,
        seed=SEED,
    )
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == grid_answer["rows"]


def test_one_input_and_a_variable(client):
    from breakeven.scenario import templates as tp

    text = tp.text("api-platform-price-war")
    r = post(client, yaml=text, vary=[{"input": "$demand_growth", "values": "30%, 60%"}], samples=N)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["cells"] == 2 and [row["$demand_growth"] for row in doc["rows"]] == [0.3, 0.6]
    assert doc["vary"][0]["inputs"] == ["variables.demand_growth"]


def test_a_plan_on_one_line_is_read_as_a_plan(client, example_text):
    one_line = yaml.safe_dump(yaml.safe_load(example_text), default_flow_style=True, width=10**9)
    one_line = one_line.strip()
    assert "\n" not in one_line  # not a file name to the sweep
    r = post(client, yaml=one_line, vary=[f"{CONVERSION}=3%"], samples=200, seed=1)
    assert r.status_code == 200, r.text
    assert r.json()["cells"] == 1


# ---------------------------------------------------------------------------- located problems


def test_an_unknown_field_and_a_bad_value_are_located(client, example_text):
    r = post(
        client,
        yaml=example_text,
        vary=[
            {"input": "streams.subscription.price_per_mnth", "values": [39, 49]},
            {"input": CONVERSION, "values": ["3%", "150%"]},
        ],
        samples=N,
    )
    got = problems(r)
    assert set(got) == {"vary.0.input", "vary.1.values"}
    assert "price_per_month" in got["vary.0.input"]  # the closest inputs are named
    assert "150%" in got["vary.1.values"] and "fraction" in got["vary.1.values"]


@pytest.mark.parametrize(
    "item, loc, words",
    [
        ({"input": CONVERSION, "values": "3%, abc"}, "vary.0.values", "abc"),
        ({"input": CONVERSION, "values": "1%,,2%"}, "vary.0.values", "empty value"),
        ({"input": CONVERSION, "values": ["3%", "0.03"]}, "vary.0.values", "twice"),
        ({"input": CONVERSION, "values": []}, "vary.0.values", "no values"),
        (
            {"input": "streams.subscription", "values": [1]},
            "vary.0.input",
            "name one of its leaves",
        ),
        ({"input": "$nope", "values": [1]}, "vary.0.input", "$nope"),
        ({"input": " ", "values": [1]}, "vary.0.input", "missing"),
        (CONVERSION, "vary.0", "FIELD=v1,v2"),
        (f"{CONVERSION}=5%,x", "vary.0", "'x'"),
    ],
)
def test_each_problem_of_an_item_is_located(client, example_text, item, loc, words):
    got = problems(post(client, yaml=example_text, vary=[item], samples=N))
    assert loc in got, got
    assert words in got[loc]


def test_an_input_given_twice(client, example_text):
    got = problems(
        post(
            client,
            yaml=example_text,
            vary=[{"input": CONVERSION, "values": "2%"}, f"{CONVERSION}=3%"],
            samples=N,
        )
    )
    assert "twice" in got["vary.1"]


def test_two_items_holding_one_input(client):
    from breakeven.scenario import templates as tp

    text = tp.text("api-platform-price-war")
    got = problems(
        post(
            client,
            yaml=text,
            vary=[
                {"input": "$demand_growth", "values": "30%"},
                {"input": "variables.demand_growth", "values": "40%"},
            ],
            samples=N,
        )
    )
    assert "both hold" in got["vary"]


def test_too_many_cells(client, example_text):
    values = ",".join(f"{i}%" for i in range(1, 22))  # 21 × 21 = 441 cells
    got = problems(
        post(
            client,
            yaml=example_text,
            vary=[f"{CONVERSION}={values}", f"market.consumer.churn_per_month={values}"],
            samples=N,
        )
    )
    assert "441 cells" in got["vary"] and str(MAX_CELLS) in got["vary"]


def test_cells_times_samples_beyond_the_work_limit(client, example_text):
    values = [f"{i}%" for i in range(1, 21)]  # 20 × 20 = 400 cells of 60 months
    r = post(
        client,
        yaml=example_text,
        vary=[
            {"input": CONVERSION, "values": values},
            {"input": "market.consumer.churn_per_month", "values": values},
        ],
        samples=10_000,
    )
    got = problems(r)
    most = MAX_WORK // (400 * 60)
    assert "400 cells × 10,000 samples" in got["samples"]
    assert f"at most {most:,} samples per cell" in got["samples"]


def test_a_plans_samples_beyond_the_cap(client, example_text):
    text = example_text.replace("samples: 10000", "samples: 900000")
    assert text != example_text
    got = problems(post(client, yaml=text, vary=[f"{CONVERSION}=3%"]))
    assert "samples" in got


def test_a_plans_own_problem_is_located_at_its_line(client, example_text):
    bad = example_text.replace("churn_per_month: 6% to 15%", "churn_per_month: 16% to 15%")
    assert bad != example_text
    r = post(client, yaml=bad, vary=[f"{CONVERSION}=3%"], samples=N)
    assert r.status_code == 422
    (item,) = r.json()["detail"]
    assert item["loc"] == "market.consumer.churn_per_month" and item["line"]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"vary": []}, "vary"),
        ({"vary": [f"{CONVERSION}=3%"] * (MAX_VARY + 1)}, "vary"),
        ({"vary": [{"input": CONVERSION}]}, "vary.0"),
        ({"vary": [f"{CONVERSION}=3%"], "samples": 0}, "samples"),
        ({"vary": [f"{CONVERSION}=3%"], "seed": True}, "seed"),
        ({"vary": "streams.subscription.conversion=3%"}, "vary"),
    ],
)
def test_a_malformed_request_is_located(client, example_text, body, loc):
    got = problems(post(client, yaml=example_text, **body))
    assert any(k == loc or k.startswith(loc + ".") for k in got), got


def test_a_sweep_over_the_time_limit_is_stopped_at_its_next_cell(make_client, example_text):
    client = make_client(time_limit_s=0.3, workers=1)
    values = ",".join(f"{i}%" for i in range(1, 31))  # 30 cells: far longer than 0.3 s
    r = post(client, yaml=example_text, vary=[f"{CONVERSION}={values}"], samples=5000, seed=1)
    assert r.status_code == 503 and "longer than 0.3 s" in r.json()["message"]
    # the sweep stopped after a cell (counted by the server), and the only worker is free again
    # (the next run gets a limit it cannot miss on a busy machine: it tests the worker, not
    # the limit)
    client.app.state.jobs.time_limit_s = 60.0
    r = post(client, yaml=example_text, vary=[f"{CONVERSION}=3%"], samples=200, seed=1)
    assert r.status_code == 200
    assert client.app.state.jobs.stopped_early == 1


def test_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    op = schema["paths"]["/api/sweep"]["post"]
    assert "422" in op["responses"] and "200" in op["responses"]
