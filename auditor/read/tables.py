"""Tables: runs of tab-separated lines -> typed `Table`s with columns, rows, codes and relations.

Grids printed without tabs (| cells, one cell per line, columns aligned by spaces, rows
flattened or glued onto one line) are rebuilt into rows by auditor.read.table_layouts and go
through the same steps; their `Table.layout` and `Table.confidence` say how sure the rebuild is.

Steps, per table:
1. detection: a run of tab lines (blank lines and page footers inside allowed); the title is
   the nearest text line above it, the unit comes from a "单位：元" line or header cell; a
   table cut by a page break (same title or header repeated) is joined back;
2. header: leading rows without numbers; spanning labels forward-filled into column paths
   (auditor.read.table_header);
3. columns: label columns (科目编码 类/款/项, names) vs value columns; two-sided tables
   (收入 | 支出) are split into sides; roles come from the table schema (checks/catalog/tables/);
4. rows: codes joined across 类/款/项 cells (and a second, 政府预算经济分类 code), row kinds
   (total, subtotal, unit, detail); rows that lost an empty cell are realigned by the table's
   arithmetic (auditor.read.table_align);
5. relations: schema relations by column role (row) or row role (column), column totals over
   the leaf rows, 类 = Σ款 = Σ项 code roll-ups, 其中 parts (subitem), outline sums for
   two-sided tables.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from math import comb

from auditor.model import Cell, Column, Document, Number, Relation, Row, SourceLine, Table
from auditor.numbers import MONEY_UNITS, parse_amount, parse_percent
from auditor.read.notes import lost_cell_ambiguous, short_row
from auditor.read.table_align import (
    RowTemplate,
    gap,
    placements,
    resolve_by_totals,
    satisfying,
    value_key,
)
from auditor.read.table_header import column_paths, count_header_rows, is_numeric_cell
from auditor.read.table_layouts import SHARED_LINE_LAYOUTS, find_layout_blocks
from auditor.read.table_schema import Schema, match_kind, norm, strip_numbering

# --------------------------------------------------------------------------- vocabulary

# At most this many placements of a short row's lost cells are tried (2 lost cells: ~64 value columns).
MAX_PLACEMENTS = 2000

_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元)")
# Traditional characters of a unit line ("單位：萬元"), read as the simplified ones.
_TRADITIONAL_UNIT = str.maketrans({"單": "单", "萬": "万", "億": "亿", "額": "额"})
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]")
_YEAR_LINE = re.compile(r"^[(（]?\s*\d{4}\s*年(度)?\s*[)）]?$")
_CODE_PART = re.compile(r"^(科目编码|科目代码|功能分类科目编码|功能科目编码|编码|代码|类|款|项)$")
_UNIT_CODE_HEADER = re.compile(r"^(单位编码|单位代码|行次|栏次|序号)$")
_NAME_PART = re.compile(
    r"^(科目名称|名称|单位\(科目名称\)|单位名称|单位\(专项\)名称|项目|项目名称|收入|支出|采购项目|采购目录|规格|"
    r"计量单位|备注|说明|功能科目|功能分类科目|功能分类科目名称|经济科目|经济科目名称|部门预算经济分类|"
    r"政府预算经济分类|项目\(科目\)|科目|单位|支出功能分类科目|支出经济分类科目)$"
)
_NON_ADDITIVE = re.compile(r"率|比例|%|占比|单价|序号|行次|栏次|年度|年份|编号|规格|分值|得分|权重")
_COUNT_COLUMN = re.compile(r"数量|人数|个数|户数|次数|人次")
_NOT_A_SUM_TABLE = re.compile(r"指标|分值|得分|绩效|评分|权重")
# Amount columns of the funds block of a 绩效自评表 / 绩效目标表 (年初预算数, 全年执行数, 实际执行数):
# they add up even though the table also has 分值 / 得分 columns or a 绩效 title.
_FUNDS_HEADER = re.compile(r"预算数|执行数|决算数")
_TOTAL = re.compile(r"^(合计|总计|.{0,10}合计|.{0,10}总计)[:：]?$")
_SUBTOTAL = re.compile(r"^.{0,10}小计[:：]?$")
_EMPTY_NOTE = re.compile(r"没有|无数据|无此|无.{0,6}(收入|支出|安排|经费)|空表|不涉及|未安排|未发生|故.{0,4}(数据|空)")
_NOTE_START = re.compile(r"^(备注|注|说明)[0-9一二三]*[:：]")
_UNIT_CODE = re.compile(r"^\d{3,6}(\s+\d{2,3})*$")
_DEPT = re.compile(r"(机关|局|厅|委员会|委|办公室|办|中心|院|所|站|队|部|会|馆|校|学校|单位|公司|处)(本级)?$")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# A table's number printed on its own line between the title and the grid (公开01表, 附表3, 表3-1,
# 表一): central 决算 tables put it below the title, so it must not be taken for the title.
_TABLE_NUMBER = re.compile(r"^(?:(?:公开|附表|表|财决)[0-9０-９]{1,2}(?:[-－][0-9０-９]{1,2})?表?|(?:附表|表)[一二三四五六七八九十]+)$")
# The issuing department printed in the grid's first row ("部门：某局 … 金额单位：万元").
_ISSUER_CELL = re.compile(r"^(?:编制|填报)?(?:部门|单位)(?:名称)?[:：]")
# classification-code cells and code headers (asked of every label cell of every row)
_COLUMN_NUMBER = re.compile(r"\d{1,3}")
_GOV_ECON_HEADER = re.compile(r"政府(预算)?经济分类")
_FUNC_CODE_HEADER = re.compile(r"科目编码|科目代码|功能分类|编码|代码")
_CODE_HEADER = re.compile(r"^(科目编码|科目代码|功能分类科目编码|功能科目编码|编码|代码)$")
_SPACES = re.compile(r"\s+")
_CLASS_DIGITS = re.compile(r"\d{3}")
_SUB_DIGITS = re.compile(r"\d{1,2}")
_CODE_DIGITS = re.compile(r"\d{3}(\d{2}){0,2}")
_ONE_DIGIT = re.compile(r"\s*[1-9]\s*")
# Labels of a row that numbers the columns (栏次 1, 2, 3 …) rather than holding data.
_COLUMN_NUMBER_LABELS = frozenset({"栏次", "行次", "栏号", "序号"})
_OUTLINE_STYLES = (
    ("cn", re.compile(r"^[一二三四五六七八九十]+[、.．]")),
    ("pcn", re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    ("num", re.compile(r"^\d+[、.．](?!\d)")),
    ("pnum", re.compile(r"^[（(]\d+[)）]")),
    ("circ", re.compile(r"^[①-⑳]")),
)


@dataclass
class _Block:
    lines: list[SourceLine]  # tab lines of the table, in order (no blanks, no footers)
    title: str = ""
    title_line: int | None = None
    unit: str = ""
    context: set[int] = field(default_factory=set)  # title and unit lines
    layout: str = "tab"  # how the grid was recognised (auditor.read.table_layouts)
    confidence: float = 1.0
    # source lines of a grid rebuilt without tabs (its `lines` are one synthetic line per row);
    # None for tab tables, whose lines are the source lines
    sources: set[int] | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- entry point


def read_tables(doc: Document) -> tuple[list[Table], set[int]]:
    """Read every tab-separated table of `doc`; return them and the source lines they used."""
    blocks = _merge_continuations(doc, _find_blocks(doc))
    tables: list[Table] = []
    consumed: set[int] = set()
    for block in blocks:
        table = _build(doc, block)
        if table is None:
            continue
        tables.append(table)
        if block.sources is None:
            consumed.update(line.number for line in block.lines)
        else:  # a rebuilt grid: its rows are synthetic lines; these are the source lines it used
            consumed.update(block.sources)
            table.grid, table.grid_sources = list(block.lines), frozenset(block.sources)
        consumed.update(block.context)
        consumed.update(n for n in range(table.first_line, table.last_line + 1)
                        if not doc.lines[n - 1].text and block.layout not in SHARED_LINE_LAYOUTS)
    return tables, consumed


def relation_gap(table: Table, relation: Relation) -> Decimal:
    """How far `relation` is from holding, in base units (元 for money); 0 when it holds."""
    whole = table.rows[relation.total[0]].value(relation.total[1])
    parts = [table.rows[r].value(c) for r, c in relation.parts]
    return gap(relation.kind if relation.kind == "subitem" else "sum", whole, parts)


def failed_relations(table: Table) -> list[tuple[Relation, Decimal]]:
    out = []
    for relation in table.relations:
        g = relation_gap(table, relation)
        if g:
            out.append((relation, g))
    return out


# --------------------------------------------------------------------------- detection


def _find_blocks(doc: Document) -> list[_Block]:
    lines = doc.lines
    blocks: list[_Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.cells is None or line.footer or not line.text.strip():
            i += 1
            continue
        members = [line]
        j = i + 1
        while j < n:
            nxt = lines[j]
            if not nxt.footer and not nxt.text.strip() and doc.format == "pdf" and _other_grid(lines, j, members):
                break  # a blank line between two grids of one PDF page, of other widths: two tables
            if nxt.footer or not nxt.text.strip():
                j += 1
                continue
            if nxt.cells is not None:
                members.append(nxt)
                j += 1
                continue
            break
        i = members[-1].number  # index of the line after the last member
        if len(members) == 1 and sum(1 for c in members[0].cells or [] if c) < 2:
            continue
        block = _Block(members)
        _find_context(doc, block)
        blocks.append(block)
    # grids without tabs (| cells, one cell per line, aligned or flattened): same blocks
    taken = {line.number for block in blocks for line in block.lines}
    for found in find_layout_blocks(doc, taken):
        block = _Block(found.lines, title=found.title, layout=found.layout, confidence=found.confidence,
                       sources=found.sources, notes=found.notes)
        if found.layout not in SHARED_LINE_LAYOUTS:  # those share their line with prose
            _find_context(doc, block)
        blocks.append(block)
    blocks.sort(key=lambda b: b.lines[0].number)
    return blocks


def _other_grid(lines: list[SourceLine], j: int, members: list[SourceLine]) -> bool:
    """The PDF loader joins the rows of one grid; after a blank line, a grid whose rows have
    another number of cells than the one above is another table (two tables drawn one under
    the other with nothing between them)."""
    nxt = next((line for line in lines[j + 1:] if line.text.strip() and not line.footer), None)
    return nxt is not None and nxt.cells is not None and len(nxt.cells) != len(members[-1].cells or [])


def _find_context(doc: Document, block: _Block) -> None:
    """Title and unit from the text lines right above the table."""
    first = block.lines[0].number
    seen = 0
    k = first - 1
    while k >= 1 and seen < 6:
        line = doc.lines[k - 1]
        k -= 1
        if line.footer or not line.text.strip():
            continue
        if line.cells is not None:
            break
        seen += 1
        text = line.text.strip()
        if block.sources is not None:  # a rebuilt grid: "title |" lines, traditional "單位:萬元"
            text = text.rstrip("| ").strip() or text
        plain = text.translate(_TRADITIONAL_UNIT)
        unit = _UNIT.search(plain)
        if unit and len(norm(text)) <= 30:
            block.unit = block.unit or unit.group(1)
            block.context.add(line.number)
            if norm(plain).startswith(("单位", "金额单位")):
                continue
        if block.sources is not None and line.number in block.sources:
            continue  # a cell of the rebuilt grid itself
        if (re.match(r"^(编制)?单位[:：]", norm(text)) or _ISSUER_CELL.match(norm(text))) and len(norm(text)) <= 60:
            block.context.add(line.number)  # the issuing unit or department, not the title
            continue
        if _YEAR_LINE.match(norm(text)) or norm(text) in ("续表", "(续表)", "续") or _TABLE_NUMBER.match(norm(text)):
            block.context.add(line.number)
            continue
        if len(text) <= 60 and not text.endswith(("。", "；", ";", "：", ":", "所示")) and "如下" not in text:
            block.title = _UNIT.sub("", text).strip(" （()）:：")
            block.title_line = line.number
            block.context.add(line.number)
        break


def _merge_continuations(doc: Document, blocks: list[_Block]) -> list[_Block]:
    """Join a table cut by a page break: no new title, or the same title, and the same width."""
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.layout == block.layout and _continues(doc, prev, block):
            prev.lines.extend(block.lines)
            prev.context |= block.context
            if prev.sources is not None and block.sources is not None:
                prev.sources |= block.sources
            prev.confidence = min(prev.confidence, block.confidence)
            prev.notes.extend(block.notes)
            if block.unit and not prev.unit:
                prev.unit = block.unit
            continue
        out.append(block)
    return out


def _continues(doc: Document, prev: _Block, block: _Block) -> bool:
    between = range(prev.lines[-1].number + 1, block.lines[0].number)
    texts = [doc.lines[n - 1] for n in between if doc.lines[n - 1].text.strip() and not doc.lines[n - 1].footer]
    same_title = bool(block.title) and norm(block.title) == norm(prev.title)
    if block.title and not same_title and "续" not in block.title:
        return False
    page_break = any(doc.lines[n - 1].footer for n in between) or "续" in block.title
    if not page_break:
        return False
    if any(line.number != block.title_line and line.number not in block.context for line in texts):
        return False
    head = [norm(c) for c in prev.lines[0].cells or []]
    first = [norm(c) for c in block.lines[0].cells or []]
    if head == first:
        return True
    widths = Counter(len(line.cells or []) for line in prev.lines)
    return len(block.lines[0].cells or []) in widths


# --------------------------------------------------------------------------- building


@dataclass
class _Layout:
    width: int
    paths: list[tuple[str, ...]]
    value: list[bool]
    sides: list[tuple[int, int]]  # (start, end) column ranges of each side
    code_parts: dict[int, tuple[str, str]]  # column -> (group, part: 类/款/项/code/name/unitcode)
    primary: str
    alt: str
    units: list[str]  # per column: unit for its numbers ("元", "", "%")


def _build(doc: Document, block: _Block) -> Table | None:
    lines = list(block.lines)
    unit = block.unit
    title = block.title
    context = set(block.context)
    # Rows above the header that only carry the unit (or a title printed inside the grid).
    while lines:
        cells = [c for c in lines[0].cells or [] if c.strip()]
        if not cells:
            lines.pop(0)
            continue
        unit_cell = next((_UNIT.search(c) for c in cells if _UNIT.search(c)), None)
        if unit_cell and all(_UNIT.search(c) or "编制单位" in c or _ISSUER_CELL.match(norm(c)) or c.endswith("表")
                             for c in cells):
            unit = unit or unit_cell.group(1)
            context.add(lines[0].number)
            lines.pop(0)
            continue
        if len(cells) == 1 and norm(cells[0]).endswith("表") and not title:
            title = cells[0]
            context.add(lines[0].number)
            lines.pop(0)
            continue
        break
    if not lines:
        return None
    block.context = context
    raw = [list(line.cells or []) for line in lines]
    h = count_header_rows(raw)
    header = raw[:h]
    header_lines = [line.number for line in lines[:h]]
    data = []
    header_norm = [[norm(c) for c in row] for row in header]
    for line, cells in zip(lines[h:], raw[h:], strict=True):
        if header and [norm(c) for c in cells] in header_norm:
            header_lines.append(line.number)  # header repeated after a page break
            continue
        if _column_numbers(cells):
            header_lines.append(line.number)  # 栏次 1, 2, 3 …: numbers the columns, holds no data
            continue
        data.append((line, cells))
    for row in header:
        for cell in row:
            m = _UNIT.search(cell)
            if m and not unit:
                unit = m.group(1)
    unit_guessed = not unit
    layout = _layout(header, [cells for _, cells in data], unit)
    header_text = "|".join("/".join(p) for p in layout.paths)
    schema = match_kind(title, header_text)
    no_sums = bool(_NOT_A_SUM_TABLE.search(header_text + "|" + norm(title))) and not _FUNDS_HEADER.search(header_text)
    if no_sums:
        schema = None
    columns = _columns(layout, schema)
    table = Table(
        title=title,
        kind=schema.kind if schema else "generic",
        unit=unit,
        unit_guessed=unit_guessed,
        first_line=lines[0].number,
        last_line=max(max(line.cell_lines or [line.number]) for line in lines),
        header_lines=header_lines,
        columns=columns,
        rows=[],
        label_columns=_label_count(layout),
        sides=len(layout.sides),
        confidence=block.confidence,
        layout=block.layout,
        notes=list(block.notes),
    )
    templates = [] if no_sums else _row_templates(layout, columns, schema)
    pending = _build_rows(table, layout, data, templates, quiet=no_sums)
    _mark_units(table, layout)
    if pending:
        _resolve_pending(table, layout, pending)
    _exact_to_fen(table)
    if not no_sums:
        _relations(table, layout, schema, templates)
    table.empty_note = _empty_note(doc, table)
    return table


def _column_numbers(cells: list[str]) -> bool:
    """A row that numbers the columns: "栏次 | | 1 | 栏次 | | 2" or a bare "1 | 2 | … | 12".

    决算 tables print it under the header; read as data it would be a row of tiny amounts (and,
    in a table without a label column, the first value of every column). The integers must count
    up by one; without a 栏次 label there must be at least three of them, starting at 1.
    """
    numbers: list[int] = []
    labelled = False
    for cell in cells:
        text = norm(cell)
        if not text:
            continue
        if text in _COLUMN_NUMBER_LABELS:
            labelled = True
        elif _COLUMN_NUMBER.fullmatch(text):
            numbers.append(int(text))
        else:
            return False
    if not numbers or any(b != a + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
        return False
    return labelled or (len(numbers) >= 3 and numbers[0] == 1)


def _layout(header: list[list[str]], data: list[list[str]], unit: str) -> _Layout:
    lengths = Counter(len(cells) for cells in data)
    header_width = max((len(r) for r in header), default=0)
    data_width = lengths.most_common(1)[0][0] if lengths else 0
    width = max(header_width, data_width)
    # Trailing columns that are empty everywhere are extraction noise.
    while width > 1 and all(len(r) < width or not r[width - 1].strip() for r in header + data):
        width -= 1
    paths = column_paths(header, width) if header else [()] * width
    full = [cells for cells in data if len(cells) >= width] or data
    value = []
    for j in range(width):
        path = paths[j]
        inner = path[-1] if path else ""
        if any(_CODE_PART.match(p) or _UNIT_CODE_HEADER.match(p) for p in path) or _NAME_PART.match(inner):
            value.append(False)
            continue
        nums = texts = 0
        for cells in full:
            text = cells[j].strip() if j < len(cells) else ""
            if not text or norm(text) in ("-", "—", "--", "/"):
                continue
            if is_numeric_cell(text):
                nums += 1
            else:
                texts += 1
        if nums or texts:
            value.append(nums >= 1 and nums >= texts)
        else:
            value.append(bool(inner))
    sides = [(0, width)]
    first_value = next((j for j in range(width) if value[j]), None)
    if first_value is not None:
        first_label = 0
        top = {norm(c) for c in header[0]} if header else set()
        for s in range(first_value + 1, width):
            if value[s] or not any(value[s + 1:]):
                continue
            inner_s = paths[s][-1] if paths[s] else ""
            inner_0 = paths[first_label][-1] if paths[first_label] else ""
            if ({"收入", "支出"} <= top) or (inner_s and inner_s == inner_0):
                sides = [(0, s), (s, width)]
            break
    code_parts: dict[int, tuple[str, str]] = {}
    for j in range(width):
        if value[j]:
            continue
        path = paths[j]
        joined = "/".join(path)
        inner = path[-1] if path else ""
        if _GOV_ECON_HEADER.search(joined):
            group = "alt"
        elif "经济分类" in joined:
            group = "econ"
        elif _FUNC_CODE_HEADER.search(joined):
            group = "func"
        else:
            group = "main"
        if _UNIT_CODE_HEADER.match(inner):
            part = "unitcode"
        elif inner in ("类", "款", "项"):
            part = inner
        elif _CODE_HEADER.match(inner):
            part = "code"
        else:
            part = "name"
        code_parts[j] = (group, part)
    groups = [g for j, (g, p) in sorted(code_parts.items()) if p in ("类", "款", "项", "code")]
    primary = groups[0] if groups else ""
    alt = next((g for g in groups if g != primary), "")
    units = []
    for j in range(width):
        joined = "/".join(paths[j])
        m = _UNIT_IN_HEADER.search(joined)
        if _COUNT_COLUMN.search(joined):
            units.append("")
        elif m:
            units.append(m.group(1))
        else:
            units.append(unit)
    return _Layout(width, paths, value, sides, code_parts, primary, alt, units)


def _label_count(layout: _Layout) -> int:
    start, end = layout.sides[0]
    return next((j - start for j in range(start, end) if layout.value[j]), end - start)


def _columns(layout: _Layout, schema: Schema | None) -> list[Column]:
    columns = []
    for j in range(layout.width):
        path = layout.paths[j]
        name = path[-1] if path else ""
        role = ""
        if schema and layout.value[j]:
            role = schema.role_of("/".join(_side_path(layout, j)))
            if not role:
                role = schema.role_of("/".join(_side_path(layout, j)[len(_shared_head(layout, j)):]))
        columns.append(Column(index=j, name=name, path=path, role=role, is_value=layout.value[j]))
    return columns


def _shared_head(layout: _Layout, j: int) -> tuple[str, ...]:
    """The header labels that span every value column of column j's side ("支出预算" over 合计 |
    基本支出 | 项目支出, "本年支出/预算数" over a side's columns): they name the table or the side,
    not the column, so a column's role is also looked up without them."""
    side = next(((a, b) for a, b in layout.sides if a <= j < b), (0, layout.width))
    paths = [_side_path(layout, k) for k in range(*side) if layout.value[k]]
    if len(paths) < 2:
        return ()
    head: list[str] = []
    for labels in zip(*paths, strict=False):
        if len(set(labels)) != 1:
            break
        head.append(labels[0])
    shortest = min(len(p) for p in paths)
    return tuple(head[: shortest - 1])


