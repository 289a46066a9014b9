"""The web app: a FastAPI application over the library, as the command line uses it.

:func:`create_app` serves the page (``static/``: the start page, the plan page, the run history),
plotly.js from the installed ``plotly`` package, and the HTTP API under ``/api`` (OpenAPI at
``/openapi.json``). Every number it answers is the command line's for the same plan, seed and
samples: the same functions compute it. Limits and access: :mod:`breakeven.server.limits`.

It reads nothing from the file system but its own package data, the catalogs the library ships
(and the user's price catalog, as the command line does), the plans named when it was made, and
the run store: no request names a file.

The pages speak English or Chinese (``static/i18n.js``: every word of every page, and the
language chosen with ``?lang=zh`` or the switch in the top bar); they send ``lang`` with each
request, and the answers' sentences come back in it (:mod:`breakeven.server.answers`).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import re
import time
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ..engine import simulate
from ..errors import Problem, ScenarioError, UserError, show
from ..format import json_safe
from ..scenario import templates as tp
from ..scenario.loader import load_text_lines, parse_yaml, read_plan
from . import answers
from .limits import (
    LOOPBACK_NAMES,
    MAX_HORIZON,
    MAX_SAMPLES,
    MAX_WORK,
    Access,
    BodyLimit,
    Busy,
    Cancelled,
    Guard,
    Jobs,
    TooSlow,
    error_body,
)
from .plans import apply_edits, plan_inputs
from .schemas import (
    ApplyIn,
    CompareIn,
    ErrorOut,
    GoalseekIn,
    InputsOut,
    PlanRow,
    PlanText,
    RunIn,
    SensitivityIn,
    SimulateIn,
    SimulateOut,
    SweepIn,
    SweepOut,
    UpdateIn,
    UpdateOut,
    ValidateOut,
    YamlLangIn,
    YamlOut,
)

STATIC = Path(__file__).resolve().parent / "static"
PLAN_FILE = "plan.yaml"  # how a plan sent in a request is named in its error messages
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
GOALSEEK_SIMULATIONS = 25  # a goal-seek's simulations, as budgeted (scan 9, then bisection)
# an update's simulations of the observed months, as budgeted: a tempered sequential Monte Carlo
# takes about this many (the shipped example: 138); besides, two runs of the whole horizon
UPDATE_SIMULATIONS = 140
MAX_UNPACKED = 64 << 20  # an .xlsx whose parts unpack to more is refused (a zip bomb)
T = TypeVar("T")

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not JSON."},
    422: {"model": ErrorOut, "description": "A located problem: in the plan, or the request."},
    503: {"model": ErrorOut, "description": "Busy, or the run took longer than the limit."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Unknown."}}
NOT_FOUND_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · breakeven'
    '</title><link rel="stylesheet" href="/static/app.css"></head><body><main class="wrap">'
    "<h1>Not found</h1><p>There is no page here (页面不存在). "
    '<a href="/">The plans</a> · <a href="/runs">Saved runs</a></p></main></body></html>'
)


class JSON(JSONResponse):
    """A JSON answer: NaN and infinities as null, numpy values as plain numbers, UTF-8."""

    def render(self, content: Any) -> bytes:
        return json.dumps(json_safe(content), ensure_ascii=False, allow_nan=False).encode("utf-8")


class NotFound(Exception):
    """An unknown plan or run (404)."""


def _problem_dict(p: Problem) -> dict[str, Any]:
    msg = p.message
    if p.has_got:
        msg += f" (got {show(p.got)})"
    return {"loc": p.path, "line": p.line, "msg": msg}


def scenario_error(e: ScenarioError) -> dict[str, Any]:
    """The API's error document for located problems in a plan."""
    return {"detail": [_problem_dict(p) for p in e.problems], "message": str(e)}


class Located(UserError):
    """A user error about one field of the request (its ``loc``)."""

    def __init__(self, loc: str, message: str):
        super().__init__(message)
        self.loc = loc


class Detailed(UserError):
    """A user error with its own located items (``detail``); ``str()`` is the whole message."""

    def __init__(self, message: str, detail: list[dict[str, Any]]):
        super().__init__(message)
        self.detail = detail


# ---------------------------------------------------------------------------- plans


