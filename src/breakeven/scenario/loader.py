"""Load a scenario YAML file into a validated :class:`Scenario`, with errors located by file and line.

Every user error becomes ``file:line: path.to.field: what is wrong (got …)``. The YAML is composed
node by node so each path knows its line; duplicate keys are errors, not silent overwrites.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .distributions import UncertainError, parse_uncertain
from .schema import Scenario
from .types import Schedule, Uncertain, _uncertain_parser

Loc = tuple[str, ...]


@dataclass
class Problem:
    file: str
    line: int | None
    path: str
    message: str
    got: Any = None
    has_got: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        got = f" (got {_show(self.got)})" if self.has_got else ""
        return f"{where}: {self.path or '(document)'}: {self.message}{got}"


class ScenarioError(Exception):
    """One or more located problems in a scenario; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _show(v: Any) -> str:
    if isinstance(v, str):
        return repr(v)
    s = repr(v)
    return s if len(s) <= 80 else s[:77] + "..."


# ------------------------------------------------------------------ YAML with line numbers

def parse_yaml(text: str, file: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML, returning the data and a map from path (tuple of str) to 1-based line."""
    lines: dict[Loc, int] = {}
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError([Problem(file, 1, "", "the file is empty; expected a "
                                             "scenario mapping")])

            def build(n: yaml.Node, path: Loc) -> Any:
                lines.setdefault(path, n.start_mark.line + 1)
                if isinstance(n, yaml.MappingNode):
                    loader.flatten_mapping(n)
                    out: dict = {}
                    for kn, vn in n.value:
                        key = loader.construct_object(kn, deep=True)
                        if isinstance(key, (dict, list)):
                            raise ScenarioError([Problem(file, kn.start_mark.line + 1,
                                                         ".".join(path), "keys must be plain "
                                                         "names or numbers", key, True)])
                        kp = path + (str(key),)
                        if key in out:
                            raise ScenarioError([Problem(
                                file, kn.start_mark.line + 1, ".".join(kp),
                                f"duplicate key (first given on line {lines[kp]})", key, True)])
                        lines[kp] = kn.start_mark.line + 1
                        out[key] = build(vn, kp)
                    return out
                if isinstance(n, yaml.SequenceNode):
                    return [build(v, path + (str(i),)) for i, v in enumerate(n.value)]
                return loader.construct_object(n, deep=True)

            data = build(node, ())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = f"YAML syntax error: {e.problem or e.context}"
        got = None
        if mark is not None:
            src = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            got = src.strip()
        raise ScenarioError([Problem(file, line, "", msg, got, got is not None)]) from None
    except yaml.YAMLError as e:  # pragma: no cover - unmarked YAML errors are rare
        raise ScenarioError([Problem(file, None, "", f"YAML error: {e}")]) from None
    return data, lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """Line of the longest known prefix of ``loc``."""
    for k in range(len(loc), -1, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


# ------------------------------------------------------------------ pydantic errors → problems

def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The schema model class found by walking ``loc`` from Scenario (for 'did you mean')."""
    current: Any = Scenario
    for part in loc:
        model = _as_model(current)
        if model is None:
            current = _inner(current)
            model = _as_model(current)
            if model is None:
                return None
        if part in model.model_fields:
            current = model.model_fields[part].annotation
        else:
            current = _inner(current if current is not model else None) or current
    return _as_model(current) or _as_model(_inner(current))


def _as_model(t: Any) -> type[BaseModel] | None:
    if isinstance(t, type) and issubclass(t, BaseModel):
        return t
    for a in typing.get_args(t):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def _inner(t: Any) -> Any:
    """Element type of list[X] / dict[K, X] / X | None."""
    for a in typing.get_args(t) or ():
        m = _as_model(a) or (_inner(a) if typing.get_args(a) else None)
        if m is not None:
            return m
    return None


def _problem_from_pydantic(err: dict, file: str, lines: dict[Loc, int]) -> Problem:
    loc = tuple(str(p) for p in err["loc"])
    # drop pydantic's tagged-union / function markers from paths
    loc = tuple(p for p in loc if not p.startswith("function-") and "[" not in p)
    path = ".".join(loc)
    typ = err["type"]
    ctx = err.get("ctx") or {}
    if typ == "extra_forbidden":
        parent = _model_at(loc[:-1])
        msg = "unknown field"
        if parent is not None:
            close = difflib.get_close_matches(loc[-1], list(parent.model_fields), n=1, cutoff=0.6)
            if close:
                msg += f"; did you mean '{close[0]}'?"
            else:
                msg += f"; allowed: {', '.join(parent.model_fields)}"
        return Problem(file, line_of(lines, loc), path, msg, loc[-1], True)
    if typ == "missing":
        return Problem(file, line_of(lines, loc), path, "required field is missing")
    if typ in ("uncertain", "schedule"):
        return Problem(file, line_of(lines, loc), path, err["msg"], ctx.get("got"), True)
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return Problem(file, line_of(lines, loc), path, msg[:1].lower() + msg[1:],
                   err.get("input"), "input" in err)


# ------------------------------------------------------------------ naming leaves, variables

def iter_leaves(obj: Any, loc: Loc = ()):
    """Yield (loc, Uncertain) for every uncertain leaf in a validated model, schedules expanded."""
    if isinstance(obj, Uncertain):
        yield loc, obj
    elif isinstance(obj, Schedule):
        for rel, leaf in obj.leaves():
            yield (loc + (rel,) if rel else loc), leaf
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name == "variables":
                continue
            yield from iter_leaves(getattr(obj, name), loc + (name,))
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from iter_leaves(x, loc + (str(i),))
    elif isinstance(obj, dict):
        for k, x in obj.items():
            yield from iter_leaves(x, loc + (str(k),))


def name_inputs(sc: Scenario, file: str, lines: dict[Loc, int]) -> None:
    """Give each leaf its input name; resolve ``$variables`` with the domain of their uses."""
    problems: list[Problem] = []
    var_domain: dict[str, tuple[Any, str]] = {}
    parsed_vars: dict[str, Any] = {}
    for loc, leaf in iter_leaves(sc):
        path = ".".join(loc)
        if leaf.ref is None:
            leaf.name = path
            continue
        name = leaf.ref
        if name not in sc.variables:
            close = difflib.get_close_matches(name, list(sc.variables), n=1)
            hint = f"; did you mean '${close[0]}'?" if close else "; declare it under variables:"
            problems.append(Problem(file, line_of(lines, loc), path,
                                    f"unknown variable{hint}", leaf.raw, True))
            continue
        if name in var_domain and var_domain[name][0] is not leaf.domain:
            d0, p0 = var_domain[name]
            problems.append(Problem(
                file, line_of(lines, loc), path,
                f"variable ${name} is used here as {leaf.domain.value} but at {p0} as "
                f"{d0.value}; use one variable per kind of quantity", leaf.raw, True))
            continue
        if name not in parsed_vars:
            try:
                parsed_vars[name] = parse_uncertain(sc.variables[name], leaf.domain)
            except UncertainError as e:
                vloc = ("variables", name)
                problems.append(Problem(file, line_of(lines, vloc), ".".join(vloc),
                                        f"{e.message} (as a {leaf.domain.value}, used at {path})",
                                        e.got, True))
                continue
            var_domain[name] = (leaf.domain, path)
        leaf.dist = parsed_vars[name]
        leaf.name = f"variables.{name}"
    if problems:
        raise ScenarioError(problems)


def check_correlations(sc: Scenario, file: str, lines: dict[Loc, int]) -> None:
    """Correlated names must be uncertain inputs of this scenario, and jointly possible."""
    from .correlation import correlation_matrix
    if not sc.correlations:
        return
    names = {leaf.name: leaf for _, leaf in iter_leaves(sc)}
    problems, pairs = [], []
    for i, c in enumerate(sc.correlations):
        resolved = []
        for j, ref in enumerate(c.between):
            name = f"variables.{ref[1:]}" if ref.startswith("$") else ref
            loc = ("correlations", str(i), "between", str(j))
            if name not in names:
                close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                        f"not an input of this scenario{hint}", ref, True))
            elif names[name].is_point:
                problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                        "a point value cannot be correlated; give it a range",
                                        ref, True))
            resolved.append(name)
        if len(resolved) == 2 and resolved[0] == resolved[1]:
            problems.append(Problem(file, line_of(lines, ("correlations", str(i))),
                                    f"correlations.{i}", "an input is correlated with itself",
                                    c.between, True))
        pairs.append((resolved[0], resolved[1], c.rank))
    if not problems:
        try:
            correlation_matrix(list(dict.fromkeys(n for a, b, _ in pairs for n in (a, b))), pairs)
        except ValueError as e:
            problems.append(Problem(file, line_of(lines, ("correlations",)), "correlations",
                                    str(e)))
    if problems:
        raise ScenarioError(problems)
    sc._correlation_pairs = pairs  # type: ignore[attr-defined]


