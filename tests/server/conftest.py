"""The app under test: :func:`breakeven.server.create_app` over a run store in a temporary
folder, called in-process (httpx through Starlette's test client)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from breakeven.server import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
BASE = "http://127.0.0.1"  # the app answers this machine's names only (no token)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """No test reads or writes the user's data folder."""
    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path / "home"))


@pytest.fixture
def make_client(tmp_path) -> Iterator:
    """make_client(plans=..., token=..., **create_app options) → a client of a fresh app."""
    clients: list[TestClient] = []

    def make(plans=(EXAMPLE,), token=None, base_url=BASE, **kw) -> TestClient:
        app = create_app(list(plans), tmp_path / "runs.duckdb", token, **kw)
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    """One app for a module's tests that do not mind sharing it (a test that counts saved runs
    makes its own with ``make_client``)."""
    home = tmp_path_factory.mktemp("server")
    app = create_app([EXAMPLE], home / "runs.duckdb", None)
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def cli_json(*args) -> object:
    """What ``breakeven <args> --json`` prints, parsed (in-process)."""
    from breakeven.cli import app

    r = CliRunner(env={"COLUMNS": "200"}).invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


# ---------------------------------------------------------------------------- in a real browser
ACTUALS_PLAN = ROOT / "examples" / "actuals" / "plan.yaml"


def playwright():
    """Playwright's sync entry point, driving Debian's chromium; skips when either is missing."""
    from tests.report import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    return sync_api.sync_playwright


@contextmanager
def chromium_page(height: int = 800) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page of Debian's chromium (1280 wide) and what it logs: yields (page, the JavaScript
    errors, the URLs it requested); the browser is closed after."""
    from tests.report import CHROMIUM, CHROMIUM_ARGS

    sync_playwright = playwright()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": height})
            errors: list[str] = []
            requests: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: requests.append(r.url))
            yield page, errors, requests
        finally:
            browser.close()


@pytest.fixture
def server(tmp_path, monkeypatch) -> Iterator[str]:
    """The app over the example and the actuals example, on a free loopback port (uvicorn in a
    thread); yields its origin."""
    pytest.importorskip("uvicorn")
    from breakeven.server.background import in_thread

    monkeypatch.setenv("BREAKEVEN_HOME", str(tmp_path))
    app = create_app([EXAMPLE, ACTUALS_PLAN], tmp_path / "runs.duckdb", None, time_limit_s=120)
    with in_thread(app) as origin:
        yield origin
