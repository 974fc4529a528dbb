"""Indicator sets: the 一级/二级/三级 indicators of project and department target tables and of
self-evaluation tables, with their header fields.

Layouts read (all from `doc.lines`; the generic tables are not needed):

* **target_table** (seed 001): tab-separated 预算项目绩效目标表 — header fields (项目名称 …
  年度绩效目标, 项目构成) then "一级指标 二级指标 三级指标 目标值" rows whose blank level cells
  inherit from the row above. Rows that lost cells ("资产管理→→→", "群众回访满意率→→≥90%→")
  are re-read by content: a 二级 name in the 一级 column is a 二级, a value in the 三级 column
  belongs to the name before it.
* **target_table, space-separated** (seed 000): the same table printed without tabs, levels on
  their own lines ("产出目标", "数量 受理电话时间及电话数量 ≥95接通率").
* **dept** (seed 001): 部门整体绩效目标表 (部门名称, 年度总体目标, 年度主要任务, 指标解释/指标说明).
* **wide_table** (seed 004): one row per project (单位代码, 名称, 资金总额, 实施期/年度绩效目标)
  followed by its indicator rows; a project repeated after a page break is merged into one set.
* **self_eval** (seed 003): 年度指标值/实际完成值/分值/得分/未完成原因 tables; two tables of one
  report (targets + actuals, then weights + scores) are merged by indicator name; "产出指标
  (50分)" declares a weight; the 总分 row becomes `IndicatorSet.total`.

Framework detection per set is by the level names printed (indicator_taxonomy.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from auditor.model import Document, Indicator, IndicatorSet, ScoreRow, SourceLine, Table
from auditor.numbers import normalize, parse_amount, parse_score, parse_target
from auditor.read.indicator_taxonomy import Framework, Taxonomy, load_taxonomy, norm
from auditor.read.table_layouts import SHARED_LINE_LAYOUTS


# Cells repeat within a document (the same amounts, 指标 names, units): each distinct text is
# folded once.
@lru_cache(maxsize=8192)
def _clean_cell(text: str) -> str:
    return normalize(text).strip()


# A weight or score cell is parsed up to three times (consistency, fit, the indicator): once.
_score_of = lru_cache(maxsize=4096)(parse_score)


def _first_filled(cells: list[str]) -> str:
    """The first non-empty cell, or "" (a loop: cheaper than next() over a generator)."""
    for cell in cells:
        if cell:
            return cell
    return ""


LEVEL_ROLES = ("l1", "l2", "name")
VALUE_ROLES = ("target", "actual", "weight", "score", "reason", "desc", "note", "unit", "vtype", "target_adjusted")

# Header fields of project/department target tables (compared without whitespace).
FIELD_KEYS = (
    "项目名称", "单位编码", "资金用途", "项目负责人", "联系人", "联系电话", "开始时间", "结束时间",
    "项目总金额", "项目本年度金额", "上年度项目总金额", "项目上年度金额", "项目详细信息", "项目概况",
    "立项依据", "项目设立的必要性", "项目配套制度措施", "项目实施计划", "项目构成", "备注",
    "项目绩效目标", "项目总目标", "年度绩效目标", "实施期绩效目标", "部门名称", "年度总体目标",
    "年度主要任务",
)
_FIELD_SET = set(FIELD_KEYS)
_PROSE_FIELDS = {"项目概况", "立项依据", "项目设立的必要性", "项目配套制度措施", "项目实施计划", "备注",
                 "项目总目标", "年度绩效目标", "实施期绩效目标"}
_NO_VALUE_FIELDS = {"项目详细信息", "项目构成", "项目绩效目标"}

_DECLARED = re.compile(r"^(.+?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
_WEIGHT_CELL = re.compile(r"^\d+(?:\.\d+)?\s*分$")
_NAME_PREFIX = re.compile(r"^指标\s*\d+\s*[:：]\s*")
_UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SEPARATOR = re.compile(r"^[-—=_\s]+$")
_SELF_EVAL_TITLE = re.compile(r"自评报告$")
_PROJECT_IN_TITLE = re.compile(r"\d{4}年度?(.+?)(?:项目支出|项目)?(?:绩效)?自评报告$")
_TASK_CELL = re.compile(r"^任务\s*\d+")
_UNIT_NAME_LINE = re.compile(r"^单位\s*[:：]\s*(\S+)$")
_PROJECT_CODE = re.compile(r"\d{3,}")


_OPERATOR_CELL = re.compile(r"^(?:[≥≤=<>]|>=|<=)$")  # after normalize: "＝" and "﹦" are "="
_BARE_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _with_printed_operator(target: str, vtype: str, unit: str) -> str:
    """A bare target number with the operator its 指标性质 column prints ("≤", "﹦") and the unit of
    its 度量单位 column: templates print "≤ | 30 | 万元" for the target "≤30万元"."""
    if not _BARE_NUMBER.match(target):
        return target
    op = normalize(vtype).strip()
    if not _OPERATOR_CELL.match(op):
        return target
    op = {">=": "≥", "<=": "≤"}.get(op, op)
    return f"{op}{target}{unit.strip() if len(unit.strip()) <= 4 else ''}"


@lru_cache(maxsize=4096)  # asked for every cell of every tab line that could be a header
def role_of(header: str) -> str:
    """The column role of an indicator-table header cell."""
    h = norm(header).replace(":", "").replace("：", "")
    if not h:
        return ""
    if h.startswith("一级指标"):
        return "l1"
    if h.startswith("二级指标"):
        return "l2"
    if h.startswith("三级指标"):
        return "name"
    if h in ("指标值内容", "指标解释", "指标内容"):
        return "desc"
    if h in ("指标值类型", "指标性质", "指标类型"):
        return "vtype"
    if h in ("指标说明",):
        return "note"
    if h in ("度量单位", "计量单位", "单位"):
        return "unit"
    if h.startswith(("实际完成值", "实际值", "全年实际值", "实际完成", "完成值", "全年完成值")):
        return "actual"
    if h.startswith(("年度指标值", "指标值", "目标值", "年度目标值", "预期指标值", "计划值", "年初指标值")):
        return "target"
    if h.startswith(("调整指标值", "调整后指标值")):
        return "target_adjusted"
    if h in ("分值", "权重", "指标分值", "权重(分)", "分值(分)") or h.startswith(("评(扣分标准)", "评分标准", "指标权重")):
        return "weight"
    if h in ("得分", "自评得分", "实际得分") or h.startswith("指标得分"):
        return "score"
    if h == "指标名称":
        return "name"
    if "原因" in h or h.startswith("偏差"):
        return "reason"
    return ""


@lru_cache(maxsize=4096)
def looks_value(text: str) -> bool:
    """A cell that is a value (≥95%, 57, 2023年12月), not a name."""
    t = text.strip()
    if not t:
        return False
    target = parse_target(t)
    if target.kind in ("number", "range"):
        return len(_CJK.findall(t)) <= 3
    if target.kind == "date":
        return len(t) <= 12
    return False


# --------------------------------------------------------------------------- set building


@dataclass
class _Builder:
    """Accumulates one set's rows: level inheritance, categories, merging by name."""

    iset: IndicatorSet
    fw: Framework | None
    tax: Taxonomy
    has_l1_column: bool = True
    cur_l1: str = ""
    cur_l2: str = ""
    categories: list[tuple[str, str, int]] = field(default_factory=list)

    def reset_levels(self) -> None:
        self.cur_l1 = self.cur_l2 = ""

    def _parent(self, l2: str) -> str:
        if self.fw is not None:
            parent = self.fw.parent_of(l2)
            if parent:
                return parent
        for fw in self.tax.frameworks.values():
            parent = fw.parent_of(l2)
            if parent:
                return parent
        return ""

    def add(self, rec: dict[str, str], line: int, merge: bool = False) -> None:
        get = rec.get
        l1, l2 = norm(get("l1", "")), norm(get("l2", ""))
        if l1:
            declared = _DECLARED.match(l1) if "分" in l1 else None  # a declared weight prints 分
            if declared:
                l1 = declared.group(1)
                self.iset.declared_weights.setdefault(l1, (Decimal(declared.group(2)), line))
            if l1 != self.cur_l1:
                self.cur_l2 = ""
            self.cur_l1 = l1
        if l2:
            self.cur_l2 = l2
            if not l1:
                parent = self._parent(l2)
                known_cur = self.fw.l1(self.cur_l1) if self.fw and self.cur_l1 else ""
                if parent and (not self.cur_l1 or (known_cur and known_cur != parent)):
                    self.cur_l1 = parent
        name = (get("name") or "").strip()
        if name.startswith("指标"):  # the only names _NAME_PREFIX can match
            name = _NAME_PREFIX.sub("", name)
        if l2 or (l1 and not name):
            self.categories.append((self.cur_l1, self.cur_l2 if l2 else "", line))
        if not name:
            return
        inherited = (self.has_l1_column and not l1) or not l2
        # an adjusted target, when printed, is the one the result is judged against
        target_text = (get("target_adjusted") or get("target") or "").strip()
        unit = get("unit") or ""
        target_text = _with_printed_operator(target_text, get("vtype") or "", unit)
        actual = get("actual")
        weight, score = get("weight"), get("score")
        target = parse_target(target_text)
        if target.kind == "number" and not target.op and self.tax.lower_better(name):
            target = replace(target, op="≤")  # 反向: a bare "100%" of a 控制率 is an upper bound
        ind = Indicator(
            level1=self.cur_l1,
            level2=self.cur_l2,
            name=name,
            target=target,
            line=line,
            target_text=target_text,
            description=(get("desc") or "").strip(),
            unit_text=unit.strip(),
            weight=_score_of(weight) if weight else None,
            actual=parse_target((actual or "").strip()) if "actual" in rec else None,
            score=_score_of(score) if score else None,
            reason=(get("reason") or "").strip(),
            inherited=inherited,
            note=(get("note") or "").strip(),
        )
        if merge and self._merge(ind):
            return
        self.iset.indicators.append(ind)

    def _merge(self, ind: Indicator) -> bool:
        """Fill an indicator of an earlier table of the same report (matched by 二级 + name)."""
        key = norm(ind.name)
        candidates = [i for i in self.iset.indicators if norm(i.name) == key]
        same_l2 = [i for i in candidates if norm(i.level2) == norm(ind.level2)]
        match = (same_l2 or candidates or [None])[0]
        if match is None:
            return False
        if match.weight is None:
            match.weight = ind.weight
        if match.score is None:
            match.score = ind.score
        if not match.reason:
            match.reason = ind.reason
        if match.actual is None and ind.actual is not None:
            match.actual = ind.actual
        if match.target.kind == "empty" and ind.target.kind != "empty":
            match.target, match.target_text = ind.target, ind.target_text
        return True

    def finish(self) -> None:
        filled = {(norm(i.level1), norm(i.level2)) for i in self.iset.indicators}
        seen: set[tuple[str, str]] = {(norm(a), norm(b)) for a, b, _ in self.iset.empty_categories}
        for l1, l2, line in self.categories:
            key = (norm(l1), norm(l2))
            if not l2 or key in filled or key in seen:
                continue
            seen.add(key)
            self.iset.empty_categories.append((l1, l2, line))
        self.categories = []


