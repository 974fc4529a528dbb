"""Draw text lines as pixels (a scanned page with no text layer), for the OCR test and benchmark.

A run of tab-separated lines is drawn as a table: each column as wide as its widest cell, numbers
right-aligned, a gap of two characters between columns; a cell followed by blank cells (a spanned
header) may run over them. Other lines are prose, wrapped at `wrap` characters. `render_text`
returns the page images and the text exactly as drawn (the wrapped lines), so a test can compare
the OCR'd reading of the pages with the reading of the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
_NUMBER = re.compile(r"^[-+−]?[\d,，.]+%?$")


def cjk_font() -> str | None:
    """A font file with CJK glyphs, or None when the machine has none."""
    return next((p for p in FONT_PATHS if Path(p).is_file()), None)


def _wrap(line: str, width: int) -> list[str]:
    return [line[i:i + width] for i in range(0, len(line), width)] or [""]


def layout(lines: list[str], wrap: int = 40) -> list[str]:
    """The lines as they will be drawn: prose wrapped at `wrap` characters, table rows kept."""
    out: list[str] = []
    for line in lines:
        out.extend([line] if "\t" in line else _wrap(line, wrap))
    return out


def _spaced_tables(lines: list[str]) -> list[str]:
    """Runs of 3+ lines (blank lines between allowed) of the same 3+ space-separated tokens are a
    table whose columns the text export collapsed to single spaces: they are drawn as columns, as
    the printed page had them."""
    out = list(lines)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    run: list[int] = []
    for i in [*filled, -1]:
        tokens = len(lines[i].split()) if i >= 0 and "\t" not in lines[i] else 0
        if run and tokens == len(lines[run[0]].split()) and tokens >= 3:
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                out[j] = "\t".join(lines[j].split())
        run = [i] if tokens >= 3 else []
    return out


def render_page(lines: list[str], font_px: int = 20, margin: int = 60):
    """One page image (PIL, grayscale) holding `lines` (already laid out)."""
    from PIL import Image, ImageDraw, ImageFont

    lines = _spaced_tables(lines)

    font = ImageFont.truetype(cjk_font() or FONT_PATHS[0], font_px)
    gap = 2 * font_px
    pitch = int(font_px * 1.9)

    def width(text: str) -> int:
        return int(font.getlength(text))

    # column x positions per block of consecutive table rows
    blocks: dict[int, list[int]] = {}
    start = None
    padded = [*lines, "end"]
    for i, line in enumerate(padded):
        if "\t" in line and start is None:
            start = i
        elif "\t" not in line and start is not None:
            if not line.strip() and "\t" in next((n for n in padded[i:] if n.strip()), ""):
                continue  # a blank line inside a table: its rows keep the same columns
            rows = [r.split("\t") for r in lines[start:i] if "\t" in r]
            ncols = max(len(r) for r in rows)
            widths = [font_px] * ncols
            for cells in rows:
                for c, cell in enumerate(cells):
                    spans = c + 1 < len(cells) and not cells[c + 1].strip()
                    if cell.strip() and not spans:
                        widths[c] = max(widths[c], width(cell))
            xs, x = [], margin
            for w in widths:
                xs.append(x)
                x += w + gap
            xs.append(x)
            for j in range(start, i):
                if "\t" in lines[j]:
                    blocks[j] = xs
            start = None
    page_w = max([margin * 2 + width(line) for line in lines if "\t" not in line]
                 + [xs[-1] + margin for xs in blocks.values()] + [800])
    page_h = margin * 2 + pitch * len(lines)
    image = Image.new("L", (page_w, page_h), 255)
    draw = ImageDraw.Draw(image)
    y = margin
    for i, line in enumerate(lines):
        if i in blocks:
            xs = blocks[i]
            for c, cell in enumerate(line.split("\t")):
                text = cell.strip()
                if not text:
                    continue
                x = xs[c + 1] - 2 * font_px - width(text) if _NUMBER.match(text) else xs[c]
                draw.text((x, y), text, font=font, fill=0)
        elif line:
            draw.text((margin, y), line, font=font, fill=0)
        y += pitch
    return image


def render_text(pages: list[list[str]], wrap: int = 40, font_px: int = 20) -> tuple[list, list[list[str]]]:
    """(page images, the lines drawn on each page) for pages of source lines."""
    drawn = [layout(lines, wrap) for lines in pages]
    return [render_page(lines, font_px) for lines in drawn], drawn


def write_image_pdf(images: list, path: Path, dpi: float = 144.0) -> None:
    """An image-only PDF: one page per image, no text layer."""
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)


# --------------------------------------------------------------------------- the test pages

_TOTAL_OF_ITEM = re.compile(r"共计(\d+(?:\.\d+)?)万元")
_GRAND_TOTAL_ROW = re.compile(r"^(综合绩效 \d+ )(\d+(?:\.\d+)?)")


def _seed(seeds: Path, prefix: str) -> list[str]:
    found = sorted(seeds.glob(f"{prefix}_*.txt"))
    return found[0].read_text(encoding="utf-8").split("\n") if found else []


def _bump(pattern: re.Pattern[str], lines: list[str], group: int, step: str) -> list[str]:
    """The lines with the first number matched by `pattern` raised by `step` (a planted error)."""
    from decimal import Decimal

    out, done = [], False
    for line in lines:
        match = None if done else pattern.search(line)
        if match:
            raised = str(Decimal(match.group(group)) + Decimal(step))
            line = line[:match.start(group)] + raised + line[match.end(group):]
            done = True
        out.append(line)
    return out


def seed_pages(seeds: Path) -> dict[str, list[str]]:
    """Pages cut from the seeds: seed 001's 一般公共预算支出 table (its header, total row and the
    first detail rows, with the printed 办公费 row that does not add up), a prose page of seed 001
    (the purchase list, one item total raised by 0.3 万元) and seed 002's score table with its prose
    (the grand total raised by 1 分). Empty when the seeds are absent."""
    budget, evaluation = _seed(seeds, "001"), _seed(seeds, "002")
    if not budget or not evaluation:
        return {}

    def cut(lines: list[str], first: str, count: int) -> list[str]:
        start = next(i for i, line in enumerate(lines) if line.strip().startswith(first))
        return lines[start:start + count]

    row = next(i for i, line in enumerate(budget) if "\t办公费\t" in line and line.count("\t") > 10)
    title = max(i for i in range(row) if budget[i].strip().endswith("支出情况表"))
    end = next(i for i in range(row, len(budget)) if not budget[i].strip())
    table = budget[title:end]
    prose = _bump(_TOTAL_OF_ITEM, cut(budget, "七、政府采购情况", 16), 1, "0.3")
    score = _bump(_GRAND_TOTAL_ROW, cut(evaluation, "总指标体系各部分权重", 20), 2, "1")
    return {"001-table": table, "001-prose": prose, "002-score": score}
