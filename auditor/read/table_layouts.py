"""Table layouts without tab characters: rebuild the grid a human reader sees.

Text taken from web pages, Word files and PDFs rarely keeps its tabs. The same table then comes
out in one of these layouts, each rebuilt here into rows of cells (one synthetic `SourceLine`
per row, with the source line of every cell in `cell_lines`) that the tab table reader
(auditor.read.tables) turns into a `Table` exactly as it would the tab-separated original:

- ``pipe``: cells delimited by ``|`` on each line (``a | b | c |``), or by ``|`` lines between
  cells printed on their own lines, a doubled ``|`` ending the row;
- ``space_aligned``: columns aligned by runs of two or more spaces (or full-width U+3000 spaces);
- ``one_cell_per_line``: every cell on its own line (optionally ended by ``|``); the rows are
  rebuilt from the header's column count and the row labels (a row starts at a label that
  follows a number, or at a code / 行次 number when the first column holds them);
- ``flattened``: a header and its rows run together on one line, separated by spaces; rebuilt
  like one cell per line, from the words of the line.

Every block carries a confidence: 0.95 for delimited cells whose rows agree in width, less when
the column count had to be guessed or rows are short. A table below `SURE_TABLE` yields no
error-level finding (auditor.engine caps it at warning): no error without a sure structure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from auditor.model import Document, SourceLine
from auditor.read.notes import cells_glued, header_guessed, row_break_guessed, score_grid_glued
from auditor.read.score_grid import GRID_CONFIDENCE, find_score_grid
from auditor.read.table_header import is_header_cell, is_numeric_cell
from auditor.read.table_schema import norm

# Below this a table's structure is a guess: its findings are capped at warning.
SURE_TABLE = 0.75

# Layouts whose grid shares its source line with prose (the line is not the table's alone).
SHARED_LINE_LAYOUTS = ("flattened", "glued", "glued_grid")

# Confidence of each way a grid was recognised (see the module docstring).
DELIMITED = 0.95  # | cells, rows of one width
DELIMITED_RAGGED = 0.8  # | cells, rows of several widths
ALIGNED = 0.85  # columns by runs of spaces, rows of one width
ALIGNED_RAGGED = 0.7
REBUILT = 0.8  # one cell per line, every row as wide as the header
REBUILT_GUESSED = 0.6  # the column count or a row break had to be guessed
FLATTENED = 0.7  # one line, every row as wide as the header
FLATTENED_GUESSED = 0.55
GLUED = 0.5  # cells glued without separators, numbers split by the table's own sums: a guess

_SPACED = re.compile(r"[ \t]{2,}|\u3000+")
_SENTENCE_END = ("。", "；", ";", "！", "？")
_BLANK_MARKS = frozenset({"-", "—", "--", "－", "/", "——", "…"})
_COLUMN_NUMBER_LABELS = frozenset({"栏次", "行次", "栏号"})
# A first column holding codes or row numbers: its integer cells start rows.
_CODE_HEADER = re.compile(r"^(科目编码|科目代码|功能分类科目编码|编码|代码|行次|序号|类|款|项)$")
_CODE = re.compile(r"^\d{1,9}$")
# A cell that names its table ("项目支出绩效自评表(2022年度)"): the title of a grid on one line.
_TITLE_WORD = re.compile(r"表(?:[(（].{0,12}[)）])?$")
# The header of a label column ("项目", "科目名称"): a header that starts with one is whole.
_LABEL_HEADER = re.compile(r"^(?:项目|项目名称|名称|科目|科目名称|科目编码|单位名称|资金来源|一级指标|类|序号|编码|代码)$")
# A word with Latin letters in a flattened line is page metadata (ids, time stamps), not a cell.
_FOREIGN = re.compile(r"[A-Za-z]")
# Cell lines: at most this long (longer is prose), flattened lines at least this many words.
MAX_CELL = 40
MIN_FLAT_WORDS = 12
MAX_LABEL_RUN = 3


@dataclass
class LayoutBlock:
    """A grid found without tabs: one synthetic line per row, and every source line it uses."""

    lines: list[SourceLine]
    layout: str
    confidence: float
    sources: set[int] = field(default_factory=set)
    notes: list[tuple[int, str]] = field(default_factory=list)
    resume: int = 0  # the source line of the first cell after the grid (0: none), where another grid may start
    title: str = ""  # a title found among the words before the header (flattened and glued grids)


@dataclass
class _Cell:
    text: str
    line: int


# --------------------------------------------------------------------------- line classes


def _pipe_cells(text: str) -> list[str] | None:
    """Cells of a line delimited by |, or None when the line has no |."""
    if "|" not in text:
        return None
    parts = [p.strip() for p in text.strip().split("|")]
    if parts and not parts[0]:
        parts = parts[1:]
    if parts and not parts[-1]:
        parts = parts[:-1]
    return parts


def _is_value(text: str) -> bool:
    t = text.strip()
    return not t or t in _BLANK_MARKS or is_numeric_cell(t)


def _is_cell_text(text: str) -> bool:
    """A line short enough to be one cell: not a sentence."""
    t = text.strip()
    # the cheap tests first: norm() of a long prose line costs more than the rest together
    if not t or t.endswith(_SENTENCE_END) or "。" in t:
        return False
    return len(t) <= MAX_CELL or len(norm(t)) <= MAX_CELL  # norm() never lengthens a text


def _spaced_cells(text: str) -> list[str]:
    if "  " not in text and "\t" not in text and "\u3000" not in text:  # no gap: skip the regex scan
        return [text.strip()] if text.strip() else []
    return [c for c in _SPACED.split(text.strip()) if c]


# --------------------------------------------------------------------------- entry point


def find_layout_blocks(doc: Document, taken: set[int]) -> list[LayoutBlock]:
    """Every grid of `doc` in a layout other than tabs, outside the lines in `taken`.

    Each finder scans a run of lines; when it finds no grid there, it is not tried again inside
    the run it scanned (a sub-run holds fewer cells), which keeps the search linear."""
    lines = doc.lines
    out: list[LayoutBlock] = []
    finders = (_pipe_rows, _cell_stream, _spaced_rows)
    failed_until = [0] * len(finders)
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.number in taken or line.cells is not None or line.footer or not line.text.strip():
            i += 1
            continue
        found: LayoutBlock | list[LayoutBlock] | None = None
        end = i + 1
        for f, finder in enumerate(finders):
            if i < failed_until[f]:
                continue
            block, stop = finder(doc, i, taken)
            if block is not None:
                found, end = block, stop
                break
            failed_until[f] = max(stop, i + 1)
        if found is None:
            flat = _flattened(doc, i) or _glued(doc, i) or _score_grid(doc, i)
            if flat is not None:
                found, end = flat
        for block in found if isinstance(found, list) else [found] if found else []:
            out.append(block)
            taken = taken | block.sources
        i = max(end, i + 1)
    return out


def _usable(doc: Document, k: int, taken: set[int]) -> bool:
    line = doc.lines[k]
    return line.number not in taken and line.cells is None and not line.footer


def _row_line(doc: Document, cells: list[_Cell]) -> SourceLine:
    first = cells[0].line
    source = doc.lines[first - 1]
    texts = [c.text for c in cells]
    return SourceLine(number=first, raw=source.raw, text="\t".join(texts), cells=texts,
                      page=source.page, cell_lines=[c.line for c in cells])


def _numeric_rows(rows: list[list[str]]) -> int:
    return sum(1 for r in rows if any(c.strip() and _is_value(c) for c in r[1:]))


# --------------------------------------------------------------------------- a | b | c per line


def _pipe_rows(doc: Document, i: int, taken: set[int]) -> tuple[LayoutBlock | None, int]:
    """Consecutive lines of |-delimited cells; a line that does not start with | continues the
    row above when the block's rows start with | (a cell's text wrapped onto the next line)."""
    lines = doc.lines
    first = _pipe_cells(lines[i].text)
    if first is None or len(first) < 2:
        return None, i + 1
    leading = lines[i].text.lstrip().startswith("|")
    rows: list[tuple[int, str]] = []  # (line, text) of each row
    sources: set[int] = set()
    k = i
    while k < len(lines) and _usable(doc, k, taken):
        text = lines[k].text
        if not text.strip():
            k += 1
            continue
        cells = _pipe_cells(text)
        if cells is None:
            if leading and rows and _is_cell_text(text):
                rows[-1] = (rows[-1][0], rows[-1][1] + text.strip())
                sources.add(lines[k].number)
                k += 1
                continue
            break
        if leading and rows and not text.lstrip().startswith("|") and not rows[-1][1].rstrip().endswith("|"):
            rows[-1] = (rows[-1][0], rows[-1][1] + text.strip())
        else:
            rows.append((lines[k].number, text))
        sources.add(lines[k].number)
        k += 1
    grid = [(number, _pipe_cells(text) or []) for number, text in rows]
    grid = [(number, cells) for number, cells in grid if any(c for c in cells)]
    if len(grid) < 2 or not _numeric_rows([c for _, c in grid]):
        return None, k
    widths = Counter(len(_trim(c)) for _, c in grid if _numeric_rows([c]))
    conf = DELIMITED if len(widths) == 1 else DELIMITED_RAGGED
    out = [_row_line(doc, [_Cell(t, number) for t in cells]) for number, cells in grid]
    return LayoutBlock(out, "pipe", conf, sources), k


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# --------------------------------------------------------------------------- columns by spaces


def _spaced_rows(doc: Document, i: int, taken: set[int]) -> tuple[LayoutBlock | None, int]:
    lines = doc.lines  # the loader collapses runs of spaces in `text`: columns are read from `raw`
    if len(_spaced_cells(lines[i].raw)) < 3:
        return None, i + 1
    rows: list[SourceLine] = []
    sources: set[int] = set()
    k = i
    while k < len(lines) and _usable(doc, k, taken):
        text = lines[k].text
        if not text.strip():
            k += 1
            continue
        cells = [" ".join(c.split()) for c in _spaced_cells(lines[k].raw)]
        if len(cells) < 2 or any(len(norm(c)) > MAX_CELL for c in cells):
            break
        rows.append(_row_line(doc, [_Cell(c, lines[k].number) for c in cells]))
        sources.add(lines[k].number)
        k += 1
    if len(rows) < 2 or _numeric_rows([r.cells or [] for r in rows]) < 1:
        return None, k
    widths = Counter(len(r.cells or []) for r in rows)
    conf = ALIGNED if len(widths) == 1 else ALIGNED_RAGGED
    return LayoutBlock(rows, "space_aligned", conf, sources), k


# --------------------------------------------------------------------------- one cell per line


def _cell_stream(doc: Document, i: int, taken: set[int]) -> tuple[LayoutBlock | None, int]:
    """A run of lines holding one cell each (blank lines between them are not cells)."""
    lines = doc.lines
    cells: list[_Cell | None] = []  # None: a row break (a doubled | separator)
    sources: set[int] = set()
    terminated = separated = plain = 0
    k = i
    pending_sep = 0
    while k < len(lines) and _usable(doc, k, taken):
        text = lines[k].text.strip()
        if not text:
            k += 1
            continue
        parts = _pipe_cells(text)
        if parts is not None and len(parts) >= 2:
            break  # a |-delimited row: another layout
        if text == "|" or (parts == [] and set(text) == {"|"}):
            separated += 1
            pending_sep += 1
            if pending_sep >= 2 and cells and cells[-1] is not None:
                cells.append(None)
            sources.add(lines[k].number)
            k += 1
            continue
        if parts is not None:  # "cell |"
            terminated += 1
            body = parts[0] if parts else ""
        elif _is_cell_text(text):
            plain += 1
            body = text
        else:
            break
        if parts is None and pending_sep == 0 and separated and cells and cells[-1] is not None:
            # 029-style: text between separators is one cell, even over several lines
            cells[-1] = _Cell(cells[-1].text + body, cells[-1].line)
        else:
            cells.append(_Cell(body, lines[k].number))
        pending_sep = 0
        sources.add(lines[k].number)
        k += 1
    # in the "cell |" style an empty "|" line is an empty cell, not a separator
    if terminated and terminated >= plain:
        return _rebuild_terminated(doc, i, k, taken) or (None, k)
    real = [c for c in cells if c is not None]
    if len(real) < 6 or sum(1 for c in real if c.text.strip() and _is_value(c.text)) < 4:
        return None, k
    if separated and any(c is None for c in cells):
        lead = [c for c in cells[:cells.index(None)] if c is not None]
        first_sep = min((n for n in sources if doc.lines[n - 1].text.strip() == "|"), default=0)
        context = [c for c in lead if c.line < first_sep]
        if context:  # title and unit lines above the first |: context for the table reader
            cells = [c for c in cells if c not in context]
            sources -= {c.line for c in context}
        block = _delimited_stream(doc, cells, sources)
        return block, k
    block = _rebuild(doc, real, "one_cell_per_line", REBUILT, REBUILT_GUESSED)
    return (block, block.resume - 1 if block.resume else k) if block else (None, k)


def _rebuild_terminated(doc: Document, i: int, end: int, taken: set[int]) -> tuple[LayoutBlock, int] | None:
    cells: list[_Cell] = []
    for k in range(i, end):
        text = doc.lines[k].text.strip()
        if not text:
            continue
        parts = _pipe_cells(text)
        if parts is None:
            if cells:
                break
            continue  # a title or unit line above the cells: context for the table reader
        cells.append(_Cell(parts[0] if parts else "", doc.lines[k].number))
    if sum(1 for c in cells if c.text.strip() and _is_value(c.text)) < 4 or len(cells) < 6:
        return None
    block = _rebuild(doc, cells, "one_cell_per_line", REBUILT, REBUILT_GUESSED)
    return (block, block.resume - 1 if block.resume else end) if block else None


def _delimited_stream(doc: Document, cells: list[_Cell | None], sources: set[int]) -> LayoutBlock | None:
    rows: list[list[_Cell]] = [[]]
    for cell in cells:
        if cell is None:
            rows.append([])
        else:
            rows[-1].append(cell)
    rows = [r for r in rows if r]
    widths = Counter(len(r) for r in rows if len(r) > 1)
    if not rows:
        return None
    conf = DELIMITED if len(widths) == 1 else DELIMITED_RAGGED
    return LayoutBlock([_row_line(doc, r) for r in rows], "pipe", conf, sources)


def _rebuild(doc: Document, cells: list[_Cell], layout: str, sure: float, guessed: float,
             min_values: int = 1) -> LayoutBlock | None:
    """Rows from a flat list of cells: header, then rows starting at their labels."""
    cells = [c for c in cells if norm(c.text) not in ("单位", "單位")]
    start = _first_row(cells, min_values)
    if start is None:
        return None
    head = cells[:start]
    body = cells[start:]
    rows, end = _segment(body)
    if len(rows) < 2:
        return None  # one row cannot confirm the column count: a header cell may be taken for its label
    widths = Counter(len(r) for r in rows)
    top = max(widths.values())
    width = max(w for w, count in widths.items() if count == top)
    notes: list[tuple[int, str]] = []
    # 栏次 1 栏次 2 …: numbers the columns; part of the header, not a column name
    numbering = {j for j, c in enumerate(head) if norm(c.text) in _COLUMN_NUMBER_LABELS
                 and j + 1 < len(head) and _CODE.match(norm(head[j + 1].text))}
    labels = [c for j, c in enumerate(head) if j not in numbering and not _is_value(c.text)]
    conf = sure
    two_sided = (len(labels) >= 2 * width and [norm(c.text) for c in labels[-2 * width:-width]]
                 == [norm(c.text) for c in labels[-width:]])
    if two_sided:
        merged = [rows[j] + rows[j + 1] for j in range(0, len(rows) - 1, 2)]
        if len(rows) % 2:
            merged.append(rows[-1])
        rows, width = merged, 2 * width
    usual, width = width, _header_width(rows, labels, width)
    if len(labels) >= width:
        leaf = labels[-width:]
        spanning = labels[:-width]
    else:
        leaf, spanning = labels, []
        conf = guessed
        notes.append((cells[start].line, header_guessed(len(labels), width)))
    header_rows: list[list[_Cell]] = []
    top = [c for c in spanning[-2:] if norm(c.text) in ("收入", "支出")]
    if two_sided and len(top) == 2:
        half = width // 2
        header_rows.append([top[0]] + [_Cell("", top[0].line)] * (half - 1)
                           + [top[1]] + [_Cell("", top[1].line)] * (width - half - 1))
    if leaf:
        header_rows.append(leaf)
    if any(len(r) != width for r in rows):
        conf = min(conf, guessed)
        for r in rows:
            # rows of the usual width under a header widened by the first row lack its merged
            # cells, not a row break: the table reader notes how it pads them
            if len(r) != width and not (usual < width and len(r) == usual):
                notes.append((r[0].line, row_break_guessed(len(r), width)))
    out = [_row_line(doc, r) for r in header_rows + rows]
    used = {c.line for r in header_rows + rows for c in r}
    used |= {c.line for j, c in enumerate(head) if j in numbering or (j - 1 in numbering)}
    if out and used:
        low, high = min(used), max(used)
        used |= {n for n in range(low, high + 1) if not doc.lines[n - 1].text.strip()}
    resume = body[end].line if end < len(body) else 0
    title = next((c.text for c in reversed(spanning) if _TITLE_WORD.search(c.text)), "")
    return LayoutBlock(out, layout, conf, used, notes, resume, title)


def _header_width(rows: list[list[_Cell]], labels: list[_Cell], width: int) -> int:
    """How many of the labels above the rows are the header: as many as the rows' usual width,
    or as the first row's when it is wider and the labels it takes in look like header cells.

    A cell merged down several rows (a 原因 remark, a group label) prints in the first row of
    its span only, so the rows below are shorter: their usual width would leave the first row's
    last cell unnamed and cut the header's first cell off as a title ("年度预算数(万元)" over
    the label column), shifting every column name one place left. A real title ("…表", a
    numbered heading, a sentence) is never taken into the header."""
    first = len(rows[0]) if rows else 0
    if first <= width or len(labels) < first or _LABEL_HEADER.match(norm(labels[-width].text)):
        return width  # (the usual split already names the label column: what is above is a title)
    if all(is_header_cell(c.text) and not _TITLE_WORD.search(c.text) for c in labels[-first:-width]):
        return first
    return width


def _first_row(cells: list[_Cell], min_values: int = 1) -> int | None:
    """Index of the first data row's label: a label followed by `min_values` values (栏次 1
    pairs skipped)."""
    for j in range(len(cells) - min_values):
        text = norm(cells[j].text)
        if not text or _is_value(text) or text in _COLUMN_NUMBER_LABELS:
            continue
        following = cells[j + 1:j + 1 + min_values]
        if all(c.text.strip() and _is_value(c.text) for c in following):
            return j
    return None


def _segment(cells: list[_Cell]) -> tuple[list[list[_Cell]], int]:
    """Cut data cells into rows: a new row at a label that follows a value, unless it is a
    sentence (the row's remark, `_is_remark`). Labels without a value are kept with the row they
    precede (several label columns); a run of more than `MAX_LABEL_RUN` labels ends the table
    (notes or the next heading follow)."""
    rows: list[list[_Cell]] = []
    current: list[_Cell] = []
    has_value = False
    run = 0
    for index, cell in enumerate(cells):
        if _is_value(cell.text):
            run = 0
            has_value = True
        elif has_value and _is_remark(cells, index):
            current.append(cell)  # a sentence after a row's values is its 原因/说明 cell, not a new row's label
            continue
        else:
            if has_value:
                rows.append(current)
                current, has_value = [], False
            run += 1
            if run > MAX_LABEL_RUN and rows:
                return rows, index - run + 1
        current.append(cell)
    if current and has_value:
        rows.append(current)
    return rows, len(cells)


def _is_remark(cells: list[_Cell], index: int) -> bool:
    """Whether the text cell at `index`, right after a row's values, is that row's remark: a
    sentence, not a name (a row label is a short name), with a value among the next few cells
    (otherwise it is a note below the table, where `_segment` ends the table)."""
    if _is_cell_text(cells[index].text):
        return False
    return any(c.text.strip() and _is_value(c.text) for c in cells[index + 1:index + 1 + MAX_LABEL_RUN])


# --------------------------------------------------------------------------- flattened


def _flattened(doc: Document, i: int) -> tuple[list[LayoutBlock], int] | None:
    """A header and its rows run together on one line, separated by spaces. The line may also
    hold prose and page metadata: the grid is looked for between sentences and non-CJK words
    (identifiers, time stamps), and the line stays with the prose readers."""
    line = doc.lines[i]
    words = line.text.split()
    if len(words) < MIN_FLAT_WORDS or sum(1 for w in words if _is_value(w)) < 4:
        return None
    segments: list[list[_Cell]] = [[]]
    for word in words:
        if len(norm(word)) > MAX_CELL or word.endswith(_SENTENCE_END) or _FOREIGN.search(word):
            segments.append([])
            continue
        tokens = segments[-1]
        if tokens and word[:1] in "(（" and not _is_value(word):
            tokens[-1] = _Cell(tokens[-1].text + word, line.number)  # "项目资金 (万元)": one cell
        else:
            tokens.append(_Cell(word, line.number))
    blocks = []
    header = _header_above(doc, i)
    for index, tokens in enumerate(segments):
        # rows flattened onto one line below their header line
        above = header if index == 0 and header and _first_row(tokens, 2) == 0 else []
        block = _rebuild(doc, above + tokens, "flattened", FLATTENED, FLATTENED_GUESSED, min_values=2)
        if block is not None:
            block.sources = {c.line for c in above}  # the line also holds prose: leave it to the other readers
            blocks.append(block)
    return (blocks, i + 1) if blocks else None


def _header_above(doc: Document, i: int) -> list[_Cell]:
    """The line right above a flattened line, when it is a header: two or more short labels."""
    k = i - 1
    while k >= 0 and not doc.lines[k].text.strip():
        k -= 1
    if k < 0 or doc.lines[k].cells is not None or doc.lines[k].footer:
        return []
    words = doc.lines[k].text.split()
    if not 2 <= len(words) <= 16 or any(_is_value(w) or len(norm(w)) > MAX_CELL // 2 for w in words):
        return []
    return [_Cell(w, doc.lines[k].number) for w in words]


# --------------------------------------------------------------------------- glued score grid


def _score_grid(doc: Document, i: int) -> tuple[list[LayoutBlock], int] | None:
    """A self-evaluation grid glued into a run of text (auditor.read.score_grid): a guess, so
    below SURE_TABLE."""
    found = find_score_grid(doc, i)
    if found is None:
        return None
    grid, used, title = found
    rows = [_row_line(doc, [_Cell(c, row.line) for c in row.cells]) for row in grid]
    block = LayoutBlock(rows, "glued_grid", GRID_CONFIDENCE, used, [(rows[0].number, score_grid_glued())],
                        title=title)
    return [block], i + len(used)


# --------------------------------------------------------------------------- glued


_RUN = re.compile(r"\d[\d.]*")
_GLUED_TOTAL = re.compile(r"(?:合计|总计)(?=\d)")
_HEADER_TAIL = re.compile(r"^年[^\d]{0,8}?数")  # the end of a year column's header glued to the first label
_COLUMN_WORD = re.compile(r"\d{4}年[^\d]{0,8}?数|金额|预算数|执行数|决算数")
_PIECE = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,2})?$")
MAX_SPLITS = 20000  # combinations of number splits tried for one glued table
MAX_GLUED_ROWS = 12
MAX_GLUED_RUN = 24  # a run of digits longer than this holds no few glued amounts


def _glued(doc: Document, i: int) -> tuple[list[LayoutBlock], int] | None:
    """Cells glued without any separator ("清洁服务费120依据合同120118…合计530412.60498.30"),
    as some document converters print a Word table. Rows are the repeats of one pattern of text
    and number runs ending at a 合计 row; a run holding several numbers is split where the
    columns then add up to the 合计 row in all columns but at most one, and only when exactly
    one such split exists. The split is a guess made from the table's own sums, so the table is
    below SURE_TABLE: it can warn, never err."""
    line = doc.lines[i]
    text = line.text
    if len(text) < 60 or line.cells is not None:
        return None
    blocks = []
    for total in _GLUED_TOTAL.finditer(text):
        block = _glued_table(doc, line.number, text, total)
        if block is not None:
            blocks.append(block)
    return (blocks, i + 1) if blocks else None


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _RUN.finditer(text):
        if m.start() > pos:
            out.append(("t", text[pos:m.start()]))
        out.append(("n", m.group(0).rstrip(".")))
        pos = m.end()
    if pos < len(text):
        out.append(("t", text[pos:]))
    return out


def _glued_table(doc: Document, number: int, text: str, total: re.Match[str]) -> LayoutBlock | None:
    run = _RUN.match(text, total.end())
    if run is None:
        return None
    tokens = _tokens(text[:total.start()])
    for period in range(6, 1, -1):  # the longest repeating row pattern first
        rows = _glued_rows(tokens, period)
        if rows is None:
            continue
        block = _glued_block(doc, number, tokens, rows, run.group(0).rstrip("."))
        if block is not None:
            return block
    return None


def _glued_rows(tokens: list[tuple[str, str]], period: int) -> list[list[tuple[str, str]]] | None:
    """The rows right before the total: repeats of the last `period` tokens (a label first, a
    number last); a row with a year ("2020" then "年…") is the header, not data."""
    if len(tokens) < 2 * period:
        return None
    kinds = [k for k, _ in tokens[-period:]]
    if kinds[0] != "t" or kinds[-1] != "n":
        return None
    rows: list[list[tuple[str, str]]] = []
    end = len(tokens)
    while end - period >= 0 and [k for k, _ in tokens[end - period:end]] == kinds and len(rows) < MAX_GLUED_ROWS:
        row = tokens[end - period:end]
        if any(k == "t" and t.startswith(("年", "月", "日")) for k, t in row[1:]):
            break
        rows.insert(0, row)
        end -= period
    return rows if len(rows) >= 2 else None


def _glued_block(doc: Document, number: int, tokens: list[tuple[str, str]], rows: list[list[tuple[str, str]]],
                 total_run: str) -> LayoutBlock | None:
    runs = [[t for k, t in row if k == "n"] for row in rows]
    if len(total_run) > MAX_GLUED_RUN or any(len(r) > MAX_GLUED_RUN for row in runs for r in row):
        return None  # an identifier, not glued amounts
    first = len(tokens) - sum(len(r) for r in rows)
    header = "".join(t for _, t in tokens[max(0, first - 5):first]) + rows[0][0][1]
    for width in range(len(runs[0]), len(runs[0]) + 3):
        solved = _split_columns(runs, total_run, width)
        if solved is None:
            continue
        details, totals = solved
        names = _COLUMN_WORD.findall(header)
        names = names[-width:] if len(names) >= width else [""] * width
        labels = [[t.strip("，,:：") for k, t in row if k == "t"] for row in rows]
        labels[0][0] = _HEADER_TAIL.sub("", labels[0][0]) or labels[0][0]  # "年实际执行数保安服务费"
        extra = max(len(c) for c in labels) - 1
        head = ["项目"] + [""] * extra + names
        grid = [head] + [cells + [""] * (extra + 1 - len(cells)) + values
                         for cells, values in zip(labels, details, strict=True)]
        grid.append(["合计"] + [""] * extra + totals)
        out = [_row_line(doc, [_Cell(c, number) for c in r]) for r in grid]
        before = "".join(t for _, t in tokens[max(0, first - 12):first])
        title = next(iter(re.findall(r"[\u4e00-\u9fff\d]{0,30}?(?:\d{4}年)?[\u4e00-\u9fff]{2,30}表", before)), "")
        return LayoutBlock(out, "glued", GLUED, set(),
                           [(number, cells_glued())],
                           title=re.sub(r"^[年月日]+", "", title))  # the end of a date glued before it
    return None


def _splits(run: str, pieces: int, decimals: int = 2) -> list[list[str]]:
    """Every way to cut a run of digits into `pieces` plausible printed numbers: integers, or
    numbers with exactly `decimals` decimals (one table prints its amounts to one precision)."""
    def plausible(piece: str) -> bool:
        return bool(_PIECE.match(piece)) and ("." not in piece or len(piece.split(".")[1]) == decimals)

    if pieces == 1:
        return [[run]] if plausible(run) else []
    out = []
    for cut in range(1, len(run)):
        head = run[:cut]
        if plausible(head):
            out += [[head, *rest] for rest in _splits(run[cut:], pieces - 1, decimals)]
    return out


def _split_columns(runs: list[list[str]], total_run: str, width: int) -> tuple[list[list[str]], list[str]] | None:
    """Split every row's runs into `width` numbers and the total run too, so that all columns but
    at most one add up to the total; None unless exactly one such split exists (trying amounts
    to 2 decimals, then 1, then integers)."""
    for decimals in (2, 1, 0):
        if decimals and not re.search(rf"\.\d{{{decimals}}}", total_run + " ".join(r for row in runs for r in row)):
            continue
        solved = _split_at(runs, total_run, width, decimals)
        if solved is not None:
            return solved
    return None


def _split_at(runs: list[list[str]], total_run: str, width: int, decimals: int
              ) -> tuple[list[list[str]], list[str]] | None:
    from decimal import Decimal
    from itertools import product

    def row_options(row: list[str]) -> list[list[str]]:
        options = []
        for counts in product(range(1, width + 1), repeat=len(row)):
            if sum(counts) != width:
                continue
            for parts in product(*(_splits(r, c, decimals) for r, c in zip(row, counts, strict=True))):
                options.append([p for part in parts for p in part])
        return options

    per_row = [row_options(r) for r in runs]
    totals = _splits(total_run, width, decimals)
    count = len(totals)
    for options in per_row:
        count *= max(len(options), 1)
    if not totals or any(not o for o in per_row) or count > MAX_SPLITS:
        return None
    found = []
    for choice in product(*per_row):
        sums = [sum(Decimal(r[j]) for r in choice) for j in range(width)]
        for total in totals:
            holds = sum(1 for j in range(width) if sums[j] == Decimal(total[j]))
            if holds >= max(width - 1, 2):
                found.append(([list(r) for r in choice], total))
    if len(found) != 1:
        return None
    return found[0]
