"""Price files on disk: the user's price catalog and the files ``breakeven prices import`` reads.

Every row read here keeps the line it came from (and the line of each of its fields), so that a
mistake is reported as one located line, ``file:line: field: what is wrong (got …)``. Formats:

* the catalog's own format, YAML (``rows: [...]`` or a bare list) or CSV (a header of row fields;
  an off-peak price as ``off_peak_hours_utc``, ``off_peak_input_discount``,
  ``off_peak_output_discount`` columns);
* LiteLLM's ``model_prices_and_context_window.json`` (keys are model names; USD per token).

The user catalog lives at ``$BREAKEVEN_HOME/api_prices.yaml`` or, when that is unset,
``$XDG_DATA_HOME/breakeven/api_prices.yaml`` (``~/.local/share/breakeven``). Nothing here touches
the network.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import CatalogError, show
from ..files import user_data_dir

USER_CATALOG_NAME = "api_prices.yaml"
# Field order of a written catalog row (the shipped file's order).
ROW_FIELDS = (
    "provider",
    "model",
    "currency",
    "effective_from",
    "input_per_million",
    "cached_input_per_million",
    "output_per_million",
    "off_peak",
    "source",
    "as_of",
    "notes",
)
OFF_PEAK_CSV = {
    "off_peak_hours_utc": "hours_utc",
    "off_peak_input_discount": "input_discount",
    "off_peak_output_discount": "output_discount",
}
_NO_VALUE = object()


class PriceFileError(CatalogError):
    """A problem in a price file, already located: ``file:line: field: message (got …)``.

    The command line prints it as it is (the location is the message's start)."""


def located(
    file: str | Path, line: int | None, field_name: str, message: str, got: Any = _NO_VALUE
) -> PriceFileError:
    where = f"{file}:{line}" if line else str(file)
    tail = "" if got is _NO_VALUE else f" (got {show(got)})"
    return PriceFileError(f"{where}: {field_name}: {message}{tail}")


@dataclass
class RawRow:
    """One row as read from a file: its fields, the line it starts on and each field's line."""

    data: dict[str, Any]
    line: int | None = None
    field_lines: dict[str, int] = field(default_factory=dict)
    label: str = ""

    def line_of(self, name: str) -> int | None:
        return self.field_lines.get(name, self.line)


# ---------------------------------------------------------------- where the user catalog lives


def user_catalog_path() -> Path:
    """``$BREAKEVEN_HOME/api_prices.yaml``, else ``$XDG_DATA_HOME/breakeven/api_prices.yaml``
    (``~/.local/share/breakeven/api_prices.yaml`` when XDG_DATA_HOME is unset)."""
    return user_data_dir() / USER_CATALOG_NAME


def stamp(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size) of a file, or None when there is none (a cache key for its rows)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise CatalogError(f"{path}: cannot read the price catalog ({e.strerror or e})") from None
    return (st.st_mtime_ns, st.st_size)


MAX_PRICE_FILE_BYTES = 32 * 2**20  # LiteLLM's whole price map is ~1.5 MB


def read_text(path: Path) -> str:
    """A price file's text: a regular file of at most 32 MiB (a FIFO or /dev/zero cannot hang
    or exhaust memory), UTF-8."""
    try:
        if Path(path).exists() and not Path(path).is_dir() and not Path(path).is_file():
            raise CatalogError(f"{path}: not a regular file")
        with open(path, encoding="utf-8-sig") as f:  # Excel's "CSV UTF-8" starts with a BOM
            text = f.read(MAX_PRICE_FILE_BYTES + 1)
        if len(text) > MAX_PRICE_FILE_BYTES:
            raise CatalogError(f"{path}: larger than {MAX_PRICE_FILE_BYTES // 2**20} MiB")
        return text
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CatalogError(f"{path}: is a folder, not a price file") from None
    except UnicodeDecodeError as e:
        raise PriceFileError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise CatalogError(f"{path}: cannot read ({e.strerror or e})") from None


# ---------------------------------------------------------------- the catalog's own format


def _node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


MAX_DEPTH = 32  # a price row is two levels deep (its off_peak terms); deeper is not a catalog
MAX_ROW_VALUES = 10_000  # values one row may expand to through YAML aliases


class _DepthLoader(yaml.SafeLoader):
    """PyYAML's safe loader refusing documents nested deeper than :data:`MAX_DEPTH` (Python's
    recursion limit would end the read with an internal error)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.YAMLError(f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _expands_past(value: Any, limit: int) -> bool:
    """Whether ``value`` holds more than ``limit`` values counted the way a reader walks them:
    an object shared through YAML aliases counts every time (a 600-byte alias bomb is a billion
    values)."""
    stack, seen = [value], 0
    while stack:
        x = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(x, Mapping):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return False


def parse_catalog_yaml(text: str, file: str | Path) -> list[RawRow]:
    """Rows of a catalog-format YAML file (``rows: [...]`` or a bare list), with their lines.
    Every row is read on its own, so a value that cannot be read (2025-02-30, an integer of
    5,000 digits) is located at its row."""
    loader = _DepthLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or loader.get_mark()
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        loader.dispose()
        raise located(file, line, "(document)", f"not valid YAML: {problem}") from None
    try:
        return _catalog_rows(loader, node, file)
    finally:
        loader.dispose()


def _construct(loader: yaml.SafeLoader, node: yaml.Node, file: str | Path, field: str) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError) as e:
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if "digits" in problem:  # Python's int_max_str_digits guard: its advice is not the user's
            problem = "a number of thousands of digits"
        raise located(
            file, _node_line(node), field, f"cannot be read as a value: {problem}"
        ) from None
    if _expands_past(value, MAX_ROW_VALUES):
        raise located(
            file,
            _node_line(node),
            field,
            f"YAML aliases expand to more than {MAX_ROW_VALUES:,} values; a price row is much "
            "smaller",
        )
    return value


def _catalog_rows(
    loader: yaml.SafeLoader, node: yaml.Node | None, file: str | Path
) -> list[RawRow]:
    if node is None:
        return []
    seq_node: yaml.Node = node
    if isinstance(node, yaml.MappingNode):
        keys = [_construct(loader, k, file, "(document)") for k, _ in node.value]
        if set(map(str, keys)) != {"rows"} or len(keys) != 1:
            extra = ", ".join(sorted(map(str, set(keys) - {"rows"}))) or "rows"
            raise located(
                file,
                _node_line(node),
                "(document)",
                f"expected a list of price rows under 'rows:' (found {extra})",
            )
        seq_node = node.value[0][1]
        if isinstance(seq_node, yaml.ScalarNode) and seq_node.tag == "tag:yaml.org,2002:null":
            return []
    if not isinstance(seq_node, yaml.SequenceNode):
        data = _construct(loader, seq_node, file, "rows")
        if data is None:
            return []
        raise located(
            file, _node_line(node), "rows", "expected a list of price rows", type(data).__name__
        )
    out: list[RawRow] = []
    for i, item_node in enumerate(seq_node.value):
        line = _node_line(item_node)
        item = _construct(loader, item_node, file, f"rows[{i}]")
        if not isinstance(item, Mapping) or not isinstance(item_node, yaml.MappingNode):
            raise located(file, line, f"rows[{i}]", "expected a mapping of row fields", item)
        lines = {str(k.value): _node_line(v) for k, v in item_node.value}
        out.append(RawRow(dict(item), line, lines, f"rows[{i}]"))
    return out


def _csv_value(text: str | None) -> Any:
    if text is None:
        return None
    s = text.strip()
    if s == "" or s.lower() in ("null", "none", "~"):
        return None
    try:
        return float(s) if any(c in s for c in ".eE") else int(s)
    except ValueError:
        return s


def parse_catalog_csv(text: str, file: str | Path) -> list[RawRow]:
    """Rows of a catalog-format CSV file (header = row fields), with their lines."""
    reader = csv.DictReader(io.StringIO(text))
    out: list[RawRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if None in record:  # more cells than header fields
                raise located(file, line, "(row)", "more cells than the header has columns")
            row: dict[str, Any] = {}
            off_peak: dict[str, Any] = {}
            for name, cell in record.items():
                key = str(name).strip()
                value = _csv_value(cell)
                if key in OFF_PEAK_CSV:
                    if value is not None:
                        off_peak[OFF_PEAK_CSV[key]] = value
                elif key and (value is not None or key == "cached_input_per_million"):
                    row[key] = value
            if off_peak:
                row["off_peak"] = off_peak
            out.append(RawRow(row, line, {}, f"line {line}"))
    except csv.Error as e:
        raise located(file, reader.line_num, "(row)", f"not valid CSV: {e}") from None
    return out


class _Dumper(yaml.SafeDumper):
    """No anchors and aliases (rows share date objects; each row must stand alone)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_catalog(rows: list[Mapping[str, Any]]) -> str:
    """The user catalog's text: a comment and one flow-style row per line, as the shipped file."""
    lines = [
        "# breakeven user price catalog, merged over the shipped one (user rows win on the same",
        "# provider, model and effective_from). Written by `breakeven prices import`; prices per",
        "# MILLION tokens in the row's currency. Safe to edit by hand (checked at every load).",
        "rows:",
    ]
    for row in rows:
        ordered = {k: row[k] for k in ROW_FIELDS if k in row}
        ordered.update({k: v for k, v in row.items() if k not in ordered})
        text = yaml.dump(
            ordered,
            Dumper=_Dumper,
            default_flow_style=True,
            sort_keys=False,
            allow_unicode=True,
            width=1 << 30,
        ).strip()
        lines.append(f"  - {text}")
    if not rows:
        lines[-1] = "rows: []"
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- LiteLLM's price map

LITELLM_FIELDS = {
    "input_per_million": "input_cost_per_token",
    "cached_input_per_million": "cache_read_input_token_cost",
    "output_per_million": "output_cost_per_token",
}
# LiteLLM's modes for text generation (``responses``: models served on OpenAI's Responses API).
LITELLM_CHAT_MODES = ("chat", "responses")
# LiteLLM provider ids whose catalog name is spelt differently (others are matched by name).
LITELLM_PROVIDERS = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "gemini": "Google",
    "deepseek": "DeepSeek",
    "dashscope": "Alibaba",
    "moonshot": "Moonshot",
    "zai": "Zhipu",
    "volcengine": "ByteDance",
}

