"""``breakeven serve [PLAN …]``: the web app on this machine (added to the app by
:func:`register`)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UserError


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"  # listening everywhere: this machine's own address works
    return f"[{host}]" if ":" in host else host


def serve(
    plans: list[Path] | None = typer.Argument(
        None, help="Plan files to open from the start page (besides the templates)."
    ),
    store: Path | None = typer.Option(
        None,
        "--store",
        help="The run store's file (default: runs.duckdb in $BREAKEVEN_HOME, else in "
        "$XDG_DATA_HOME/breakeven, i.e. ~/.local/share/breakeven).",
    ),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on. Anything but this machine (127.0.0.1, ::1, localhost) "
        "needs a token.",
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="BREAKEVEN_TOKEN",
        show_envvar=True,
        help="A secret every API request must carry (Authorization: Bearer <token>); "
        "required when --host is not this machine.",
    ),
):
    """Serve the plan page: edit a plan, see the answer move, keep every run."""
    from ..scenario.loader import read_plan
    from ..server.limits import is_loopback

    token = (token or "").strip() or None
    if not is_loopback(host) and token is None:
        raise UserError(
            f"--host {host} makes the server reachable from other machines; give it a secret "
            "with --token T (or BREAKEVEN_TOKEN) — every request must then carry it"
        )
    if token is not None and (len(token) < 8 or not token.isascii() or not token.isprintable()):
        raise UserError(
            "--token: use at least 8 printable ASCII characters (a long random string is best)"
        )
    files = list(plans or [])
    for f in files:
        read_plan(f)  # a plan that cannot be read is refused now, with its location

    import uvicorn

    from ..server import create_app
    from ..server.tuning import keep_freed_memory

    keep_freed_memory()
    app = create_app(files, store, token)
    if store is None:
        from ..store import default_store_path

        store = default_store_path()
    url = f"http://{_url_host(host)}:{port}/"
    typer.echo(f"breakeven: serving {url} (runs are kept in {store}; Ctrl+C stops)")
    if token is not None:
        typer.echo(
            f"breakeven: reachable from other machines on {host}; every API request needs the "
            f"token: open {url}?token=<token> once, or send Authorization: Bearer <token>"
        )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=3,
    )


__all__ = ["register", "serve"]