# --------------------------------------------------------------------------- row splitting


def _is_l1(name: str, fw: Framework | None, tax: Taxonomy) -> bool:
    return fw.is_l1(name) if fw is not None else tax.any_l1(name)


def _is_l2(name: str, fw: Framework | None, tax: Taxonomy) -> bool:
    return fw.is_l2(name) if fw is not None else tax.any_l2(name)


def _positional(cells: list[str], roles: list[str]) -> dict[str, str]:
    rec: dict[str, str] = {}
    for cell, role in zip(cells, roles, strict=False):
        if role and cell and role not in rec:
            rec[role] = cell
    return rec


def _bare(name: str) -> str:
    """A level name without its declared weight: "产出指标 (50分)" -> "产出指标"."""
    return _DECLARED.sub(r"\1", name) if "分" in name else name


def _consistent(rec: dict[str, str], fw: Framework | None, tax: Taxonomy) -> bool:
    l1, l2, name = _bare(rec.get("l1", "")), _bare(rec.get("l2", "")), rec.get("name", "")
    if l1 and not _is_l1(l1, fw, tax) and (_is_l2(l1, fw, tax) or looks_value(l1) or tax.any_l2(l1)):
        return False
    if l2 and ((_is_l1(l2, fw, tax) and not _is_l2(l2, fw, tax)) or looks_value(l2)):
        return False
    if not name and any(rec.get(r) for r in VALUE_ROLES):
        return False
    weight, score = rec.get("weight"), rec.get("score")
    if (weight and _score_of(weight) is None) or (score and _score_of(score) is None):
        return False
    if name and not l2 and _is_l2(name, fw, tax) and not rec.get("target"):
        return False
    return not (name and (looks_value(name) or (_is_l1(name, fw, tax) and not _is_l2(name, fw, tax))))


