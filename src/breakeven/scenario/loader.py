"""Load a scenario YAML file into a validated :class:`Scenario`, with errors located by file and line.

Every user error becomes ``file:line: path.to.field: what is wrong (got …)``. The YAML is composed
node by node so each path knows its line; duplicate keys are errors, not silent overwrites.

Reading is bounded, so that no file can hang the tool or exhaust its memory; each limit is a
located error, answered as soon as it is crossed (plans are small: the shipped ones have at most
450 values, 6 levels and 7 KB):

=====================  ==========  =======================================================
what                   limit       why
=====================  ==========  =======================================================
file size              256 KiB     read only regular files (no FIFO, device or /dev/zero)
values (YAML nodes)    10,000      stops composing as soon as it is reached
values after aliases   20,000      an alias bomb expands no further than this
nesting depth          32          deeper structures are not plans (and would recurse)
one text value         20,000 ch.  descriptions fit; a megabyte of one string does not
one number             100 ch.     a 5,000-digit integer is a mistake, not a plan
problems reported      50          then a count of the rest
=====================  ==========  =======================================================

YAML merge keys (``<<``) are refused: they copy whole mappings, and ``$variables`` share values.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..engine.fields import Loc
from ..errors import Problem, ScenarioError
from .checks import line_of
from .schema import Scenario, ScenarioBase, model_at

MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 10_000
MAX_VALUES = 20_000
MAX_DEPTH = 32
MAX_TEXT_CHARS = 20_000
MAX_NUMBER_CHARS = 100
NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

# ------------------------------------------------------------------ YAML with line numbers


class _Limit(Exception):
    """A bound of the reader was crossed at ``mark``."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message, self.mark = message, mark


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting the nodes it composes and the depth it reaches."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.nodes = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Limit(
                f"more than {MAX_NODES:,} values; a plan is much smaller",
                self.get_mark(),
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Limit(f"nested more than {MAX_DEPTH} levels deep", self.get_mark())
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _text_ok(value: Any) -> str | None:
    """Why a constructed string cannot be used (None if it can)."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            return f"a text longer than {MAX_TEXT_CHARS:,} characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a character that is not valid Unicode (a lone surrogate)"
    return None


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML within the reader's bounds, returning the data and a map from path (tuple of
    str) to 1-based line."""
    lines: dict[Loc, int] = {}
    visited = [0]

    def problem(mark: Any, path: Loc, message: str, *got: Any) -> ScenarioError:
        line = mark.line + 1 if mark is not None else None
        return ScenarioError(
            [Problem(file, line, ".".join(path), message, got[0] if got else None, bool(got))]
        )

    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (NUL, most controls)
        at = text[: e.position].count("\n") + 1
        char = e.character if isinstance(e.character, int) else ord(str(e.character))
        raise ScenarioError(
            [
                Problem(
                    file,
                    at,
                    "",
                    f"YAML does not allow the character U+{char:04X} (a "
                    "control character); remove it",
                )
            ]
        ) from None

    def scalar(n: yaml.ScalarNode, path: Loc) -> Any:
        if n.tag in NUMBER_TAGS and len(n.value) > MAX_NUMBER_CHARS:
            raise problem(
                n.start_mark,
                path,
                f"a number longer than {MAX_NUMBER_CHARS} characters",
                n.value[:40] + "…",
            )
        try:
            value = loader.construct_object(n, deep=True)
        except (ValueError, OverflowError) as e:  # 2025-02-30, an integer too long to convert
            raise problem(n.start_mark, path, f"cannot be read as a value: {e}", n.value) from None
        why = _text_ok(value)
        if why:
            raise problem(n.start_mark, path, why)
        return value

    def build(n: yaml.Node, path: Loc, depth: int) -> Any:
        visited[0] += 1
        if visited[0] > MAX_VALUES:
            raise problem(
                n.start_mark,
                path,
                f"aliases expand to more than {MAX_VALUES:,} values; a plan is much smaller",
            )
        if depth > MAX_DEPTH:
            raise problem(n.start_mark, path, f"nested more than {MAX_DEPTH} levels deep")
        lines.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for kn, vn in n.value:
                if kn.tag == "tag:yaml.org,2002:merge":
                    raise problem(
                        kn.start_mark,
                        path,
                        "YAML merge keys (<<) are not supported "
                        "in plans; write the fields out, or share values with "
                        "$variables",
                    )
                if not isinstance(kn, yaml.ScalarNode):
                    raise problem(
                        kn.start_mark,
                        path,
                        "keys must be plain names or numbers",
                        kn.tag.rsplit(":", 1)[-1],
                    )
                key = scalar(kn, path)
                kp = path + (str(key),)
                if key in out:  # also 1 and yes, 0 and off: equal keys that print differently
                    first = next(k for k in out if k == key)
                    raise problem(
                        kn.start_mark,
                        kp,
                        f"duplicate key (first given on line {lines[path + (str(first),)]}"
                        + ("" if str(first) == str(key) else f", read as the same key {first!r}")
                        + ")",
                        kn.value,
                    )
                lines[kp] = kn.start_mark.line + 1
                out[key] = build(vn, kp, depth + 1)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(v, path + (str(i),), depth + 1) for i, v in enumerate(n.value)]
        assert isinstance(n, yaml.ScalarNode)
        return scalar(n, path)

    try:
        try:
            node = loader.get_single_node()
            if node is None:
                raise ScenarioError(
                    [Problem(file, 1, "", "the file is empty; expected a scenario mapping")]
                )
            data = build(node, (), 0)
        finally:
            loader.dispose()
    except _Limit as e:
        raise problem(e.mark, (), e.message) from None
    except RecursionError:  # a parser recursion before the depth bound: report where it was
        raise problem(loader.get_mark(), (), f"nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        msg = f"YAML syntax error: {e.problem or e.context}"
        got = None
        if mark is not None:
            src = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            got = src.strip()[:80]
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
    return load_text_lines(text, file)[0]


def load_text_lines(text: str, file: str = "<scenario>") -> tuple[ScenarioBase, dict[Loc, int]]:
    """:func:`load_text`, and the YAML's map from field path to line (as :func:`parse_yaml`
    gives it), from one reading of the text."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"larger than {MAX_FILE_BYTES // 1024} KiB; a plan is a few kilobytes",
                )
            ]
        )
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(file, 1, "", "a scenario is a mapping of fields", type(data).__name__, True)]
        )
    try:
        sc = Scenario.model_validate(data, context={"file": file, "lines": lines})
    except ValidationError as e:
        problems = [_problem_from_pydantic(err, file, lines) for err in e.errors()]
        # the checks after the fields' (variables, …) do not run when a field fails: find
        # unknown $variables in the text too, so every problem is reported in one pass
        seen = {p.path for p in problems}
        problems += [p for p in _unknown_variables(data, file, lines) if p.path not in seen]
        problems.sort(key=lambda p: p.line or 0)
        raise ScenarioError(problems) from None
    return sc, lines


def _unknown_variables(data: dict[str, Any], file: str, lines: dict[Loc, int]) -> list[Problem]:
    """``$name`` references to variables the plan does not declare, read from its raw data
    (the same message as the scenario's own check, for plans whose fields also fail)."""
    declared = data.get("variables")
    names = [str(k) for k in declared] if isinstance(declared, dict) else []
    out: list[Problem] = []

    def walk(x: Any, loc: Loc) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if loc or k != "variables":
                    walk(v, (*loc, str(k)))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, (*loc, str(i)))
        elif isinstance(x, str) and re.fullmatch(r"\$[A-Za-z_][A-Za-z0-9_]*", x.strip()):
            name = x.strip()[1:]
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = (
                    f"; did you mean '${close[0]}'?" if close else "; declare it under variables:"
                )
                out.append(
                    Problem(file, lines.get(loc), ".".join(loc), f"unknown variable{hint}", x, True)
                )

    walk(data, ())
    return out


def read_plan(path: str | Path) -> str:
    """The text of a plan file: a regular file of at most 256 KiB of UTF-8; anything else is a
    located error (a FIFO, a device, a folder; another encoding, with the line of the first
    byte that is not UTF-8)."""
    p = Path(path)
    where = str(p)

    def fail(message: str, line: int | None = None) -> ScenarioError:
        return ScenarioError([Problem(where, line, "", message)])

    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise fail("file not found") from None
    except OSError as e:
        raise fail(f"cannot read file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise fail("not a regular file (a plan is read from a file, not a device, FIFO or folder)")
    if st.st_size > MAX_FILE_BYTES:
        raise fail(
            f"larger than {MAX_FILE_BYTES // 1024} KiB ({st.st_size:,} bytes); a plan "
            "is a few kilobytes"
        )
    try:
        with open(p, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise fail(f"cannot read file: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"larger than {MAX_FILE_BYTES // 1024} KiB; a plan is a few kilobytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("UTF-16 text; save the plan as UTF-8", 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise fail(
            f"not UTF-8 text (byte 0x{data[e.start]:02X} at column {col}); save the plan as UTF-8",
            line,
        ) from None
    return text.removeprefix("\ufeff")


def load(path: str | Path) -> ScenarioBase:
    """Read and validate a scenario file (raises ScenarioError with located problems)."""
    return load_text(read_plan(path), str(path))


__all__ = ["load", "load_text", "load_text_lines", "parse_yaml", "read_plan"]