_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"(\s*:)?|[{}\[\]]|\n')


def json_key_lines(text: str) -> dict[str, tuple[int, dict[str, int]]]:
    """Line of every top-level key of a JSON object and of the keys of its values."""
    out: dict[str, tuple[int, dict[str, int]]] = {}
    line, depth, current = 1, 0, None
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group(0)
        if tok == "\n":
            line += 1
        elif tok in "{[":
            depth += 1
        elif tok in "}]":
            depth -= 1
        else:
            if m.group(1) is not None:
                try:
                    key = json.loads(tok[: len(tok) - len(m.group(1))])
                except ValueError:
                    key = None
                if isinstance(key, str):
                    if depth == 1:
                        current = key
                        out.setdefault(key, (line, {}))
                    elif depth == 2 and current is not None and current in out:
                        out[current][1].setdefault(key, line)
                line += m.group(1).count("\n")
    return out


def parse_json(text: str, file: str | Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise located(file, e.lineno, "(document)", f"not valid JSON: {e.msg}") from None
    except RecursionError:
        raise located(file, 1, "(document)", "not a price file: nested too deeply") from None
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        raise located(
            file, None, "(document)", "not a price file: a number of thousands of digits"
        ) from None


@dataclass
class LiteLLMEntry:
    key: str
    body: Any
    line: int | None
    field_lines: dict[str, int]


def litellm_entries(data: Any, text: str, file: str | Path) -> list[LiteLLMEntry]:
    if not isinstance(data, Mapping):
        raise located(
            file, 1, "(document)", "expected a JSON object of model entries", type(data).__name__
        )
    lines = json_key_lines(text)
    out = []
    for key, body in data.items():
        line, fields = lines.get(str(key), (None, {}))
        out.append(LiteLLMEntry(str(key), body, line, fields))
    return out


def is_litellm(data: Any) -> bool:
    """A LiteLLM price map: a JSON object whose values are objects (not a catalog ``rows`` list)."""
    return (
        isinstance(data, Mapping)
        and "rows" not in data
        and any(isinstance(v, Mapping) for v in data.values())
    )


def parse_date(text: str, what: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise CatalogError(f"{what}: expected a date YYYY-MM-DD (got {show(text)})") from None