def _by_content(seq: list[str], value_roles: list[str], fw: Framework | None, tax: Taxonomy) -> dict[str, str]:
    """Read a row that lost or shifted cells by what its cells say."""
    seq = [c for c in seq if c]
    rec: dict[str, str] = {}
    k = 0
    if seq and _is_l1(_bare(seq[0]), fw, tax):
        rec["l1"] = seq[0]
        k = 1
    if k < len(seq) and _is_l2(_bare(seq[k]), fw, tax) and not (k == 0 and len(seq) > 1 and looks_value(seq[1])):
        rec["l2"] = seq[k]
        k += 1
    rest = seq[k:]
    if rest:
        rec["name"] = rest[0]
        for role, cell in zip(value_roles, rest[1:], strict=False):
            rec[role] = cell
    return rec


def _fit(rec: dict[str, str], roles: list[str], fw: Framework | None) -> int:
    """How well a positional reading fits its columns (to choose where a short row lost cells)."""
    score = 0
    for role in ("weight", "score"):
        if rec.get(role) and _score_of(rec[role]) is not None:
            score += 2
    if "target" in roles and rec.get("target"):
        score += 1
    if fw is not None:
        if rec.get("l1"):
            score += 1 if fw.is_l1(_bare(rec["l1"])) else -1
        if rec.get("l2"):
            score += 1 if fw.is_l2(_bare(rec["l2"])) else -1
    return score


