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


def summary(name: str, lang: str = "en") -> str:
    """The first comment line of the template: what it models; in Chinese, its ``# zh:`` line."""
    lines = [ln for ln in text(name).splitlines() if ln.startswith("#")]
    if lang == "zh":
        for line in lines:
            if line.startswith("# zh:"):
                return line.removeprefix("# zh:").strip()
    return lines[0].lstrip("# ").strip() if lines else ""


def path(name: str) -> Path:
    return Path(str(_dir() / f"{name}.yaml"))
