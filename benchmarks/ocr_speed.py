"""OCR of scanned pages: seconds per page and the share of cells read exactly (a script, not a test).

Renders the pages the OCR test uses (tests/ocr_render.seed_pages: seed 001's 一般公共预算支出
table, a prose page of seed 001, seed 002's score table) as pixels, rasterises them as an
image-only PDF would be at the loader's scale, and reads each page with the loader's own path
(auditor.load.ocr: the worker process, then the layout into lines and cells). A cell is a
table cell, or a whole prose line; it is read exactly when the OCR'd page holds the same text,
spaces aside (multiset match per page, blanks ignored). Needs the ocr extra and ../shared/seeds. Prints a
table and writes `benchmarks/results/ocr.md`.

    python benchmarks/ocr_speed.py [--seeds DIR] [--runs 1]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.load import ocr  # noqa: E402
from tests.ocr_render import _spaced_tables, render_text, seed_pages  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "ocr.md"


def _cells(lines: list[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for line in lines:
        out.update(re.sub(r"\s+", "", c) for c in line.split("\t") if c.strip())  # spaces are layout
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--runs", type=int, default=1, help="OCR each page N times; the best time is kept")
    args = parser.parse_args()
    if not ocr.available():
        print("ocr_speed: the ocr extra is not installed (pip install 'disclosure-auditor[ocr]')", file=sys.stderr)
        return 2
    pages = seed_pages(args.seeds)
    if not pages:
        print(f"ocr_speed: no seeds in {args.seeds}", file=sys.stderr)
        return 2
    engine = ocr.Recogniser()
    rows = []
    try:
        engine.read(_png_of_blank(), 120)  # start the worker and load the models outside the timing
        for name, lines in pages.items():
            images, drawn = render_text([lines])
            buffer = io.BytesIO()
            images[0].save(buffer, "PNG")
            best, words = float("inf"), []
            for _ in range(max(1, args.runs)):
                started = time.perf_counter()
                words = engine.read(buffer.getvalue(), 600)
                best = min(best, time.perf_counter() - started)
            read = [line.text for line in ocr.page_lines(words, 1, 1.0)]
            want, got = _cells(_spaced_tables(drawn[0])), _cells(read)
            exact = sum((want & got).values())
            rows.append((name, images[0].size, len(words), best, exact, sum(want.values())))
    finally:
        engine.close()
    total_exact = sum(r[4] for r in rows)
    total_cells = sum(r[5] for r in rows)
    table = ["| page | pixels | boxes | seconds | cells read exactly |", "|---|---:|---:|---:|---:|"]
    for name, (w, h), boxes, seconds, exact, cells in rows:
        table.append(f"| {name} | {w}×{h} | {boxes} | {seconds:.1f} | {exact}/{cells} ({exact / cells:.1%}) |")
    table.append(f"| **all** | | | {sum(r[3] for r in rows) / len(rows):.1f} per page | "
                 f"{total_exact}/{total_cells} ({total_exact / total_cells:.1%}) |")
    text = "\n".join([
        "# OCR of scanned pages",
        "",
        f"- date: {_dt.datetime.now().isoformat(timespec='seconds')}",
        f"- python: {platform.python_version()}; platform: {platform.platform()}; cores: {os.cpu_count()}",
        "- recogniser: rapidocr-onnxruntime (PP-OCRv4 det/rec shipped in the wheel), no angle classifier",
        "- pages: tests/ocr_render.seed_pages drawn at 20 px per character (10-pt text at 144 dpi)",
        f"- best of {max(1, args.runs)} run(s) per page, worker start and model load excluded; the machine is",
        "  shared (other jobs running): the seconds are an upper bound",
        "",
        *table,
        "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _png_of_blank() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (200, 60), 255)
    ImageDraw.Draw(image).text((10, 20), "0", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


if __name__ == "__main__":
    sys.exit(main())