def _side_path(layout: _Layout, j: int) -> tuple[str, ...]:
    """A column's path without the 收入 / 支出 side label of a two-sided table."""
    path = layout.paths[j]
    if len(layout.sides) > 1 and path and path[0] in ("收入", "支出"):
        return path[1:]
    return path


# --------------------------------------------------------------------------- row relations


def _additive(column: Column) -> bool:
    return column.is_value and not _NON_ADDITIVE.search("/".join(column.path))


def _row_templates(layout: _Layout, columns: list[Column], schema: Schema | None) -> list[RowTemplate]:
    """Relations inside one row, as (kind, whole column, part columns)."""
    out: list[RowTemplate] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    values = [c for c in columns if _additive(c)]

    def add(kind: str, whole: int, parts: list[int]) -> None:
        key = (whole, tuple(sorted(parts)))
        if parts and key not in seen:
            seen.add(key)
            out.append((kind, whole, tuple(parts)))

    if schema:
        for spec in schema.relations:
            on = spec.on or ("columns" if schema.orientation in ("columns", "auto") else "rows")
            if on != "columns":
                continue
            for group in _role_groups(values):
                by_role: dict[str, list[Column]] = {}
                for col in group:
                    if col.role:
                        by_role.setdefault(col.role, []).append(col)
                wholes = by_role.get(spec.whole, [])
                if len(wholes) != 1:
                    continue
                parts = []
                ok = True
                for role in spec.parts:
                    found = by_role.get(role, [])
                    if len(found) > 1 or (not found and role not in spec.optional):
                        ok = False
                        break
                    parts.extend(found)
                if ok and parts and _covers(wholes[0], parts, group):
                    add("row", wholes[0].index, [p.index for p in parts])
    # 小计 of a header group = Σ its other sub-columns (a nested group counts by its own 小计);
    # a 其中 column is part of its whole.
    by_parent: dict[tuple[str, ...], list[Column]] = {}
    for col in values:
        if len(col.path) >= 2:
            by_parent.setdefault(col.path[:-1], []).append(col)
    for parent, cols in by_parent.items():
        sub = [c for c in cols if c.name in ("小计", "合计")]
        if len(sub) != 1:
            continue
        members: dict[str, list[Column]] = {}
        for col in values:
            if len(col.path) > len(parent) and col.path[: len(parent)] == parent and col is not sub[0]:
                members.setdefault(col.path[len(parent)], []).append(col)
        parts = []
        for label, group in members.items():
            if label.startswith("其中"):
                continue
            if len(group) == 1 and len(group[0].path) == len(parent) + 1:
                parts.append(group[0])
                continue
            inner = [c for c in group if len(c.path) == len(parent) + 2 and c.name in ("小计", "合计")]
            if len(inner) != 1:
                parts = []
                break
            parts.append(inner[0])
        if len(parts) >= 2:
            add("row", sub[0].index, [c.index for c in parts])
    for col in values:
        if not col.name.startswith("其中"):
            continue
        siblings = by_parent.get(col.path[:-1], []) if len(col.path) >= 2 else []
        whole = next((c for c in siblings if c.name in ("小计", "合计")), None)
        if whole is None:
            before = [c for c in values if c.index < col.index and not c.name.startswith("其中")
                      and c.path[:-1] == col.path[:-1]]
            whole = before[-1] if before else None
        if whole is not None:
            add("subitem", whole.index, [col.index])
    if schema is None and len(layout.sides) == 1:
        # A column without a header path (a header cell left blank) is not a known total or part.
        top = [c for c in values if len(c.path) == 1 or (c.path and c.path[-1] in ("小计", "合计"))]
        first = values[0] if values else None
        if first and len(first.path) == 1 and first.name in ("合计", "总计"):
            rest = [c for c in top if c is not first and not c.name.startswith("其中")]
            words = re.compile(r"上年|本年|预算数|决算数|执行|增减|变动|调整")
            if len(rest) >= 2 and not any(words.search("/".join(c.path)) for c in values) and \
                    _covers(first, rest, values):
                add("row", first.index, [c.index for c in rest])
    return out