class Plans:
    """The templates and the plan files named on the command line, by id."""

    def __init__(self, files: Sequence[Path]):
        self.files: dict[str, Path] = {}
        for f in files:  # a file is known by its name (a second of the same name gets -2)
            stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(f).stem).strip("-.") or "plan"
            plan_id, k = stem, 2
            while plan_id in self.files:
                plan_id, k = f"{stem}-{k}", k + 1
            self.files[plan_id] = Path(f)
        # a template is known by its name, or template-<name> beside a file of that name
        self._template_rows: dict[str, list[dict[str, Any]]] = {}  # per language
        self.templates = {(f"template-{t}" if t in self.files else t): t for t in tp.names()}

    def text(self, plan_id: str) -> str:
        if plan_id in self.files:
            return read_plan(self.files[plan_id])
        if plan_id in self.templates:
            return tp.text(self.templates[plan_id])
        raise NotFound(f"no plan {plan_id!r}")

    def rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """Each plan's id, name, kind and description (a template's summary in ``lang``: its
        ``# zh:`` line in Chinese)."""
        out = []
        for plan_id, path in self.files.items():
            name, description = path.stem, ""
            try:
                data, _ = parse_yaml(read_plan(path), str(path))
                if isinstance(data, dict):
                    name = str(data.get("name") or name)
                    description = str(data.get("description") or "").strip()
            except ScenarioError as e:
                description = str(e).splitlines()[0]
            out.append({"id": plan_id, "name": name, "kind": "file", "description": description})
        if lang not in self._template_rows:  # package data: read once
            rows: list[dict[str, Any]] = []
            for plan_id, t in self.templates.items():
                name = t
                try:
                    data, _ = parse_yaml(tp.text(t), t)
                    name = str(data.get("name") or t) if isinstance(data, dict) else t
                except ScenarioError:
                    pass
                rows.append(
                    {
                        "id": plan_id,
                        "name": name,
                        "kind": "template",
                        "description": tp.summary(t, lang),
                    }
                )
            self._template_rows[lang] = rows
        out += self._template_rows[lang]
        return out

    def name(self, plan_id: str, text: str) -> str:
        try:
            data, _ = parse_yaml(text, plan_id)
        except ScenarioError:
            return plan_id
        return str(data.get("name") or plan_id) if isinstance(data, dict) else plan_id


# ---------------------------------------------------------------------------- reading requests


def read(text: str, file: str = PLAN_FILE) -> tuple[Any, dict[tuple[str, ...], int]]:
    """A plan sent in a request: validated by the loader (its limits, located problems), and its
    map from field path to line (for warnings)."""
    sc, lines = load_text_lines(text, file)
    if sc.horizon_months > MAX_HORIZON:
        raise ScenarioError(
            [
                Problem(
                    file,
                    lines.get(("horizon_months",)),
                    "horizon_months",
                    f"the server simulates at most {MAX_HORIZON} months",
                    sc.horizon_months,
                    True,
                )
            ]
        )
    return sc, lines


def run_size(sc: Any, samples: int | None) -> int:
    """The samples of a run: the request's, else the plan's, within the server's cap."""
    n = int(samples if samples is not None else sc.samples)
    if n > MAX_SAMPLES:
        raise Located(
            "samples",
            f"the plan asks for {n:,} samples; the server runs at most {MAX_SAMPLES:,} "
            "(send samples)",
        )
    return n


def check_work(what: str, sample_runs: int, horizon: int) -> None:
    """Refuse up front a request whose simulations would exceed the work budget."""
    work = sample_runs * horizon
    if work > MAX_WORK:
        raise Located(
            "samples",
            f"{what} would simulate about {sample_runs:,} samples × {horizon} months, more "
            f"than the server's {MAX_WORK // 1_000_000}M sample-months per request; use "
            "fewer samples",
        )


# ---------------------------------------------------------------------------- sweeps


