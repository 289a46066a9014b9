"""``breakeven prices``: the API price catalog, and ``breakeven prices import FILE``.

``breakeven prices [--provider …] [--at …] [--history] [--json]`` lists the prices in force (the
shipped catalog merged with the user's own); ``breakeven prices import FILE`` merges a published
price file (LiteLLM's ``model_prices_and_context_window.json``, or rows in the catalog's own
YAML/CSV format) into the user catalog, so that new prices need no release. User errors print one
line and exit with status 2: a problem inside a file as ``file:line: field: what is wrong (got …)``,
any other as ``breakeven: <message>``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from ..errors import UserError
from .common import check_lang
from .compute import LANG_HELP, _emit_json, _fail, _print_rows


def _guard(fn: Callable[[], Any]) -> Any:
    """Run ``fn``; a located file problem prints as it is, any other user error as
    ``breakeven: …``; both exit 2."""
    from ..compute.price_files import PriceFileError

    try:
        return fn()
    except PriceFileError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None
    except UserError as exc:
        _fail(str(exc))


prices_app = typer.Typer(
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_CATALOG_HELP = (
    "user price catalog (default: $BREAKEVEN_HOME/api_prices.yaml, else "
    "$XDG_DATA_HOME/breakeven/api_prices.yaml, i.e. ~/.local/share/breakeven)"
)


@prices_app.callback(invoke_without_command=True)
def prices_cmd(
    ctx: typer.Context,
    provider: str | None = typer.Option(None, "--provider", help="e.g. OpenAI, DeepSeek, Qwen"),
    at: str | None = typer.Option(None, "--at", help="date YYYY-MM-DD (default: today)"),
    history: bool = typer.Option(
        False,
        "--history",
        help="every price row, not just those in force (with --at: those effective by then)",
    ),
    as_json: bool = typer.Option(False, "--json", help="print a JSON list"),
    catalog: str | None = typer.Option(None, "--catalog", help=_CATALOG_HELP),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """LLM API list prices per million tokens, as in force on a date (native currency).

    The shipped catalog merged with yours (see `prices import`); the catalog column says which.
    """
    if ctx.invoked_subcommand is not None:
        return
    if catalog is not None and not Path(catalog).is_file():
        _fail(f"--catalog: no price catalog at {catalog}")
    from ..compute.prices import list_prices

    rows = _guard(lambda: [r.to_row() for r in list_prices(provider, at, history, catalog=catalog)])
    if as_json:
        _emit_json(rows)
        return
    for r in rows:
        op = r.get("off_peak")
        r["off_peak_text"] = (
            None
            if op is None
            else (
                f"-{op['input_discount']:.0%} {op['hours_utc']}"
                if op["input_discount"] == op["output_discount"]
                else f"-{op['input_discount']:.0%}/-{op['output_discount']:.0%} {op['hours_utc']}"
            )
        )
    from ..format import resolve
    from .labels import catalog_text

    lg = resolve(check_lang(lang))
    for r in rows:
        r["catalog"] = catalog_text(f"catalog.{r['catalog']}", lg)
    columns = [
        "provider",
        "model",
        "currency",
        "input_per_million",
        "cached_input_per_million",
        "output_per_million",
        "effective_from",
        "catalog",
    ]
    if any(r["off_peak_text"] for r in rows):  # only when a listed row has a time-of-day price
        columns.insert(6, "off_peak_text")
    _print_rows("prices", rows, columns, lg)


def _provider_map(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        for pair in item.split(","):
            if not pair.strip():
                continue
            src, sep, dst = pair.partition("=")
            if not sep or not src.strip() or not dst.strip():
                _fail(f"--provider-map: expected FROM=TO such as deepseek=DeepSeek (got {pair!r})")
            out[src.strip()] = dst.strip()
    return out


def _as_of(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    from ..compute.price_files import parse_date

    return _guard(lambda: parse_date(text, "--as-of"))


@prices_app.command("import")
def import_cmd(
    file: str = typer.Argument(
        ...,
        help="LiteLLM's model_prices_and_context_window.json, or rows in the catalog's own "
        "format (.yaml, .csv)",
    ),
    catalog: str | None = typer.Option(None, "--catalog", help=_CATALOG_HELP),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="date the prices hold from, YYYY-MM-DD (default: today; rows with their own "
        "effective_from keep it)",
    ),
    source: str | None = typer.Option(
        None, "--source", help="where the file was published (default: the file's path)"
    ),
    provider_map: list[str] | None = typer.Option(
        None,
        "--provider-map",
        help="rename a provider, FROM=TO (e.g. deepseek=DeepSeek); repeat or comma-separate",
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="skip invalid rows (and report them) instead of stopping"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="report, write nothing"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Merge a published price file into your price catalog (no release needed).

    Prices per token are converted to per million; non-chat entries and entries without prices
    are skipped, and rows equal to the price already in force are counted as unchanged. The
    write is atomic: a bad file stops the import with a located error and leaves your catalog
    as it was.
    """
    from ..compute.price_files import user_catalog_path
    from ..compute.prices import import_prices

    pmap = _provider_map(provider_map)
    day = _as_of(as_of)
    report = _guard(
        lambda: import_prices(
            file,
            catalog=catalog if catalog is not None else user_catalog_path(),
            as_of=day,
            source=source,
            provider_map=pmap,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
    )
    if as_json:
        _emit_json(report.to_json())
        return
    typer.echo(report.summary())
    for label, reason in report.skipped:
        if reason.startswith(("invalid", "currency conflict")):
            typer.echo(f"  skipped {label}: {reason}")


def register(app: typer.Typer) -> None:
    """Add ``prices`` (and ``prices import``) to ``app``."""
    app.add_typer(prices_app, name="prices")


__all__ = ["prices_app", "register"]
