"""HTML disclosure pages (lxml): prose blocks and tables, in document order.

Block elements (p, div, h1-h6, li, pre, blockquote, section, …) and <br> end a text line; a
<table> becomes one tab-separated line per <tr>, with colspan/rowspan expanded into blank cells
(the value stays in the first cell, as in extracted text: the table reader forward-fills spanning
header labels itself); a nested table's text stays inside its cell; a <caption> is the line above
the table, where the table reader looks for the title. <script>, <style>, <noscript>, <template>
and <head> are ignored; entities are decoded here and escaped again only by the report renderers.
Page numbers left by PDF-to-HTML converters ("第 3 页 共 9 页") are marked `footer` as in text.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from auditor.load.errors import InputError
from auditor.load.lines import (
    blank_line,
    clean_cell,
    clean_text,
    finish,
    keep_table_rows_adjacent,
    max_cells,
    row_line,
)
from auditor.load.text import _mark_footers
from auditor.model import Document, SourceLine

_SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "svg"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "pre", "blockquote", "section",
          "article", "header", "footer", "main", "nav", "aside", "dl", "dt", "dd", "figure", "figcaption",
          "form", "fieldset", "address", "hr", "center", "body", "html"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def load_html(path: str, text: str, encoding: str) -> Document:
    try:
        import lxml.html
        from lxml import etree
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError(path, "HTML input needs lxml (pip install lxml)") from exc
    # huge_tree lifts libxml2's nesting limit from 256 to 2048 levels: without it, everything
    # after the 256th level (a table behind 300 nested <div>s) is silently not in the tree.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"not a readable HTML page ({' '.join(str(exc).split())[:120]})") from exc
    notes: list[tuple[str, int, str]] = []
    if any("excessive depth" in str(entry.message).lower() for entry in parser.error_log):
        notes.append(("skipped", 0, "HTML nested deeper than 2,048 levels: the rest of the page was not read"))
    walker = _Walker(path)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * 2048 + 1000))  # one frame per level; Python frames only
    try:
        walker.walk(root)
    finally:
        sys.setrecursionlimit(limit)
    walker.flush()
    lines = keep_table_rows_adjacent(walker.lines)
    _mark_footers_in(lines)
    return finish(path, lines, "html", encoding, notes=notes)


def _mark_footers_in(lines: list[SourceLine]) -> None:
    for number, line in enumerate(lines, start=1):
        line.number = number
    _mark_footers(lines)


class _Walker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: list[SourceLine] = []
        self.buffer: list[str] = []
        self.cells = 0

    def flush(self, gap: bool = False) -> None:
        text = clean_text("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.lines.append(SourceLine(number=0, raw=text, text=text))
            if gap:
                self.lines.append(blank_line())

    def walk(self, element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP:  # comments, processing instructions, scripts
            if element.tail:
                self.buffer.append(element.tail)
            return
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush(gap=True)
            self.table(element)
        elif tag in _BLOCK:
            self.flush()
            if element.text:
                self.buffer.append(element.text)
            for child in element:
                self.walk(child)
            self.flush(gap=tag not in ("li", "dt", "dd"))
        else:
            if element.text:
                self.buffer.append(element.text)
            for child in element:
                self.walk(child)
        if element.tail and tag != "html":
            self.buffer.append(element.tail)

    def table(self, table: Any) -> None:
        caption = table.find("caption")
        if caption is not None:
            text = clean_text(caption.text_content())
            if text:
                self.lines.append(SourceLine(number=0, raw=text, text=text))
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        self._check_spans(rows)
        grid: list[list[str]] = []
        pending: dict[tuple[int, int], str] = {}  # cells filled by a rowspan from above
        for r, tr in enumerate(rows):
            out: list[str] = []
            c = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in pending:
                    out.append(pending.pop((r, c)))
                    c += 1
                text = _cell_text(cell)
                colspan = _span(cell.get("colspan"))
                rowspan = min(_span(cell.get("rowspan")), len(rows) - r)  # a span never outlives the table
                for k in range(colspan):
                    out.append(text if k == 0 else "")
                    for down in range(1, rowspan):
                        pending[(r + down, c + k)] = ""
                c += colspan
            while (r, c) in pending:
                out.append(pending.pop((r, c)))
                c += 1
            self.cells += len(out)
            if self.cells > max_cells():
                raise InputError(self.path, f"the page has more than {max_cells():,} table cells "
                                            "(set AUDITOR_MAX_CELLS to raise it)")
            grid.append(out)
        for out in grid:
            if not any(t.strip() for t in out):
                continue
            if len([t for t in out if t.strip()]) == 1 and len(out) == 1:
                self.lines.append(SourceLine(number=0, raw=out[0], text=clean_text(out[0])))
            else:
                self.lines.append(row_line(list(out)))
        self.lines.append(blank_line())

    def _check_spans(self, rows: list[Any]) -> None:
        """Refuse a table whose spans would expand past the cells limit, from the span
        attributes alone, before any cell is expanded (20 cells of colspan=rowspan=1000 are a
        935-byte page that would be 20 million cells)."""
        total = self.cells
        for r, tr in enumerate(rows):
            for cell in tr:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    total += _span(cell.get("colspan")) * min(_span(cell.get("rowspan")), len(rows) - r)
            if total > max_cells():
                raise InputError(self.path, f"a table's cells and spans expand to more than {max_cells():,} cells "
                                            "(set AUDITOR_MAX_CELLS to raise it)")


def _owner(tr: Any) -> Any:
    parent = tr.getparent()
    while parent is not None and (not isinstance(parent.tag, str) or parent.tag.lower() != "table"):
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell: Any) -> str:
    """A cell's text with <br> and block children as line breaks (then joined by clean_cell)."""
    parts: list[str] = []

    def visit(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _SKIP or not tag:
            if element.tail:
                parts.append(element.tail)
            return
        if tag == "br" or tag in _BLOCK:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            visit(child)
        if tag in _BLOCK:
            parts.append("\n")
        if element.tail and element is not cell:
            parts.append(element.tail)

    visit(cell)
    return clean_cell("".join(parts).strip())
