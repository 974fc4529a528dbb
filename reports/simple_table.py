"""A plain-text table of left-aligned text columns, aligned by display width (CJK counts two).

The layout is the "simple" one of psql-style listings: a header row, a rule of dashes under each
column, then the rows; columns are two spaces apart, each at least two columns wider than its
header, and every line is stripped on the right. A cell holding line breaks takes several lines,
the other cells of its row left blank below their first line. Cells are stripped of surrounding
whitespace. This is the layout the text report printed with `tabulate` (tablefmt "simple",
disable_numparse), written here so that a cold `auditor check` does not import it.
"""

from __future__ import annotations

from reports.display_width import display_width

SEPARATOR = "  "
HEADER_PADDING = 2  # a column is at least this much wider than its header


def simple_table(rows: list[list[str]], headers: list[str]) -> str:
    """`rows` under `headers` as text lines (see the module docstring)."""
    body = [[_lines(cell) for cell in row] for row in rows]
    head = [_lines(h) for h in headers]
    widths = [max(display_width(line) for line in h) + HEADER_PADDING for h in head]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], *(display_width(line) for line in cell))
    out = _physical_lines(head, widths)
    out.append(SEPARATOR.join("-" * w for w in widths))
    for row in body:
        out.extend(_physical_lines(row, widths))
    return "\n".join(out)


def _lines(cell: str) -> list[str]:
    return str(cell).strip().split("\n")


def _physical_lines(cells: list[list[str]], widths: list[int]) -> list[str]:
    height = max((len(c) for c in cells), default=1)
    out = []
    for k in range(height):
        parts = []
        for cell, width in zip(cells, widths, strict=False):
            text = cell[k] if k < len(cell) else ""
            parts.append(text + " " * (width - display_width(text)))
        out.append(SEPARATOR.join(parts).rstrip())
    return out