def _role_groups(values: list[Column]) -> list[list[Column]]:
    """Columns in one group, or per top header label when a role repeats (预算数 | 决算数 blocks)."""
    roles = Counter(c.role for c in values if c.role)
    if all(n == 1 for n in roles.values()):
        return [values]
    groups: dict[str, list[Column]] = {}
    for col in values:
        groups.setdefault(col.path[0] if col.path else "", []).append(col)
    return list(groups.values())


def _covers(whole: Column, parts: list[Column], group: list[Column]) -> bool:
    """Every value column under the whole's header group is the whole, a part or inside one."""
    prefix = whole.path[:-1]
    depth = len(prefix) + 1
    for col in group:
        if col.path[: len(prefix)] != prefix or col is whole or col in parts:
            continue
        if col.name.startswith("其中"):
            continue
        if any(col.path[:depth] == p.path[:depth] for p in parts):
            continue
        return False
    return True


# --------------------------------------------------------------------------- rows


@lru_cache(maxsize=8192)
def _parse(text: str, unit: str) -> Number | None:
    t = text.strip()
    if not t:
        return None
    if t.endswith(("%", "％")):
        return parse_percent(t)
    return parse_amount(t, unit)


def _build_rows(table: Table, layout: _Layout, data: list[tuple[SourceLine, list[str]]],
                templates: list[RowTemplate], quiet: bool = False) -> list[tuple[int, list[list[str]]]]:
    """Create the rows; return the rows whose lost cell has several valid places."""
    pending: list[tuple[int, list[list[str]]]] = []
    width = layout.width
    last_code = ""
    for line, raw in data:
        cells = list(raw)
        aligned = False
        options: list[list[str]] = []
        if len(layout.sides) == 1 and len(cells) < width:
            cells, aligned, options, note = _align(table, layout, cells, templates)
            if note and not quiet:
                table.notes.append((line.number, note))
                table.confidence = min(table.confidence, 0.8)
        cells = cells[:width] + [""] * (width - len(cells))
        for side, (start, end) in enumerate(layout.sides):
            side_cells = cells[start:end]
            if not any(c.strip() for c in side_cells):
                continue
            row = _make_row(layout, line, cells, start, end, last_code)
            row.block = side
            row.aligned = aligned
            if row.code:
                last_code = row.code
            table.rows.append(row)
            if len(options) > 1:
                pending.append((len(table.rows) - 1, options))
        if aligned:
            table.confidence = min(table.confidence, 0.9)
    return pending


