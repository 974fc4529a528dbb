"""XLSX and XLS disclosures (python-calamine; openpyxl for XLSX number formats and formulas).

Layout: one sheet per table, as in the standard submission templates, or several titled tables
on one sheet as people make them. Per visible sheet, in workbook order: each grid (a run of rows
with two or more cells, see `table_segments`) becomes tab-separated lines, blank cells kept; the
rows around and between the grids holding a single cell (titles, "单位：元", "(2024年)", notes such
as "注：…", 说明 prose) become text lines, so the table reader finds each grid's title and unit. When a sheet does not
open with a title row, its name is the title. Each row line carries `cell_refs` ("表3!C12"), so
findings on a spreadsheet point at the cell (`Row.address` -> `Location.cell`); its `page` stays
None and its line number counts the lines of all sheets in order.

Values: text is kept as printed (an amount stored as text "1,234.50" stays so); a number is
rendered as Excel displays it under the cell's number format when that format fixes decimals or
a thousands separator ("#,##0.00" -> "1,234.50", "0%" -> "97%"), else as its shortest exact
decimal at Excel's 15 significant digits (21330443.0 -> "21330443", 0.1+0.2 -> "0.3"). XLS number
formats are not read (calamine does not expose them), so XLS numbers use the second rule.

Merged cells: the value stays in the top-left cell and the covered cells are blank. That is the
layout of extracted text the table reader expects: it forward-fills a spanning header label
over the blanks to its right itself (auditor.read.table_header.column_paths); filling at load
time would repeat labels and make header rows look like data.

Noted, not fatal (reported by parse.* rules): hidden sheets (skipped), formulas without a cached
value (the cell is blank: the workbook was saved by a tool that does not compute formulas).

Limits: an XLSX is a ZIP; its directory is checked before anything is unpacked: total
uncompressed size (`AUDITOR_MAX_UNCOMPRESSED`) and the compression ratio of each large member
(`AUDITOR_MAX_RATIO`) stop zip bombs; `AUDITOR_MAX_CELLS` caps the cells read.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from auditor.load.cell_refs import column_letters
from auditor.load.errors import InputError
from auditor.load.isolate import isolated
from auditor.load.lines import (
    blank_line,
    finish,
    max_cells,
    max_ratio,
    max_uncompressed,
    row_line,
    text_line,
)
from auditor.load.xlsx_extent import check_extents
from auditor.model import Document, SourceLine

_SIMPLE_SHEET = re.compile(r"^[\w\u4e00-\u9fff]+$")


# A used range above this many cells is read in a forked child (auditor.load.isolate): a large
# grid is where a native allocation can fail and abort the process.
ISOLATE_ABOVE = 250_000


def load_spreadsheet(path: str, data: bytes, fmt: str) -> Document:
    risky = fmt != "xlsx"  # XLS: a binary format the pre-checks cannot see into
    if fmt == "xlsx":
        check_zip(path, data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            extents = check_extents(path, archive, max_cells())  # before calamine builds any dense grid
        risky = any(not e.known for e in extents) or sum(e.area for e in extents) > ISOLATE_ABOVE
    sheets = isolated(path, "the spreadsheet reader", _read_sheets, path, data, fmt) if risky else \
        _read_sheets(path, data, fmt)
    formats: dict[tuple[str, int, int], str] = {}
    formulas: dict[tuple[str, int, int], str] = {}
    if fmt == "xlsx":
        formats, formulas = _xlsx_styles(path, data)
    lines: list[SourceLine] = []
    notes: list[tuple[str, int, str]] = []
    names: list[str] = []
    for name, hidden, rows in sheets:
        if hidden:
            notes.append(("hidden_sheet", 0, name))
            continue
        names.append(name)
        if lines:
            lines.append(blank_line())
        lines.extend(_sheet_lines(name, rows, formats, formulas, notes, len(lines)))
    if not names:
        raise InputError(path, f"the {fmt.upper()} file has no visible worksheet")
    return finish(path, lines, fmt, "", notes=notes, sheet_names=names)


def _read_sheets(path: str, data: bytes, fmt: str) -> list[tuple[str, bool, list[list[Any]]]]:
    """(name, hidden, rows) of every worksheet, in workbook order (calamine); hidden sheets have
    no rows. Plain Python values only, so that a forked child can send them back."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError(path, "spreadsheet input needs python-calamine (pip install python-calamine)") from exc
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(book.sheets_metadata)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise InputError(path, f"not a readable {fmt.upper()}: corrupt or truncated ({_why(exc)})") from exc
    out: list[tuple[str, bool, list[list[Any]]]] = []
    budget = max_cells()
    for meta in metadata:
        name = meta.name
        if _hidden(meta.visible):
            out.append((name, True, []))
            continue
        if "worksheet" not in str(meta.typ).lower():
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            budget -= int(sheet.height or 0) * int(sheet.width or 0)
            if budget < 0:
                raise InputError(path, f"the workbook has more than {max_cells():,} cells "
                                       "(set AUDITOR_MAX_CELLS to raise it)")
            rows = sheet.to_python(skip_empty_area=False)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise InputError(path, f"the spreadsheet is corrupt: cannot read sheet {name!r} ({_why(exc)})") from exc
        out.append((name, False, rows))
    return out


