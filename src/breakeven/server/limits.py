"""What keeps a server safe to leave running: request bodies of at most 1 MiB, caps on samples,
horizon and work, a time limit on every simulation (run in a worker thread, cancelled when it is
late or its client went away), and who may call the API.

==========================  ==============  ===============================================
what                        limit           answer
==========================  ==============  ===============================================
request body                1 MiB           413, before the application reads it
a plan (YAML)               the loader's    422 located (256 KiB, 10,000 values, aliases…)
samples per run             200,000         422 (``loc: samples``)
horizon                     240 months      422 (``loc: horizon_months``)
work per request            48M sample-     422: sensitivity, goal-seek, compare, sweep run
                            months          many simulations; the estimate is refused up front
a sweep                     400 cells, 8    422 (``loc: vary``); its cells × samples × months
                            inputs          count against the work per request (``samples``)
run time                    20 s            503; the run is cancelled at its next chunk
                                            (a sweep: at its next cell)
runs at once                one per core    others wait their turn (up to 30 s: then 503)
==========================  ==============  ===============================================
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import parse_qs

MAX_BODY_BYTES = 1 << 20
MAX_SAMPLES = 200_000
MAX_HORIZON = 240
MAX_WORK = MAX_SAMPLES * MAX_HORIZON  # sample-months one request may simulate in all
MAX_VARY = 8  # inputs one sweep varies (its cells: the analysis's own limit, 400)
TIME_LIMIT_S = 20.0
QUEUE_LIMIT_S = 30.0
MAX_WAITING = 256
TOKEN_COOKIE = "breakeven_token"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
T = TypeVar("T")


def error_body(msg: str, loc: str = "") -> dict[str, Any]:
    """The API's error document for one problem that is not in a plan."""
    return {"detail": [{"loc": loc, "line": None, "msg": msg}], "message": f"breakeven: {msg}"}


async def _send_json(
    send: Send, status: int, doc: Any, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine only (127.0.0.0/8, ::1, localhost)."""
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``::1``."""
    v = value.strip().lower()
    if v.startswith("["):
        return v[1 : v.find("]")] if "]" in v else v
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers") or ():
        if k.lower() == name:
            return str(v.decode("latin-1"))
    return None


class BodyLimit:
    """Refuses (413) a request body larger than ``limit`` bytes — from its Content-Length before
    reading, or as soon as a streamed body crosses it; the application gets the body whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size_text = (
            f"{self.limit / (1 << 20):g} MiB" if self.limit >= 1 << 20 else f"{self.limit:,} bytes"
        )
        too_large = error_body(f"request body larger than {size_text}")
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _send_json(send, 400, error_body("invalid Content-Length"))
                return
            if declared > self.limit:
                await _send_json(send, 413, too_large, [(b"connection", b"close")])
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        disconnected = False
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _send_json(send, 413, too_large, [(b"connection", b"close")])
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        sent = [False]

        async def replay() -> Message:
            if not sent[0]:
                sent[0] = True
                return {"type": "http.request", "body": body, "more_body": False}
            if disconnected:
                return {"type": "http.disconnect"}
            return await receive()

        await self.app(scope, replay, send)


class Access:
    """Who may call the server.

    With a token (a server on another address than loopback), every ``/api`` request carries
    ``Authorization: Bearer <token>`` or the cookie a page gets by opening any page with
    ``?token=<token>`` once. Without one (loopback), the Host header must name this machine
    (``hosts``; a web page elsewhere cannot reach the API through DNS rebinding). Either way, a
    request that a browser sends from another origin (its ``Origin`` differs from ``Host``) is
    refused: another site cannot make the page's browser run or save plans."""

    def __init__(self, app: ASGIApp, token: str | None, hosts: Iterable[str] = LOOPBACK_NAMES):
        self.app = app
        self.token = token
        self.hosts = {h.lower() for h in hosts}
        # the cookie holds a digest of the token: any token fits in a cookie, and none is echoed
        self.cookie_value = hashlib.sha256(token.encode()).hexdigest() if token else ""

    def _authorised(self, scope: Scope) -> bool:
        assert self.token is not None
        auth = _header(scope, b"authorization") or ""
        if auth[:7].lower() == "bearer " and hmac.compare_digest(
            auth[7:].strip().encode(), self.token.encode()
        ):
            return True
        cookie = _header(scope, b"cookie") or ""
        for part in cookie.split(";"):
            k, _, v = part.strip().partition("=")
            if k == TOKEN_COOKIE and hmac.compare_digest(v.encode(), self.cookie_value.encode()):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        if self.token is None and _host_name(host) not in self.hosts:
            await _send_json(
                send,
                421,
                error_body(
                    f"this server answers requests for {', '.join(sorted(self.hosts))} only "
                    f"(got Host {host!r})"
                ),
            )
            return
        origin = _header(scope, b"origin")
        if origin is not None and origin != "null":
            origin_host = origin.split("://", 1)[-1].rstrip("/").lower()
            if origin_host != host.lower():
                await _send_json(
                    send, 403, error_body(f"requests from another origin are refused ({origin})")
                )
                return
        path = str(scope.get("path", ""))
        if self.token is None:
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/") or path == "/api":
            if not self._authorised(scope):
                await _send_json(
                    send,
                    401,
                    error_body(
                        "this server needs its token: send Authorization: Bearer <token>, or "
                        "open the page once with ?token=<token>"
                    ),
                    [(b"www-authenticate", b"Bearer")],
                )
                return
            await self.app(scope, receive, send)
            return
        # a page opened with ?token=… keeps it in a cookie for its API requests
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        if given and hmac.compare_digest(given.encode(), self.token.encode()):
            cookie = f"{TOKEN_COOKIE}={self.cookie_value}; Path=/; HttpOnly; SameSite=Strict"

            async def send_with_cookie(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = dict(message)
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"set-cookie", cookie.encode("latin-1")),
                    ]
                await send(message)

            await self.app(scope, receive, send_with_cookie)
            return
        await self.app(scope, receive, send)