def _align(table: Table, layout: _Layout, cells: list[str], templates: list[RowTemplate]
           ) -> tuple[list[str], bool, list[list[str]], str]:
    """Place the blank cell(s) a short row lost, by the row relations (see table_align)."""
    width = layout.width
    start = _label_count(layout)
    missing = width - len(cells)
    labels, values = cells[:start], cells[start:]
    padded = cells + [""] * missing
    tail_blank = not any(c.strip() for c in padded[len(cells):])
    if missing > 2 or not values:
        return padded, False, [], short_row(missing, "")
    if not templates:
        return padded, False, [], "" if tail_blank and missing == 1 and not values[-1:] else \
            short_row(missing, "no_arithmetic")
    if comb(width - start, missing) > MAX_PLACEMENTS:  # a very wide table: trying every place is too slow
        return padded, False, [], short_row(missing, "too_wide")
    cands = [labels + p for p in placements(values, width - start)]
    # _parse is cached: the same cell in many placements is one Number, and `satisfying`
    # recognises a relation it has already evaluated by its cells' identity
    nums = [[_parse(c[j], layout.units[j]) if layout.value[j] else None for j in range(width)] for c in cands]
    keep = satisfying(nums, templates)
    if not keep:
        return padded, False, [], short_row(missing, "no_placement")
    classes: dict[tuple, int] = {}
    for idx in keep:
        classes.setdefault(value_key(nums[idx]), idx)
    chosen = [cands[i] for i in classes.values()]
    return chosen[0], True, chosen, ""


