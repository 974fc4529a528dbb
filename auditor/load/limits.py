"""Resource limits of the text loader: longest line, most lines, most cells in one row.

Each limit has a default and an environment variable that overrides it (read at every call, so
a test or a batch job can change it): a positive integer, `_` allowed as a digit separator.
A document over a limit is one InputError with a one-line reason naming the variable; the
readers never see it. `AUDITOR_MAX_BYTES` (the file size) lives in `auditor.load`.
"""

from __future__ import annotations

import os

# name of the environment variable -> default
MAX_LINE_CHARS = 100_000  # a whole PDF page extracted as one line is about 5,000
MAX_LINES = 200_000  # a 300-page PDF is ~15,000 lines; a million short lines costs minutes and GBs
MAX_CELLS = 1_000  # tab-separated cells in one line; disclosure tables have under 30 columns

DEFAULTS = {
    "AUDITOR_MAX_LINE_CHARS": MAX_LINE_CHARS,
    "AUDITOR_MAX_LINES": MAX_LINES,
    "AUDITOR_MAX_LINE_CELLS": MAX_CELLS,
}


def limit(name: str) -> int:
    """The limit `name` (a key of DEFAULTS): the environment's positive integer, else the default."""
    value = os.environ.get(name, "").strip().replace("_", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return DEFAULTS[name]


def over_limit(text: str) -> str | None:
    """The one-line reason `text` is over a limit, or None. Lines are counted as the loader
    splits them (on "\\n", or on "\\r" in a file with no "\\n"); short texts cost one count."""
    separator = "\n" if "\n" in text or "\r" not in text else "\r"
    max_lines = limit("AUDITOR_MAX_LINES")
    lines = text.count(separator) + (0 if text.endswith(separator) else 1)
    if lines > max_lines:
        return f"the text has {lines:,} lines, over the {max_lines:,} limit (set AUDITOR_MAX_LINES to raise it)"
    max_chars = limit("AUDITOR_MAX_LINE_CHARS")
    max_cells = limit("AUDITOR_MAX_LINE_CELLS")
    check_chars = len(text) > max_chars
    check_cells = text.count("\t") >= max_cells
    if not (check_chars or check_cells):
        return None
    for number, line in enumerate(text.split(separator), start=1):
        if check_chars and len(line) > max_chars and len(line.removesuffix("\r")) > max_chars:
            return (f"line {number} is {len(line.removesuffix(chr(13))):,} characters long, over the "
                    f"{max_chars:,} limit (set AUDITOR_MAX_LINE_CHARS to raise it)")
        if check_cells and line.count("\t") + 1 > max_cells:
            return (f"line {number} has {line.count(chr(9)) + 1:,} tab-separated cells, over the {max_cells:,} "
                    "limit (set AUDITOR_MAX_LINE_CELLS to raise it)")
    return None


def lines_over_limit(texts: list[str], cells: list[int | None]) -> str | None:
    """The one-line reason a loaded document (any format) is over a limit, or None: the same
    line count, line length and cells-per-line limits as `over_limit`, applied to the lines a
    structured loader produced (a PDF page, an HTML <p>, a spreadsheet row are lines too)."""
    max_lines = limit("AUDITOR_MAX_LINES")
    if len(texts) > max_lines:
        return (f"the document has {len(texts):,} lines, over the {max_lines:,} limit "
                "(set AUDITOR_MAX_LINES to raise it)")
    max_chars = limit("AUDITOR_MAX_LINE_CHARS")
    max_cells = limit("AUDITOR_MAX_LINE_CELLS")
    for number, (text, count) in enumerate(zip(texts, cells, strict=True), start=1):
        if len(text) > max_chars:
            return (f"line {number} is {len(text):,} characters long, over the {max_chars:,} limit "
                    "(set AUDITOR_MAX_LINE_CHARS to raise it)")
        if count is not None and count > max_cells:
            return (f"line {number} has {count:,} cells, over the {max_cells:,} limit "
                    "(set AUDITOR_MAX_LINE_CELLS to raise it)")
    return None
