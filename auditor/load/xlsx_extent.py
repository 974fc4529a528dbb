"""The true used range of each XLSX worksheet, from its cell references, before any library reads it.

The spreadsheet libraries build a dense grid over a sheet's used range: two cells, A1 and
XFD1048576, make a 17-billion-cell grid and the native reader aborts the process; a forged
`<dimension>` makes openpyxl pad every row to the claimed width. This module streams each
worksheet's XML (lxml iterparse, no tree kept) and reads only `<row r>` and `<c r>`: the largest
row and column actually used and the number of cells. `load_spreadsheet` refuses a workbook
whose dense area is over `AUDITOR_MAX_CELLS`, a sheet that is mostly empty grid (a stray far
cell: over `AUDITOR_MAX_SPARSE_AREA` cells of range and 100 times the cells used), or references
beyond Excel's sheet limits, before calamine or openpyxl are called; the stored `<dimension>`
is ignored.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from auditor.load.cell_refs import column_letters, column_number
from auditor.load.errors import InputError
from auditor.load.limits import limit
from auditor.load.lines import max_sparse_area

MAX_ROWS = 1_048_576  # Excel's sheet limits (also WPS and LibreOffice's)
MAX_COLUMNS = 16_384

# A used range over AUDITOR_MAX_SPARSE_AREA cells that is also over this many times the cells it
# holds is a stray or forged far cell (A1 and A1048576): its dense grid would cost hundreds of MB.
SPARSE_RATIO = 100

_SHEET_MEMBER = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_REF = re.compile(r"^\$?([A-Za-z]{1,7})\$?(\d{1,15})$")


@dataclass
class Extent:
    """A worksheet's used range: rows and columns from A1 to the last used cell, and its cells."""

    member: str
    rows: int = 0
    columns: int = 0
    cells: int = 0
    known: bool = True  # False: the XML could not be pre-scanned (the library will judge it)

    @property
    def area(self) -> int:
        return self.rows * self.columns


def sheet_extents(path: str, archive: zipfile.ZipFile) -> list[Extent]:
    """The used range of every worksheet member, from its cell references (a row or cell
    without `r` follows the previous one, as the readers place it)."""
    from lxml import etree

    out = []
    for info in archive.infolist():
        if not _SHEET_MEMBER.match(info.filename):
            continue
        extent = Extent(member=info.filename)
        row = 0
        col = 0
        try:
            with archive.open(info) as stream:
                for _, element in etree.iterparse(stream, events=("end",), tag=("{*}c", "{*}row"),
                                                  resolve_entities=False, no_network=True, huge_tree=True):
                    local = etree.QName(element).localname
                    ref = element.get("r")
                    if local == "row":
                        element.clear(keep_tail=False)
                        while element.getprevious() is not None:  # keep no finished rows in memory
                            del element.getparent()[0]
                        continue
                    match = _REF.match(ref or "")
                    parent = element.getparent()
                    row_attr = parent.get("r") if parent is not None else None
                    if match:
                        col, row = column_number(match.group(1)), int(match.group(2))
                    else:
                        col += 1
                        if row_attr and row_attr.isdigit():
                            row = int(row_attr)
                        row = max(row, 1)
                    has_value = len(element) > 0  # <v>, <is> or <f>: a styled empty cell is not used
                    element.clear(keep_tail=False)
                    if not has_value:
                        continue
                    extent.cells += 1
                    if row > MAX_ROWS or col > MAX_COLUMNS:
                        raise InputError(path, f"sheet {info.filename.rsplit('/', 1)[-1]} has a cell at row "
                                               f"{row:,}, column {col:,}, beyond a spreadsheet's "
                                               f"{MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns (corrupt or forged)")
                    extent.rows, extent.columns = max(extent.rows, row), max(extent.columns, col)
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - a malformed sheet is judged by the library's own error
            extent.known = False
        out.append(extent)
    return out


def check_extents(path: str, archive: zipfile.ZipFile, budget: int) -> list[Extent]:
    """Refuse a workbook whose dense grid (used ranges, A1 to the last cell) is over `budget` cells,
    or one of whose rows would be wider than the cells-per-line limit every format obeys."""
    extents = sheet_extents(path, archive)
    total = 0
    row_cells = limit("AUDITOR_MAX_LINE_CELLS")
    sparse_limit = max_sparse_area()
    for extent in extents:
        name = extent.member.rsplit("/", 1)[-1]
        total += extent.area
        span = f"A1:{column_letters(extent.columns)}{extent.rows}"
        if total > budget:
            raise InputError(path, f"sheet {name} spans {span} ({extent.rows:,} rows × {extent.columns:,} columns) "
                                   f"with {extent.cells:,} cells used, over the {budget:,}-cell limit "
                                   "(set AUDITOR_MAX_CELLS to raise it)")
        if extent.area > sparse_limit and extent.area > SPARSE_RATIO * max(extent.cells, 1):
            raise InputError(path, f"sheet {name} spans {span} but uses only {extent.cells:,} cells: a stray or "
                                   "forged cell far from the data would make a grid of "
                                   f"{extent.area:,} cells (set AUDITOR_MAX_SPARSE_AREA to raise it)")
        if extent.columns > row_cells:
            raise InputError(path, f"sheet {name} spans {span}: its rows would have {extent.columns:,} cells, "
                                   f"over the {row_cells:,} limit (set AUDITOR_MAX_LINE_CELLS to raise it)")
    return extents