def sweep_grid(sc: Any, items: Sequence[Any]) -> tuple[dict[str, list[Any]], list[Any]]:
    """The grid of a sweep request, read and checked as ``breakeven sweep --vary`` reads it
    (:func:`~breakeven.analysis.sweep.parse_vary`, :func:`~breakeven.analysis.sweep.grid`):
    ``(ref → values, the varied inputs)``. Every item's problems at once, located at
    ``vary.<i>.input`` (a field the plan does not have), ``vary.<i>.values`` (a value that does
    not read, or lies outside the field's domain) or ``vary.<i>`` (an item written as
    ``FIELD=v1,v2,…``); problems of the grid as a whole (too many cells, two items holding one
    input) at ``vary``."""
    from ..analysis.sweep import grid, parse_vary
    from ..engine import build_inputs

    vary: dict[str, list[Any]] = {}
    where: dict[str, int] = {}
    detail: list[dict[str, Any]] = []
    table: list[Any] = []  # the plan's inputs, built when an item needs them

    def problem(loc: str, msg: str) -> None:
        detail.append({"loc": loc, "line": None, "msg": msg.removeprefix("--")})

    for i, item in enumerate(items):
        loc = f"vary.{i}"
        text_item = isinstance(item, str)
        try:
            if text_item:
                ref, values = parse_vary(item)
            elif isinstance(item.values, str):
                ref, values = parse_vary(f"{item.input.strip()}={item.values}")
            else:
                ref, values = item.input.strip(), list(item.values)
        except UserError as e:
            problem(loc if text_item else f"{loc}.values", str(e))
            continue
        if not ref:
            problem(loc if text_item else f"{loc}.input", "vary: the input is missing")
            continue
        if ref in where:
            problem(
                loc if text_item else f"{loc}.input",
                f"vary {ref}: given twice (also vary.{where[ref]}); list all its values once",
            )
            continue
        try:
            grid(sc, {ref: values})
        except UserError as e:
            if text_item:
                problem(loc, str(e))
                continue
            if not table:
                table.append(build_inputs(sc))
            try:  # a field the plan has (as simulate(fixed=…) reads it): the values are wrong
                table[0].with_fixed({ref: 0.5})
                bad = "values"
            except UserError:
                bad = "input"
            problem(f"{loc}.{bad}", str(e))
            continue
        vary[ref], where[ref] = values, i
    if detail:
        raise Detailed("\n".join(f"breakeven: {d['msg']}" for d in detail), detail)
    try:
        inputs = grid(sc, vary)
    except UserError as e:
        raise Located("vary", str(e)) from None
    return vary, inputs


def check_sweep(cells: int, samples: int, horizon: int) -> None:
    """Refuse up front a sweep whose cells × samples × months exceed the work budget."""
    work = cells * samples * horizon
    if work > MAX_WORK:
        most = MAX_WORK // (cells * horizon)
        raise Located(
            "samples",
            f"this sweep would simulate {cells:,} cells × {samples:,} samples × {horizon} "
            f"months ({work / 1e6:,.0f}M sample-months), more than the server's "
            f"{MAX_WORK // 1_000_000}M per request; use at most {most:,} samples per cell for "
            f"{cells:,} cells, or fewer values",
        )


# ---------------------------------------------------------------------------- actuals


def relative_error(value: float | str) -> float:
    """The default relative error of an update: 0.1 or "10%" (as ``breakeven update --error``)."""
    from ..analysis.actuals import relative_error as parse_error
    from ..errors import UncertainError

    try:
        return parse_error(value)
    except UncertainError as e:
        raise Located("error", f"{e.message} (got {show(value)})") from None


def actuals_file(body: UpdateIn) -> tuple[bytes, str]:
    """The actuals' bytes (CSV text, or base64 of a workbook or CSV file) and the name their
    problems are located in: the file's own name, without folders or control characters."""
    if (body.actuals is None) == (body.actuals_base64 is None):
        raise Located(
            "actuals",
            "send the actuals as CSV text (actuals) or a file's bytes in base64 "
            "(actuals_base64)" + (", not both" if body.actuals is not None else ""),
        )
    if body.actuals is not None:
        data = body.actuals.encode("utf-8", "surrogatepass")
    else:
        text = re.sub(r"\s+", "", body.actuals_base64 or "")
        if text.startswith("data:") and "," in text:  # a data: URL, as FileReader makes it
            text = text.split(",", 1)[1]
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise Located("actuals_base64", "not base64 (the file's bytes, encoded)") from None
    from ..analysis.actuals import is_excel

    excel = is_excel(data)
    name = re.split(r"[/\\]", body.actuals_name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]+", "", name).strip()
    return data, name or ("actuals.xlsx" if excel else "actuals.csv")