_PLAIN_LABEL = ("main", "name")  # a label column that is no code column
_CODE_CELL_PARTS = frozenset({"类", "款", "项", "code"})


def _make_row(layout: _Layout, line: SourceLine, cells: list[str], start: int, end: int,
              last_code: str) -> Row:
    code_cells: dict[str, dict[str, str]] = {}
    name = ""
    labels = []
    row_cells = []
    units, value, code_parts = layout.units, layout.value, layout.code_parts
    for j in range(start, end):
        text = cells[j]
        if value[j]:
            row_cells.append(Cell(text, j, _parse(text, units[j])))  # positional: every cell of every row
            continue
        row_cells.append(Cell(text, j))
        stripped = text.strip()
        if not stripped:
            continue  # names nothing; a blank code cell is as good as none to _join_code
        labels.append(stripped)
        group, part = code_parts.get(j, _PLAIN_LABEL)
        if part in _CODE_CELL_PARTS:
            code_cells.setdefault(group, {})[part] = stripped
        elif part == "name" and not name and group in (layout.primary, "main", ""):
            name = stripped
    if not name:
        name = next((t for t in labels if not re.fullmatch(r"[\d\s]+", t)), "")
    primary = code_cells.get(layout.primary)
    if primary:
        code, unit_marker = _join_code(primary, last_code)
        malformed = "" if code or unit_marker else _malformed_code(primary)
    else:  # no code printed (most rows): nothing to join
        code, unit_marker, malformed = "", False, ""
    alt = _join_code(code_cells[layout.alt], "")[0] if layout.alt in code_cells else ""
    label = _CJK_GAP.sub("", name)
    normed = norm(label)
    kind = "detail"
    if _TOTAL.match(normed) and not code:
        kind = "total"
    elif _SUBTOTAL.match(normed) and not code:
        kind = "subtotal"
    elif unit_marker:
        kind = "unit"
    elif _NOTE_START.match(normed) and not any(c.number for c in row_cells):
        kind = "note"
    if line.cell_lines and line.cells and cells[: len(line.cells)] == line.cells:  # rebuilt grid, not realigned
        for cell in row_cells:
            if cell.column < len(line.cell_lines) and line.cell_lines[cell.column] != line.number:
                cell.line = line.cell_lines[cell.column]
    address = ""
    if line.cell_refs and line.cells and cells[: len(line.cells)] == line.cells:  # spreadsheet, not realigned
        for cell in row_cells:
            cell.address = line.cell_refs[cell.column] if cell.column < len(line.cell_refs) else ""
        address = next((c.address for c in row_cells if layout.value[c.column] and c.text.strip()), "")
    return Row(line=line.number, label=label, cells=row_cells, code=code, alt_code=alt, labels=labels,
               kind=kind, page=line.page, address=address, malformed_code=malformed)