def split_row(cells: list[str], roles: list[str], fw: Framework | None, tax: Taxonomy) -> dict[str, str]:
    """Assign a table row's cells to roles: by position when the row is well formed, else by content.

    A row with as many cells as the header is read by position. A shorter row lost cells: at
    its start when its last cell is filled ("财务管理→名称→值→解释→说明" under a 6-column
    header), else at its end. A row whose cells contradict their columns (a 二级 name in the
    一级 column, a value in the 三级 column) is read by content.
    """
    n = len(roles)
    cells = list(cells)
    while len(cells) > n and not cells[-1]:
        cells.pop()
    attempts: list[list[str]] = []
    if len(cells) == n:
        attempts.append(cells)
    elif len(cells) < n:
        left = [""] * (n - len(cells)) + cells
        right = cells + [""] * (n - len(cells))
        attempts.extend([left, right] if cells and cells[-1] else [right, left])
    best: tuple[int, dict[str, str]] | None = None
    for attempt in attempts:
        rec = _positional(attempt, roles)
        if _consistent(rec, fw, tax):
            score = _fit(rec, roles, fw)
            if best is None or score > best[0]:
                best = (score, rec)
    if best is not None:
        return best[1]
    try:
        name_at = roles.index("name")
    except ValueError:
        name_at = 0
    value_roles = [r for r in roles[name_at + 1:] if r in VALUE_ROLES]
    return _by_content(cells, value_roles, fw, tax)


def _observations(rows: list[list[str]], roles: list[str]) -> tuple[list[tuple[str, int | None]], list[tuple[str, str]]]:
    """Names a table prints, with the level column they sit in when the row is well formed."""
    names: list[tuple[str, int | None]] = []
    pairs: list[tuple[str, str]] = []
    n = len(roles)
    for cells in rows:
        full = len(cells) >= n and not any(cells[n:])
        short: list[str] = []
        for i, cell in enumerate(cells):
            if not cell or len(cell) > 20:
                continue
            cell = _bare(cell)
            short.append(cell)
            if not full:
                names.append((cell, None))
            elif roles[i] in ("l1", "l2"):
                names.append((cell, 1 if roles[i] == "l1" else 2))
        pairs.extend(zip(short, short[1:], strict=False))
    return names, pairs


def detect_framework(rows: list[list[str]], roles: list[str], tax: Taxonomy) -> str:
    names, pairs = _observations(rows, roles)
    return tax.detect(names, pairs)


# --------------------------------------------------------------------------- reader


def lines_with_grids(doc: Document, tables: list[Table]) -> list[SourceLine]:
    """The document's lines with the rows of every grid rebuilt without tabs (auditor.read.
    table_layouts) in place: a grid's synthetic tab lines follow its first source line, and the
    source lines that held only its cells are left out (a line it shares with prose stays). A new
    list: the reader joins split header rows in it."""
    grids = [t for t in tables if t.grid]
    if not grids:
        return list(doc.lines)
    rows: dict[int, list[SourceLine]] = {}
    dropped: set[int] = set()
    for table in grids:
        rows.setdefault(table.grid[0].number, []).extend(table.grid)
        if table.layout not in SHARED_LINE_LAYOUTS:
            dropped |= table.grid_sources
    out: list[SourceLine] = []
    for line in doc.lines:
        if line.number not in dropped:
            out.append(line)
        out.extend(rows.get(line.number, ()))
    return out


