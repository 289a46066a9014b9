"""Converting a workbook with LibreOffice (headless), every formula recalculated on load.

By default LibreOffice shows the values a workbook cached when it was written; told through its
user profile to recalculate on load (``OOXMLRecalcMode`` 0: always), what it exports is its own
arithmetic. Used by the workbook's tests and its screenshots; needs ``soffice`` (Debian's
libreoffice-calc-nogui).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

# CSV export of every sheet (-1), UTF-8, comma and quote; token 9: values (false) or as shown
CSV_VALUES = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
CSV_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
# one page per sheet
PDF_SHEETS = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, None when it is not installed."""
    return shutil.which("soffice")


def convert(books: Sequence[Path], out: Path, filt: str, timeout_s: float = 600) -> None:
    """Convert ``books`` into ``out`` with export filter ``filt`` (CSV: one file per sheet,
    ``<book>-<sheet>.csv``), recalculating every formula first. Raises RuntimeError when
    LibreOffice is missing or fails."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = out / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
    proc = subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            filt,
            "--outdir",
            str(out),
            *map(str, books),
        ],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"LibreOffice failed: {proc.stderr.strip()}")