# A classification code is 3, 5 or 7 digits (类 / 款 / 项) and starts with 1 (income), 2 (function),
# 3 or 5 (economic); the same digits at another length are a malformed code, not a label (four
# digits that read as a year, 2024, are left alone: a year column is not a code column).
_MALFORMED_CODE = re.compile(r"(?!(?:19|20)\d\d$)[1235](?:\d{3}|\d{5}|\d{7,8})")


def _malformed_code(parts: dict[str, str]) -> str:
    """The printed code of a row whose code cell holds classification digits of a wrong length."""
    printed = _SPACES.sub("", parts.get("code") or parts.get("类") or "")
    return printed if _MALFORMED_CODE.fullmatch(printed) else ""


def _join_code(parts: dict[str, str], last_code: str) -> tuple[str, bool]:
    """Join 类/款/项 cells into one code; (code, is a unit code such as "0030 01")."""
    if not parts or not any(parts.values()):
        return "", False
    if "code" in parts and parts["code"]:
        groups = parts["code"].split()
        if len(groups) in (2, 3) and _CLASS_DIGITS.fullmatch(groups[0]) and \
                all(_SUB_DIGITS.fullmatch(g) for g in groups[1:]):
            return groups[0] + "".join(g.zfill(2) for g in groups[1:]), False  # "301 2" is 30102
        digits = _SPACES.sub("", parts["code"])
        if _CODE_DIGITS.fullmatch(digits):
            return digits, False
        return "", bool(_UNIT_CODE.match(parts["code"]))
    pieces = [parts.get("类", ""), parts.get("款", ""), parts.get("项", "")]
    # A 款 or 项 printed without its leading zero ("301 | 2 | 津贴补贴") is still that code.
    pieces = [("0" + p.strip()) if k and _ONE_DIGIT.fullmatch(p) else p for k, p in enumerate(pieces)]
    sizes = (3, 2, 2)
    for k, (piece, size) in enumerate(zip(pieces, sizes, strict=True)):
        if piece and not re.fullmatch(rf"\d{{{size}}}", piece):
            compact = _SPACES.sub("", piece)
            if k == 0 and re.fullmatch(r"\d{3}(\d{2}){1,2}", compact):  # the whole code in 类
                return compact, False
            return "", bool(_UNIT_CODE.match(piece))
    # Child rows that print only 款/项 inherit the 类 (and 款) of the row above.
    if not pieces[0] and (pieces[1] or pieces[2]) and len(last_code) >= 3:
        pieces[0] = last_code[:3]
        if not pieces[1] and pieces[2] and len(last_code) >= 5:
            pieces[1] = last_code[3:5]
    code = ""
    for piece in pieces:
        if not piece:
            break
        code += piece
    return code, False


def _mark_units(table: Table, layout: _Layout) -> None:
    """A row without a code that repeats the 合计 (a department heading) is a unit row."""
    if not any(r.code for r in table.rows):
        return
    total = next((r for r in table.rows if r.kind == "total"), None)
    for idx, row in enumerate(table.rows):
        if row.kind != "detail" or row.code:
            continue
        later_codes = any(r.code for r in table.rows[idx + 1:])
        same = total is not None and _values(row, layout) == _values(total, layout) and any(_values(row, layout))
        if same or (later_codes and _DEPT.search(norm(row.label))):
            row.kind = "unit"


def _exact_to_fen(table: Table) -> None:
    """A table that prints 角分 anywhere is exact to the 分 (DESIGN §6): its whole cells ("0",
    "1,000", "191") are read with two decimals — the publisher dropped trailing zeros, it did not
    round those cells to whole units. The same holds for a table in 万元 that prints two decimals.
    Elsewhere a whole-元 cell is rounded (±0.5 元)."""
    table_money = table.unit in MONEY_UNITS or table.unit == ""
    cells = [c for r in table.rows for c in r.cells if c.number is not None
             and (c.number.unit in MONEY_UNITS or (c.number.unit == "" and table_money))]
    if not any(c.number.decimals == 2 for c in cells if c.number is not None):
        return
    for cell in cells:
        number = cell.number
        if number is not None and number.decimals == 0:
            cell.number = Number(number.value, 2, number.unit, number.text)


def _values(row: Row, layout: _Layout) -> list[Decimal]:
    return [c.number.value if c.number else Decimal(0) for c in row.cells if layout.value[c.column]]


def _resolve_pending(table: Table, layout: _Layout, pending: list[tuple[int, list[list[str]]]]) -> None:
    """Rows with several valid placements: choose the ones that make the column totals add up."""
    leaf_idx, total_idx = _leaves(table)
    cols = [j for j in range(layout.width) if layout.value[j]]
    pend_rows = {idx for idx, _ in pending}
    if total_idx is None or not all(idx in leaf_idx for idx in pend_rows):
        for idx, _ in pending:
            table.notes.append((table.rows[idx].line, lost_cell_ambiguous()))
        table.confidence = min(table.confidence, 0.8)
        return
    total_row = table.rows[total_idx]
    residual = []
    for j in cols:
        value = total_row.value(j)
        acc = value.value if value else Decimal(0)
        for idx in leaf_idx:
            if idx in pend_rows:
                continue
            v = table.rows[idx].value(j)
            acc -= v.value if v else Decimal(0)
        residual.append(acc)
    options = []
    for _, opts in pending:
        options.append([[_parse(o[j], layout.units[j]) for j in cols] for o in opts])
    choice = resolve_by_totals(residual, options)
    for (idx, opts), pick in zip(pending, choice, strict=True):
        row = table.rows[idx]
        cells = opts[pick]
        for cell in row.cells:
            cell.text = cells[cell.column]
            cell.number = _parse(cell.text, layout.units[cell.column]) if layout.value[cell.column] else None


def _leaves(table: Table) -> tuple[list[int], int | None]:
    """The rows a column total sums (roots of the code hierarchy), and the total row."""
    total_idx = next((i for i, r in enumerate(table.rows) if r.kind == "total"), None)
    coded = [i for i, r in enumerate(table.rows) if r.code and r.kind == "detail"]
    codes = {table.rows[i].code for i in coded}
    # A root has no proper prefix among the codes: one set lookup per prefix length, O(n).
    roots = [i for i in coded
             if not any(table.rows[i].code[:n] in codes for n in range(1, len(table.rows[i].code)))]
    return roots, total_idx


# --------------------------------------------------------------------------- relations


