"""Shipped scenario templates: list them, read them, copy one to start a plan."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def _dir() -> Traversable:
    return resources.files("breakeven.scenario") / "templates"


def names() -> list[str]:
    return sorted(p.name[:-5] for p in _dir().iterdir() if p.name.endswith(".yaml"))


def text(name: str) -> str:
    return (_dir() / f"{name}.yaml").read_text(encoding="utf-8")


def summary(name: str) -> str:
    """The first comment line of the template: what it models."""
    for line in text(name).splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def path(name: str) -> Path:
    return Path(str(_dir() / f"{name}.yaml"))