# ---------------------------------------------------------------------------- runs


class Busy(Exception):
    """No worker became free in time (503)."""


class TooSlow(Exception):
    """A run took longer than the time limit (503)."""


class Cancelled(Exception):
    """A run stopped because it was late or its client went away."""


class Guard:
    """Handed to a job: ``guard.check()`` (or ``guard.progress`` as a simulation's progress
    callback) raises :class:`Cancelled` once the job is late or no longer wanted."""

    def __init__(self, limit_s: float):
        self.deadline = time.monotonic() + limit_s
        self.cancelled = threading.Event()

    def check(self) -> None:
        if self.cancelled.is_set() or time.monotonic() > self.deadline:
            raise Cancelled()

    def progress(self, done: int, total: int) -> None:
        self.check()


class Jobs:
    """Runs CPU work in worker threads, one per core at a time, each within a time limit."""

    def __init__(
        self,
        workers: int | None = None,
        time_limit_s: float = TIME_LIMIT_S,
        queue_limit_s: float = QUEUE_LIMIT_S,
    ):
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.time_limit_s = time_limit_s
        self.queue_limit_s = queue_limit_s
        self._executor: ThreadPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waiting = 0
        self.dropped = 0  # runs whose client went away
        self.stopped_early = 0  # runs that stopped at a chunk when told to (late or unwanted)

    def slots(self) -> asyncio.Semaphore:
        """The turns to run, made in the running event loop (an app may be served by several
        loops one after another: a test client each, or uvicorn again)."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop, self.waiting = asyncio.Semaphore(self.workers), loop, 0
        return self._slots

    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="breakeven-run")
        return self._executor

    async def run(
        self,
        fn: Callable[[Guard], T],
        is_disconnected: Callable[[], Awaitable[bool]] | None = None,
    ) -> T:
        """``fn(guard)`` in a worker thread. Raises :class:`Busy` when no worker frees up in
        time, :class:`TooSlow` past the time limit (the run is told to stop, and keeps its
        worker until it has), :class:`Cancelled` when the client went away."""
        slots = self.slots()
        if self.waiting >= MAX_WAITING:
            raise Busy()
        self.waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), timeout=self.queue_limit_s)
        except TimeoutError:
            raise Busy() from None
        finally:
            self.waiting -= 1
        guard = Guard(self.time_limit_s)
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self.executor(), fn, guard)
        except BaseException:
            slots.release()
            raise

        def finished(f: asyncio.Future) -> None:
            slots.release()
            if not f.cancelled() and isinstance(f.exception(), Cancelled):
                self.stopped_early += 1

        future.add_done_callback(finished)
        try:
            while True:
                done, _ = await asyncio.wait({future}, timeout=0.05)
                if done:
                    break
                if time.monotonic() > guard.deadline:
                    guard.cancelled.set()
                    raise TooSlow()
                if is_disconnected is not None and await is_disconnected():
                    guard.cancelled.set()
                    self.dropped += 1
                    raise Cancelled()
        except asyncio.CancelledError:
            guard.cancelled.set()
            raise
        try:
            return future.result()
        except Cancelled:
            raise TooSlow() from None

    def close(self) -> None:
        """Stop the workers (runs in progress are told to stop); a later run starts new ones."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


__all__ = [
    "Access",
    "BodyLimit",
    "Busy",
    "Cancelled",
    "Guard",
    "Jobs",
    "TooSlow",
    "MAX_BODY_BYTES",
    "MAX_HORIZON",
    "MAX_SAMPLES",
    "MAX_VARY",
    "MAX_WORK",
    "TIME_LIMIT_S",
    "error_body",
    "is_loopback",
]