def _hidden(visible: object) -> bool:
    state = str(visible).rsplit(".", 1)[-1].lower()
    return state in ("hidden", "veryhidden")


def _why(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def check_zip(path: str, data: bytes) -> None:
    """Refuse a zip bomb from the ZIP directory alone, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a readable XLSX: corrupt or truncated ZIP ({_why(exc)})") from exc
    total = sum(info.file_size for info in infos)
    limit = max_uncompressed()
    if total > limit:
        raise InputError(path, f"the XLSX unpacks to {total / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB "
                               "limit (a zip bomb? set AUDITOR_MAX_UNCOMPRESSED to raise it)")
    ratio_limit = max_ratio()
    for info in infos:
        if info.file_size > 1 << 20 and info.file_size > ratio_limit * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(path, f"the XLSX member {info.filename} is compressed {ratio:,.0f}:1, over the "
                                   f"{ratio_limit}:1 limit (a zip bomb? set AUDITOR_MAX_RATIO to raise it)")


def _xlsx_styles(path: str, data: bytes) -> tuple[dict[tuple[str, int, int], str], dict[tuple[str, int, int], str]]:
    """Number formats of numeric cells that print decimals/separators/percent, and formulas."""
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - a core dependency
        return {}, {}
    formats: dict[tuple[str, int, int], str] = {}
    formulas: dict[tuple[str, int, int], str] = {}
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - calamine read it; styles are a nicety
        return {}, {}
    try:
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # a stored <dimension> may be forged: never pad rows to it
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    key = (sheet.title, cell.row - 1, cell.column - 1)
                    number_format = getattr(cell, "number_format", "General") or "General"
                    if getattr(cell, "data_type", "") == "f" or (isinstance(value, str) and value.startswith("=")):
                        formulas[key] = str(value)
                        formats[key] = number_format
                    elif isinstance(value, int | float) and not isinstance(value, bool) and number_format != "General":
                        formats[key] = number_format
    except Exception:  # noqa: BLE001
        return formats, formulas
    finally:
        book.close()
    return formats, formulas


@lru_cache(maxsize=20_000)
def _column_name(index: int) -> str:
    """0 -> A (a 0-based column index)."""
    return column_letters(index + 1)


def _ref(sheet: str, row: int, col: int) -> str:
    prefix = sheet if _SIMPLE_SHEET.match(sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{prefix}!{_column_name(col)}{row + 1}"


def _sheet_lines(name: str, rows: list[list[Any]], formats: dict[tuple[str, int, int], str],
                 formulas: dict[tuple[str, int, int], str], notes: list[tuple[str, int, str]],
                 offset: int, title_from_name: bool = True) -> list[SourceLine]:
    texts: list[list[str]] = []
    pending: list[tuple[int, str]] = []  # (sheet row, "ref formula") of formulas without a value
    refused: list[tuple[int, str]] = []  # (sheet row, why) of cells that could not be read
    for r, row in enumerate(rows):
        out = []
        for c, value in enumerate(row):
            key = (name, r, c)
            text = render(value, formats.get(key, "General"))
            if isinstance(value, float) and not math.isfinite(value):
                refused.append((r, f"{_ref(name, r, c)} holds a number too large to read ({value}); "
                                   "its relations were not checked"))
            if not text and key in formulas:
                pending.append((r, f"{_ref(name, r, c)} {formulas[key]}"))
            out.append(text)
        texts.append(out)
    segments = table_segments(texts)
    segment_of = {r: seg for seg in segments for r in range(seg[0], seg[1] + 1)}
    first = segments[0][0] if segments else len(texts)
    lines: list[SourceLine] = []
    line_of: dict[int, int] = {}
    opened = any(t.strip() for row in texts[:first] for t in row)
    if not opened and title_from_name:
        lines.append(text_line(name))
    widths = {seg: _segment_width(texts, *seg) for seg in segments}
    for r, row in enumerate(texts):
        filled = [t for t in row if t.strip()]
        line_of[r] = offset + len(lines) + 1
        seg = segment_of.get(r)
        if seg is not None:
            width = max(1, min(len(row), widths[seg]))
            refs = [_ref(name, r, c) for c in range(width)]
            lines.append(row_line(row[:width], refs=refs))
        elif not filled:
            if lines and lines[-1].text:
                lines.append(blank_line())
        else:
            line = text_line(" ".join(filled))
            col = next(c for c, t in enumerate(row) if t.strip())
            line.cell_refs = [_ref(name, r, col)]
            lines.append(line)
    for r, detail in pending:
        notes.append(("formula_no_value", line_of.get(r, 0), detail))
    for r, detail in refused:
        notes.append(("skipped", line_of.get(r, 0), detail))
    return lines


# A one-cell row that is prose, not a row of the grid: a note or a sentence.
_NOTE_ROW = re.compile(r"^(?:注|备注|说明|附注|资料来源)[0-9一二三]*[:：]")
_PROSE_ROW = re.compile(_NOTE_ROW.pattern + r"|[。；;]$")
MAX_LABEL_ROW = 40  # a one-cell row longer than this is prose
# A one-cell row that opens the next table: its unit line or year line.
_TITLE_ROW = re.compile(r"^(?:金额)?单位\s*[:：]|^[(（]\s*\d{4}\s*年")


def table_segments(texts: list[list[str]]) -> list[tuple[int, int]]:
    """The grids of a sheet as (first row, last row): a run of rows with two or more cells.

    People put several titled tables on one sheet, with blank rows, notes (注：…) and 说明 prose
    between them. A grid ends at a prose row, and at a blank row after which the next filled row
    has a single cell (the next table's title or a note); a one-cell row inside the grid (a
    section label such as "一、收入") stays in it, and so does a one-cell row right under the
    grid whose cell is indented past the grid's first column: the label column is blank because
    the label above spans it ("年度总体目标" over "目标1", "目标2", …), so it continues the grid.
    """
    filled = [sum(1 for t in row if t.strip()) for row in texts]
    segments: list[tuple[int, int]] = []
    start = last = None
    left = 0  # the grid's first filled column
    for r, count in enumerate(filled):
        if count >= 2:
            if start is None:
                start, left = r, len(texts[r])
            left = min(left, _first_column(texts[r]))
            last = r
            continue
        if start is None:
            continue
        if count == 1 and last == r - 1 and _continues_grid(texts[r], left):
            last = r
            continue
        nxt = next((k for k in range(r + 1, len(texts)) if filled[k]), None)
        if count == 0:
            if nxt is not None and (filled[nxt] >= 2 or _label_row(texts, filled, nxt)):
                continue  # a blank row inside the grid
        elif _label_row(texts, filled, r):
            continue  # a section label between rows of the grid
        segments.append((start, last))  # type: ignore[arg-type]
        start = last = None
    if start is not None:
        segments.append((start, last))  # type: ignore[arg-type]
    return segments


def _first_column(row: list[str]) -> int:
    return next((c for c, t in enumerate(row) if t.strip()), len(row))


def _continues_grid(row: list[str], left: int) -> bool:
    """A one-cell row right under a grid row, its cell indented past the grid's first column and
    neither a unit/year line nor a note: a cell of the grid under a spanning label."""
    col = _first_column(row)
    text = row[col].strip() if col < len(row) else ""
    return col > left and not _TITLE_ROW.match(text) and not _NOTE_ROW.match(text)


def _label_row(texts: list[list[str]], filled: list[int], r: int, depth: int = 0) -> bool:
    """A one-cell row of the grid ("项目绩效目标", "一、收入", "备注"): short, not prose, not a title
    or unit line, and followed (blank rows allowed) by a row of the grid or by another such row
    that is."""
    if filled[r] != 1 or depth > 1:
        return False
    text = " ".join(t.strip() for t in texts[r] if t.strip())
    if len(text) > MAX_LABEL_ROW or _PROSE_ROW.search(text) or text.endswith("表") or _TITLE_ROW.match(text):
        return False
    nxt = next((k for k in range(r + 1, len(texts)) if filled[k]), None)
    return nxt is not None and (filled[nxt] >= 2 or _label_row(texts, filled, nxt, depth + 1))


def _segment_width(texts: list[list[str]], first: int, last: int) -> int:
    """The grid's width: columns blank in every row of it are padding (calamine pads to the used range)."""
    return max(1, max(_last_filled(texts[k]) for k in range(first, last + 1)))


def _last_filled(row: list[str]) -> int:
    """1 + the index of the row's last non-blank cell (0 for a blank row)."""
    for c in range(len(row) - 1, -1, -1):
        if row[c].strip():
            return c + 1
    return 0


# --------------------------------------------------------------------------- number rendering

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def render(value: Any, number_format: str = "General") -> str:
    """A cell value as text, numbers as Excel displays them (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"  # 1e999 or NaN: not an amount (Excel's own mark); the loader notes the cell
    if isinstance(value, int | float):
        return render_number(value, number_format)
    return str(value)


def render_number(value: int | float, number_format: str = "General") -> str:
    try:
        exact = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
    except (InvalidOperation, ValueError):
        return str(value)
    section = _QUOTED.sub("", (number_format or "General").split(";")[0])
    percent = "%" in section
    if percent:
        exact *= 100
    decimals: int | None = None
    thousands = False
    if section.lower() != "general" and re.search(r"[0#?]", section):
        integer, _, fraction = section.partition(".")
        thousands = "," in integer and re.search(r"[0#?],[0#?]", integer) is not None
        decimals = len(re.match(r"[0#?]*", fraction).group(0)) if fraction else 0  # type: ignore[union-attr]
    if decimals is None:
        text = _plain(exact)
    else:
        quantum = Decimal(1).scaleb(-decimals)
        rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
        text = f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"
    return text + ("%" if percent else "")


def _plain(number: Decimal) -> str:
    """Shortest exact decimal, no exponent, no trailing zeros: 21330443, 0.3, 1234.5."""
    if number == number.to_integral_value():
        return str(int(number))
    text = format(number.normalize(), "f")
    return text
