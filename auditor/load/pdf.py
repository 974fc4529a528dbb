"""PDF disclosures (pdfplumber): text lines and ruled tables per page, in reading order.

Per page: the ruled tables are found (`find_tables`) and each row becomes one tab-separated
line (a cell covered by a span, None in pdfplumber, is blank; a cell wrapped onto two lines is
joined); the text outside the tables becomes one line per printed line, with a blank line
wherever the vertical gap is larger than a line (a paragraph break). Every line keeps `page`
(1-based) and `bbox` (x0, top, x1, bottom in PDF points from the top-left of its page).

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
from typing import Any

from auditor.load.errors import InputError
from auditor.load.lines import (
    blank_line,
    clean_cell,
    finish,
    keep_table_rows_adjacent,
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
    _mark_furniture(per_page, heights)
    lines: list[SourceLine] = []
    for number, page_lines in enumerate(per_page, start=1):
        if number > 1:
            lines.append(blank_line(page=number, footer=True, raw="\f"))  # the page break
        lines.extend(page_lines)
    notes: list[tuple[str, int, str]] = []
    if empty_pages:
        notes.append(("no_text_layer", 0, _ranges(empty_pages)))
    has_text = any(line.text for line in lines)
    return finish(path, keep_table_rows_adjacent(lines) if has_text else [], "pdf", "",
                  notes=notes, allow_empty=True, pages=len(pages))


def _why(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [0]:
        if n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(out)


def _page_lines(page: Any, number: int) -> list[SourceLine]:
    """The lines of one page in reading order (top to bottom): text lines and table rows."""
    items: list[tuple[float, float, SourceLine]] = []  # (top, bottom, line)
    tables = page.find_tables()
    outside = page
    for table in tables:
        rows = table.extract()
        for row, cells in zip(table.rows, rows, strict=False):
            x0, top, x1, bottom = (float(v) for v in row.bbox)
            if not any(clean_cell(c) for c in cells):
                continue
            items.append((top, bottom, row_line(list(cells), page=number, bbox=(x0, top, x1, bottom))))
        try:
            outside = outside.outside_bbox(table.bbox)
        except ValueError:  # a table bbox reaching outside the page
            continue
    for found in outside.extract_text_lines(strip=True, return_chars=False):
        text = found.get("text", "")
        if not text.strip():
            continue
        box = (float(found["x0"]), float(found["top"]), float(found["x1"]), float(found["bottom"]))
        items.append((box[1], box[3], text_line(text, page=number, bbox=box)))
    items.sort(key=lambda item: (round(item[0], 1), item[2].bbox[0] if item[2].bbox else 0))
    lines: list[SourceLine] = []
    prev_bottom = prev_height = None
    for top, bottom, line in items:
        if prev_bottom is not None and prev_height is not None and top - prev_bottom > max(3.0, 0.8 * prev_height):
            lines.append(blank_line(page=number))
        lines.append(line)
        prev_bottom, prev_height = bottom, max(bottom - top, 1.0)
    return lines


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
