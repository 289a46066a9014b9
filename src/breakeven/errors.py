"""Errors a user can cause, and how they are reported: one located line each, exit status 2.

Every error a user can fix derives from :class:`UserError`; the command line prints it as one
line per problem and exits with status 2 (a server answers HTTP 422). A problem in a scenario is
located: ``file:line: path.to.field: what is wrong (got …)``.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from typing import Any


class UserError(Exception):
    """A mistake the user can fix; ``str()`` is the message to show (no traceback)."""


class UncertainError(UserError, ValueError):
    """A value that cannot be read as an uncertain number of its field's domain."""

    def __init__(self, message: str, got: Any = None):
        super().__init__(message)
        self.message = message
        self.got = got


class CatalogError(UserError, ValueError):
    """An unknown catalog name (with the closest known ones), or a catalog row that is invalid.

    ``message`` is one line; ``suggestions`` holds the closest known names when a lookup failed.
    """

    def __init__(self, message: str, suggestions: Any = ()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


class SimulationError(UserError, ValueError):
    """A plan that validates but whose arithmetic breaks down (overflow)."""


class AnalysisError(UserError, ValueError):
    """A request an analysis cannot answer as asked (unknown metric, bad range, …)."""


class ContractError(UserError, ValueError):
    """Blocks whose declarations do not fit together: a read nothing provides, two writers of one
    value, a cycle. ``block`` is the offending block (None for a cycle); ``key`` what it is about."""

    def __init__(self, message: str, block: Any = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.block = block
        self.key = key


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REPR = reprlib.Repr()  # Python 3.11 takes no limits in the constructor
_REPR.maxlevel, _REPR.maxstring = 3, 80
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 6


def show(value: Any, limit: int = 80) -> str:
    """A value as the user wrote it, quoted if text, shortened past ``limit`` characters. A list
    or mapping is shown a few items and levels deep (a YAML alias bomb shares one object a
    billion times over: its full repr would never end)."""
    s = _REPR.repr(value) if isinstance(value, (list, dict, tuple, set)) else repr(value)
    if len(s) <= limit:
        return s
    if isinstance(value, str):
        return s[: limit - 2] + "…" + s[-1]  # keep the closing quote
    return s[: limit - 3] + "..."


@dataclass
class Problem:
    """One located problem in a scenario: ``file:line: path: message (got …)``."""

    file: str
    line: int | None
    path: str
    message: str
    got: Any = None
    has_got: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        got = f" (got {show(self.got)})" if self.has_got else ""
        path = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", self.path)  # a column's NUL
        return f"{where}: {path or '(document)'}: {self.message}{got}"


MAX_REPORTED = 50  # problems shown; the rest are counted


class ScenarioError(UserError):
    """One or more located problems in a scenario; ``str()`` gives one line per problem (the
    first 50, then a count of the rest)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            first = problems[0]
            shown.append(
                f"{first.file}: … and {len(problems) - MAX_REPORTED:,} more problems "
                f"(the first {MAX_REPORTED} are shown)"
            )
        super().__init__("\n".join(shown))
