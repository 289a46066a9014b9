"""Shared scenarios for the analysis tests: the tiny hand-checked plan of tests/conftest.py."""

from ..conftest import DAYS, tiny  # noqa: F401
