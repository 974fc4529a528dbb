"""PDF disclosures (pdfplumber): text lines and ruled tables per page, in reading order.

Per page (`_page_lines`, one function so that an OCR step can stand in for a page without a
text layer), tables come from the page geometry, never from re-joined text:
- ruled grids from pdfplumber's ruling lines (`find_tables`): each row becomes one
  tab-separated line (a cell covered by a span is blank; a cell wrapped onto two lines is
  joined). A grid row that only holds a caption (the title, "单位：元", "编制单位：…" printed
  inside the grid) becomes a text line and starts a new table there; two grids drawn touching
  keep their own columns;
- the text outside the grids is read without the characters whose centre lies in a grid cell,
  so a title or unit line touching a grid stays whole; a run of printed lines whose words stand
  in aligned columns (an unruled table) becomes tab-separated rows;
- each table, with the caption lines right above it, is one unit; units are ordered top to
  bottom and left to right (two tables side by side are never interleaved; a line holding both
  their titles is cut in two), and a blank line follows every table.
Otherwise one line per printed line, with a blank line wherever the vertical gap is larger than
a line (a paragraph break). Every line keeps `page` (1-based) and `bbox` (x0, top, x1, bottom in
PDF points from the top-left of its page). Blank lines between the rows of a table continued on
the next page are dropped; a blank line between two grids of one page stays (the table reader
ends a table there when the next grid has another width).

Page furniture: a line in the top or bottom band of a page whose text (digits ignored) recurs
on at least two pages and on 40% of them, or that reads like a page number ("第 3 页", "- 3 -"),
is kept but marked `footer`, so readers skip it and line numbers still count it. A blank footer
line marks every page break, so a table continued on the next page is joined back by the table
reader exactly as in extracted text.

A PDF with pages but no text at all (a scan) loads as a Document with no lines and a
`no_text_layer` note: the `parse.no_text_layer` finding says so instead of an error, because the
file is a valid disclosure that simply cannot be checked without OCR. Scanned pages inside a
text PDF are noted the same way. A truncated or corrupt file is an InputError.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from auditor.load.errors import InputError
from auditor.load.lines import (
    blank_line,
    clean_cell,
    finish,
    max_pages,
    row_line,
    text_line,
)
from auditor.load.pdf_guard import guard_pdf
from auditor.model import Document, SourceLine

_PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页\s*(?:[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[/,，]?\s*第\s*\d+\s*页"
    r"|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|\d{1,4}|Page \d+( of \d+)?)\s*$",
    re.IGNORECASE,
)
_BAND = 0.1  # top and bottom 10% of the page hold the running header and footer


def load_pdf(path: str, data: bytes) -> Document:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError(path, "PDF input needs pdfplumber (pip install pdfplumber)") from exc
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a bad file
        raise InputError(path, f"not a readable PDF: truncated or corrupt ({_why(exc)})") from exc
    guard_pdf(path, pdf)  # before `with`: closing a PDF reads its pages (auditor.load.pdf_guard)
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            raise InputError(path, f"not a readable PDF: truncated or corrupt ({_why(exc)})") from exc
        if not pages:
            raise InputError(path, "the PDF has no pages (truncated or corrupt)")
        limit = max_pages()
        if len(pages) > limit:
            raise InputError(path, f"the PDF has {len(pages)} pages, over the {limit}-page limit "
                                   "(set AUDITOR_MAX_PAGES to raise it)")
        per_page: list[list[SourceLine]] = []
        heights: list[float] = []
        empty_pages: list[int] = []
        for number, page in enumerate(pages, start=1):
            try:
                lines = _page_lines(page, number)
            except Exception as exc:  # noqa: BLE001
                raise InputError(path, f"cannot read page {number} of the PDF ({_why(exc)})") from exc
            if not lines:
                empty_pages.append(number)
            per_page.append(lines)
            heights.append(float(page.height or 0))
            page.flush_cache()
    notes: list[tuple[str, int, str]] = []
    from auditor.load import ocr  # blank and scanned pages; the OCR library runs only when asked

    if empty_pages or ocr.mode() == "always":
        notes = ocr.scanned_pages(path, data, per_page, empty_pages)
    _mark_furniture(per_page, heights)
    lines: list[SourceLine] = []
    for number, page_lines in enumerate(per_page, start=1):
        if number > 1:
            lines.append(blank_line(page=number, footer=True, raw="\f"))  # the page break
        lines.extend(page_lines)
    has_text = any(line.text for line in lines)
    return finish(path, _join_page_breaks(lines) if has_text else [], "pdf", "",
                  notes=notes, allow_empty=True, pages=len(pages))


def _join_page_breaks(lines: list[SourceLine]) -> list[SourceLine]:
    """Drop the blank lines between two table rows that a page break separates (a table
    continued on the next page stays one run of tab lines); a blank line between two grids of
    one page stays: it is where one table ends and the next begins."""
    out: list[SourceLine] = []
    for i, line in enumerate(lines):
        if not line.text and not line.footer:
            before = next((o for o in reversed(out) if o.text and not o.footer), None)
            after = next((n for n in lines[i + 1:] if n.text and not n.footer), None)
            if before is not None and after is not None and before.cells is not None and \
                    after.cells is not None and before.page != after.page:
                continue
        out.append(line)
    return out


def _why(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


# A row of a ruled grid that is the table's caption, not data: its title ("…预算表"), the unit
# line ("单位：元"), the issuer ("编制单位：…") or "续表". Printed inside the grid, it starts a
# new table there (a title row between two tables that share their ruling lines).
_CAPTION = re.compile(r"(表|续表|[(（]续[)）])$|^(金额)?单位\s*[:：]|^(编制|填报)?(单位|部门)(名称)?\s*[:：]")
_NUMERIC = re.compile(r"^[-－—]?[\d,，.．]+%?$")
_SEGMENT_GAP = 2.0  # a horizontal gap wider than this many character sizes separates two cells
_MIN_UNRULED_ROWS = 3
_SPACE = 0.15  # a gap wider than this many character sizes between two characters is a space


@dataclass
class _Unit:
    """What reads as one piece on the page: a text line, or a table with its caption lines."""

    top: float
    x0: float
    x1: float
    lines: list[tuple[float, float, SourceLine]]  # (top, bottom, line)
    table: bool = False
    segments: list[tuple[float, float, str]] = field(default_factory=list)  # a text line's cells


def _page_lines(page: Any, number: int) -> list[SourceLine]:
    """The lines of one page in reading order: text lines, and table rows as tab-separated lines.

    Ruled grids come from pdfplumber's ruling lines (`find_tables`); a grid's caption rows become
    text lines. The text outside the grids is read without the characters inside a grid cell
    (a character is inside when its centre is), so a title or unit line touching a grid stays
    whole. Text lines whose words stand in aligned columns (an unruled table) become table rows.
    Each table is one unit (with the caption lines right above it); units are ordered top to
    bottom, then left to right, so two tables side by side are never interleaved, and a blank
    line separates a table from what follows it.
    """
    units: list[_Unit] = []
    boxes: list[tuple[float, float, float, float]] = []
    for table in page.find_tables():
        units.extend(_grid_units(table, number))
        boxes.extend(tuple(float(v) for v in cell) for row in table.rows for cell in row.cells if cell)
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _in_boxes(obj, boxes)) \
        if boxes else page
    found = [f for f in outside.extract_text_lines(strip=True, return_chars=True) if f.get("text", "").strip()]
    units.extend(_text_units(found, number))
    _attach_captions(units)
    units.sort(key=lambda u: (round(u.top, 1), u.x0))
    lines: list[SourceLine] = []
    prev_bottom = prev_height = None
    prev_table = False
    for unit in units:
        top = unit.lines[0][0]
        gap = prev_bottom is not None and prev_height is not None and top - prev_bottom > max(3.0, 0.8 * prev_height)
        if lines and (gap or prev_table or unit.table):
            lines.append(blank_line(page=number))
        for row_top, bottom, line in unit.lines:
            lines.append(line)
            prev_bottom, prev_height = bottom, max(bottom - row_top, 1.0)
        prev_table = unit.table
    return lines


def _in_boxes(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (float(obj["x0"]) + float(obj["x1"])) / 2
    cy = (float(obj["top"]) + float(obj["bottom"])) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _grid_units(table: Any, number: int) -> list[_Unit]:
    """A ruled grid as table units: split wherever a caption row stands between data rows.

    Two grids drawn touching (one right under the other) are one pdfplumber table over the union
    of their column edges; after the split each unit keeps only the columns where one of its own
    cells starts, so each table has its own columns again."""
    units: list[_Unit] = []
    captions: list[tuple[float, float, SourceLine]] = []
    rows: list[tuple[float, float, tuple[float, float, float, float], list[Any]]] = []

    def close() -> None:
        if not rows and not captions:
            return
        keep = [j for j in range(len(rows[0][3]) if rows else 0) if any(r[3][j] is not None for r in rows)]
        lines = captions + [(top, bottom, row_line([cells[j] for j in keep], page=number, bbox=box))
                            for top, bottom, box, cells in rows]
        units.append(_Unit(lines[0][0], float(table.bbox[0]), float(table.bbox[2]), lines, table=bool(rows)))

    for row, cells in zip(table.rows, table.extract(), strict=False):
        x0, top, x1, bottom = (float(v) for v in row.bbox)
        filled = [t for t in (clean_cell(c) for c in cells) if t]
        if not filled:
            continue
        if _caption_row(filled, cells):
            if rows:
                close()
                captions, rows = [], []
            captions.append((top, bottom, text_line(" ".join(filled), page=number, bbox=(x0, top, x1, bottom))))
            continue
        rows.append((top, bottom, (x0, top, x1, bottom), list(cells)))  # None: no cell starts there
    close()
    return units


def _caption_row(filled: list[str], cells: list[Any]) -> bool:
    """A grid row that only holds a caption: at most two texts, no number, each reading like a
    title, unit or issuer line ("…预算表", "单位：元", "编制单位：…")."""
    if len(filled) > 2 or len(cells) < 2 or any(_NUMERIC.match(t.replace(" ", "")) for t in filled):
        return False
    return all(_CAPTION.search(t.replace(" ", "")) for t in filled)


def _text_units(found: list[dict[str, Any]], number: int) -> list[_Unit]:
    """Text lines as units; a run of lines whose words stand in aligned columns is a table."""
    segmented = [_segments(f.get("chars") or []) for f in found]
    units: list[_Unit] = []
    i = 0
    while i < len(found):
        run = _unruled_run(found, segmented, i)
        if run:
            units.append(_unruled_table(found[i:i + run], segmented[i:i + run], number))
            i += run
            continue
        f = found[i]
        box = (float(f["x0"]), float(f["top"]), float(f["x1"]), float(f["bottom"]))
        units.append(_Unit(box[1], box[0], box[2], [(box[1], box[3], text_line(f["text"], page=number, bbox=box))],
                           segments=segmented[i]))
        i += 1
    return units


def _segments(chars: list[dict[str, Any]]) -> list[tuple[float, float, str]]:
    """A printed line cut where the gap between two characters is wider than two characters."""
    out: list[tuple[float, float, str]] = []
    for ch in sorted(chars, key=lambda c: float(c["x0"])):
        text = str(ch.get("text", ""))
        x0, x1 = float(ch["x0"]), float(ch["x1"])
        size = float(ch.get("size") or (x1 - x0) or 1.0)
        if out and x0 - out[-1][1] <= _SEGMENT_GAP * size:
            a, b, t = out[-1]
            joiner = " " if x0 - b > _SPACE * size and not text.isspace() and t and not t.endswith(" ") else ""
            out[-1] = (a, max(b, x1), t + joiner + text)
        elif text.strip():
            out.append((x0, x1, text))
    return [(a, b, t.strip()) for a, b, t in out if t.strip()]


def _unruled_run(found: list[dict[str, Any]], segmented: list[list[tuple[float, float, str]]], i: int) -> int:
    """How many lines from i form an unruled table (0 when none): at least three consecutive
    lines of two or more cells, no paragraph gap between them, numbers in two of them, and the
    cells of the lines with numbers in the same columns."""
    j = i
    while j < len(found) and len(segmented[j]) >= 2:
        if j > i:
            height = float(found[j - 1]["bottom"]) - float(found[j - 1]["top"])
            if float(found[j]["top"]) - float(found[j - 1]["bottom"]) > max(6.0, 1.5 * height):
                break
        j += 1
    n = j - i
    if n < _MIN_UNRULED_ROWS:
        return 0
    numeric = [k for k in range(i, j) if any(_NUMERIC.match(t.replace(" ", "")) for _, _, t in segmented[k])]
    if len(numeric) < 2 or _bands([segmented[k] for k in numeric]) is None:
        return 0
    return n


def _bands(lines: list[list[tuple[float, float, str]]],
           others: list[list[tuple[float, float, str]]] | None = None) -> list[tuple[float, float]] | None:
    """Column bands: the x ranges of the cells of the data `lines`, overlapping ranges merged,
    plus the cells of the `others` (header lines) that stand clear of every data column (a
    column printed empty in every row); None when a data line has two cells in one band."""
    def merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
        bands: list[list[float]] = []
        for a, b in sorted(spans):
            if bands and a <= bands[-1][1]:
                bands[-1][1] = max(bands[-1][1], b)
            else:
                bands.append([a, b])
        return [(a, b) for a, b in bands]

    out = merge([(a, b) for segs in lines for a, b, _ in segs])
    extra = [(a, b) for segs in others or [] for a, b, _ in segs if all(min(b, hi) <= max(a, lo) for lo, hi in out)]
    out = sorted(out + merge(extra))
    if len(out) < 2:
        return None
    for segs in lines:
        hit = [_band_of(a, b, out) for a, b, _ in segs]
        if len(set(hit)) != len(hit):
            return None
    return out


def _band_of(a: float, b: float, bands: list[tuple[float, float]]) -> int:
    best, overlap = 0, -1.0
    for k, (lo, hi) in enumerate(bands):
        o = min(b, hi) - max(a, lo)
        if o > overlap:
            best, overlap = k, o
    return best


def _unruled_table(found: list[dict[str, Any]], segmented: list[list[tuple[float, float, str]]],
                   number: int) -> _Unit:
    numeric = [segs for segs in segmented if any(_NUMERIC.match(t.replace(" ", "")) for _, _, t in segs)]
    bands = _bands(numeric, [segs for segs in segmented if segs not in numeric]) or []
    lines: list[tuple[float, float, SourceLine]] = []
    for f, segs in zip(found, segmented, strict=True):
        cells = [""] * len(bands)
        for a, b, t in segs:
            k = _band_of(a, b, bands)
            cells[k] = (cells[k] + " " + t).strip() if cells[k] else t
        box = (float(f["x0"]), float(f["top"]), float(f["x1"]), float(f["bottom"]))
        lines.append((box[1], box[3], row_line(cells, page=number, bbox=box)))
    return _Unit(lines[0][0], min(float(f["x0"]) for f in found), max(float(f["x1"]) for f in found), lines,
                 table=True)


def _over(a: float, b: float, tables: list[_Unit]) -> _Unit | None:
    """The table whose width holds the middle of the x range [a, b]."""
    middle = (a + b) / 2
    return next((t for t in tables if t.x0 - 2 <= middle <= t.x1 + 2), None)


def _attach_captions(units: list[_Unit]) -> None:
    """Text lines right above a table, within its width, read with it (its title and unit): with
    two tables side by side, each keeps its own title."""
    tables = [u for u in units if u.table]
    if len(tables) < 2:
        return
    for unit in [u for u in units if not u.table and len(u.segments) >= 2]:
        # one printed line over two tables (their titles side by side): a line per table
        over = {id(_over(a, b, tables)) for a, b, _ in unit.segments}
        if len(over) < 2:
            continue
        top, bottom, line = unit.lines[0]
        units.remove(unit)
        for a, b, text in unit.segments:
            units.append(_Unit(top, a, b, [(top, bottom, text_line(text, page=line.page, bbox=(a, top, b, bottom)))]))
    for table in tables:
        while True:
            above = [u for u in units if not u.table and u.lines[-1][1] <= table.top + 1
                     and table.top - u.lines[-1][1] < 3 * max(u.lines[-1][1] - u.lines[-1][0], 6.0)
                     and u.x0 >= table.x0 - 2 and u.x1 <= table.x1 + 2]
            if not above:
                break
            line = max(above, key=lambda u: u.lines[-1][1])
            units.remove(line)
            table.lines[:0] = line.lines
            table.top = line.top


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _mark_furniture(per_page: list[list[SourceLine]], heights: list[float]) -> None:
    """Mark running headers/footers and page numbers in the top/bottom band of each page."""
    def band(lines: list[SourceLine], height: float) -> list[SourceLine]:
        out = []
        for line in lines:
            if line.cells is not None or not line.text or line.bbox is None or not height:
                continue
            if line.bbox[3] <= height * _BAND or line.bbox[1] >= height * (1 - _BAND):
                out.append(line)
        return out

    bands = [band(lines, height) for lines, height in zip(per_page, heights, strict=True)]
    counts = Counter(key for lines in bands for key in {_norm(line.text) for line in lines})
    pages = len(per_page)
    for lines in bands:
        for line in lines:
            repeated = pages >= 2 and counts[_norm(line.text)] >= max(2, int(0.4 * pages))
            if repeated or _PAGE_NUMBER.match(line.text):
                line.footer = True
