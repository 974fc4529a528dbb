"""Build the bundled sample disclosure in other formats (PDF, XLSX, XLS, HTML, CSV) for the tests.

The source is `datasets/budget_2024_sample.txt`: its lines become items (text, blank, page
footer, table row). A table row the text reader had to realign (a row of extracted text that
lost its empty cells at a page break) is written with its cells restored, as a real grid has
them. Each writer lays the items out the way that format is published:

- PDF (reportlab, built-in CJK font STSong-Light): one PDF page per page of the text, ruled
  tables, hard-wrapped prose, a running header on every page and the page footer at the bottom;
- XLSX (openpyxl) / XLS (xlwt): one sheet per table (title in the first row, "单位：元" below),
  the prose on a first sheet "说明"; amounts stored as numbers with a "#,##0" or "0.00" format
  matching how they were printed;
- HTML: <p> prose and <table> grids, a <script> and a <style> that must be ignored;
- CSV: one file per table (title, unit, header and rows), the layout of README "Data releases".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "budget_2024_sample.txt"
RUNNING_HEADER = "示例市文化广电和旅游局2024年部门预算公开"

_AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})+$|^-?\d+$|^-?\d+\.\d{2}$")
_PAGE = re.compile(r"^第\s*\d+\s*页")
_TITLE_NEXT = re.compile(r"^(单位|金额单位)\s*[:：]|^[(（]\s*\d{4}\s*年")


@dataclass
class Item:
    kind: str  # text | blank | footer | row
    text: str = ""
    cells: list[str] | None = None


def sample_items(path: Path = SAMPLE) -> list[Item]:
    from auditor.load import load
    from auditor.read import read_document

    doc = load(path)
    read = read_document(doc)
    restored: dict[int, list[str]] = {}
    for table in read.tables:
        if table.sides != 1:
            continue
        for row in table.rows:
            if row.aligned:
                restored[row.line] = [c.text for c in sorted(row.cells, key=lambda c: c.column)]
    items = []
    for line in doc.lines:
        if line.footer and _PAGE.match(line.text):
            items.append(Item("footer", line.text))
        elif not line.text.strip():
            items.append(Item("blank"))
        elif line.cells is not None:
            items.append(Item("row", cells=restored.get(line.number, list(line.cells))))
        else:
            items.append(Item("text", line.text))
    return items


def _blocks(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Consecutive rows grouped: ("rows", [...]) or ("item", [one item])."""
    out: list[tuple[str, list[Item]]] = []
    for item in items:
        if item.kind == "row" and out and out[-1][0] == "rows":
            out[-1][1].append(item)
        elif item.kind == "row":
            out.append(("rows", [item]))
        else:
            out.append(("item", [item]))
    return out


def _rect(rows: list[Item]) -> list[list[str]]:
    width = max(len(r.cells or []) for r in rows)
    return [list(r.cells or []) + [""] * (width - len(r.cells or [])) for r in rows]


# --------------------------------------------------------------------------- PDF


