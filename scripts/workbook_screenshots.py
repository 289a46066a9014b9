"""Screenshots of the workbook for the docs, as LibreOffice lays it out: the example's Base case
(English and Chinese) and Charts sheets, saved as PNGs to docs/images/.

    .venv/bin/python scripts/workbook_screenshots.py [--samples 4000] [--out docs/images]

LibreOffice prints each sheet on one page (``SinglePageSheets``) with every formula recalculated;
pypdfium2 (the ``docs`` extra) rasterises the pages. Needs Debian's libreoffice-calc-nogui.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chat-assistant-freemium.yaml"
# (language, sheet index: 0 summary, 1 inputs, 2 base case, 3 charts; crop width, height; file)
SHOTS = (
    ("en", 2, (1900, 1000), "workbook-base-case.png"),
    ("en", 3, None, "workbook-charts.png"),
    ("zh", 2, (1900, 1000), "workbook-zh-base-case.png"),
    ("en", 1, (1900, 700), "workbook-inputs.png"),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = ap.parse_args(argv)
    from breakeven.report import libreoffice

    if libreoffice.soffice() is None:
        print("soffice not found: apt-get install -y libreoffice-calc-nogui", file=sys.stderr)
        return 2
    import pypdfium2 as pdfium

    import breakeven
    from breakeven.report.excel import write_excel

    res = breakeven.simulate(breakeven.load(EXAMPLE), samples=args.samples, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = [write_excel(res, folder / f"plan-{lang}.xlsx", lang=lang) for lang in ("en", "zh")]
        libreoffice.convert(books, folder, libreoffice.PDF_SHEETS)
        for lang, page, crop, name in SHOTS:
            pdf = pdfium.PdfDocument(str(folder / f"plan-{lang}.pdf"))
            image = pdf[page].render(scale=1.5).to_pil()
            if crop is not None:
                image = image.crop((0, 0, min(crop[0], image.width), min(crop[1], image.height)))
            image.save(args.out / name)
            print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
