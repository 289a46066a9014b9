"""The web app behind ``breakeven serve``: :func:`create_app` (see :mod:`breakeven.server.app`)."""

from .app import create_app

__all__ = ["create_app"]