def write_pdf(target: Path, items: list[Item] | None = None, running_header: bool = True) -> Path:
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    items = sample_items() if items is None else items
    font, size, leading = "STSong-Light", 7.0, 10.0
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = 1400.0, 1500.0
    margin = 40.0
    pages: list[list[Item]] = [[]]
    for item in items:
        if item.kind == "footer":
            pages[-1].append(item)
            pages.append([])
        else:
            pages[-1].append(item)
    if not any(i.kind != "blank" for i in pages[-1]):
        pages.pop()
    pdf = canvas.Canvas(str(target), pagesize=(width, height))
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, size), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    bottom = margin + 20

    def new_page() -> float:
        pdf.setFont(font, size)
        if running_header:
            pdf.drawString(margin, height - 20, RUNNING_HEADER)
        return height - margin - 10

    for page_items in pages:
        y = new_page()
        for kind, block in _blocks(page_items):
            if kind == "rows":
                grid = _rect(block)
                while grid:  # a table that does not fit continues on the next page
                    fits = max(1, int((y - bottom) // (leading + 2)))
                    if y - bottom < leading + 2:
                        pdf.showPage()
                        y = new_page()
                        continue
                    part, grid = grid[:fits], grid[fits:]
                    table = Table(part, style=style, rowHeights=leading + 2)
                    _, h = table.wrapOn(pdf, width - 2 * margin, height)
                    table.drawOn(pdf, margin, y - h)
                    y -= h + 4
                    if grid:
                        pdf.showPage()
                        y = new_page()
                continue
            item = block[0]
            if item.kind == "blank":
                y -= leading
            elif item.kind == "footer":
                pdf.setFont(font, size)
                pdf.drawString(width / 2 - 30, 15, item.text)
            else:
                for piece in _wrap(item.text, font, size, 900.0):
                    if y - leading < bottom:
                        pdf.showPage()
                        y = new_page()
                    pdf.setFont(font, size)
                    pdf.drawString(margin, y - size, piece)
                    y -= leading
        pdf.showPage()
    pdf.save()
    return target


def _wrap(text: str, font: str, size: float, limit: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, font, size) > limit:
            out.append(current)
            current = ch.lstrip()
        else:
            current += ch
    if current:
        out.append(current)
    return out


# --------------------------------------------------------------------------- spreadsheets


def _sheets(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """The prose sheet "说明", then one sheet per table: its title line starts the sheet."""
    sheets: list[tuple[str, list[Item]]] = [("说明", [])]
    kept = [i for i in items if i.kind != "footer"]
    for idx, item in enumerate(kept):
        if item.kind == "text" and len(item.text) <= 40 and item.text.endswith("表"):
            nxt = next((n for n in kept[idx + 1: idx + 4] if n.kind != "blank"), None)
            if nxt is not None and (nxt.kind == "row" or _TITLE_NEXT.match(nxt.text)):
                sheets.append((f"表{len(sheets)}", []))
        sheets[-1][1].append(item)
    for _, sheet_items in sheets:  # no blank rows at the end of a sheet
        while sheet_items and sheet_items[-1].kind == "blank":
            sheet_items.pop()
    return sheets


def _typed(text: str) -> tuple[object, str | None]:
    """A printed amount as a number with the number format that prints it the same way."""
    if _AMOUNT.match(text):
        if "," in text:
            return int(text.replace(",", "")), "#,##0"
        if "." in text:
            return float(Decimal(text)), "0.00"
        if len(text) < 12 and not (len(text) > 1 and text.startswith("0")):
            return int(text), "0"
    return text, None


def write_xlsx(target: Path, items: list[Item] | None = None) -> Path:
    from openpyxl import Workbook

    items = sample_items() if items is None else items
    book = Workbook()
    book.remove(book.active)
    for name, sheet_items in _sheets(items):
        sheet = book.create_sheet(name)
        for r, item in enumerate(sheet_items, start=1):
            if item.kind == "text":
                sheet.cell(row=r, column=1, value=item.text)
            elif item.kind == "row":
                for c, text in enumerate(item.cells or [], start=1):
                    if not text:
                        continue
                    value, fmt = _typed(text)
                    cell = sheet.cell(row=r, column=c, value=value)
                    if fmt:
                        cell.number_format = fmt
                    elif text.startswith("="):  # "=100%" is a target value typed as text, not a formula
                        cell.data_type = "s"
    book.save(target)
    return target


def write_xlsx_one_sheet(target: Path, items: list[Item] | None = None) -> Path:
    """Every table on one sheet, as people make workbooks: the prose first, then each table with
    its title merged across the table's width, its "单位：元" line, blank rows and the notes and
    说明 prose between the tables; a spanning header label merged over the columns it covers."""
    from openpyxl import Workbook

    items = sample_items() if items is None else items
    book = Workbook()
    sheet = book.active
    sheet.title = "部门预算"
    rows = [i for _, sheet_items in _sheets(items) for i in [*sheet_items, Item("blank")]]
    width = max((len(i.cells or []) for i in rows if i.kind == "row"), default=1)
    r = 0
    for idx, item in enumerate(rows):
        r += 1
        if item.kind == "text":
            sheet.cell(row=r, column=1, value=item.text)
            nxt = next((n for n in rows[idx + 1: idx + 4] if n.kind != "blank"), None)
            if item.text.endswith("表") and nxt is not None and width > 1:
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        elif item.kind == "row":
            cells = item.cells or []
            for c, text in enumerate(cells, start=1):
                if not text:
                    continue
                value, fmt = _typed(text)
                cell = sheet.cell(row=r, column=c, value=value)
                if fmt:
                    cell.number_format = fmt
                elif text.startswith("="):
                    cell.data_type = "s"
            # a header label followed by blanks spans them: merge it as a spreadsheet would
            if cells and not any(_AMOUNT.match(t) for t in cells if t):
                c = 0
                while c < len(cells):
                    span = c + 1
                    while span < len(cells) and not cells[span]:
                        span += 1
                    if cells[c] and span - c > 1 and span < len(cells):
                        sheet.merge_cells(start_row=r, start_column=c + 1, end_row=r, end_column=span)
                    c = span
    book.save(target)
    return target


def write_xls(target: Path, items: list[Item] | None = None) -> Path:
    import xlwt

    items = sample_items() if items is None else items
    book = xlwt.Workbook(encoding="utf-8")
    styles = {fmt: xlwt.easyxf(num_format_str=fmt) for fmt in ("#,##0", "0.00", "0")}
    for name, sheet_items in _sheets(items):
        sheet = book.add_sheet(name)
        for r, item in enumerate(sheet_items):
            if item.kind == "text":
                sheet.write(r, 0, item.text)
            elif item.kind == "row":
                for c, text in enumerate(item.cells or []):
                    if text:
                        value, fmt = _typed(text)
                        if fmt:
                            sheet.write(r, c, value, styles[fmt])
                        else:
                            sheet.write(r, c, value)
    book.save(str(target))
    return target


# --------------------------------------------------------------------------- HTML and CSV


def html_text(items: list[Item] | None = None) -> str:
    from html import escape

    items = sample_items() if items is None else items
    parts = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>部门预算公开</title>",
             "<style>td { border: 1px solid #000 } .x:before { content: '合计 1' }</style>",
             "<script>var total = '合计\t999';</script></head><body>"]
    for kind, block in _blocks(items):
        if kind == "rows":
            parts.append("<table>")
            for row in block:
                parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row.cells or []) + "</tr>")
            parts.append("</table>")
            continue
        item = block[0]
        if item.kind == "text":
            parts.append(f"<p>{escape(item.text)}</p>")
        elif item.kind == "footer":
            parts.append(f"<div class=\"page-footer\">{escape(item.text)}</div>")
        else:
            parts.append("<br>")
    parts.append("</body></html>")
    return "\n".join(parts)