class _Reader:
    def __init__(self, doc: Document, tables: list[Table] | None = None) -> None:
        self.doc = doc
        self.lines = lines_with_grids(doc, tables or [])
        # the rebuilt grid each synthetic header line belongs to
        self.grid_of = {id(t.grid[0]): t for t in tables or [] if t.grid}
        self.tax = load_taxonomy()
        self.sets: list[IndicatorSet] = []
        self.taken: set[int] = set()
        self.pending: dict | None = None  # header fields waiting for their indicator table
        self.report_title: tuple[int, str] | None = None
        self.last_self_eval: _Builder | None = None
        self._cells: dict[int, list[str]] = {}

    # ---------------------------------------------------------------- helpers

    def _unit_before(self, index: int, default: str) -> str:
        for line in reversed(self.lines[max(0, index - 12): index]):
            m = _UNIT_LINE.search(line.text.replace("\t", " ").strip())
            if m and "金额" in line.text:
                return m.group(1)
        return default

    def _table_unit(self, index: int) -> str:
        """The unit printed between a target table's title and its first row ("单位：万元" or
        "金额单位：万元"), or "". Within the table's own head a plain 单位 line can only be the
        amounts' unit; the search stops at the title, or at a row of an earlier table, so another
        table's unit is never taken."""
        for line in reversed(self.lines[max(0, index - 8): index]):
            text = line.text.replace("\t", " ").strip()
            if line.footer or not text:
                continue
            if line.cells is not None:
                return ""
            m = _UNIT_LINE.search(text)
            if m:
                return m.group(1)
            if text.endswith("表"):
                return ""
        return ""

    def _title_before(self, index: int) -> str:
        for line in reversed(self.lines[max(0, index - 8): index]):
            text = line.text.replace("\t", " ").strip()
            if text and not line.footer and line.cells is None and text.endswith("表"):
                return text
        return ""

    def _clean_cells(self, line: SourceLine) -> list[str]:
        """The line's cells folded, made once per line: the list is shared, and no caller changes
        it (split_row and _header_roles trim copies)."""
        # keyed by the line object: the rows of a rebuilt grid share their source line's number
        cells = self._cells.get(id(line))
        if cells is None:
            cells = self._cells[id(line)] = list(map(_clean_cell, line.cells or ()))
        return cells

    def _header_roles(self, cells: list[str]) -> list[str] | None:
        if "指标" not in "\n".join(cells):  # no cell names a 指标 (one C-level search)
            return None
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        roles = [role_of(c) for c in cells]
        if "name" in roles and ("l1" in roles or "l2" in roles) and any(r in roles for r in VALUE_ROLES[:4]):
            return roles
        # a self-evaluation grid without level columns (部门整体绩效自评表: 指标名称 … 指标得分)
        if "name" in roles and {"target", "actual", "weight", "score"} <= set(roles):
            return roles
        return None

    @staticmethod
    def _is_wide_header(cells: list[str]) -> bool:
        if "额" not in "\n".join(cells):  # no cell can be 资金总额: most lines, rejected without norm()
            return False
        keys = {norm(c) for c in cells}
        return ("单位代码" in keys or "单位编码" in keys) and "资金总额" in keys and (
            "绩效指标" in keys or "一级指标" in keys)

    # ---------------------------------------------------------------- fields

    def _start_pending(self, kind: str, line: SourceLine, index: int) -> None:
        self.pending = {"kind": kind, "line": line.number, "fields": {}, "field_lines": {},
                        "title": self._title_before(index), "last": "", "composition": False,
                        "tasks": False, "index": index, "unit": self._table_unit(index)}

    def _set_field(self, key: str, value: str, line: int) -> None:
        assert self.pending is not None
        fields, lines = self.pending["fields"], self.pending["field_lines"]
        if key in fields and fields[key] and value:
            fields[key] = fields[key] + "\n" + value
        else:
            fields[key] = value
            lines.setdefault(key, line)

    def _field_row(self, line: SourceLine, cells: list[str], index: int) -> bool:
        """Header-field rows of a target table (tab-separated). Returns True when consumed."""
        first = _first_filled(cells)
        key0 = norm(first)
        if key0 in ("项目名称", "部门名称") and cells and norm(cells[0]) == key0:
            self._start_pending("project" if key0 == "项目名称" else "dept", line, index)
        if self.pending is None:
            return False
        p = self.pending
        if p["composition"]:
            if key0 == "备注" or key0 in _FIELD_SET:
                p["composition"] = False
            elif key0 == "经济科目名称":
                return True
            else:
                values = [c for c in cells if c]
                if len(values) >= 2:
                    name, amount = values[0], values[-1]
                    key = f"项目构成.{name}"
                    n = 2
                    while key in p["fields"]:
                        key, n = f"项目构成.{name}#{n}", n + 1
                    self._set_field(key, amount, line.number)
                    return True
                return False
        if p["tasks"]:
            if cells and not cells[0] and len(cells) > 2 and _TASK_CELL.match(cells[1] or ""):
                task = norm(cells[1])
                self._set_field(f"年度主要任务.{task}", cells[2] if len(cells) > 2 else "", line.number)
                for offset, label in ((3, "合计"), (4, "其中财政资金"), (5, "备注")):
                    if len(cells) > offset and cells[offset]:
                        self._set_field(f"年度主要任务.{task}.{label}", cells[offset], line.number)
                return True
            if cells and not cells[0] and any("合计" in c or "财政资金" in c for c in cells):
                return True
            if key0 not in _FIELD_SET:
                p["tasks"] = False
                return False
        if cells and not cells[0] and p["last"] == "年度总体目标" and first:
            self._set_field("年度总体目标", first, line.number)
            return True
        if key0 not in _FIELD_SET or (cells and norm(cells[0]) != key0):
            return False
        j = 0
        while j < len(cells):
            key = norm(cells[j])
            if key in _FIELD_SET:
                value = ""
                k = j + 1
                while k < len(cells) and not cells[k]:
                    k += 1
                if k < len(cells) and norm(cells[k]) not in _FIELD_SET:
                    value = cells[k]
                    j = k
                if key == "项目构成":
                    p["composition"] = True
                elif key == "年度主要任务":
                    p["tasks"] = True
                elif key not in _NO_VALUE_FIELDS:
                    self._set_field(key, value, line.number)
                p["last"] = key
            j += 1
        return True

    # ---------------------------------------------------------------- set creation

    def _new_set(self, header_index: int, roles: list[str], fw_key: str) -> _Builder:
        header_line = self.lines[header_index].number
        p = self.pending
        if p is not None and p["kind"] in ("project", "dept"):
            fields, field_lines = dict(p["fields"]), dict(p["field_lines"])
            project = fields.get("项目名称") or fields.get("部门名称") or ""
            source = "dept" if p["kind"] == "dept" or fw_key == "dept" else "target_table"
            if source == "target_table" and any(r in roles for r in ("actual", "score")):
                source = "self_eval"  # a 自评表 has its 项目名称 header fields too
            line = p["line"]
            if p["title"]:
                fields.setdefault("表名", p["title"])
                field_lines.setdefault("表名", line)
        else:
            fields, field_lines = {}, {}
            project, line = "", header_line
            source = "self_eval" if any(r in roles for r in ("actual", "score")) else "target_table"
            if source == "self_eval" and self.report_title:
                title_line, title = self.report_title
                m = _PROJECT_IN_TITLE.search(norm(title))
                project = m.group(1) if m else ""
                fields["报告标题"] = title
                field_lines["报告标题"] = title_line
        iset = IndicatorSet(project=project, line=line, framework=fw_key, fields=fields,
                            field_lines=field_lines, source=source, table_line=header_line)
        if source == "target_table" and fields.get("项目本年度金额"):
            unit = (p["unit"] if p is not None else "") or self._unit_before(header_index, "元")
            iset.amount = parse_amount(fields["项目本年度金额"], unit)
        fw = self.tax.frameworks.get(fw_key)
        self.pending = None
        return _Builder(iset=iset, fw=fw, tax=self.tax, has_l1_column="l1" in roles)

    # ---------------------------------------------------------------- tab tables

    def _table_rows(self, start: int) -> tuple[list[tuple[SourceLine, list[str]]], int]:
        """Rows of an indicator table from `start` until a line that is not one of its rows."""
        rows: list[tuple[SourceLine, list[str]]] = []
        i = start
        while i < len(self.lines):
            line = self.lines[i]
            if line.footer or not line.text.strip():
                i += 1
                continue
            if line.cells is None:
                break
            cells = self._clean_cells(line)
            first = norm(_first_filled(cells))
            if self._header_roles(cells) or self._is_wide_header(cells):
                break
            if first in ("项目名称", "部门名称") and cells and norm(cells[0]) == first:
                break
            rows.append((line, cells))
            i += 1
        return rows, i

    def _read_tab_table(self, index: int, roles: list[str]) -> int:
        rows, end = self._table_rows(index + 1)
        fw_key = detect_framework([c for _, c in rows], roles, self.tax)
        merge = (self.pending is None and self.last_self_eval is not None
                 and any(r in roles for r in ("actual", "score", "weight")))
        if merge:
            assert self.last_self_eval is not None
            builder = self.last_self_eval
            builder.reset_levels()
            builder.has_l1_column = "l1" in roles
            if builder.fw is None and fw_key:
                builder.fw = self.tax.frameworks.get(fw_key)
                builder.iset.framework = fw_key
        else:
            builder = self._new_set(index, roles, fw_key)
        grid = self.grid_of.get(id(self.lines[index]))
        if grid is not None:
            builder.iset.confidence = min(builder.iset.confidence, grid.confidence)
            if not builder.iset.project and grid.title:
                builder.iset.project = grid.title  # a 部门整体 table names no project: its title does
        self.taken.add(self.lines[index].number)
        for line, cells in rows:
            self.taken.add(line.number)
            if all(_SEPARATOR.match(c) for c in cells if c):
                continue
            first = _first_filled(cells)
            if self.tax.is_total(first):
                numbers = [_score_of(c) for c in cells[cells.index(first) + 1:] if c]
                numbers = [x for x in numbers if x is not None]
                builder.iset.total = ScoreRow(level=0, name=first, line=line.number,
                                              weight=numbers[0] if numbers else None,
                                              score=numbers[-1] if len(numbers) > 1 else None)
                continue
            rec = split_row(cells, roles, builder.fw, self.tax)
            builder.add(rec, line.number, merge=merge)
        builder.finish()
        if not merge:
            self.sets.append(builder.iset)
            if builder.iset.source == "self_eval":
                self.last_self_eval = builder
        return end

    # ---------------------------------------------------------------- wide table (seed 004)

    def _read_wide(self, index: int) -> int:
        header = self.lines[index]
        unit = self._unit_before(index, "")
        unit_name = ""
        for line in self.lines[max(0, index - 8): index]:
            m = _UNIT_NAME_LINE.match(line.text.strip())
            if m:
                unit_name = m.group(1)
        table_fields: dict[str, str] = {}
        table_lines: dict[str, int] = {}
        roles_hint = ["target", "desc", "unit", "vtype"]
        builders: dict[str, _Builder] = {}
        order: list[_Builder] = []
        current: _Builder | None = None
        i = index + 1
        self.taken.add(header.number)
        # names seen anywhere in the table decide the framework
        rows, end = [], index + 1
        while end < len(self.lines):
            line = self.lines[end]
            if line.footer or not line.text.strip():
                end += 1
                continue
            if line.cells is None:
                break
            rows.append(self._clean_cells(line))
            end += 1
        fw_key = self.tax.detect([(c, None) for r in rows for c in r if c and len(c) <= 20],
                                 [p for r in rows for p in zip([c for c in r if c], [c for c in r if c][1:],
                                                               strict=False)])
        fw = self.tax.frameworks.get(fw_key)
        while i < end:
            line = self.lines[i]
            i += 1
            if line.footer or not line.text.strip() or line.cells is None:
                continue
            self.taken.add(line.number)
            cells = self._clean_cells(line)
            labels = [norm(c) for c in cells]
            if "一级指标" in labels:
                continue
            if any(lab.startswith("合计") for lab in labels) and any("项目个数" in lab for lab in labels):
                for k, lab in enumerate(labels):
                    key = lab.rstrip(":：")
                    if key in ("合计", "单位数", "项目个数") and k + 1 < len(cells):
                        table_fields[key] = cells[k + 1]
                        table_lines[key] = line.number
                continue
            code = cells[0] if cells else ""
            is_project = len(cells) > 2 and bool(cells[1]) and (
                _PROJECT_CODE.fullmatch(code) is not None) and parse_amount(cells[2]) is not None
            if is_project:
                name = cells[1]
                segment = cells[5:]
                if not any(segment) and (name == unit_name or cells[2] == table_fields.get("合计")):
                    table_fields.setdefault("单位名称", name)
                    table_lines.setdefault("单位名称", line.number)
                    current = None
                    continue
                key = norm(name)
                if key in builders:
                    current = builders[key]
                else:
                    iset = IndicatorSet(project=name, line=line.number, framework=fw_key, source="wide_table",
                                        table_line=header.number)
                    for k, label in enumerate(("单位代码", "项目名称", "资金总额", "实施期绩效目标", "年度绩效目标")):
                        if k < len(cells) and cells[k]:
                            iset.fields[label] = cells[k]
                            iset.field_lines[label] = line.number
                    iset.amount = parse_amount(cells[2], unit)
                    current = _Builder(iset=iset, fw=fw, tax=self.tax)
                    builders[key] = current
                    order.append(current)
                current.reset_levels()
            else:
                segment = cells
            if current is None:
                continue
            seq = list(segment)
            while seq and not seq[0]:
                seq.pop(0)
            weight = ""
            for k in range(len(seq) - 1, -1, -1):
                if _WEIGHT_CELL.match(seq[k]):
                    weight = seq.pop(k)
                    break
            rec = _by_content(seq, roles_hint, fw, self.tax)
            if weight:
                rec["weight"] = weight
            current.add(rec, line.number)
        for builder in order:
            builder.finish()
            for key, value in table_fields.items():
                builder.iset.fields.setdefault(key, value)
                builder.iset.field_lines.setdefault(key, table_lines[key])
            self.sets.append(builder.iset)
        return end

    # ---------------------------------------------------------------- space-separated (seed 000)

    def _space_fields(self, start: int, stop: int) -> None:
        """Header fields printed as "项目名称 交通公共服务保障经费" lines, up to the indicator table."""
        self._start_pending("project", self.lines[start], start)
        i = start
        while i < stop:
            line = self.lines[i]
            text = line.text.strip()
            i += 1
            if not text or line.footer:
                continue
            tokens = text.split(" ")
            key = norm(tokens[0])
            if key not in _FIELD_SET:
                joined = self._two_line_key(i - 1)
                if joined is None:
                    continue
                key, tokens, i = joined[0], [joined[0]], joined[1]
            if len(tokens) == 1:
                if key in _PROSE_FIELDS:
                    body: list[str] = []
                    first_line = None
                    while i < stop:
                        nxt_line = self.lines[i]
                        t = nxt_line.text.strip()
                        if t and (norm(t.split(" ")[0]) in _FIELD_SET or t.startswith("一级指标")
                                  or self._two_line_key(i) is not None):
                            break
                        if t and not nxt_line.footer:
                            body.append(t)
                            first_line = first_line or nxt_line.number
                        i += 1
                    self._set_field(key, "".join(body), first_line or line.number)
                self.taken.add(line.number)
                continue
            self.taken.add(line.number)
            j = 0
            while j < len(tokens):
                k = norm(tokens[j])
                if k in _FIELD_SET:
                    values = []
                    j += 1
                    while j < len(tokens) and norm(tokens[j]) not in _FIELD_SET:
                        values.append(tokens[j])
                        j += 1
                    if k not in _NO_VALUE_FIELDS:
                        self._set_field(k, " ".join(values), line.number)
                else:
                    j += 1

    def _two_line_key(self, index: int) -> tuple[str, int] | None:
        """A field key printed over two lines ("项目设立的" / "必要性"): (key, index after it)."""
        text = self.lines[index].text.strip()
        if not text or " " in text or len(text) > 8:
            return None
        for j in range(index + 1, min(index + 3, len(self.lines))):
            nxt = self.lines[j].text.strip()
            if nxt:
                key = norm(text + nxt)
                return (key, j + 1) if key in _FIELD_SET else None
        return None

    def _read_space_table(self, index: int) -> int:
        rows: list[tuple[SourceLine, list[str]]] = []
        i = index + 1
        while i < len(self.lines):
            line = self.lines[i]
            text = line.text.strip()
            if line.cells is not None or (text and (len(text) > 60 or text.startswith("项目名称 "))):
                break
            if text and not line.footer:
                rows.append((line, text.split(" ")))
            i += 1
        names = [(t, None) for _, toks in rows for t in toks]
        pairs = [p for _, toks in rows for p in zip(toks, toks[1:], strict=False)]
        fw_key = self.tax.detect(names, pairs)
        builder = self._new_set(index, ["l1", "l2", "name", "target"], fw_key)
        self.taken.add(self.lines[index].number)
        for line, tokens in rows:
            self.taken.add(line.number)
            rec: dict[str, str] = {}
            k = 0
            if _is_l1(tokens[0], builder.fw, self.tax):
                rec["l1"] = tokens[0]
                k = 1
            if k < len(tokens) and (_is_l2(tokens[k], builder.fw, self.tax) or (len(tokens) - k) in (1, 3)):
                rec["l2"] = tokens[k]
                k += 1
            rest = tokens[k:]
            if len(rest) >= 2:
                rec["name"] = " ".join(rest[:-1])
                rec["target"] = rest[-1]
            elif rest:
                rec["name"] = rest[0]
            builder.add(rec, line.number)
        builder.finish()
        self.sets.append(builder.iset)
        return i

    # ---------------------------------------------------------------- split headers

    def _join_split_header(self, i: int) -> list[str] | None:
        """A header printed over several rows, as converted text prints a merged-cell header: the
        level cells split off onto a line of their own ("一级指标 |" then "二级指标 | 三级指标 | 指标性质
        | 指标值 | 度量单位"), under an upper row whose cells span them ("绩效指标 | 年度指标值 | 实际完成值
        | 分值 | 得分 | 偏差原因…"). The rows are joined into one header line in place of line `i`:
        the lower cells, then the upper cells that name a column the lower row lacks. Returns its
        roles, or None when the lines are no such header."""
        lower = [c for c in self._clean_cells(self.lines[i]) if c]
        if not lower or len(lower) > 3 or any(role_of(c) not in ("l1", "l2", "name") for c in lower):
            return None
        j = i + 1
        while j < len(self.lines) and not self.lines[j].text.strip():
            j += 1
        if j >= len(self.lines) or self.lines[j].cells is None:
            return None
        lower += [c for c in self._clean_cells(self.lines[j]) if c]
        lower_roles = [role_of(c) for c in lower]
        if "name" not in lower_roles or "" in lower_roles:
            return None
        upper = self._upper_header(i, set(lower_roles))
        merged = lower + upper
        roles = self._header_roles(merged)
        if roles is None:
            return None
        first = self.lines[i]
        self.lines[i:j + 1] = [SourceLine(number=first.number, raw=first.raw, text="\t".join(merged),
                                          cells=merged, page=first.page)]
        self._cells[id(self.lines[i])] = merged
        return roles

    def _upper_header(self, i: int, covered: set[str]) -> list[str]:
        """The cells of the header row above line `i` that name columns not in `covered`; empty
        when the row above is no upper header (its first cell spans the indicator levels)."""
        k = i - 1
        while k >= 0 and not self.lines[k].text.strip():
            k -= 1
        if k < 0 or self.lines[k].cells is None:
            return []
        cells = [c for c in self._clean_cells(self.lines[k]) if c]
        if not cells or not norm(cells[0]).startswith(("绩效指标", "指标")) or role_of(cells[0]):
            return []
        extra = [c for c in cells[1:] if role_of(c) and role_of(c) not in covered]
        return extra if any(role_of(c) in ("actual", "score") for c in extra) else []

    # ---------------------------------------------------------------- main loop

    def run(self) -> None:
        lines = self.lines
        i = 0
        project_start: int | None = None
        while i < len(lines):
            line = lines[i]
            if line.footer:
                i += 1
                continue
            if line.cells is None:
                text = line.text.strip()
                # a title ends in 告 (the stripped text and its space-free form end alike)
                if text.endswith("告") and _SELF_EVAL_TITLE.search(text.replace(" ", "")) and len(text) < 90:
                    self.report_title = (line.number, text)
                    self.last_self_eval = None
                if text.startswith("项目名称 ") or text == "项目名称":
                    project_start = i
                # norm() keeps a stripped text's first character: only a line opening with 一 is normalised
                compact = norm(text) if text.startswith("一") else ""
                if (compact.startswith("一级指标") and "三级指标" in compact and "分值" not in compact
                        and "得分" not in compact):
                    if project_start is not None:
                        self._space_fields(project_start, i)
                        project_start = None
                    i = self._read_space_table(i)
                    continue
                i += 1
                continue
            cells = self._clean_cells(line)
            if self._is_wide_header(cells):
                i = self._read_wide(i)
                continue
            roles = self._header_roles(cells) or self._join_split_header(i)
            if roles:
                i = self._read_tab_table(i, roles)
                continue
            if self._field_row(line, cells, i):
                self.taken.add(line.number)
            i += 1


def read_indicator_sets(doc: Document, tables: list[Table]) -> tuple[list[IndicatorSet], set[int]]:
    reader = _Reader(doc, tables)
    reader.run()
    return reader.sets, reader.taken


DEPT_TASK_PREFIX = "年度主要任务."  # field keys of a 部门整体绩效目标表's task rows: "年度主要任务.<task>"


def dept_task(key: str) -> str | None:
    """The task of a 部门整体绩效目标表 field key ("年度主要任务.任务1" -> "任务1"); None for other keys
    and for a task's sub-fields ("年度主要任务.任务1.合计")."""
    if not key.startswith(DEPT_TASK_PREFIX):
        return None
    task = key[len(DEPT_TASK_PREFIX):]
    return task if task and "." not in task else None