def read_actuals(
    data: bytes, name: str, sc: Any, outputs: list[str], error: float, sheet: str | None
) -> Any:
    """The actuals read against the plan's months and outputs: 422 with every problem located
    (``file:line: column: …``), whatever the file is."""
    from ..analysis.actuals import is_excel, parse_actuals

    if is_excel(data):
        try:
            unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            unpacked = 0  # not a readable zip file: the reader says so
        if unpacked > MAX_UNPACKED:
            raise ScenarioError(
                [
                    Problem(
                        name,
                        None,
                        "",
                        f"the workbook unpacks to {unpacked / (1 << 20):,.0f} MiB; the server "
                        f"reads at most {MAX_UNPACKED >> 20} MiB",
                    )
                ]
            )
    try:
        return parse_actuals(
            data, name, sc.start, sc.horizon_months, outputs, error=error, sheet=sheet
        )
    except (UserError, MemoryError):
        raise
    except Exception as e:  # a reader's failure on a malformed file: the user's to fix
        what = "an Excel workbook" if is_excel(data) else "a CSV file"
        raise ScenarioError([Problem(name, None, "", f"cannot read as {what}: {e}")]) from None


def incompatible(e: Any) -> Detailed:
    """An :class:`~breakeven.analysis.update.IncompatibleActuals` as a 422: one item per series
    the plan cannot reproduce, at its worst month's line in the file; the whole message."""
    detail: list[dict[str, Any]] = [
        {"loc": p.path, "line": p.line, "msg": f"the plan cannot reproduce {p.path}: {p.message}"}
        for p in e.problems
    ]
    return Detailed(str(e), detail or [{"loc": "actuals", "line": None, "msg": str(e)}])


def input_names(sc: Any, lang: str = "en") -> dict[str, str]:
    """Path → the input's name on the page (in ``lang``), for the tornado's rows."""
    out: dict[str, str] = {}
    doc = plan_inputs(sc)
    told = answers.input_groups(doc, lang)["groups"]
    for g, shown in zip(doc["groups"], told, strict=True):
        for row in shown["inputs"]:
            out[row["path"]] = (
                row["name"]
                if g["group"] in ("Plan", "Variables")
                else f"{row['name']}（{shown['group']}）"
                if lang == "zh"
                else f"{row['name']} ({shown['group']})"
            )
    return out


# ---------------------------------------------------------------------------- the app


