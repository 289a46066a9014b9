"""Through a real server (uvicorn on loopback): a run whose client went away is dropped — told to
stop, it stops at its next chunk — so the next request does not wait for the whole of it (the page
cancels an older run when the user edits again)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from breakeven.server import create_app
from breakeven.server.limits import MAX_SAMPLES

from .conftest import EXAMPLE


@pytest.fixture
def one_worker_app(tmp_path):
    return create_app([EXAMPLE], tmp_path / "runs.duckdb", None, workers=1)


@pytest.fixture
def one_worker_server(one_worker_app):
    uvicorn = pytest.importorskip("uvicorn")
    app = one_worker_app
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_a_run_whose_client_left_is_dropped(one_worker_app, one_worker_server):
    text = EXAMPLE.read_text(encoding="utf-8")
    long = text.replace("horizon_months: 60", "horizon_months: 120")  # ~7 s to run whole
    big = {"yaml": long, "samples": MAX_SAMPLES, "seed": 1, "tornado": False}
    with httpx.Client(base_url=one_worker_server, timeout=0.7) as client:
        with pytest.raises(httpx.ReadTimeout):  # the client gives up and closes its connection
            client.post("/api/simulate", json=big)
    with httpx.Client(base_url=one_worker_server, timeout=60) as client:
        small = {"yaml": text, "samples": 500, "seed": 1, "tornado": False}
        r = client.post("/api/simulate", json=small)
    assert r.status_code == 200
    # the only worker was freed because the big run was told to stop and stopped at a chunk,
    # not because it ran to its end (no timing: counted by the server)
    jobs = one_worker_app.state.jobs
    assert jobs.dropped == 1 and jobs.stopped_early == 1
