"""The run store: every run a user saves, with its plan, seed, samples, the tool's version and
its results summary, in one embedded DuckDB file.

Where: ``$BREAKEVEN_HOME/runs.duckdb``, else ``$XDG_DATA_HOME/breakeven/runs.duckdb``
(``~/.local/share/breakeven/runs.duckdb``), or any path given; the folder is created. A store
opened ``read_only`` (``breakeven runs list|show|diff|export``) never creates nor changes its
file: a path with no store, or an empty file, is an error there.

Offline: every connection turns off DuckDB's installing and loading of extensions on demand, and
a file whose header is not DuckDB's is refused before DuckDB opens it (DuckDB would take a SQLite
file for one to attach, and download its extension to do so).

Durability: a save is one transaction, so a process killed during a save (even ``kill -9``)
leaves every completed run intact and no part of the unfinished one; DuckDB's write-ahead log
is replayed by the next open.

Sharing: DuckDB lets one process at a time open a file. A :class:`RunStore` therefore opens the
file when an operation needs it and lets it go ``linger`` seconds (1 s) after the last one, so a
server that keeps a store and ``breakeven runs`` in a terminal can use one file together; an
operation that finds the file held by another process retries for ``lock_timeout`` seconds
(5 s), then raises :class:`StoreBusy`. Opening the file costs some 30 ms; lingering spares that
cost to a burst of operations. Within a process, operations on one file are serialised by a
lock, so one store may be used from several threads; the file is let go before the process forks
and when it exits.

Ids are short (12 characters), unique and sortable: the time of the save in milliseconds then 3
random characters, in lowercase Crockford base 32; each new id is greater than every id in the
store, so newest first is descending id order.

Every problem a user can meet (a path that is not a store, a store in use, a read-only folder, an
unknown run) is a :class:`StoreError` with a one-line message naming the file.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import re
import secrets
import stat
import sys
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from ..errors import UserError
from ..files import user_data_dir
from ..format import json_safe
from ..scenario import BLOCKS, load_text
from ..scenario.diff import changed_assumptions, metric_change
from .schema import HEADLINE, META, MIGRATIONS, PLAN, SCHEMA_TABLE, SCHEMA_VERSION

STORE_NAME = "runs.duckdb"
EXPORT_FORMAT = "breakeven-run/1"
MAX_SEED = 2**127 - 1  # the seed column is a HUGEINT
MAX_LIMIT = 2**63 - 1  # LIMIT is a BIGINT: a larger limit lists every run

# The settings of every connection: DuckDB never installs nor loads an extension by itself (the
# tool is offline; a file DuckDB takes for a SQLite database would download one).
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
DUCKDB_MAGIC, MAGIC_AT = b"DUCK", 8  # a DuckDB database file has "DUCK" at offset 8
SAVE_FIRST = "save a run first with `breakeven runs save`"


class StoreError(UserError):
    """A problem with the run store the user can fix; ``str()`` is one line naming the file."""


class RunNotFound(StoreError):
    """No run with the id asked for (a server answers 404 with ``brief``, which does not name
    the store's file)."""

    def __init__(self, store: Path, run_id: object):
        self.brief = f"no run {str(run_id)[:40]!r}"
        super().__init__(f"{store}: {self.brief}")


class NoStore(StoreError):
    """A store opened read-only where there is none: no file, an empty one, or a DuckDB
    database without tables (``breakeven runs list`` of the default store: no runs yet)."""


class StoreBusy(StoreError):
    """Another process held the store's file for longer than the store waits (a server answers
    503)."""


def default_store_path() -> Path:
    """``$BREAKEVEN_HOME/runs.duckdb``, else ``$XDG_DATA_HOME/breakeven/runs.duckdb``
    (``~/.local/share/breakeven/runs.duckdb`` when XDG_DATA_HOME is unset)."""
    return user_data_dir() / STORE_NAME


def tool_version() -> str:
    """The installed version of breakeven (the package's own when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("breakeven")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        # the package's own (this module is inside it; not imported here: layers)
        return str(getattr(sys.modules.get("breakeven"), "__version__", "unknown"))


# ------------------------------------------------------------------------------------ ids

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base 32, lowercase
_TIME_CHARS, _RANDOM_CHARS = 9, 3  # 32**9 ms reach the year 3084
ID_RE = re.compile(f"^[{_ALPHABET}]{{{_TIME_CHARS + _RANDOM_CHARS}}}$")


def _encode(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 32)
        out.append(_ALPHABET[r])
    return "".join(reversed(out))


def _decode(s: str) -> int:
    n = 0
    for ch in s:
        n = n * 32 + _ALPHABET.index(ch)
    return n


def new_id(last: str | None = None, now_ms: int | None = None) -> str:
    """A new run id, greater than ``last`` (the largest id in the store)."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    if last is not None and ID_RE.match(last):
        ms = max(ms, _decode(last[:_TIME_CHARS]) + 1)
    return _encode(ms, _TIME_CHARS) + _encode(secrets.randbelow(32**_RANDOM_CHARS), _RANDOM_CHARS)


# ------------------------------------------------------------------------------- errors

_LOCKED = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)
_PID = re.compile(r"PID (\d+)")
_PREFIX = re.compile(r"^(?:[A-Za-z ]+ Error: |Failed to commit: )+")


