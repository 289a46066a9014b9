"""Load a scenario YAML file into a validated :class:`Scenario`, with errors located by file and line.

Every user error becomes ``file:line: path.to.field: what is wrong (got …)``. The YAML is composed
node by node so each path knows its line; duplicate keys are errors, not silent overwrites.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..engine.fields import Loc
from ..errors import Problem, ScenarioError
from .checks import line_of
from .schema import Scenario, ScenarioBase, model_at

# ------------------------------------------------------------------ YAML with line numbers


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML, returning the data and a map from path (tuple of str) to 1-based line."""
    lines: dict[Loc, int] = {}
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError(
                    [Problem(file, 1, "", "the file is empty; expected a scenario mapping")]
                )

            def build(n: yaml.Node, path: Loc) -> Any:
                lines.setdefault(path, n.start_mark.line + 1)
                if isinstance(n, yaml.MappingNode):
                    loader.flatten_mapping(n)
                    out: dict[Any, Any] = {}
                    for kn, vn in n.value:
                        key = loader.construct_object(kn, deep=True)
                        if isinstance(key, (dict, list)):
                            raise ScenarioError(
                                [
                                    Problem(
                                        file,
                                        kn.start_mark.line + 1,
                                        ".".join(path),
                                        "keys must be plain names or numbers",
                                        key,
                                        True,
                                    )
                                ]
                            )
                        kp = path + (str(key),)
                        if key in out:
                            raise ScenarioError(
                                [
                                    Problem(
                                        file,
                                        kn.start_mark.line + 1,
                                        ".".join(kp),
                                        f"duplicate key (first given on line {lines[kp]})",
                                        key,
                                        True,
                                    )
                                ]
                            )
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


# ------------------------------------------------------------------ pydantic errors → problems


def _problem_from_pydantic(err: Any, file: str, lines: dict[Loc, int]) -> Problem:
    loc = tuple(str(p) for p in err["loc"])
    # drop pydantic's tagged-union / function markers from paths
    loc = tuple(p for p in loc if not p.startswith("function-") and "[" not in p)
    path = ".".join(loc)
    typ = err["type"]
    ctx = err.get("ctx") or {}
    if typ == "extra_forbidden":
        parent = model_at(loc[:-1])
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
        msg = msg[len("Value error, ") :]
    return Problem(
        file, line_of(lines, loc), path, msg[:1].lower() + msg[1:], err.get("input"), "input" in err
    )


# ------------------------------------------------------------------ entry points


def load_text(text: str, file: str = "<scenario>") -> ScenarioBase:
    """Validate a scenario written as YAML text (raises ScenarioError with located problems)."""
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(file, 1, "", "a scenario is a mapping of fields", type(data).__name__, True)]
        )
    try:
        sc = Scenario.model_validate(data, context={"file": file, "lines": lines})
    except ValidationError as e:
        problems = [_problem_from_pydantic(err, file, lines) for err in e.errors()]
        problems.sort(key=lambda p: p.line or 0)
        raise ScenarioError(problems) from None
    return sc


def load(path: str | Path) -> ScenarioBase:
    """Read and validate a scenario file (raises ScenarioError with located problems)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(p), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError([Problem(str(p), None, "", f"cannot read file: {e}")]) from None
    return load_text(text, str(p))


__all__ = ["load", "load_text", "parse_yaml"]