def create_app(
    plans: list[Path],
    store_path: Path | None,
    token: str | None,
    *,
    hosts: Sequence[str] = LOOPBACK_NAMES,
    workers: int | None = None,
    time_limit_s: float | None = None,
) -> FastAPI:
    """The web app for the plan files ``plans`` (besides the templates), saving runs in the store
    at ``store_path`` (None: the default store). With a ``token`` every ``/api`` request must
    carry it (for a server reachable from other machines); without one, only requests for
    ``hosts`` (this machine's names) are answered. ``workers``: simulations at once (default:
    one per core); ``time_limit_s``: the longest run (default 20 s)."""
    from .. import __version__

    jobs = Jobs(workers, **({"time_limit_s": time_limit_s} if time_limit_s else {}))
    catalog = Plans(plans)
    store_box: list[Any] = []

    def store() -> Any:
        if not store_box:
            from ..store import RunStore

            store_box.append(RunStore(store_path))
        return store_box[0]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()
        while store_box:  # opened again if the app is served again
            store_box.pop().close()

    app = FastAPI(
        lifespan=lifespan,
        title="breakeven",
        version=__version__,
        description="Will revenue cover costs? Monte Carlo break-even for LLM products: the "
        "plan page's API. Errors are 422 with located problems (`loc`, `line`, `msg`) and the "
        "command line's one-line text (`message`); 413 for a body over 1 MiB; 503 when busy or "
        "a run takes longer than the limit. Answers with sentences (headline, notes, warnings, "
        "messages, narrative) tell them in Chinese when the request says `lang: zh`, as the "
        "command line's `--lang zh` does; their numbers and keys are the same in both "
        "languages.",
        docs_url=None,  # the interactive docs load scripts from a CDN: the server is offline
        redoc_url=None,
        default_response_class=JSON,
    )
    app.state.jobs = jobs
    app.state.plans = catalog

    # ------------------------------------------------------------------ errors
    @app.exception_handler(ScenarioError)
    async def _scenario(request: Request, e: ScenarioError) -> Response:
        return JSON(scenario_error(e), status_code=422)

    @app.exception_handler(Located)
    async def _located(request: Request, e: Located) -> Response:
        return JSON(error_body(str(e), e.loc), status_code=422)

    @app.exception_handler(UserError)
    async def _user(request: Request, e: UserError) -> Response:
        from ..store import RunNotFound, StoreBusy, StoreError

        if isinstance(e, RunNotFound):  # the id, not the server's file
            return JSON(error_body(e.brief), status_code=404)
        if isinstance(e, StoreBusy):
            return JSON(error_body(str(e)), status_code=503)
        if isinstance(e, StoreError):
            return JSON(error_body(str(e)), status_code=503)
        return JSON(error_body(str(e)), status_code=422)

    @app.exception_handler(Detailed)
    async def _detailed(request: Request, e: Detailed) -> Response:
        return JSON({"detail": e.detail, "message": str(e)}, status_code=422)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, e: NotFound) -> Response:
        return JSON(error_body(str(e)), status_code=404)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> Response:
        detail = []
        for err in e.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            detail.append({"loc": ".".join(loc), "line": None, "msg": str(err.get("msg", ""))})
        message = "\n".join(f"breakeven: {d['loc'] or '(request)'}: {d['msg']}" for d in detail)
        return JSON({"detail": detail, "message": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException) -> Response:
        headers = dict(e.headers or {})
        if e.status_code == 405:  # every method of the path, not only the first route's
            methods: set[str] = set()
            for route in app.router.routes:
                match, _ = route.matches(request.scope)
                if match is not Match.NONE:
                    methods |= set(getattr(route, "methods", None) or ())
            headers["Allow"] = ", ".join(sorted(methods))
        msg = e.detail if isinstance(e.detail, str) else str(e.detail)
        if e.status_code == 400 and "parsing the body" in msg:
            msg = "the request body is not valid JSON"
        if (
            e.status_code == 404
            and not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", "")
        ):  # a page a browser asked for: a page, not the API's JSON
            return Response(NOT_FOUND_PAGE, status_code=404, media_type="text/html")
        return JSON(
            error_body(msg[:1].lower() + msg[1:]), status_code=e.status_code, headers=headers
        )

    @app.exception_handler(Busy)
    async def _busy(request: Request, e: Busy) -> Response:
        return JSON(
            error_body("the server is busy with other runs; try again in a moment"),
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(TooSlow)
    async def _slow(request: Request, e: TooSlow) -> Response:
        return JSON(
            error_body(
                f"the run took longer than {jobs.time_limit_s:g} s and was stopped; use fewer "
                "samples"
            ),
            status_code=503,
        )

    @app.exception_handler(Cancelled)
    async def _gone(request: Request, e: Cancelled) -> Response:
        return JSON(error_body("the request was cancelled"), status_code=499)

    @app.exception_handler(MemoryError)
    async def _memory(request: Request, e: MemoryError) -> Response:
        return JSON(
            error_body("ran out of memory; use fewer samples (or a shorter horizon)"),
            status_code=503,
        )

    async def job(request: Request, fn: Callable[[Guard], T]) -> T:
        return await jobs.run(fn, request.is_disconnected)

    # ------------------------------------------------------------------ pages
    def page(name: str) -> Response:
        path = STATIC / name
        if not path.is_file():
            return JSON(error_body(f"the page {name} is not installed"), status_code=404)
        return FileResponse(path, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return page("index.html")

    @app.get("/plan/{plan_id}", include_in_schema=False)
    def plan_page(plan_id: str) -> Response:
        return page("plan.html")

    @app.get("/runs", include_in_schema=False)
    def runs_page() -> Response:
        return page("runs.html")

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        import plotly

        path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
        return FileResponse(
            path, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    # ------------------------------------------------------------------ plans
    @app.get("/api/plans", response_model=list[PlanRow], responses={422: ERRORS[422]})
    def list_plans(
        lang: Literal["en", "zh"] = Query("en", description="The summaries' language."),
    ) -> Any:
        """The templates and the plans given on the command line."""
        return JSON(catalog.rows(lang))

    @app.get("/api/plans/{plan_id}", response_model=PlanText, responses={**NOT_FOUND, **ERRORS})
    def get_plan(plan_id: str) -> Any:
        """A plan's text, as shipped (a template) or on disk (a plan file)."""
        text = catalog.text(plan_id)
        return JSON({"id": plan_id, "name": catalog.name(plan_id, text), "yaml": text})

    @app.post("/api/inputs", response_model=InputsOut, responses=ERRORS)
    def inputs(body: YamlLangIn) -> Any:
        """The plan's inputs, grouped as the scenario reference groups them, with names and
        units: 90% ranges of uncertain inputs, values of fixed ones, month tables of
        schedules. With ``lang`` zh, the inputs' names and the groups' titles in Chinese (what
        the plan's author named as written)."""
        sc, lines = read(body.yaml)
        return JSON(answers.input_groups(plan_inputs(sc, lines), body.lang))

    @app.post("/api/apply", response_model=YamlOut, responses=ERRORS)
    def apply(body: ApplyIn) -> Any:
        """The plan with the edits applied at their field paths, validated (422: the plan's
        problems by line, an edit's by its path)."""
        return JSON({"yaml": apply_edits(body.yaml, body.edits, PLAN_FILE)})

    @app.post("/api/validate", response_model=ValidateOut, responses=ERRORS)
    async def validate(body: YamlLangIn, request: Request) -> Any:
        """Check a plan as ``breakeven validate`` does: 422 with every problem, or ok and the
        warnings (from a small run of 500 samples with the plan's seed)."""
        from ..analysis.lint import LINT_SAMPLES, lint

        def work(guard: Guard) -> Any:
            sc, lines = read(body.yaml)
            try:
                res = simulate(
                    sc, samples=LINT_SAMPLES, keep_ledger=LINT_SAMPLES, progress=guard.progress
                )
                warnings = answers.lint_dicts(lint(sc, res, lines), body.lang)
            except UserError as e:  # a plan whose arithmetic breaks down: `run` reports it
                if isinstance(e, ScenarioError):
                    raise
                warnings = [
                    {
                        "code": "not-linted",
                        "message": f"not linted ({e})",
                        "field": "",
                        "line": None,
                    }
                ]
            return {"ok": True, "warnings": warnings}

        return JSON(await job(request, work))

    # ------------------------------------------------------------------ runs of a plan
    @app.post("/api/simulate", response_model=SimulateOut, responses=ERRORS)
    async def simulate_plan(body: SimulateIn, request: Request) -> Any:
        """Simulate a plan: the headline, the fan charts of cash, revenue and costs, the
        break-even CDF and the tornado of NPV — the numbers ``breakeven run`` gives for the same
        seed and samples."""
        t0 = time.perf_counter()

        def work(guard: Guard) -> Any:
            sc, lines = read(body.yaml)
            n = run_size(sc, body.samples)
            res = simulate(sc, samples=n, seed=body.seed, progress=guard.progress)
            guard.check()
            names = input_names(sc, body.lang) if body.tornado else None
            return answers.simulation(
                res, lines, with_tornado=body.tornado, names=names, lang=body.lang
            )

        out = await job(request, work)
        out["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return JSON(out)

    @app.post("/api/sensitivity", responses=ERRORS)
    async def sensitivity(body: SensitivityIn, request: Request) -> Any:
        """What decides the answer: the JSON ``breakeven sensitivity --json`` prints (a tornado,
        or Sobol indices)."""
        from ..analysis.sensitivity import check_metric, random_inputs, sobol, tornado

        def work(guard: Guard) -> Any:
            sc, _ = read(body.yaml)
            try:
                check_metric(body.metric)
            except UserError as e:
                raise Located("metric", str(e)) from None
            k = len(random_inputs(sc))
            if body.method == "tornado":
                n = run_size(sc, body.samples)
                check_work("this tornado", n + 2 * k + 1, sc.horizon_months)
                doc = tornado(
                    sc, metric=body.metric, seed=body.seed, samples_for_conditional=n
                ).to_dict()
                return answers.sensitivity_doc(doc, body.lang)
            n_base = body.samples or 8192
            check_work(f"Sobol with N = {n_base:,}", n_base * (k + 2), sc.horizon_months)
            doc = sobol(sc, metric=body.metric, n_base=n_base, seed=body.seed)
            return answers.sensitivity_doc(doc, body.lang)

        return JSON(await job(request, work))

    @app.post("/api/goalseek", responses=ERRORS)
    async def goalseek(body: GoalseekIn, request: Request) -> Any:
        """The value of one input at which the plan reaches a target: the JSON
        ``breakeven goalseek --json`` prints."""
        from ..analysis.goalseek import goalseek as seek

        def work(guard: Guard) -> Any:
            sc, _ = read(body.yaml)
            n = run_size(sc, body.samples)
            check_work("this goal-seek", GOALSEEK_SIMULATIONS * n, sc.horizon_months)
            out = seek(
                sc,
                vary=body.input,
                target=body.target,
                low=body.low,
                high=body.high,
                samples=n,
                seed=body.seed,
            )
            return answers.goalseek_doc(out, sc, body.lang)

        return JSON(await job(request, work))

    @app.post("/api/compare", responses=ERRORS)
    async def compare(body: CompareIn, request: Request) -> Any:
        """Two plans with common random numbers: the JSON ``breakeven compare --json``
        prints."""
        from ..analysis.compare import compare as run_compare

        def work(guard: Guard) -> Any:
            a, _ = read(body.a, "a.yaml")
            b, _ = read(body.b, "b.yaml")
            n = body.samples if body.samples is not None else max(a.samples, b.samples)
            n = run_size(a, n)
            check_work("this comparison", 2 * n, max(a.horizon_months, b.horizon_months))
            cmp = run_compare(
                [a, b], samples=n, seed=body.seed, files=["a", "b"], progress=guard.progress
            )
            return answers.compare_doc(cmp, body.lang)

        return JSON(await job(request, work))

    @app.post("/api/sweep", response_model=SweepOut, responses=ERRORS)
    async def sweep_plan(body: SweepIn, request: Request) -> Any:
        """A decision map: the plan simulated on every combination of the values of the varied
        inputs, each cell with the same seed (common random numbers) — the JSON ``breakeven
        sweep --json`` prints (a row per cell with every figure), computed in this process
        (``--scheduler sync``), plus ``best``: the index of the best cell by each figure."""
        from ..analysis.sweep import FIGURES
        from ..analysis.sweep import sweep as run_sweep

        t0 = time.perf_counter()

        def work(guard: Guard) -> Any:
            sc, _ = read(body.yaml)
            vary, inputs = sweep_grid(sc, body.vary)
            n = run_size(sc, body.samples)
            cells = 1
            for inp in inputs:
                cells *= len(inp.values)
            check_sweep(cells, n, sc.horizon_months)
            guard.check()
            # the text, never a file name: a plan without a line break would read as a path
            text = body.yaml if "\n" in body.yaml else body.yaml + "\n"
            res = run_sweep(
                text,
                vary,
                samples=n,
                seed=body.seed,
                scheduler="sync",
                progress=lambda done, total: guard.check(),
            )
            guard.check()
            out = res.to_dict()
            index = {id(row): i for i, row in enumerate(res.rows)}
            out.update(
                source=PLAN_FILE,
                start=None if res.start is None else str(res.start),
                best={fig: index[id(res.best(fig))] for fig in FIGURES},
            )
            return answers.sweep_doc(res, out, body.lang)

        out = await job(request, work)
        out["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return JSON(out)

    @app.post("/api/update", response_model=UpdateOut, responses=ERRORS)
    async def update_plan(body: UpdateIn, request: Request) -> Any:
        """Condition a plan on its actuals and re-forecast: the JSON ``breakeven update --json``
        prints (narrative, headline before and after, the inputs that moved, the variance of
        each observation against the plan, the updated plan's YAML), with the fan charts' data
        of each observed series and cash (``bands``: the plan's and the updated p10/p50/p90,
        the actuals) and the outputs an actuals file can name (``observable``). 422: the
        actuals' problems located at ``file:line`` and column, or each series the plan cannot
        reproduce."""
        from ..analysis.update import IncompatibleActuals, observable
        from ..analysis.update import update as run_update

        t0 = time.perf_counter()

        def work(guard: Guard) -> Any:
            sc, _ = read(body.yaml)
            n = run_size(sc, body.samples)
            error = relative_error(body.error)
            data, name = actuals_file(body)
            outputs = observable(sc)
            actuals = read_actuals(data, name, sc, outputs, error, body.sheet)
            horizon = sc.horizon_months
            check_work(
                "this update",
                -(-n * (2 * horizon + UPDATE_SIMULATIONS * actuals.months) // horizon),
                horizon,
            )
            guard.check()
            try:
                upd = run_update(
                    sc,
                    actuals,
                    samples=n,
                    seed=body.seed,
                    plan_text=body.yaml,
                    file=PLAN_FILE,
                    progress=lambda stage, done: guard.check(),
                )
            except IncompatibleActuals as e:
                raise incompatible(e) from None
            guard.check()
            out = answers.update_doc(upd, upd.to_dict(), body.lang)
            out.update(
                bands=upd.bands(),
                observable=outputs,
                currency=sc.currency,
                samples=n,
                seed=int(body.seed if body.seed is not None else sc.seed),
                horizon_months=horizon,
            )
            return out

        out = await job(request, work)
        out["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return JSON(out)

    # ------------------------------------------------------------------ catalogs
    @app.get("/api/templates")
    def templates() -> Any:
        """The shipped templates: ``breakeven templates --json``."""
        return JSON([{"name": n, "description": tp.summary(n)} for n in tp.names()])

    @app.get("/api/gpus", responses=ERRORS)
    def gpus() -> Any:
        """The GPU catalog: ``breakeven gpus --json``."""
        from ..compute.hardware import list_gpus

        return JSON([g.to_row() for g in list_gpus()])

    @app.get("/api/models", responses=ERRORS)
    def models() -> Any:
        """The model catalog: ``breakeven models --json``."""
        from ..compute.models import list_models

        return JSON([m.to_row() for m in list_models()])

    @app.get("/api/prices", responses=ERRORS)
    def prices(
        provider: str | None = Query(None, max_length=100, description="e.g. OpenAI, DeepSeek"),
        at: str | None = Query(None, max_length=40, description="A date, YYYY-MM-DD."),
        history: bool = Query(False, description="Every price row, not just those in force."),
    ) -> Any:
        """API prices per million tokens in force on a date: ``breakeven prices --json``."""
        from ..compute.prices import list_prices

        return JSON([r.to_row() for r in list_prices(provider, at, history)])

    # ------------------------------------------------------------------ the run store
    @app.post("/api/runs", responses=ERRORS)
    async def save_run(body: RunIn, request: Request) -> Any:
        """Simulate a plan and keep the run (plan, seed, samples, tool version, the run's
        JSON document): the stored run as the history lists it."""

        def work(guard: Guard) -> Any:
            sc, lines = read(body.yaml)
            n = run_size(sc, body.samples)
            res = simulate(sc, samples=n, seed=body.seed, progress=guard.progress)
            guard.check()
            doc = answers.document(res, lines)
            s = store()
            run_id = s.save(
                body.yaml,
                name=str(sc.name),
                seed=res.seed,
                samples=res.samples,
                summary=doc,
                note=body.note,
            )
            return s.row(run_id)

        return JSON(await job(request, work))

    @app.get("/api/runs")
    def list_runs() -> Any:
        """Saved runs, newest first."""
        return JSON(store().list())

    @app.get("/api/runs/{run_id}", responses=NOT_FOUND)
    def get_run(run_id: str) -> Any:
        """One saved run: its plan, seed, samples, version and JSON document."""
        return JSON(store().get(run_id))

    @app.get("/api/runs/{a}/diff/{b}", responses=NOT_FOUND)
    def diff_runs(a: str, b: str) -> Any:
        """What changed from run a to run b: assumptions, and how each headline metric moved."""
        return JSON(store().diff(a, b))

    app.add_middleware(BodyLimit)
    app.add_middleware(Access, token=token, hosts=hosts)  # outermost: checked first
    return app


def token_from_env() -> str | None:
    """``BREAKEVEN_TOKEN``, when set and not empty."""
    t = os.environ.get("BREAKEVEN_TOKEN", "").strip()
    return t or None


__all__ = ["create_app", "token_from_env", "PLAN_FILE"]