# stream or section → what it needs (path of the needed section, reason)
NEEDS = {
    ("streams", "subscription"): ("market.consumer", "subscribers are active consumer users"),
    ("streams", "ads"): ("market.consumer", "ads are shown to active consumer users"),
    ("streams", "commission"): ("market.consumer", "purchases are brokered for active users"),
    ("streams", "top_ups"): ("market.consumer", "credits are bought by active users"),
    ("streams", "enterprise"): ("market.business", "contracts come from the business pipeline"),
}


def check_dependencies(sc: Scenario, file: str, lines: dict[Loc, int]) -> None:
    """Sections that need another section; measures that milestones and rounds refer to."""
    problems = []
    for loc, (need, why) in NEEDS.items():
        if _get(sc, loc) is not None and _get(sc, tuple(need.split("."))) is None:
            problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                    f"needs {need} ({why})"))
    tokens = [("market", "consumer"), ("market", "business", "usage"),
              ("streams", "hardware", "usage"), ("streams", "api"), ("streams", "top_ups")]
    if sc.compute.serving is None:
        for loc in tokens:
            if _get(sc, loc) is not None:
                problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                        "uses tokens, so compute.serving must say what they "
                                        "cost"))
                break
    known = _known_measures(sc)
    refs = [(("milestones", str(i), "measure"), m.measure) for i, m in enumerate(sc.milestones)]
    refs += [(("funding", "rounds", str(i), "requires", str(j), "measure"), c.measure)
             for i, r in enumerate(sc.funding.rounds) for j, c in enumerate(r.requires)]
    for loc, name in refs:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                    f"not a KPI or ledger line of this plan{hint}", name, True))
    if problems:
        raise ScenarioError(problems)


