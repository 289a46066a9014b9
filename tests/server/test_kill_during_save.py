"""The run store survives the server being killed (SIGKILL) while it saves: every run whose save
was answered is in the store, whole, and the store opens and saves again."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from breakeven.store import RunStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen, mine: str, seconds: float = 30.0) -> None:
    """Until the server answers, and is this test's: it lists the plan ``mine`` it was given.
    Another server that took the port between _free_port and the bind (a test run beside
    other work) would take the saves into its own store, and this one would look empty."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert proc.poll() is None, "the server exited (its port taken?)"
        try:
            r = httpx.get(url + "/api/plans", timeout=1.0)
            if r.status_code == 200:
                assert mine in {p["id"] for p in r.json()}, "another server holds the port"
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_runs_answered_before_a_kill_9_are_all_intact(tmp_path):
    store = tmp_path / "runs.duckdb"
    mine = f"mine-{secrets.token_hex(6)}"  # a plan only this test's server lists
    (tmp_path / f"{mine}.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "BREAKEVEN_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from breakeven.cli import main; main()",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            str(tmp_path / f"{mine}.yaml"),
        ],  # fmt: skip
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    saved: list[tuple[str, str]] = []  # (run id, note) of every save the server answered
    try:
        _wait_up(url, proc, mine)
        yaml_text = EXAMPLE.read_text(encoding="utf-8")
        stop = threading.Event()

        def save_forever() -> None:
            i = 0
            with httpx.Client(base_url=url, timeout=30.0) as client:
                while not stop.is_set():
                    note = f"run {i}"
                    try:
                        r = client.post(
                            "/api/runs",
                            json={"yaml": yaml_text, "samples": 500, "seed": i, "note": note},
                        )
                    except httpx.HTTPError:
                        return  # the server is gone
                    if r.status_code == 200:
                        saved.append((r.json()["id"], note))
                    i += 1

        threads = [threading.Thread(target=save_forever) for _ in range(3)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30.0
        while len(saved) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.15)  # somewhere inside the next saves
        assert proc.poll() is None, "the server exited before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert len(saved) >= 4
    with_store = RunStore(store)
    try:
        rows = {r["id"]: r for r in with_store.list()}
        for run_id, note in saved:  # every answered save is there, whole
            assert run_id in rows, run_id
            run = with_store.get(run_id)
            assert run["note"] == note
            assert run["plan_yaml"] == EXAMPLE.read_text(encoding="utf-8")
            assert json.dumps(run["summary"])  # readable
        again = with_store.save(
            EXAMPLE.read_text(encoding="utf-8"),
            name="after",
            seed=1,
            samples=500,
            summary=with_store.get(saved[0][0])["summary"],
        )
        assert again in {r["id"] for r in with_store.list()}
    finally:
        with_store.close()
