"""The typed model every stage shares (DESIGN §1).

load -> Document(lines, blocks) -> read -> ReadDocument(tables, prose, indicator sets, score sheets)
-> check -> Finding -> rank -> report. Each stage only adds to the previous stage's output.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}

OutcomeStatus = Literal["passed", "failed", "not_applicable", "insufficient_data", "error"]


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class Number:
    """A number as printed: exact value, printed precision and unit.

    `value` is in the printed unit (8641.20 for "8641.20万元"); `decimals` is the number of
    printed decimal places (2 there); `unit` is the printed or inherited unit ("元", "万元",
    "亿元", "%", a count unit such as "个", or "" when none). `text` is the exact source text.
    """

    value: Decimal
    decimals: int
    unit: str = ""
    text: str = ""

    @property
    def half_ulp(self) -> Decimal:
        """Half of the last printed digit: the rounding radius of the printed value."""
        return _half_ulp(self.decimals)


@functools.cache
def _half_ulp(decimals: int) -> Decimal:
    # Asked for every interval of every printed number: a Decimal is immutable, so one per precision.
    return Decimal(5) * Decimal(10) ** (-(decimals + 1))


@dataclass(frozen=True)
class Target:
    """A target or actual value of an indicator: operator(s), number(s), unit, or a word.

    kind: "number" (=, ≥, ≤ or plain), "range" (low..high), "word" (qualitative such as 及时),
    "date" (2023年12月), "text" (free text that is neither), "empty".
    """

    kind: Literal["number", "range", "word", "date", "text", "empty"]
    text: str
    op: str = ""  # "≥", "≤", "=", ">" or "<"; "" when none was printed
    number: Number | None = None
    high: Number | None = None  # upper bound of a range
    high_op: str = ""
    unit: str = ""
    word: str = ""


# --------------------------------------------------------------------------- load


@dataclass
class OcrCell:
    """One cell (or a prose line) as OCR read it: its text, the recogniser's confidence (0..1, the
    lowest of the words joined into it) and its box in page points (x0, top, x1, bottom)."""

    text: str
    confidence: float
    bbox: tuple[float, float, float, float]


@dataclass(slots=True)
class SourceLine:
    """One line of the source text (1-based `number`), with markup removed.

    `raw` is the line exactly as printed; `text` is its reading copy (auditor.load.normalize:
    simplified characters, letter spacing and inline pinyin undone), which every reader reads.
    `cells` is the tab-separated split of `text` (None when the line holds no tab). `footer`
    marks page furniture (page numbers, running titles) that readers skip. `cell_refs`, for
    spreadsheet input, gives each cell's address ("表3!C12"), parallel to `cells`.
    """

    number: int
    raw: str
    text: str
    cells: list[str] | None = None
    page: int | None = None
    footer: bool = False
    bbox: tuple[float, float, float, float] | None = None
    cell_refs: list[str] | None = None
    # set on a line read by OCR from a page image (auditor.load.ocr): one entry per cell (per
    # word group for a prose line); None for a line of a text layer
    ocr: list[OcrCell] | None = None
    # for a table row rebuilt from several source lines (one cell per line, a header split over
    # lines): the source line of each cell, parallel to `cells` (auditor.read.table_layouts)
    cell_lines: list[int] | None = None


@dataclass
class Document:
    """A loaded file: its lines with numbers, as every later stage sees them."""

    path: str
    lines: list[SourceLine]
    format: str = "text"  # text | pdf | xlsx | xls | html | csv | image (a PNG/JPEG read by OCR)
    encoding: str = "utf-8"
    sheet_names: list[str] = field(default_factory=list)
    # What the loader saw but could not turn into lines: (code, line or 0, detail), e.g.
    # ("no_text_layer", 0, "pages 1-3"), ("formula_no_value", 12, "表3!C12"); parse.* rules report them.
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    pages: int = 0  # page count of a PDF (0 for other formats)

    def line(self, number: int) -> SourceLine | None:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return None


# --------------------------------------------------------------------------- read


@dataclass(slots=True)
class Cell:
    """One cell of a table row: its text, its parsed number (if any) and its column."""

    text: str
    column: int
    number: Number | None = None
    address: str = ""  # spreadsheet cell address ("表3!F7") when the input was a spreadsheet
    line: int = 0  # the source line the cell is printed on, when it is not its row's line (0: the row's)

    @property
    def blank(self) -> bool:
        return not self.text.strip() or self.text.strip() in {"-", "—", "--", "－", "/"}


@dataclass
class Column:
    """A value column: its header path (outer to inner) and its role in the table schema."""

    index: int
    name: str
    path: tuple[str, ...] = ()
    role: str = ""  # schema role such as "total", "basic", "basic.salary"; "" when unknown
    is_value: bool = True
    # which year the column holds, from its header (auditor.read.year_cells.column_period): "this",
    # "prior" (上年数, 2023年预算数 in a 2024 table), "other" (a later year) or "" (not said: the
    # table's own year); cross-table ties only use this year's columns
    period: str = ""


@dataclass(slots=True)
class Row:
    """A table row. `code` is the joined classification code ("2010301") when the row has one."""

    line: int
    label: str
    cells: list[Cell]
    code: str = ""
    alt_code: str = ""  # a second classification on the same row (政府预算经济分类 beside 部门预算经济分类)
    # a code cell printed as digits of no classification length ("21011011"): kept out of `code`,
    # so no relation or roll-up uses it, and shown to schema.code_format (the GX frame's code)
    malformed_code: str = ""
    labels: list[str] = field(default_factory=list)  # the row's label cells as printed (codes, names)
    kind: Literal["detail", "total", "subtotal", "unit", "header", "note"] = "detail"
    aligned: bool = False  # True when a lost empty cell was restored by the table's arithmetic
    block: int = 0  # for two-sided tables (收入 | 支出): which side the row belongs to
    # index of the row this one is a part of (a "其中：…" row, or a balance's per-fund split printed
    # below it), -1 for none: a part is not an addend of the totals below it nor a quantity of its own
    part_of: int = -1
    page: int | None = None
    address: str = ""  # a spreadsheet cell address of the row's first value, when known

    def value(self, column: int) -> Number | None:
        for cell in self.cells:
            if cell.column == column:
                return cell.number
        return None

    def cell(self, column: int) -> Cell | None:
        for cell in self.cells:
            if cell.column == column:
                return cell
        return None


@dataclass
class Relation:
    """A sum relation inside one table: the cell `total` equals the sum of the cells `parts`.

    Cells are (row index, column index) into `Table.rows` / `Column.index`. `kind` picks the
    rule that checks it: "row" (total.row_sum: across columns of one row), "column"
    (total.column_sum: a total row over detail rows), "code" (total.code_rollup: 类 = Σ款,
    款 = Σ项), "subitem" (total.subitem_exceeds: a "其中" part must not exceed its whole; only
    `parts[0]` is compared, as an inequality). `source` says where the relation came from:
    "schema" (catalog table schema) or "inferred" (合计/小计 labels, code hierarchy).
    """

    total: tuple[int, int]
    parts: list[tuple[int, int]]
    kind: Literal["row", "column", "code", "subitem"] = "row"
    label: str = ""
    source: Literal["schema", "inferred"] = "inferred"


@dataclass
class Table:
    """A recognised table with its title, unit, header, columns and rows."""

    title: str
    kind: str  # catalog key ("budget.expense_summary") or "generic"
    unit: str  # "元", "万元", "亿元" or "" when unknown
    unit_guessed: bool
    first_line: int
    last_line: int
    header_lines: list[int]
    columns: list[Column]
    rows: list[Row]
    label_columns: int = 1
    sides: int = 1  # two-sided tables (收入 | 支出) have 2
    empty_note: str = ""  # the note printed in or below an empty table
    confidence: float = 1.0
    # how the reader recognised the grid (auditor.read.table_layouts): "tab", "pipe",
    # "one_cell_per_line", "space_aligned", "flattened", "sheet"; a table whose structure the
    # reader is not sure of (confidence < SURE_TABLE) yields no error-level finding
    layout: str = "tab"
    section: str = ""  # the report/section it belongs to
    relations: list[Relation] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what the reader could not place)
    # a grid rebuilt without tabs: its rows as synthetic tab lines (header first) and the source
    # lines they came from, so the indicator reader can read it as it reads a tab table
    grid: list[SourceLine] = field(default_factory=list, repr=False, compare=False)
    grid_sources: frozenset[int] = field(default_factory=frozenset, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.title or self.kind


@dataclass
class Paragraph:
    """Prose: hard-wrapped source lines joined into one paragraph, keeping the line map.

    `offsets[i]` is the character offset in `text` at which source line `lines[i]` starts.
    """

    text: str
    lines: list[int]
    offsets: list[int]
    section: str = ""

    def line_at(self, offset: int) -> int:
        """The source line the character at `offset` is printed on (offsets never decrease)."""
        # a bisection: a score sheet or a long list read as one paragraph has hundreds of lines
        return self.lines[max(bisect_right(self.offsets, offset) - 1, 0)]


@dataclass
class Indicator:
    """One 三级 indicator with its hierarchy path, target and optional weight/actual/score."""

    level1: str
    level2: str
    name: str
    target: Target
    line: int
    target_text: str = ""
    description: str = ""  # 指标值内容 / 指标解释 column
    unit_text: str = ""  # 度量单位 column
    weight: Decimal | None = None
    actual: Target | None = None
    score: Decimal | None = None
    reason: str = ""
    inherited: bool = False  # level cells were blank and inherited from the row above
    note: str = ""  # 指标说明 column (formulas of the 部门整体 table), when printed


@dataclass
class IndicatorSet:
    """The indicators of one project (or of a department-level target table)."""

    project: str
    line: int
    framework: str = ""  # "henan" | "std2015" | "mof2021" | "dept" | ""
    fields: dict[str, str] = field(default_factory=dict)  # header fields: 项目总金额 …
    field_lines: dict[str, int] = field(default_factory=dict)
    amount: Number | None = None  # the project's own amount when printed
    indicators: list[Indicator] = field(default_factory=list)
    declared_weights: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # 一级 -> (分值, line)
    source: str = ""  # "target_table" | "wide_table" | "self_eval" | "dept"
    section: str = ""
    # 二级 categories printed with no 三级 indicator under them ("→成本→→"): (一级, 二级, line)
    empty_categories: list[tuple[str, str, int]] = field(default_factory=list)
    # the table's printed total row (自评表 "总分（预算执行率得分+绩效指标得分）… 100分 100"), level 0
    total: ScoreRow | None = None
    # first line of the table the set was read from; sets read from one table (seed 004's wide
    # table) share it, and its table-level fields (合计, 项目个数, 单位数) are in every set's `fields`
    table_line: int = 0
    # how sure the reader is of the grid the set was read from (a rebuilt grid's Table.confidence);
    # below auditor.read.table_layouts.SURE_TABLE the set's findings are at most warnings
    confidence: float = 1.0


@dataclass
class ScoreRow:
    """A row of a score sheet: a weight (分值), optional deduction and score, at one level."""

    level: int  # 1, 2 or 3; 0 for the grand total
    name: str
    line: int
    weight: Decimal | None = None
    deduction: Decimal | None = None
    score: Decimal | None = None
    rate: Number | None = None  # 得分率 when printed
    parent: str = ""
    reason: str = ""


@dataclass
class ScoreSheet:
    title: str
    line: int
    rows: list[ScoreRow] = field(default_factory=list)
    section: str = ""


@dataclass
class Section:
    """A report inside a document (seed 003 holds five), with its own title and fiscal year."""

    title: str
    first_line: int
    last_line: int
    year: int | None = None
    issuer: str = ""


@dataclass
class ReadDocument:
    """Everything the readers recognised in one Document."""

    doc: Document
    kind: str = "unknown"  # budget | final_accounts | perf_targets | self_eval | evaluation | mixed | unknown
    year: int | None = None
    issuer: str = ""
    default_unit: str = ""
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    indicator_sets: list[IndicatorSet] = field(default_factory=list)
    score_sheets: list[ScoreSheet] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, what could not be understood)
    rates: list = field(default_factory=list)  # RateStatement (auditor.read.rates): printed rates and operands
    enumerations: list = field(default_factory=list)  # Enumeration (auditor.read.enumerations): prose arithmetic
    observations: list = field(default_factory=list)  # Observation (auditor.read.observations): every number's concept
    class_paths: list = field(default_factory=list)  # ClassPath (auditor.read.class_paths): "X（类）Y（款）Z（项）" in prose

    @property
    def path(self) -> str:
        return self.doc.path

    def section_at(self, line: int) -> Section | None:
        """The report (section) a source line belongs to, if any."""
        return next((s for s in self.sections if s.first_line <= line <= s.last_line), None)


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None
    page: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    cell: str | None = None  # spreadsheet address such as "表3!C12"
    # the finding rests on a page read by OCR: the lowest confidence of the words it cites, and a
    # small PNG crop (data URI) of the cited cell so a person can check the reading
    ocr: bool = False
    ocr_confidence: float | None = None
    ocr_crop: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
        }
        if self.cell:
            out["cell"] = self.cell
        if self.ocr:
            out["ocr"] = True
            out["ocr_confidence"] = self.ocr_confidence
            if self.ocr_crop:
                out["ocr_crop"] = self.ocr_crop
        return out


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int
    text: str
    value: str | None = None
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "line": self.line, "text": self.text, "value": self.value}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass
class Finding:
    """One inconsistency. Text is rendered later from the rule's templates and `args`."""

    rule: str
    severity: Severity
    location: Location
    args: dict[str, Any] = field(default_factory=dict)
    # which of the rule's message templates says it (checks/messages/<rule>.yaml); "" is `default`
    variant: str = ""
    expected: str | None = None
    actual: str | None = None
    difference: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    suggestion: str | None = None
    key: str = ""  # what makes the finding unique inside its document (no line numbers)
    # the observed cells this finding involves, used for root-cause grouping: (table, row, col) keys
    cells: list[str] = field(default_factory=list)
    culprit_candidates: dict[str, str] = field(default_factory=dict)  # cell key -> value that repairs it
    cell_names: dict[str, str] = field(default_factory=dict)  # cell key -> how a reader names the cell
    culprit: str | None = None  # filled by rank: the likely wrong cell of the finding's group
    gap: Decimal | None = None  # size of the discrepancy in 元 (amount findings), for materiality
    confidence: float = 1.0
    # the engines that report this finding: "auditor" (its own rules), "gx" (the Great Expectations
    # suite of the table kind, `auditor check --gx`); both when they agree on the same cell
    confirmed_by: list[str] = field(default_factory=lambda: ["auditor"])
    # filled by rank
    id: str = ""
    score: float = 0.0
    rank: int = 0
    group: str = ""
    group_lead: bool = False


@dataclass
class RuleOutcome:
    rule: str
    path: str
    status: OutcomeStatus
    checked: int = 0
    failed: int = 0
    detail: str = ""


@dataclass
class DocumentResult:
    """The audit of one document: what was read, the findings, and each rule's outcome."""

    path: str
    read: ReadDocument | None
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[RuleOutcome] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    rate_stats: dict[str, int] = field(default_factory=dict)