def _relations(table: Table, layout: _Layout, schema: Schema | None, templates: list[RowTemplate]) -> None:
    rels = table.relations
    cols = {c.index: c for c in table.columns}
    schema_keys = set()
    if schema:
        for spec in schema.relations:
            on = spec.on or ("columns" if schema.orientation in ("columns", "auto") else "rows")
            if on == "columns":
                schema_keys.add(spec.whole)
    for kind, whole, parts in templates:
        source = "schema" if cols[whole].role and cols[whole].role in schema_keys and \
            all(cols[p].role for p in parts) else "inferred"
        label = f"{_colname(cols[whole])} = " + " + ".join(_colname(cols[p]) for p in parts)
        if kind == "subitem":
            label = f"{_colname(cols[parts[0]])} ≤ {_colname(cols[whole])}"
        for r, row in enumerate(table.rows):
            if row.kind in ("note", "header"):
                continue
            if not (row.cell(whole) and all(row.cell(p) for p in parts)):
                continue
            if row.cell(whole).blank and all(row.cell(p).blank for p in parts):
                continue
            rels.append(Relation((r, whole), [(r, p) for p in parts], "subitem" if kind == "subitem" else "row",
                                 f"{row.label}: {label}", source))
    additive = [c for c in table.columns if _additive(c)]
    if any(r.code for r in table.rows):
        _code_relations(table, additive)
    elif schema and (schema.orientation == "rows" or (schema.orientation == "auto" and not templates)):
        _role_row_relations(table, schema, additive)
        if schema.outline:
            _split_sides(table, schema)
            _mark_parts(table, schema)
            _outline_relations(table, additive)
        if schema.balance and len(layout.sides) == 2:
            _balance_relation(table, layout)
    elif schema is None and len(layout.sides) == 1:
        _plain_total_relation(table, additive)
        _plain_part_relations(table, additive)


def _colname(column: Column) -> str:
    return "/".join(column.path) or str(column.index)


def _column_sum(table: Table, total: int, parts: list[int], columns: list[Column], kind: str,
                label: str, source: str) -> None:
    for col in columns:
        whole_cell = table.rows[total].cell(col.index)
        if whole_cell is None:
            continue
        cells = [table.rows[p].cell(col.index) for p in parts]
        if whole_cell.blank and all(c is None or c.blank for c in cells):
            continue
        table.relations.append(Relation((total, col.index), [(p, col.index) for p in parts], kind,
                                        f"{label} [{col.name}]", source))


def _code_relations(table: Table, columns: list[Column]) -> None:
    roots, total_idx = _leaves(table)
    units = [i for i, r in enumerate(table.rows) if r.kind == "unit"]
    if total_idx is not None and roots:
        if len(units) >= 2:
            for k, u in enumerate(units):
                end = units[k + 1] if k + 1 < len(units) else len(table.rows)
                kids = roots[bisect_right(roots, u):bisect_left(roots, end)]  # roots are ascending
                if kids:
                    _column_sum(table, u, kids, columns, "column", f"{table.rows[u].label} = Σ {len(kids)} rows",
                                "inferred")
            _column_sum(table, total_idx, units, columns, "column", f"合计 = Σ {len(units)} units", "inferred")
        else:
            _column_sum(table, total_idx, roots, columns, "column",
                        f"{table.rows[total_idx].label} = Σ {len(roots)} rows", "inferred")
    coded = [i for i, r in enumerate(table.rows) if r.code and r.kind == "detail"]
    # One pass indexes the coded rows by their parent code (the code less its last two digits) and
    # counts each code, so each row finds its children and whether it is unique in O(1).
    children: dict[str, list[int]] = {}
    copies: Counter[str] = Counter()
    for k in coded:
        code = table.rows[k].code
        children.setdefault(code[:-2], []).append(k)
        copies[code] += 1
    for i in coded:
        code = table.rows[i].code
        kids = children.get(code, [])
        if kids and copies[code] == 1:
            _column_sum(table, i, kids, columns, "code",
                        f"{code} = Σ " + " + ".join(table.rows[k].code for k in kids), "inferred")


def _role_row_relations(table: Table, schema: Schema, columns: list[Column]) -> None:
    """Row-oriented schema relations (三公: 合计 = 出国 + 车 + 接待), per value column."""
    by_role: dict[tuple[int, str], list[int]] = {}
    for i, row in enumerate(table.rows):
        role = schema.role_of(strip_numbering(row.label))
        if role:
            by_role.setdefault((row.block, role), []).append(i)
    for spec in schema.relations:
        if (spec.on or "rows") == "columns" and schema.orientation != "auto":
            continue
        for block in range(table.sides):
            wholes = by_role.get((block, spec.whole), [])
            if len(wholes) != 1:
                continue
            parts: list[int] = []
            ok = True
            for role in spec.parts:
                found = by_role.get((block, role), [])
                if len(found) > 1 or (not found and role not in spec.optional):
                    ok = False
                    break
                parts.extend(found)
            if ok and parts:
                side_cols = [c for c in columns if table.rows[wholes[0]].cell(c.index)]
                _column_sum(table, wholes[0], parts, side_cols, "column", spec.text, "schema")


def _outline_level(label: str) -> str:
    s = norm(label)
    if s.startswith("其中"):
        s = re.sub(r"^其中[:：]?", "", s)
    for style, pattern in _OUTLINE_STYLES:
        if pattern.match(s):
            return style
    return ""


# Rows of a one-sided summary table that head its 收入 lines and its 支出 lines (no amounts).
_SIDE_HEADINGS = {"收入": 0, "收入项目": 0, "支出": 1, "支出项目": 1}


def _split_sides(table: Table, schema: Schema) -> None:
    """A two-sided summary printed in one column pair (收入 lines, then a "支出" heading row, then
    支出 lines): the rows under the heading are the 支出 side, as in the side-by-side layout, so
    the 支出 totals are not chained to the 收入 ones. Heading rows hold no data."""
    if schema.sides != 2 or table.sides != 1:
        return
    side = 0
    for row in table.rows:
        heading = _SIDE_HEADINGS.get(norm(row.label))
        if heading is not None and not any(c.number for c in row.cells):
            row.kind = "header"
            side = heading
        row.block = side
    if any(row.block for row in table.rows):
        table.sides = 2


def _mark_parts(table: Table, schema: Schema) -> None:
    """Set `Row.part_of` for the rows that are parts of a row above them: a "其中…" row without an
    outline number of its own (其中：财政拨款结转和结余 under 年初结转和结余), and the unnumbered rows
    that split a balance by fund right below it (the schema's `breakdown`, 公开04)."""
    for block in range(table.sides):
        whole = -1  # the last row that is a line of the side
        balance = -1  # the balance row whose per-fund split may follow
        for i, row in enumerate(table.rows):
            if row.block != block or row.kind in ("note", "header"):
                continue
            label = norm(row.label)
            bare = strip_numbering(row.label)
            if label.startswith("其中") and not _outline_level(label) and whole >= 0:
                row.part_of = whole
                continue
            if balance >= 0 and label == bare and any(p.search(bare) for p in schema.breakdown_parts):
                row.part_of = balance
                continue
            whole = i
            balance = i if bare and any(p.search(bare) for p in schema.breakdown_wholes) else -1