def _get(obj: Any, loc: Loc) -> Any:
    for part in loc:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _known_measures(sc: Scenario) -> set[str]:
    from ..engine.blocks import build_blocks
    from ..finance.ledger import TOTALS
    names = set(TOTALS)
    for b in build_blocks(sc):
        names |= set(b.lines) | set(b.kpis)
    return names


def check_fx(sc: Scenario, file: str, lines: dict[Loc, int]) -> None:
    """Every currency a price is quoted in must have an exchange rate."""
    problems = []
    for loc, cur in _currencies(sc):
        if cur.upper() != sc.currency and cur.upper() not in sc.fx:
            problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                    f"no exchange rate from {cur} to {sc.currency}; add "
                                    f"fx: {{{cur.upper()}: ...}}", cur, True))
    if problems:
        raise ScenarioError(problems)


def _api_currency(api) -> str:
    from ..compute.prices import price_history
    return price_history(api.provider, api.model)[-1].currency


def check_catalog_names(sc: Scenario, file: str, lines: dict[Loc, int]) -> None:
    """Catalog names (GPUs, models, API prices) exist; unknown ones get the closest matches."""
    from ..compute.catalog import CatalogError
    from ..compute.hardware import get_gpu
    from ..compute.models import get_model
    from ..compute.prices import price_history
    checks = []
    sv = sc.compute.serving
    if sv is not None and sv.api is not None:
        checks.append((("compute", "serving", "api", "model"),
                       lambda: price_history(sv.api.provider, sv.api.model), sv.api.model))
    if sv is not None and sv.self_host is not None:
        sh = sv.self_host
        checks.append((("compute", "serving", "self_host", "gpu"), lambda: get_gpu(sh.gpu),
                       sh.gpu))
        checks.append((("compute", "serving", "self_host", "model"), lambda: get_model(sh.model),
                       sh.model))
        checks.append((("compute", "serving", "self_host"), lambda: _deployable(sc, sh),
                       f"{sh.model if isinstance(sh.model, str) else 'model'} on "
                       f"{sh.gpus_per_replica}x {sh.gpu} at {sh.precision}"))
    api_stream = sc.streams.api
    if api_stream is not None and api_stream.price_from_catalog is not None:
        cm = api_stream.price_from_catalog
        checks.append((("streams", "api", "price_from_catalog", "model"),
                       lambda: price_history(cm.provider, cm.model), cm.model))
    gs = sv.gpu_seconds if sv is not None else None
    if gs is not None:
        from ..compute.catalog import factor
        if gs.workload is not None:
            checks.append((("compute", "serving", "gpu_seconds", "workload"),
                           lambda: factor(gs.workload, "workloads"), gs.workload))
        if gs.gpu is not None:
            checks.append((("compute", "serving", "gpu_seconds", "gpu"), lambda: get_gpu(gs.gpu),
                           gs.gpu))
    for i, run in enumerate(sc.company.training_runs):
        if run.gpu is not None:
            checks.append((("company", "training_runs", str(i), "gpu"),
                           lambda g=run.gpu: get_gpu(g), run.gpu))
    problems = []
    for loc, fn, got in checks:
        try:
            fn()
        except CatalogError as e:
            problems.append(Problem(file, line_of(lines, loc), ".".join(loc),
                                    getattr(e, "message", str(e)), got, True))
    if problems:
        raise ScenarioError(problems)