def csv_release(folder: Path, items: list[Item] | None = None) -> list[Path]:
    """One CSV per table (title, unit, header, rows); UTF-8 with BOM as spreadsheet tools write it."""
    items = sample_items() if items is None else items
    out = []
    for name, sheet_items in _sheets(items)[1:]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for item in sheet_items:
            if item.kind == "row":
                writer.writerow(item.cells or [])
            elif item.kind == "text":
                writer.writerow([item.text])
        path = folder / f"{name}.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        out.append(path)
    return out


# --------------------------------------------------------------------------- PDF page layouts


@dataclass
class Grid:
    """A table drawn at (x, y from the top of the page): rows of cells, ruled or not, and the
    rows (0-based) whose first cell spans the whole width (a title printed inside the grid)."""

    x: float
    y: float
    rows: list[list[str]]
    widths: list[float]
    ruled: bool = True
    spans: tuple[int, ...] = ()


@dataclass
class Words:
    """One printed line at (x, y from the top of the page)."""

    x: float
    y: float
    text: str


def write_pdf_layout(target: Path, pages: list[list[Grid | Words]], size: float = 8.0) -> Path:
    """Draw each page's lines and grids where they are placed (reportlab, STSong-Light): two grids
    side by side, one right under the other, ruled or unruled, as published PDFs lay them out."""
    from reportlab.lib import colors
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = 1200.0, 900.0
    pdf = canvas.Canvas(str(target), pagesize=(width, height))
    row_height = size + 6
    for page in pages:
        for item in page:
            if isinstance(item, Words):
                pdf.setFont(font, size)
                pdf.drawString(item.x, height - item.y - size, item.text)
                continue
            commands: list[tuple] = [("FONT", (0, 0), (-1, -1), font, size),
                                     ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
            if item.ruled:
                commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
            commands.extend(("SPAN", (0, r), (-1, r)) for r in item.spans)
            table = Table(item.rows, colWidths=item.widths, rowHeights=row_height, style=TableStyle(commands))
            _, h = table.wrapOn(pdf, width, height)
            table.drawOn(pdf, item.x, height - item.y - h)
        pdf.showPage()
    pdf.save()
    return target