def _part_relations(table: Table, idxs: list[int], columns: list[Column]) -> None:
    """A whole and its part rows: the per-fund split of a balance adds up to it (two or more parts
    printed); a 其中 row, or a lone part, is at most its whole."""
    parts: dict[int, list[int]] = {}
    for i in idxs:
        if table.rows[i].part_of >= 0:
            parts.setdefault(table.rows[i].part_of, []).append(i)
    for whole, kids in parts.items():
        split = [k for k in kids if not norm(table.rows[k].label).startswith("其中")]
        if len(split) >= 2:
            _column_sum(table, whole, split, columns, "column",
                        f"{table.rows[whole].label} = Σ {len(split)} parts", "schema")
        for k in kids:
            if len(split) < 2 or k not in split:
                _column_sum(table, whole, [k], columns, "subitem",
                            f"{table.rows[k].label} ≤ {table.rows[whole].label}", "schema")


def _outline_relations(table: Table, columns: list[Column]) -> None:
    """Two-sided summary tables: each numbered line = Σ its numbered children; 合计 = Σ top lines.
    Part rows (`Row.part_of`) are checked against their whole only: they are not lines of the side."""
    for block in range(table.sides):
        rows = [i for i, r in enumerate(table.rows) if r.block == block and r.kind not in ("note", "header")]
        _part_relations(table, rows, [c for c in columns if any(table.rows[i].cell(c.index) for i in rows)])
        idxs = [i for i in rows if table.rows[i].part_of < 0]
        order: list[str] = []
        for i in idxs:
            style = _outline_level(table.rows[i].label)
            if style and style not in order:
                order.append(style)
        level = {i: (order.index(_outline_level(table.rows[i].label)) if _outline_level(table.rows[i].label)
                     else None) for i in idxs}
        parent: dict[int, int | None] = {}
        stack: list[int] = []
        for i in idxs:
            lv = level[i]
            if lv is None:
                stack = []
                parent[i] = None
                continue
            while stack and level[stack[-1]] is not None and level[stack[-1]] >= lv:
                stack.pop()
            parent[i] = stack[-1] if stack else None
            stack.append(i)
        side_cols = [c for c in columns if any(table.rows[i].cell(c.index) for i in idxs)]
        for p in idxs:
            kids = [i for i in idxs if parent.get(i) == p]
            if not kids:
                continue
            if any(norm(table.rows[k].label).startswith("其中") for k in kids):
                for k in kids:
                    _column_sum(table, p, [k], side_cols, "subitem",
                                f"{table.rows[k].label} ≤ {table.rows[p].label}", "schema")
                continue
            _column_sum(table, p, kids, side_cols, "column",
                        f"{table.rows[p].label} = Σ {len(kids)} items", "schema")
        previous_total = None
        since: list[int] = []
        for i in idxs:
            row = table.rows[i]
            if row.kind != "total":
                if previous_total is not None and parent.get(i) is None:
                    since.append(i)
                continue
            if previous_total is None:
                tops = [k for k in idxs if k < i and level[k] == 0 and parent.get(k) is None]
                if tops and len(tops) == len([k for k in idxs if k < i and parent.get(k) is None]):
                    _column_sum(table, i, tops, side_cols, "column", f"{row.label} = Σ {len(tops)} top items",
                                "schema")
            else:
                _column_sum(table, i, [previous_total, *since], side_cols, "column",
                            f"{row.label} = {table.rows[previous_total].label} + {len(since)} items", "schema")
            previous_total, since = i, []


def _balance_relation(table: Table, layout: _Layout) -> None:
    """收入总计 = 支出总计: the last total of each side, when printed on the table's last line."""
    last = [None, None]
    for i, row in enumerate(table.rows):
        if row.kind == "total":
            last[row.block] = i
    if None in last:
        return
    inc, exp = table.rows[last[0]], table.rows[last[1]]
    if inc.line != exp.line or inc.line != table.rows[-1].line:
        return
    ci = next((c.column for c in inc.cells if layout.value[c.column]), None)
    ce = next((c.column for c in exp.cells if layout.value[c.column]), None)
    if ci is None or ce is None:
        return
    table.relations.append(Relation((last[0], ci), [(last[1], ce)], "column",
                                    f"{inc.label} = {exp.label}", "schema"))


def _plain_total_relation(table: Table, columns: list[Column]) -> None:
    """A table without codes: one 合计 row first or last, plain detail rows otherwise."""
    rows = [i for i, r in enumerate(table.rows) if r.kind != "note"]
    totals = [i for i in rows if table.rows[i].kind == "total"]
    if len(totals) != 1 or totals[0] not in (rows[0], rows[-1]):
        return
    others = [i for i in rows if i != totals[0]]
    if len(others) < 2 or any(table.rows[i].kind != "detail" or _outline_level(table.rows[i].label)
                              or norm(table.rows[i].label).startswith("其中") for i in others):
        return
    _column_sum(table, totals[0], others, columns, "column",
                f"{table.rows[totals[0]].label} = Σ {len(others)} rows", "inferred")


def _plain_part_relations(table: Table, columns: list[Column]) -> None:
    """A table without schema: a "其中" row is a part of the nearest row above that is not one
    (年度资金总额 / 其中：本年财政拨款 in a 自评表's funds block), so it is at most that row."""
    whole = -1
    for i, row in enumerate(table.rows):
        if row.kind in ("note", "header"):
            continue
        if norm(row.label).startswith("其中") and whole >= 0 and not _outline_level(norm(row.label)):
            row.part_of = whole
        elif row.part_of < 0:
            whole = i
    _part_relations(table, list(range(len(table.rows))), columns)


def _empty_note(doc: Document, table: Table) -> str:
    """The note printed in or right below a table that says it has no data."""
    for row in table.rows:
        text = " ".join(row.labels)
        if _EMPTY_NOTE.search(text) and not any(c.number for c in row.cells):
            return text
    seen = 0
    for line in doc.lines[table.last_line:]:
        if line.footer or not line.text.strip():
            continue
        seen += 1
        if seen > 2 or line.cells is not None:
            break
        text = line.text.strip()
        if _NOTE_START.match(norm(text)) and _EMPTY_NOTE.search(text):
            return text
        if seen == 1 and _EMPTY_NOTE.search(text) and len(text) <= 80:
            return text
    return ""