def _store_error(path: Path, e: Exception) -> StoreError:
    """One line for a DuckDB error about the store's file."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    if "not a valid DuckDB database file" in msg:
        return StoreError(f"{path}: not a breakeven run store (not a DuckDB database file)")
    if "different configuration" in msg:  # a connection of the user's own, in this process
        return StoreError(
            f"{path}: the run store is open in this process with other DuckDB settings; close "
            "that connection first"
        )
    if _LOCKED.search(msg):
        pid = _PID.search(msg)
        who = f" (PID {pid.group(1)})" if pid else ""
        return StoreBusy(
            f"{path}: the run store is in use by another process{who}; try again when it is done"
        )
    if "Permission denied" in msg or "Read-only file system" in msg:
        return StoreError(
            f"{path}: cannot write the run store (permission denied: the file or "
            "its folder is read-only)"
        )
    if "serialization version" in msg or "storage version" in msg.lower():
        return StoreError(f"{path}: written by another version of DuckDB ({_PREFIX.sub('', msg)})")
    return StoreError(f"{path}: run store error ({_PREFIX.sub('', msg)})")


# ---------------------------------------------------------------------------- the store

_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(str(path), threading.RLock())


def _dig(doc: Any, keys: tuple[str, ...]) -> Any:
    for k in keys:
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


def _is_duckdb_file(path: Path) -> bool:
    """Whether the file starts as a DuckDB database file does (read before DuckDB opens it)."""
    with open(path, "rb") as f:
        head = f.read(MAGIC_AT + len(DUCKDB_MAGIC))
    return head[MAGIC_AT:] == DUCKDB_MAGIC


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _remove_if_still_empty(path: Path, seen: os.stat_result) -> None:
    """Remove the empty file ``seen`` at ``path`` so that DuckDB creates a store there (it
    refuses an empty file) — unless it is no longer that empty file: another process that found
    it empty too may have removed it and made its store there already, which must not be lost.
    The check and the removal hold an exclusive lock on the empty file (POSIX), so two processes
    cannot both remove it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return  # already removed: the store is (being) created by whoever did
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except (ImportError, OSError):  # no flock here: the inode check below still applies
            pass
        try:
            now = os.stat(path)
        except FileNotFoundError:
            return
        mine = os.fstat(fd)
        same = (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino) == (seen.st_dev, seen.st_ino)
        if same and now.st_size == 0:
            path.unlink()
    finally:
        os.close(fd)  # releases the lock


