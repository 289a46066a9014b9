"""Edits to a plan's YAML at field paths: the web app's edits and an updated plan's narrowed ranges.

:func:`apply_edits` reads the plan with the loader, sets each edited field in the YAML's data,
validates the result with the loader and writes it back as YAML, so load → apply → load is the
same scenario. The plan is rewritten with its comments and layout (:func:`rewrite`, by
ruamel.yaml's round trip) whenever the loader reads that text as the edited data, else as plain
YAML with only the header comments.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import Problem, ScenarioError
from .loader import MAX_DEPTH, load_text, parse_yaml


def _fail(file: str, path: str, message: str, got: Any = None, has_got: bool = False) -> None:
    raise ScenarioError([Problem(file, None, path, message, got, has_got)])


def edit_value(value: Any, path: str, file: str) -> Any:
    """An edit as the user typed it → the YAML value to write: text is read as one YAML value
    (``3% to 5%`` stays text, ``12`` is a number, ``{1: 10, 13: 20}`` a month table) within
    the loader's bounds; numbers are kept; ``None`` or empty text removes the field."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            data, _ = parse_yaml(value, file)
        except ScenarioError as e:
            p = e.problems[0]
            _fail(file, path, f"cannot read the edit: {p.message}", value, True)
        return data
    return value


def _match_key(mapping: dict[Any, Any], part: str) -> Any:
    """The key of ``mapping`` that ``part`` names: equal as text, or the same month of a
    schedule (0 and 1 both mean the first month)."""
    for k in mapping:
        if str(k) == part:
            return k
    if _index(part) and int(part) <= 1:
        for k in mapping:
            if isinstance(k, int) and not isinstance(k, bool) and k in (0, 1):
                return k
    return None


def _index(part: str) -> bool:
    """A list index or month number: ASCII digits only (``str.isdigit`` also accepts ``²``,
    which ``int`` does not read)."""
    return part.isascii() and part.isdigit()


def set_path(data: dict[str, Any], path: str, value: Any, file: str) -> None:
    """Set (or, for ``None``, remove) the field at ``path`` in the YAML data of a plan,
    creating mappings on the way."""
    parts = path.split(".")
    if not path or any(not p for p in parts):
        _fail(file, path, "not a field path (parts separated by dots)", path, True)
    if len(parts) > MAX_DEPTH:
        _fail(file, path[:80] + "…", f"nested more than {MAX_DEPTH} levels deep")
    obj: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(obj, list):
            if not _index(part) or int(part) >= len(obj):
                _fail(
                    file,
                    ".".join(parts[: i + 1]),
                    f"no item {part} in this list of {len(obj)}",
                    part,
                    True,
                )
            if last:
                if value is None:
                    _fail(file, path, "a list item cannot be removed by an edit")
                obj[int(part)] = value
                return
            obj = obj[int(part)]
        elif isinstance(obj, dict):
            key = _match_key(obj, part)
            if key is None:
                numeric = any(isinstance(k, int) and not isinstance(k, bool) for k in obj)
                key = int(part) if numeric and _index(part) else part
            if last:
                if value is None:
                    obj.pop(key, None)
                else:
                    obj[key] = value
                return
            if key not in obj or obj[key] is None:
                if value is None:
                    return  # nothing to remove
                obj[key] = {}
            obj = obj[key]
        else:
            _fail(
                file,
                ".".join(parts[:i]),
                "is a single value, not a section or a month table; edit it as a whole",
                obj,
                True,
            )


def header_comments(text: str) -> str:
    """The comment lines at the top of a plan (what it models), kept when it is rewritten."""
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(line)
        elif line.strip():
            break
    return "\n".join(out) + "\n" if out else ""


def _round_trip(text: str, change: Callable[[Any], None]) -> str | None:
    """``text`` with ``change`` applied to its ruamel.yaml round-trip tree (comments, order,
    flow style and quotes kept; block sequences indented as the plan's first one), or None if
    ruamel.yaml cannot read it or ``change`` fails on its tree (read otherwise than the loader
    reads it: YAML 1.2 against 1.1)."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # long lines of the plan stay on their line (never refolded)
    rt.allow_unicode = True
    offset = _sequence_offset(text)
    rt.indent(mapping=2, sequence=offset + 2, offset=offset)
    crlf = "\r\n" in text
    try:
        tree = rt.load(text.replace("\r\n", "\n") if crlf else text)
        change(tree)
        _flow_new(tree)
        out = io.StringIO()
        rt.dump(tree, out)
    except Exception:  # whatever the round trip meets, the plain rewrite is always right
        return None
    return out.getvalue().replace("\n", "\r\n") if crlf else out.getvalue()


def children(node: Any) -> Iterable[tuple[Any, Any]]:
    """(key or index, value) of a YAML mapping or list; nothing for a single value."""
    if isinstance(node, dict):
        return node.items()
    return enumerate(node) if isinstance(node, list) else ()


def _flow_new(node: Any) -> None:
    """Write the mappings and lists an edit put in the tree (plain ones, not read from the plan)
    on one line when they hold only single values, as plans write schedules: ``{1: 10, 13: 20}``."""
    for key, value in list(children(node)):
        if isinstance(value, CommentedMap | CommentedSeq):
            _flow_new(value)
        elif isinstance(value, dict | list):
            flat = not any(
                isinstance(v, dict | list)
                for v in (value.values() if isinstance(value, dict) else value)
            )
            new: CommentedMap | CommentedSeq = (
                CommentedMap(value) if isinstance(value, dict) else CommentedSeq(value)
            )
            if flat:
                new.fa.set_flow_style()
            else:
                _flow_new(new)
            node[key] = new


def _sequence_offset(text: str) -> int:
    """How far the plan indents a block sequence's dash under its key (0 or 2 in practice)."""
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and before.rstrip().endswith(":"):
            return max(0, (len(line) - len(stripped)) - (len(before) - len(before.lstrip(" "))))
    return 2


def rewrite(text: str, file: str, change: Callable[[Any], None]) -> str:
    """The plan ``text`` with ``change`` applied to its YAML data (a function that edits a tree
    of mappings and lists in place; it is applied to two copies, so it must do the same to
    each): the plan's own text with its comments when the loader reads that as the edited data,
    else the edited data as plain YAML under the plan's header comments. Errors ``change``
    raises (an edit's located problem) come from the first copy, the loader's own reading."""
    data, _ = parse_yaml(text, file)
    change(data)
    kept = _round_trip(text, change)
    if kept is not None:
        try:
            if parse_yaml(kept, file)[0] == data:
                return kept
        except ScenarioError:
            pass
    return header_comments(text) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )


def apply_edits(text: str, edits: Mapping[str, Any], file: str) -> str:
    """The plan ``text`` with ``edits`` (field path → value as typed) applied, validated, as
    YAML (:func:`rewrite`: comments kept). Raises :class:`ScenarioError`: the plan's own
    problems (located by line), or an edit's (located by its path)."""
    load_text(text, file)  # the plan itself must be valid: its problems have lines

    def change(data: Any) -> None:
        for path, raw in edits.items():
            set_path(data, path, edit_value(raw, path, file), file)

    out = rewrite(text, file, change)
    try:
        load_text(out, file)
    except ScenarioError as e:  # lines of the rewritten text mean nothing to the user
        raise ScenarioError(
            [Problem(p.file, None, p.path, p.message, p.got, p.has_got) for p in e.problems]
        ) from None
    return out


__all__ = ["apply_edits", "children", "edit_value", "header_comments", "rewrite", "set_path"]
