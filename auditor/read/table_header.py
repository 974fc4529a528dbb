"""Multi-row table headers: which leading rows are header rows, and each column's header path.

Extracted text loses cell spans. A group label ("基本支出") is printed once, over the first
of the columns it spans, and its sub-labels ("小计", "工资福利支出", …) sit in the row below.
`column_paths` forward-fills a spanning label over the blanks to its right, within the span of
the label above it. Extraction sometimes shifts a group label by one cell (seed 001 prints
"项目支出" over 基本支出's last column); when the row below marks each group's first column
with "小计", the groups are re-anchored there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from auditor.numbers import parse_amount, parse_percent
from auditor.read.table_schema import norm

_HEADER_WORD = re.compile(
    r"^(类|款|项|科目编码|科目代码|编码|代码|科目名称|名称|小计|合计|金额|项目|单位|行次|栏次|"
    r"其中.*|.*经济分类|.*科目.*|.*支出|.*收入|.*预算|.*决算|.*数)$"
)
_SUBTOTAL = {"小计", "合计"}
# A header cell's unit ("年度预算数(万元)", "金额（元）"): it names a column, a title seldom ends so.
_UNIT_SUFFIX = re.compile(r"[(（]\s*(?:亿元|万元|千元|元)\s*[)）]$")
# A numbered heading ("一、", "2.", "(三)") is a section title, not a column name.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）])")
TOTAL_LABEL = re.compile(r"^(合计|总计|.{0,10}合计|.{0,10}总计)[:：]?$")


@lru_cache(maxsize=8192)
def is_numeric_cell(text: str) -> bool:
    t = text.strip()
    if not t:
        return False
    return parse_amount(t) is not None or parse_percent(t) is not None


def is_header_cell(text: str) -> bool:
    """Whether a cell reads as a column name: a short header word ("项目", "预算数"), or a short
    name carrying its unit in parentheses ("年度预算数(万元)"); a numbered heading does not."""
    t = norm(text)
    if not t or _NUMBERED.match(t):
        return False
    name = _UNIT_SUFFIX.sub("", t)
    if len(name) > 16:
        return False
    return name != t or bool(_HEADER_WORD.match(name))


def looks_like_data(cells: list[str]) -> bool:
    """A row holding a number or a 合计/总计 label is data, not header."""
    for cell in cells:
        if is_numeric_cell(cell):
            return True
        if TOTAL_LABEL.match(norm(cell)) and norm(cell) not in ("合计", "总计"):
            return True
    return False


def count_header_rows(rows: list[list[str]], limit: int = 4) -> int:
    """How many leading rows are header rows.

    The first non-numeric row is a header row; a following non-numeric row is one too when it
    fills blanks under a spanning label of the row above, or holds only header words (类/款/项 …).
    """
    count = 0
    for idx, cells in enumerate(rows[:limit]):
        if looks_like_data(cells):
            # A "合计" total row right below the header is data; so is any number.
            break
        filled = [c for c in cells if c.strip()]
        if not filled:
            break
        if idx == 0:
            count = 1
            continue
        above = rows[idx - 1]
        fills_blank = any(cell.strip() and (j >= len(above) or not above[j].strip()) for j, cell in enumerate(cells))
        words_only = all(_HEADER_WORD.match(norm(c)) and len(norm(c)) <= 16 for c in filled)
        if all(len(norm(c)) <= 16 for c in filled) and (fills_blank or words_only):
            count = idx + 1
            continue
        break
    return count


def column_paths(header: list[list[str]], width: int) -> list[tuple[str, ...]]:
    """The header path (outer -> inner, normalised) of every column of the grid."""
    grid = [[norm(c) for c in row] + [""] * (width - len(row)) for row in header]
    grid = [row[:width] for row in grid]
    spans: list[list[tuple[int, int, str]]] = []  # per row: (start, end, label)
    for r, row in enumerate(grid):
        parent_ends = sorted({end for _, end, _ in spans[r - 1]}) if r else []
        row_spans = []
        starts = [j for j, text in enumerate(row) if text]
        for k, j in enumerate(starts):
            end = (starts[k + 1] - 1) if k + 1 < len(starts) else width - 1
            # A span stops where the span of the label above it stops (the first such end >= j).
            first = bisect_left(parent_ends, j)
            if first < len(parent_ends) and parent_ends[first] < end:
                end = parent_ends[first]
            if r == len(grid) - 1:
                end = j  # the innermost row does not span
            row_spans.append((j, end, row[j]))
        spans.append(row_spans)
    for r in range(len(grid) - 1):
        spans[r] = _reanchor(spans[r], grid[r + 1])
    # The span holding column j: by bisection when a row's spans are sorted and disjoint (a
    # 10,000-column header was quadratic when every column scanned every span), else the first.
    span_starts = [[start for start, _, _ in row_spans] for row_spans in spans]
    disjoint = [all(a[1] < b[0] for a, b in zip(row_spans, row_spans[1:], strict=False)) for row_spans in spans]
    paths: list[tuple[str, ...]] = []
    for j in range(width):
        path: list[str] = []
        for row_spans, row_starts, ordered in zip(spans, span_starts, disjoint, strict=True):
            if ordered:
                k = bisect_right(row_starts, j) - 1
                found = row_spans[k] if k >= 0 and row_spans[k][1] >= j else None
            else:
                found = next((s for s in row_spans if s[0] <= j <= s[1]), None)
            if found is not None and (not path or path[-1] != found[2]):
                path.append(found[2])
        paths.append(tuple(path))
    return paths


def _reanchor(row_spans: list[tuple[int, int, str]], below: list[str]) -> list[tuple[int, int, str]]:
    """Move group labels onto the "小计" columns of the row below when they are off by one."""
    all_marks = [j for j, text in enumerate(below) if text in _SUBTOTAL]
    groups = [(i, s) for i, s in enumerate(row_spans)
              if s[1] > s[0] and any(abs(s[0] - m) <= 1 for m in all_marks)]
    marks = [m for m in all_marks if any(abs(s[0] - m) <= 1 for _, s in groups)]
    if not groups or len(marks) != len(groups):
        return row_spans
    pairs = list(zip(groups, marks, strict=True))
    if all(s[0] == m for (_, s), m in pairs) or any(abs(s[0] - m) > 1 for (_, s), m in pairs):
        return row_spans
    out = list(row_spans)
    for k, ((i, (_, end, label)), mark) in enumerate(zip(groups, marks, strict=True)):
        new_end = marks[k + 1] - 1 if k + 1 < len(marks) else max(end, mark)
        out[i] = (mark, new_end, label)
    # Neighbours that are not groups keep their own single column.
    return out