class RunStore:
    """Saved runs in a DuckDB file (see the module docstring).

    >>> import tempfile, pathlib
    >>> store = RunStore(pathlib.Path(tempfile.mkdtemp()) / "runs.duckdb")
    >>> store.list()
    []

    ``read_only``: only read the store, never create it (:class:`NoStore` if there is none); a
    store of an older version is migrated once, as any opening does."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        lock_timeout: float = 5.0,
        linger: float = 1.0,
        read_only: bool = False,
    ):
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        self.lock_timeout = lock_timeout
        self.linger = linger
        self.read_only = read_only
        self._lock = _lock_for(self.path.absolute())
        self._closed = False
        self._con: duckdb.DuckDBPyConnection | None = None  # kept between operations
        self._timer: threading.Timer | None = None
        _STORES.add(self)
        self._prepare()

    # -- opening
    def _prepare(self) -> None:
        """Check the path, create the folder, and create or migrate the tables (read-only:
        check that the file is a store of this version)."""
        p = self.path
        if not p.name:
            raise StoreError(f"{str(p)!r}: not a file name")
        try:
            st = os.stat(p)
        except FileNotFoundError:
            if self.read_only:
                raise NoStore(f"{p}: no run store here ({SAVE_FIRST})") from None
            st = None
        except NotADirectoryError:
            raise StoreError(
                f"{p}: cannot open the run store (a part of the path is a file, not a folder)"
            ) from None
        except OSError as e:
            raise StoreError(f"{p}: cannot open the run store ({e.strerror or e})") from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise StoreError(f"{p}: is a folder; name the store's file, e.g. {p / STORE_NAME}")
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{p}: not a regular file, so not a run store")
        if st is not None and st.st_size > 0:
            self._check_header()
        if self.read_only:
            if st is not None and st.st_size == 0:
                raise NoStore(f"{p}: an empty file, not a run store yet ({SAVE_FIRST})")
            with self._db() as con:
                version = self._check_version(con)
            if version < SCHEMA_VERSION:
                self._upgrade()
            return
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            if st is not None and st.st_size == 0:
                _remove_if_still_empty(p, st)  # an empty file (a fresh temporary file)
        except OSError as e:
            where = e.filename or p.parent
            raise StoreError(
                f"{where}: cannot create the run store's folder ({e.strerror or e})"
            ) from None
        with self._db() as con:
            self._migrate(con)

    def _check_header(self) -> None:
        """Refuse a file that is not a DuckDB database before DuckDB opens it."""
        try:
            ok = _is_duckdb_file(self.path)
        except OSError as e:
            raise StoreError(
                f"{self.path}: cannot read the run store ({e.strerror or e})"
            ) from None
        if not ok:
            raise StoreError(f"{self.path}: not a breakeven run store (not a DuckDB database file)")

    def _connect(self) -> duckdb.DuckDBPyConnection:
        # DuckDB opens a file with one set of settings in a process: a store of this process
        # that opened it the other way (read-only or not) lets go of it first (it is between
        # operations: they hold the lock held here)
        for other in list(_STORES):
            if other is not self and other._lock is self._lock:
                if other.read_only != self.read_only:
                    other.release()
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        while True:
            try:
                return duckdb.connect(
                    str(self.path), read_only=self.read_only, config=dict(DUCKDB_CONFIG)
                )
            except duckdb.Error as e:
                if _LOCKED.search(str(e)) and time.monotonic() < deadline:
                    time.sleep(delay)
                    delay = min(2 * delay, 0.1)
                    continue
                raise _store_error(self.path, e) from None

    @contextmanager
    def _db(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation: the one kept from the last operation, or a new one;
        kept ``linger`` seconds after it (closed at once after an error)."""
        with self._lock:
            if self._closed:
                raise StoreError(f"{self.path}: the run store is closed")
            self._stop_timer()
            con, self._con = self._con, None
            if con is None:
                con = self._connect()
            ok = False
            try:
                yield con
                ok = True
            except duckdb.Error as e:
                raise _store_error(self.path, e) from None
            finally:
                if ok and self.linger > 0:
                    self._con = con
                    self._timer = threading.Timer(self.linger, self.release)
                    self._timer.daemon = True
                    self._timer.start()
                else:
                    _close(con)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def release(self) -> None:
        """Let go of the file now (the next operation opens it again)."""
        with self._lock:
            self._stop_timer()
            con, self._con = self._con, None
            if con is not None:
                _close(con)

    def _version(self, con: duckdb.DuckDBPyConnection) -> int:
        """The store's schema version (0: a DuckDB database without tables); a database of
        other tables, or a store from a later breakeven, is refused."""
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        if SCHEMA_TABLE in tables:
            row = con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchone()
            version = int(row[0]) if row and row[0] is not None else 0
        elif tables:
            raise StoreError(
                f"{self.path}: a DuckDB database, but not a breakeven run store (it holds "
                f"tables {', '.join(sorted(tables)[:5])})"
            )
        else:
            version = 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer breakeven (run store version {version}; this "
                f"one reads up to {SCHEMA_VERSION}); upgrade breakeven to open it"
            )
        return version

    def _check_version(self, con: duckdb.DuckDBPyConnection) -> int:
        """Read-only: the store's version; a DuckDB database without runs is no store."""
        version = self._version(con)
        if version == 0:
            raise NoStore(f"{self.path}: a DuckDB database without runs ({SAVE_FIRST})")
        return version

    def _upgrade(self) -> None:
        """A store of an older breakeven, opened to be read, is migrated once, as opening it to
        save would: it is the user's store (not one a mistyped path would make), and the
        commands that read it are the first an upgraded user runs. Then read-only again."""
        self.release()
        self.read_only = False
        try:
            with self._db() as con:
                self._migrate(con)
        finally:
            self.release()
            self.read_only = True

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        version = self._version(con)
        if version == SCHEMA_VERSION:
            return
        now = datetime.now(UTC).replace(tzinfo=None)
        with self._transaction(con):
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v]:
                    con.execute(statement)
                con.execute(
                    f"INSERT INTO {SCHEMA_TABLE} VALUES (?, ?, ?)", [v, now, tool_version()]
                )

    @contextmanager
    def _transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        con.begin()
        try:
            yield
            con.commit()
        except BaseException:
            try:
                con.rollback()
            except duckdb.Error:
                pass
            raise

    # -- the API
    @property
    def schema_version(self) -> int:
        with self._db() as con:
            row = con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def save(
        self,
        plan_yaml: str,
        *,
        name: str,
        seed: int,
        samples: int,
        summary: dict[str, Any],
        note: str = "",
    ) -> str:
        """Keep a run: the plan's YAML text, the seed and samples it ran with, its results
        summary (the document ``breakeven run --json`` prints) and a note; returns its id.

        The plan is validated (a :class:`~breakeven.errors.ScenarioError` if it is not a plan);
        the tool's version and the time are recorded by the store. One transaction."""
        if self.read_only:
            raise StoreError(f"{self.path}: the run store is open read-only; cannot save")
        if not isinstance(plan_yaml, str):
            raise StoreError("plan_yaml: expected the plan's YAML text")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise StoreError(f"seed: expected a whole number from 0 to 2^127 - 1 (got {seed!r})")
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise StoreError(f"samples: expected a whole number of at least 1 (got {samples!r})")
        if not isinstance(summary, Mapping):
            raise StoreError("summary: expected the run's JSON document (a mapping)")
        if not isinstance(name, str) or not isinstance(note, str):
            raise StoreError("name and note: expected text")
        sc = load_text(plan_yaml, file="plan")
        doc: dict[str, Any] = dict(summary)
        try:
            summary_text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):  # NaN, numpy numbers: made JSON-safe, then again
            doc = json_safe(summary)
            try:
                summary_text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as e:
                raise StoreError(f"summary: not a JSON document ({e})") from None
        headline = [_number(_dig(doc, keys)) for _, keys, _ in HEADLINE]
        horizon = doc.get("horizon_months", sc.horizon_months)
        start = doc.get("start") or (
            f"{sc.start.year:04d}-{sc.start.month:02d}" if getattr(sc, "start", None) else None
        )
        created = datetime.now(UTC).replace(tzinfo=None)
        columns = [*META, "plan_yaml", "summary", *PLAN, *(c for c, _, _ in HEADLINE)]
        sql = f"INSERT INTO runs ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        with self._db() as con, self._transaction(con):
            row = con.execute("SELECT max(id) FROM runs").fetchone()
            run_id = new_id(row[0] if row else None)
            con.execute(
                sql,
                [
                    run_id,
                    created,
                    name.strip() or sc.name,
                    seed,
                    samples,
                    tool_version(),
                    note,
                    plan_yaml,
                    summary_text,
                    str(doc.get("currency") or sc.currency),
                    int(horizon) if isinstance(horizon, int) else sc.horizon_months,
                    start if isinstance(start, str) else None,
                    *headline,
                ],
            )
        return run_id

    def list(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Saved runs, newest first: id, created (UTC, ISO 8601), name, seed, samples, version,
        note, currency, horizon_months, start and the headline (p_breakeven, p_cash_out,
        breakeven_month_p50, peak_funding_need_p50, peak_funding_need_p90, npv_p50)."""
        columns = [*META, *PLAN, *(c for c, _, _ in HEADLINE)]
        sql = f"SELECT {', '.join(columns)} FROM runs ORDER BY id DESC"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(max(0, int(limit)), MAX_LIMIT))
        with self._db() as con:
            rows = con.execute(sql, params).fetchall()
        return [self._row(dict(zip(columns, r, strict=True))) for r in rows]

    def get(self, run_id: str) -> dict[str, Any]:
        """One run: the listed fields, its ``plan_yaml`` and its ``summary`` (a dict);
        :class:`RunNotFound` if there is no such run. Numbers that are not finite (a store edited
        by hand) are None, as in a run's document."""
        out = self._fetch(run_id, ("plan_yaml", "summary"))
        out["summary"] = json_safe(json.loads(out["summary"]))
        return out

    def row(self, run_id: str) -> dict[str, Any]:
        """One run as :meth:`list` shows it (without its plan and summary)."""
        return self._fetch(run_id, ())

    def _fetch(self, run_id: str, extra: tuple[str, ...]) -> dict[str, Any]:
        columns = [*META, *PLAN, *(c for c, _, _ in HEADLINE), *extra]
        if not isinstance(run_id, str) or not ID_RE.match(run_id):
            raise RunNotFound(self.path, run_id)
        with self._db() as con:
            r = con.execute(
                f"SELECT {', '.join(columns)} FROM runs WHERE id = ?", [run_id]
            ).fetchone()
        if r is None:
            raise RunNotFound(self.path, run_id)
        return self._row(dict(zip(columns, r, strict=True)))

    def diff(self, a: str, b: str) -> dict[str, Any]:
        """Run ``a`` against run ``b``: the assumptions that changed between their plans
        (``path``, ``name``, ``a``, ``b``), every headline metric (``metric``, ``name``,
        ``unit``, ``a``, ``b``, ``change`` = b − a), the run settings that differ (seed,
        samples, version) and warnings (a plan that no longer loads, currencies that differ)."""
        ra, rb = self.get(a), self.get(b)
        warnings: list[str] = []
        assumptions: list[dict[str, Any]] = []
        try:
            sa = load_text(ra["plan_yaml"], file=f"run {ra['id']}")
            sb = load_text(rb["plan_yaml"], file=f"run {rb['id']}")
            assumptions = changed_assumptions(sa, sb)
        except UserError as e:
            warnings.append(
                "assumptions not compared: a plan does not load with this version of breakeven "
                f"({str(e).splitlines()[0]})"
            )
        same_money = ra["currency"] == rb["currency"]
        if not same_money:
            warnings.append(
                f"the runs use different currencies ({ra['currency']}, {rb['currency']}): "
                "amounts are not subtracted"
            )
        metrics = []
        for col, _, unit in HEADLINE:
            va, vb = ra["headline"][col], rb["headline"][col]
            change = metric_change(va, vb) if same_money or unit != "currency" else None
            metrics.append(
                {
                    "metric": col,
                    "name": _metric_name(col),
                    "unit": unit,
                    "a": va,
                    "b": vb,
                    "change": change,
                }
            )
        settings = [
            {"field": f, "a": ra[f], "b": rb[f]}
            for f in ("seed", "samples", "version")
            if ra[f] != rb[f]
        ]
        listed = [
            {k: v for k, v in r.items() if k not in ("plan_yaml", "summary")} for r in (ra, rb)
        ]
        return {
            "a": ra["id"],
            "b": rb["id"],
            "runs": listed,
            "settings": settings,
            "assumptions": assumptions,
            "metrics": metrics,
            "warnings": warnings,
        }

    def export(self, run_id: str, fmt: str = "json") -> str:
        """A run as a JSON or YAML document: its fields, ``plan_yaml`` (the plan's text; a block
        of lines in YAML) and ``summary``."""
        fmt = str(fmt).lower()
        if fmt not in ("json", "yaml"):
            raise StoreError(f"export format: choose json or yaml (got {fmt!r})")
        run = self.get(run_id)
        doc = {"format": EXPORT_FORMAT, **{k: run[k] for k in (*META, *PLAN)}}
        doc["headline"] = run["headline"]
        doc["plan_yaml"] = run["plan_yaml"]
        doc["summary"] = run["summary"]
        doc = json_safe(doc)  # strict JSON: no NaN nor Infinity
        if fmt == "json":
            return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
        return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

    def close(self) -> None:
        """Let go of the file and stop using the store."""
        with self._lock:
            self._closed = True
            self.release()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    @staticmethod
    def _row(r: dict[str, Any]) -> dict[str, Any]:
        out = {k: r[k] for k in r if k not in {c for c, _, _ in HEADLINE}}
        out["created"] = _iso(r["created"])
        out["seed"], out["samples"] = int(r["seed"]), int(r["samples"])
        # a number that is not finite (only a store edited by hand has one) is no number
        out["headline"] = {c: _number(r[c]) for c, _, _ in HEADLINE}
        return out


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:  # pragma: no cover - a failed checkpoint is done by the next open
        pass


_STORES: weakref.WeakSet[RunStore] = weakref.WeakSet()


def _release_all() -> None:
    """Let go of every store's file: before a fork (a child must not share an open database
    with its parent) and at exit (the last writes are checkpointed into the file)."""
    for store in list(_STORES):
        store.release()


atexit.register(_release_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_release_all)


def _metric_name(col: str) -> str:
    base, _, q = col.rpartition("_")
    if q in ("p10", "p50", "p90"):
        return f"{BLOCKS.outputs[base].label('en')} ({q.upper()})"
    return BLOCKS.outputs[col].label("en")


_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 5× faster


class _Dumper(_SafeDumper):
    """YAML with multi-line text (the plan) as a literal block."""


def _str(dumper: Any, s: str) -> yaml.ScalarNode:
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


_Dumper.add_representer(str, _str)


__all__ = [
    "NoStore",
    "RunNotFound",
    "RunStore",
    "StoreBusy",
    "StoreError",
    "default_store_path",
    "new_id",
    "tool_version",
]
