"""Shared by the structured loaders (PDF, spreadsheet, HTML, CSV): turn text lines and table rows
into numbered `SourceLine`s laid out the way the readers expect extracted text to be.

The readers were written for extracted text: a table is a run of tab-separated lines with its
title and a "单位：元" line above it, prose is hard-wrapped lines, page furniture is marked
`footer`. Every structured loader produces exactly that layout, so every suite works unchanged;
what the text loses (page, bounding box, cell address) is kept on each line.
"""

from __future__ import annotations

import os
import re

from auditor.load.errors import InputError
from auditor.load.limits import lines_over_limit
from auditor.load.normalize import normalize_document
from auditor.model import Document, SourceLine

_SPACES = re.compile(r"[ \t\u3000\f\v\xa0\r]+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef（）《》“”、，。：；"
_WRAP_CJK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")


def clean_cell(text: object) -> str:
    """A cell's text on one line: a wrap between two CJK characters is dropped ("补助\\n支出" ->
    "补助支出"), any other line break or run of spaces becomes one space."""
    if text is None:
        return ""
    value = str(text)
    if "\n" in value:
        value = _WRAP_CJK.sub("", value)
    return _SPACES.sub(" ", value.replace("\n", " ")).strip()


def clean_text(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def text_line(text: str, *, page: int | None = None, bbox: tuple[float, float, float, float] | None = None,
              footer: bool = False, raw: str | None = None) -> SourceLine:
    """A prose (or title) line; tabs inside are spaces, so it never looks like a table row."""
    clean = clean_text(text.replace("\t", " "))
    return SourceLine(number=0, raw=clean if raw is None else raw, text=clean, page=page, bbox=bbox, footer=footer)


def row_line(cells: list[object], *, page: int | None = None, bbox: tuple[float, float, float, float] | None = None,
             refs: list[str] | None = None) -> SourceLine:
    """A table row: its cells joined by tabs, blank cells kept so that columns stay in place."""
    texts = [clean_cell(c) for c in cells]
    if len(texts) == 1:  # a one-column grid: still a row
        texts.append("")
    joined = "\t".join(texts)
    return SourceLine(number=0, raw=joined, text=joined, cells=texts, page=page, bbox=bbox, cell_refs=refs)


def blank_line(*, page: int | None = None, footer: bool = False, raw: str = "") -> SourceLine:
    return SourceLine(number=0, raw=raw, text="", page=page, footer=footer)


def finish(path: str, lines: list[SourceLine], fmt: str, encoding: str = "", *,
           notes: list[tuple[str, int, str]] | None = None, allow_empty: bool = False,
           sheet_names: list[str] | None = None, pages: int = 0) -> Document:
    """Number the lines (1-based, in order) and wrap them in a Document of reading copies
    (auditor.load.normalize)."""
    for number, line in enumerate(lines, start=1):
        line.number = number
    reason = lines_over_limit([line.text for line in lines],
                              [len(line.cells) if line.cells is not None else None for line in lines])
    if reason:
        raise InputError(path, reason)
    if not allow_empty and not any(line.text.strip() for line in lines):
        raise InputError(path, f"the {fmt.upper()} file holds no text")
    return normalize_document(Document(path=path, lines=lines, format=fmt, encoding=encoding,
                                       notes=list(notes or []), sheet_names=list(sheet_names or []), pages=pages))


def keep_table_rows_adjacent(lines: list[SourceLine]) -> list[SourceLine]:
    """Drop blank lines between two table rows: a table continued on the next page (or split into
    several grids) stays one run of tab lines."""
    out: list[SourceLine] = []
    for i, line in enumerate(lines):
        if not line.text and not line.footer and out and out[-1].cells is not None:
            nxt = next((n for n in lines[i + 1:] if n.text or n.footer), None)
            if nxt is not None and nxt.cells is not None:
                continue
        out.append(line)
    return out


# --------------------------------------------------------------------------- limits


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip().replace("_", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return default


def max_pages() -> int:
    """Most PDF pages read: `AUDITOR_MAX_PAGES`, default 500."""
    return _env_int("AUDITOR_MAX_PAGES", 500)


def max_cells() -> int:
    """Most spreadsheet/HTML/CSV cells read: `AUDITOR_MAX_CELLS`, default 2,000,000."""
    return _env_int("AUDITOR_MAX_CELLS", 2_000_000)


def max_sparse_area() -> int:
    """Largest mostly-empty XLSX used range (see auditor.load.xlsx_extent): `AUDITOR_MAX_SPARSE_AREA`,
    default 250,000 cells."""
    return _env_int("AUDITOR_MAX_SPARSE_AREA", 250_000)


def max_uncompressed() -> int:
    """Most bytes an XLSX may unpack to: `AUDITOR_MAX_UNCOMPRESSED`, default 300 MB."""
    return _env_int("AUDITOR_MAX_UNCOMPRESSED", 300 * 1024 * 1024)


def max_ratio() -> int:
    """Largest compression ratio of one XLSX member over 1 MB: `AUDITOR_MAX_RATIO`, default 200."""
    return _env_int("AUDITOR_MAX_RATIO", 200)
