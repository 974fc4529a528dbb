"""CSV/TSV data releases: tables published as delimited text (README "Data releases (CSV)").

Two layouts are read:

1. one file per table: the first line is the title (a single field), an optional "单位：元"
   line, then the header row(s) and the data rows; lines holding a single field after the
   table are notes ("注：…");
2. one long file: a header row with a column named `table` (or `表名`), each row tagged with
   the title of the table it belongs to; an optional `unit` (or `单位`) column gives the unit.
   The rows of each table, in the order of their first appearance, become that table, with the
   header row (minus those two columns) repeated above it.

The delimiter is sniffed (comma, tab, semicolon, vertical bar); the encoding was decoded by the
caller (UTF-8 with or without BOM, GB18030/GBK, UTF-16). Cell addresses ("预算.csv!C12", column
letter and physical row of the record) become `cell_refs`, as for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import PurePath

from auditor.load.errors import InputError
from auditor.load.limits import limit
from auditor.load.lines import blank_line, finish, max_cells, text_line
from auditor.model import Document, SourceLine

_DELIMITERS = ",\t;|"
_TABLE_COLUMN = {"table", "表名", "表格", "table_name"}
_UNIT_COLUMN = {"unit", "单位", "金额单位"}


def looks_like_csv(text: str) -> bool:
    """A delimited data release without a .csv/.tsv suffix: at least 5 records, no tabs, and 80%
    of them with the same number (3 or more) of comma- or semicolon-separated fields."""
    sample = [line for line in text[:20000].splitlines()[:40] if line.strip()]
    if len(sample) < 5 or any("\t" in line for line in sample):
        return False
    for delimiter in ",;":
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        common = max(set(counts), key=counts.count)
        if common >= 3 and counts.count(common) >= 0.8 * len(counts):
            return True
    return False


def _delimiter(text: str, path: str) -> str:
    sample = text[:20000]
    if path.lower().endswith(".tsv"):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def load_csv(path: str, text: str, encoding: str) -> Document:
    from auditor.load.spreadsheet import _sheet_lines

    delimiter = _delimiter(text, path)
    row_cells = limit("AUDITOR_MAX_LINE_CELLS")
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(record) > row_cells:  # refused as it is read, before the rest is parsed
                raise InputError(path, f"record {len(records) + 1} has {len(record):,} cells, over the "
                                       f"{row_cells:,} limit (set AUDITOR_MAX_LINE_CELLS to raise it)")
            records.append(record)
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({' '.join(str(exc).split())[:120]})") from exc
    cells = sum(len(r) for r in records)
    if cells > max_cells():
        raise InputError(path, f"the file has more than {max_cells():,} cells (set AUDITOR_MAX_CELLS to raise it)")
    name = PurePath(path).name
    notes: list[tuple[str, int, str]] = []
    header_index, table_col = _long_layout(records)
    lines: list[SourceLine] = []
    if table_col is None:
        lines = _sheet_lines(name, records, {}, {}, notes, 0)
    else:
        header = records[header_index]
        unit_col = next((j for j, h in enumerate(header) if h.strip().lower() in _UNIT_COLUMN), None)
        keep = [j for j in range(len(header)) if j not in (table_col, unit_col)]
        groups: dict[str, list[int]] = {}
        for r in range(header_index + 1, len(records)):
            row = records[r]
            if not any(c.strip() for c in row):
                continue
            title = row[table_col].strip() if table_col < len(row) else ""
            groups.setdefault(title, []).append(r)
        for title, members in groups.items():
            if lines:
                lines.append(blank_line())
            lines.append(text_line(title or name))
            units = {records[r][unit_col].strip() for r in members if unit_col is not None and unit_col < len(records[r])}
            units.discard("")
            if len(units) == 1:
                lines.append(text_line(f"单位：{units.pop()}"))
            sub = [[header[j] for j in keep]] + [[records[r][j] if j < len(records[r]) else "" for j in keep]
                                                 for r in members]
            block = _sheet_lines(name, sub, {}, {}, notes, len(lines), title_from_name=False)
            rows = [header_index, *members]
            for line in block:  # point the refs at the physical records of the long file
                if line.cell_refs:
                    line.cell_refs = [_long_ref(name, rows, ref, keep) for ref in line.cell_refs]
            lines.extend(block)
    return finish(path, lines, "csv", encoding, notes=notes)


def _long_layout(records: list[list[str]]) -> tuple[int, int | None]:
    """(header row index, index of the `table` column) of a long file, or (0, None)."""
    for index, row in enumerate(records[:5]):
        for j, cell in enumerate(row):
            if cell.strip().lower() in _TABLE_COLUMN and len(row) >= 3:
                return index, j
    return 0, None


_REF = re.compile(r"^(?P<sheet>.*)!(?P<col>[A-Z]+)(?P<row>\d+)$")


def _long_ref(name: str, rows: list[int], ref: str, keep: list[int]) -> str:
    from auditor.load.cell_refs import column_number
    from auditor.load.spreadsheet import _column_name, _ref

    match = _REF.match(ref)
    if not match:
        return ref
    col = column_number(match.group("col"))
    row = int(match.group("row")) - 1
    if row >= len(rows) or col - 1 >= len(keep):
        return ref
    return _ref(name, rows[row], keep[col - 1]) if _column_name(keep[col - 1]) else ref
