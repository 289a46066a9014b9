"""Excel number formats: money in thousands or millions (万 or 亿 in Chinese), compact inputs,
percentages, month dates — the same figures on every sheet, fitting their columns.

A format scales a figure without changing the cell's value, so formulas still add up: a trailing
``,`` divides by a thousand (``#,##0.0,,"M"``: millions); Chinese units of 10⁴ and 10⁸ put a
literal point before the last digits of the thousands or millions (``0"."0,"万"`` shows 123456 as
12.3万), a trick that Excel and LibreOffice both render.
"""

from __future__ import annotations

import math
import unicodedata

from ..format import symbol

# (at least this much, format body before the unit, unit) from the largest scale down
_EN = ((1e10, "#,##0.0,,,", "B"), (1e7, "#,##0.0,,", "M"), (1e4, "#,##0,", "k"), (0.0, "#,##0", ""))
_ZH = ((1e10, '0"."00,,', "亿"), (1e4, '0"."0,', "万"), (0.0, "#,##0", ""))


def money_scale(largest: float, lang: str) -> tuple[str, str]:
    """(format body, unit) for money whose largest absolute amount is ``largest``."""
    for floor, body, unit in _ZH if lang == "zh" else _EN:
        if largest >= floor:
            return body, unit
    return _EN[-1][1], ""


def money_format(currency: str, lang: str, largest: float) -> str:
    """Money with its symbol and scale; negatives red with a minus, zero as a dash."""
    body, unit = money_scale(largest, lang)
    sym = symbol(currency, lang).replace('"', "")
    one = f'"{sym}"{body}' + (f'"{unit}"' if unit else "")
    return f'{one};[Red]-{one};"–"'


def value_format(
    x: float, domain: str, lang: str, currency: str | None = None, whole: bool = False
) -> str:
    """A compact format for values up to ``x``: percent for fractions and rates, thousands,
    millions or billions (万/亿) for large numbers, up to four significant digits below
    (``whole``: counts, no decimals)."""
    if domain in ("fraction", "rate"):
        return "0.0%" if abs(x) >= 0.001 or x == 0 else "0.000%"
    a = abs(x)
    if whole and a < 1e4:
        core = "#,##0"
    elif a >= 1e4:
        body, unit = money_scale(a, lang)
        core = body + (f'"{unit}"' if unit else "")
    elif a >= 100 or a == 0:
        core = "#,##0"
    else:
        digits = max(0, 3 - int(math.floor(math.log10(a))))
        core = "0." + "0" * digits if digits else "0"
    if currency:
        sym = symbol(currency, lang).replace('"', "")
        core = f'"{sym}"{core}'
    return core


def date_format(lang: str) -> str:
    """A month as a date: Jan 2025, 2025年1月."""
    return 'yyyy"年"m"月"' if lang == "zh" else "mmm yyyy"


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