def _deployable(sc: Scenario, sh) -> None:
    """The self-hosted deployment fits and can be split as asked (median efficiency factors)."""
    from ..compute.inference import estimate_inference
    from ..compute.selfhost import _sizing_tokens
    i, o = _sizing_tokens(sc, sh)
    estimate_inference(sh.model, sh.gpu, n_gpus=sh.gpus_per_replica, precision=sh.precision,
                       input_tokens=i, output_tokens=o)


def _currencies(sc: Scenario):
    pt = sc.compute.serving.per_token if sc.compute.serving else None
    if pt is not None and pt.currency:
        yield ("compute", "serving", "per_token", "currency"), pt.currency
    api = sc.compute.serving.api if sc.compute.serving else None
    if api is not None:
        yield ("compute", "serving", "api", "provider"), _api_currency(api)
    if sc.streams.api is not None and sc.streams.api.price_from_catalog is not None:
        yield (("streams", "api", "price_from_catalog", "provider"),
               _api_currency(sc.streams.api.price_from_catalog))
    sh = sc.compute.serving.self_host if sc.compute.serving else None
    if sh is not None:
        yield ("compute", "serving", "self_host", "gpu"), "USD"  # catalog prices are USD
    gs = sc.compute.serving.gpu_seconds if sc.compute.serving else None
    if gs is not None and gs.gpu_hour_price is None:
        yield ("compute", "serving", "gpu_seconds"), "USD"
    for i, run in enumerate(sc.company.training_runs):
        if run.cost is None and run.gpu_hour_price is None:
            yield ("company", "training_runs", str(i), "gpu"), "USD"  # catalog prices are USD


# ------------------------------------------------------------------ entry points

def load_text(text: str, file: str = "<scenario>") -> Scenario:
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise ScenarioError([Problem(file, 1, "", "a scenario is a mapping of fields",
                                     type(data).__name__, True)])
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as e:
        problems = [_problem_from_pydantic(err, file, lines) for err in e.errors()]
        problems.sort(key=lambda p: (p.line or 0))
        raise ScenarioError(problems) from None
    name_inputs(sc, file, lines)
    check_catalog_names(sc, file, lines)
    check_fx(sc, file, lines)
    check_correlations(sc, file, lines)
    check_dependencies(sc, file, lines)
    sc._source = file  # type: ignore[attr-defined]
    return sc


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file (raises ScenarioError with located problems)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(p), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError([Problem(str(p), None, "", f"cannot read file: {e}")]) from None
    return load_text(text, str(p))


__all__ = ["load", "load_text", "ScenarioError", "Problem", "iter_leaves", "_uncertain_parser"]
