"""Observations: every recognised number as a concept with a value, a precision and a place
(DESIGN §3).

A table cell gets its concept from `checks/catalog/concept_map.yaml`, keyed by the table kind,
the row (合计 row, a classification code, or a label of a two-sided summary table) and the
column role from the table schema: the 合计 row × 基本支出 of 部门支出总体情况表 is
`expense.basic`; the row 2010301 × 合计 is `expense.function[2010301].total`; the rows of
economic code 30101 × 基本支出 of the economic-class table, summed, are
`expense.econ[30101].basic`. A prose amount gets its concept from its label (the lexicon in
`checks/catalog/concepts.yaml`, read by `auditor.read.facts`), or — for a classification name
such as "社会保障和就业支出" — from the code catalog and the names the tables print.

Besides printed cells, a few observations are computed from printed cells, each keeping the
cells it is made of (`cells`), so that a check can say which printed number would repair it:

* `sum`     several rows of one economic code (301-01 printed once per 政府预算 code);
* `rollup`  a function 类/款 the table does not print, as the sum of its printed rows;
* `formula` 人员经费 = 工资福利 + 对个人和家庭的补助, 公用经费 = 商品服务 + 资本性 (+ …);
* `alias`   收入总计 = 本年收入合计 when the table prints no carry-over and no grand total;
* `tie`     a 三公 item as the sum of its economic rows (接待 = Σ30217, …), DOMAIN B14;
* `empty`   an empty table (政府性基金 / 国有资本经营 with a 空表 note) states a total of 0.

Cell keys use exactly the format of `checks._sums.CellRef.key` prefixed by the table name, so a
wrong cell that fails a row sum, a column sum and a cross-table tie is one node of the ranking
graph; a prose amount's key is ``prose|{line}|{label}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from auditor.model import Number, ReadDocument, Row, Table
from auditor.numbers import scale_of
from auditor.read.facts import Fact, read_facts
from auditor.read.table_schema import norm, schema_for, strip_numbering
from auditor.tolerance import Interval, exact, interval, total
from auditor.yaml_files import read_yaml_file

MAP_PATH = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "concept_map.yaml"
ZERO = Decimal(0)

_FUNCTION_CODE = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_ECON_CODE = re.compile(r"^3\d{4}$")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_PRIOR = re.compile(r"上年|上一年|去年")
# A column that holds a change or a rate of the item, not the item's amount ("支出减少情况",
# "增减额", "支出减少率", "增长%").
_CHANGE_COLUMN = re.compile(r"增减|增加|减少|变动|增长|下降|率|%|比上年")


# --------------------------------------------------------------------------- the model


_Frozen = TypeVar("_Frozen")


def _frozen_instance(cls: type[_Frozen], values: dict[str, Any]) -> _Frozen:
    """`cls(**values)` for a frozen dataclass without __post_init__, `values` giving every field in
    field order: the instance its generated __init__ builds, filled by one dict update instead of
    one object.__setattr__ per field (a tenth of the cost; a document makes a thousand table
    observations and cells). tests/test_observations.py checks that both builds agree."""
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


@dataclass(frozen=True)
class ObsCell:
    """One printed cell an observation is made of (None number = a blank cell, read as 0)."""

    key: str  # f"{table.name}|{CellRef.key}" (checks/_sums.py) or "prose|{line}|{label}"
    line: int
    number: Number | None
    name: str  # how a reader names the cell: "2020年部门支出总体情况表 合计「小计」"
    table: str = ""
    row_index: int = -1
    column: int = -1
    unit: str = "元"  # the unit the cell's number is in
    thousands: bool = False  # whether the table prints thousands separators

    def interval(self) -> Interval:
        return self._interval

    # The rules ask a cell's and an observation's interval again and again (sorting, clustering,
    # every comparison) of values that never change: each is computed once, on first use. A
    # cached_property lives in the instance dict, out of the fields, eq, hash and repr.
    @cached_property
    def _interval(self) -> Interval:
        if self.number is None:
            return exact(ZERO)
        number = self.number if self.number.unit else Number(self.number.value, self.number.decimals,
                                                             self.unit, self.number.text)
        return interval(number)


@dataclass(frozen=True)
class Observation:
    """A number with its concept: printed in a table cell or in the prose, or computed from cells.

    `number` is the value in the printed unit (`unit`); for a computed observation it is the
    sum of its cells in the table's unit. `scope` says which money a scoped concept covers
    (all / fiscal / general / gov_fund / state_capital; "" for unscoped concepts). `bound` is
    "lower" when the value is only a lower bound of the concept (a 三公 item vs its basic-only
    economic rows).
    """

    concept: str
    number: Number
    unit: str
    line: int
    source: str  # "table" | "prose"
    table: str = ""
    row: str = ""
    column: str = ""
    cell_key: str = ""
    scope: str = ""
    kind: str = ""  # the table kind, "" for prose
    derived: str = ""  # "" (printed) | sum | rollup | formula | alias | tie | empty
    bound: str = "equal"  # "equal" | "lower"
    cells: tuple[ObsCell, ...] = ()
    label: str = ""  # the prose label, or the row label
    table_index: int = -1  # index into ReadDocument.tables
    scope_stated: bool = True  # False for a prose amount whose scope is only the default ("基本支出")
    # which units the table covers: "own" (本级, the department's own office) or "" (the department
    # with all its units, or not said); copies are only tied within one entity
    entity: str = ""

    @property
    def value(self) -> Decimal:
        """The value in 元 (or in the printed unit when it is not money)."""
        return self.number.value * scale_of(self.unit)

    def interval(self) -> Interval:
        """What the printed number(s) stand for, in 元: a table cell's rounding interval, the sum
        of the cells' intervals for a computed observation, the prose amount's interval."""
        return self._interval

    @cached_property  # computed once, as ObsCell's
    def _interval(self) -> Interval:
        if self.source == "table" and self.cells:
            return total(c.interval() for c in self.cells)
        if self.source == "table" and self.derived in ("tie", "empty"):
            return exact(ZERO)
        return interval(Number(self.number.value, self.number.decimals, self.unit, self.number.text))

    @property
    def printed(self) -> bool:
        """True for a number as printed (one cell, or one code's rows summed), not a computation."""
        return self.derived in ("", "sum", "empty")


# --------------------------------------------------------------------------- the concept map


@dataclass(frozen=True)
class TableSpec:
    scope: str = ""
    labels: bool = False
    columns: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = ()
    total_row: Any = None  # str template or dict role -> concept
    code_row: Any = None
    roles: dict[str, str] = field(default_factory=dict)
    empty: str = ""
    column_scopes: dict[str, str] = field(default_factory=dict)  # column role -> scope of its cells


@dataclass(frozen=True)
class ConceptMap:
    scoped: tuple[re.Pattern[str], ...]
    scope_parent: dict[str, str]
    summary_labels: dict[str, tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]]
    tables: dict[str, TableSpec]
    formulas: dict[str, tuple[str, ...]]
    aliases: dict[str, tuple[str, tuple[str, ...]]]
    sangong_ties: dict[str, str]
    tie_severity: str
    prose: dict[str, str]
    prose_scopes: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    names: dict[str, dict[str, str]]  # key -> language -> name
    own_entity: tuple[re.Pattern[str], ...] = ()  # title words of a 本级 table
    entity_at_most: tuple[re.Pattern[str], ...] = ()  # concepts compared 本级 ≤ 汇总
    # concept -> is_scoped: asked for every observation, of a vocabulary of a few hundred concepts
    _scoped_known: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def entity_of(self, title: str) -> str:
        """"own" for a table whose title says it covers the department's own office (本级)."""
        text = norm(title)
        return "own" if any(p.search(text) for p in self.own_entity) else ""

    def is_scoped(self, concept: str) -> bool:
        known = self._scoped_known.get(concept)
        if known is None:
            known = self._scoped_known[concept] = any(p.search(concept) for p in self.scoped)
        return known


def _patterns(items: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(i) for i in items or ())


@lru_cache(maxsize=2)
def concept_map(path: str = str(MAP_PATH)) -> ConceptMap:
    data = read_yaml_file(path) or {}
    tables: dict[str, TableSpec] = {}
    for kind, spec in (data.get("tables") or {}).items():
        tables[kind] = TableSpec(
            scope=spec.get("scope", "") or "",
            labels=spec.get("labels") == "summary",
            columns=tuple((role, _patterns(p)) for role, p in (spec.get("columns") or {}).items()),
            total_row=spec.get("total_row"),
            code_row=spec.get("code_row"),
            roles=dict(spec.get("roles") or {}),
            empty=spec.get("empty", "") or "",
            column_scopes=dict(spec.get("column_scopes") or {}),
        )
    labels = {side: tuple((concept, _patterns(p)) for concept, p in (items or {}).items())
              for side, items in (data.get("summary_labels") or {}).items()}
    ties = data.get("sangong_ties") or {}
    entities = data.get("entities") or {}
    return ConceptMap(
        scoped=_patterns(data.get("scoped") or []),
        scope_parent=dict(data.get("scope_parent") or {}),
        summary_labels=labels,
        tables=tables,
        formulas={k: tuple(v) for k, v in (data.get("formulas") or {}).items()},
        aliases={k: (v["from"], tuple(v.get("unless") or ())) for k, v in (data.get("aliases") or {}).items()},
        sangong_ties=dict(ties.get("items") or {}),
        tie_severity=ties.get("severity", "warning"),
        prose=dict(data.get("prose") or {}),
        prose_scopes=tuple((s, _patterns(p)) for s, p in (data.get("prose_scopes") or {}).items()),
        names={str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in (data.get("names") or {}).items()},
        own_entity=_patterns(entities.get("own") or []),
        entity_at_most=_patterns(entities.get("at_most") or []),
    )


# --------------------------------------------------------------------------- names


_FUNC_CONCEPT = re.compile(r"^expense\.function\[(\d+)\]\.(.+)$")
_INCOME_FUNC_CONCEPT = re.compile(r"^income\.function\[(\d+)\]\.(.+)$")
_ECON_CONCEPT = re.compile(r"^expense\.econ\[(\d+)\]\.(.+)$")


@lru_cache(maxsize=4096)  # the quote rules ask it of every table concept per quote
def function_code(concept: str) -> str:
    m = _FUNC_CONCEPT.match(concept)
    return m.group(1) if m else ""


def describe(concept: str, lang: str = "zh", catalog: Any = None, year: int | None = None) -> str:
    """A concept as a reader would name it: "2010301 行政运行 合计", "基本支出"."""
    for pattern, kind in ((_FUNC_CONCEPT, "function"), (_INCOME_FUNC_CONCEPT, "function"), (_ECON_CONCEPT, "econ")):
        m = pattern.match(concept)
        if not m:
            continue
        code, role = m.groups()
        name = ""
        if catalog is not None:
            try:
                name = (catalog.function_name(code, year) if kind == "function" else catalog.economic_name(code, year)) or ""
            except Exception:  # noqa: BLE001 - a name is a nicety
                name = ""
        role_name = _name("role.total" if role == "total" else f"expense.{role}", lang) or role
        return " ".join(p for p in (code, name, role_name) if p)
    return _name(concept, lang) or concept


def _name(key: str, lang: str) -> str | None:
    """The readable name of a concept_map.yaml `names` key in `lang` (else its first language)."""
    by_language = concept_map().names.get(key)
    if not by_language:
        return None
    return by_language.get(lang) or next(iter(by_language.values()))


def scope_name(scope: str, lang: str = "zh") -> str:
    return _name(f"scope.{scope}", lang) or scope


def in_every_language(name: Callable[[str], str]) -> dict[str, str]:
    """`name(lang)` for every message language: a `localized` argument of a finding."""
    from auditor.messages import language_codes

    return {lang: name(lang) for lang in language_codes()}


# --------------------------------------------------------------------------- tables


def cell_key(table: Table, row: Row, row_index: int, column_name: str) -> str:
    """The grouping key of a cell, exactly as `checks._sums.CellRef.key` builds it, prefixed by the
    table name (`f"{table.name}|{CellRef.key}"`)."""
    code, label = row.code, row.label  # the join of the non-empty ones, spelt out: one call per cell
    ident = (f"{code} {label}" if label else code) if code else (label or str(row_index))
    return f"{table.name}|{ident}|{column_name}|{row.block}"


def _thousands(table: Table) -> bool:
    return any("," in cell.text for row in table.rows for cell in row.cells)


class _TableReader:
    """Turns the cells of one table into observations, following its TableSpec."""

    def __init__(self, read: ReadDocument, table: Table, index: int, spec: TableSpec, cmap: ConceptMap,
                 catalog: Any) -> None:
        self.read, self.table, self.index, self.spec, self.cmap = read, table, index, spec, cmap
        self.catalog = catalog
        self.unit = table.unit or "元"
        self.thousands = _thousands(table)
        self.names = {c.index: c.name for c in table.columns}
        self.entity = cmap.entity_of(table.title)
        self.out: list[Observation] = []
        self._roles: dict[int, str] = {}  # column index -> role: asked once per code row and column
        # (row index, column index) -> its ObsCell: a code row's cells are also a roll-up's members
        self._cells: dict[tuple[int, int], ObsCell | None] = {}

    # ----------------------------------------------------------------- helpers

    def role(self, column_index: int) -> str:
        role = self._roles.get(column_index)
        if role is None:
            role = self._roles[column_index] = self._role(column_index)
        return role

    def _role(self, column_index: int) -> str:
        column = next((c for c in self.table.columns if c.index == column_index), None)
        if column is None or not column.is_value:
            return ""
        path = "/".join(norm(p) for p in column.path) or norm(column.name)
        for role, patterns in self.spec.columns:
            if any(p.search(path) for p in patterns):
                return role
        return column.role

    def cell(self, row: Row, row_index: int, column: int) -> ObsCell | None:
        """The cell of `row` (the table's row `row_index`) in `column`, None when it prints none."""
        try:
            return self._cells[(row_index, column)]
        except KeyError:
            pass
        c = row.cell(column)
        made = None
        if c is not None:
            name = self.names.get(column, str(column))
            ident = row.label or row.code or str(row_index)
            made = _frozen_instance(ObsCell, {
                "key": cell_key(self.table, row, row_index, name), "line": row.line, "number": c.number,
                "name": f"{self.table.name} {ident}「{name}」", "table": self.table.name, "row_index": row_index,
                "column": column, "unit": self.unit, "thousands": self.thousands,
            })
        self._cells[(row_index, column)] = made
        return made

    def concept_for(self, template: Any, role: str, code: str = "") -> str:
        if not template or not role:
            return ""
        if isinstance(template, dict):
            return str(template.get(role, "") or "").replace("{code}", code)
        return str(template).replace("{role}", role).replace("{code}", code)

    def add(self, concept: str, cells: list[ObsCell], derived: str = "", line: int | None = None,
            label: str = "", bound: str = "equal", row: str = "", column: str = "") -> None:
        if not concept:
            return
        concept, _, scope = concept.partition("@")
        if not scope:
            scope = self.spec.scope if self.cmap.is_scoped(concept) else ""
        if len(cells) == 1 and cells[0].number is not None:
            number = cells[0].number  # most observations: one printed cell, taken as printed
        else:
            value = sum((c.number.value for c in cells if c.number is not None), ZERO)
            decimals = max((c.number.decimals for c in cells if c.number is not None), default=0)
            number = Number(value, decimals, self.unit, "")
        first = cells[0] if cells else None
        self.out.append(_frozen_instance(Observation, {
            "concept": concept, "number": number, "unit": self.unit,
            "line": line if line is not None else (first.line if first else self.table.first_line),
            "source": "table", "table": self.table.name, "row": row or label, "column": column,
            "cell_key": first.key if len(cells) == 1 and first else "", "scope": scope, "kind": self.table.kind,
            "derived": derived, "bound": bound, "cells": tuple(cells), "label": label, "table_index": self.index,
            "scope_stated": True, "entity": self.entity,
        }))

    # ----------------------------------------------------------------- layouts

    def run(self) -> list[Observation]:
        spec = self.spec
        has_values = any(c.number is not None for r in self.table.rows for c in r.cells)
        if not has_values:
            if spec.empty:
                self.add(spec.empty, [], derived="empty", line=self.table.first_line, label=self.table.name)
            return self.out
        if spec.labels:
            self.summary()
        elif spec.roles:
            self.sangong()
        else:
            self.grid()
        self.formulas()
        self.aliases()
        return self.out

    def value_columns(self) -> list[int]:
        """The value columns of the document's year: a 上年数 column (Column.period "prior") or a
        later year's holds other money than this year's copies of the same concept."""
        return [c.index for c in self.table.columns if c.is_value and c.period not in ("prior", "other")]

    def grid(self) -> None:
        """Tables with a 合计 row and classification-code rows (T2 T3 T5 T5b T6 T8 T9, 采购)."""
        rows = self.table.rows
        totals = [i for i, r in enumerate(rows) if r.kind == "total"]
        units = [i for i, r in enumerate(rows) if r.kind == "unit"]
        total_rows = totals[:1] + (units if len(units) == 1 else [])
        columns = self.value_columns()
        for i in total_rows:
            row = rows[i]
            for col in columns:
                concept = self.concept_for(self.spec.total_row, self.role(col))
                cell = self.cell(row, i, col)
                if concept and cell is not None:
                    self.add(concept, [cell], row=row.label, column=self.names.get(col, ""))
        if not self.spec.code_row:
            return
        template = str(self.spec.code_row) if not isinstance(self.spec.code_row, dict) else \
            next(iter(self.spec.code_row.values()), "")
        econ = "econ[" in template
        by_code: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.kind in ("total", "unit", "header", "note") or not row.code:
                continue
            if econ and not _ECON_CODE.match(row.code):
                continue
            if not econ and not _FUNCTION_CODE.match(row.code):
                continue
            by_code.setdefault(row.code, []).append(i)
        for code, indexes in by_code.items():
            for col in columns:
                concept = self.concept_for(self.spec.code_row, self.role(col), code)
                if not concept:
                    continue
                cells = [c for c in (self.cell(rows[i], i, col) for i in indexes) if c is not None]
                if not cells:
                    continue
                self.add(concept, cells, derived="" if len(cells) == 1 else "sum",
                         label=rows[indexes[0]].label, row=rows[indexes[0]].label, column=self.names.get(col, ""))
        if not econ and template.startswith("expense."):
            self.rollups(by_code, columns)

    def rollups(self, by_code: dict[str, list[int]], columns: list[int]) -> None:
        """类 and 款 totals the table does not print, as the sum of its deepest printed rows."""
        printed = set(by_code)
        # a leaf is a code no other printed code extends (codes are a few digits: their proper
        # prefixes are few, where comparing every pair of codes is quadratic)
        extended = {o[:n] for o in printed for n in range(1, len(o))}
        leaves = [c for c in printed if c not in extended]
        parents: set[str] = set()
        for code in leaves:
            for length in (3, 5):
                if len(code) > length:
                    parents.add(code[:length])
        rows = self.table.rows
        ordered = sorted(leaves)
        for parent in sorted(parents - printed):
            members = [i for leaf in ordered if leaf.startswith(parent) for i in by_code[leaf]]
            for col in columns:
                concept = self.concept_for(self.spec.code_row, self.role(col), parent)
                cells = [c for c in (self.cell(rows[i], i, col) for i in members) if c is not None]
                if concept and cells:
                    self.add(concept, cells, derived="rollup", line=cells[0].line, label=parent,
                             row=parent, column=self.names.get(col, ""))

    def summary(self) -> None:
        """Two-sided summary tables (T1, T4): rows by label, side from the column header."""
        labels = self.cmap.summary_labels
        columns = self.value_columns()
        for i, row in enumerate(self.table.rows):
            label = strip_numbering(row.label)
            # a part row (其中…, a balance's per-fund split) is not a line of the table: its label
            # names a fund or a kind of balance, not the quantity the same words name elsewhere
            if not label or row.part_of >= 0 or row.kind == "header":
                continue
            for col in columns:
                cell = self.cell(row, i, col)
                if cell is None:
                    continue
                # a fund column (一般公共预算 | 政府性基金 | 国有资本经营 beside 合计) holds that fund's
                # part of the row: its own scope, or nothing for a concept without scopes
                role = self.role(col)
                scope = self.spec.column_scopes.get(role, "")
                side = self.side(col, row)
                concept = ""
                for name, patterns in labels.get(side, ()):
                    if any(p.search(label) for p in patterns):
                        concept = name
                        break
                if not concept and side == "expense":
                    code = _function_class(label, self.catalog, self.read.year)
                    if code:
                        concept = f"expense.function[{code}].total"
                if concept and not scope:
                    # the row's cells are its side's columns
                    concept = self.column_part(concept, role, [c for c in columns if row.cell(c) is not None])
                if concept and scope:
                    if self.cmap.is_scoped(concept):
                        self.add(f"{concept}@{scope}", [cell], label=row.label, row=row.label,
                                 column=self.names.get(col, ""))
                elif concept:
                    self.add(concept, [cell], label=row.label, row=row.label, column=self.names.get(col, ""))

    def column_part(self, concept: str, role: str, side_columns: list[int]) -> str:
        """The concept of a line's cell when the side splits the line by column (合计 | 基本支出 |
        项目支出): the 合计 column is the line; a part column is that part of a function class
        or of the 本年支出合计 (`expense.function[c].basic`, `expense.basic`); a column whose role is
        not known, or a part of any other line, is no concept (never compared as a copy)."""
        if len(side_columns) < 2 or role == "total":
            return concept
        if not role:
            return ""
        if concept.startswith("expense.function[") and concept.endswith("].total"):
            return concept[: -len("total")] + role
        if concept == "expense.total":
            return f"expense.{role}"
        return ""

    def side(self, col: int, row: Row) -> str:
        column = next((c for c in self.table.columns if c.index == col), None)
        head = norm(column.path[0]) if column is not None and column.path else ""
        if "收入" in head or head == "收":
            return "income"
        if "支出" in head or head == "支":
            return "expense"
        return "income" if row.block == 0 else "expense"

    def sangong(self) -> None:
        """三公 table: rows (or columns) by the schema's roles; other years' columns skipped."""
        schema = schema_for(self.table.kind)
        if schema is None:
            return
        roles = self.spec.roles
        columns = self.value_columns()
        column_roles = {c: self.role(c) for c in columns}
        rows = self.table.rows
        keep_columns = [c for c in self.current([(c, "/".join(p for p in self._path(c))) for c in columns])
                        if not _CHANGE_COLUMN.search(norm("/".join(self._path(c))))]
        if any(r in roles for r in column_roles.values()):
            # items across, one row per year or block (and/or 预算数 | 决算数 column blocks)
            keep = self.current([(i, rows[i].label) for i in range(len(rows))])
            for i in keep:
                for col in keep_columns:
                    concept = roles.get(column_roles[col], "")
                    cell = self.cell(rows[i], i, col)
                    if concept and cell is not None:
                        self.add(concept, [cell], label=rows[i].label, row=rows[i].label,
                                 column=self.names.get(col, ""))
            return
        for i, row in enumerate(rows):
            role = schema.role_of(strip_numbering(row.label)) or schema.role_of(norm(row.label))
            concept = roles.get(role, "")
            if not concept:
                continue
            for col in keep_columns:
                cell = self.cell(row, i, col)
                if cell is not None:
                    self.add(concept, [cell], label=row.label, row=row.label, column=self.names.get(col, ""))

    def _path(self, col: int) -> tuple[str, ...]:
        column = next((c for c in self.table.columns if c.index == col), None)
        return tuple(column.path or (column.name,)) if column is not None else ()

    def current(self, items: list[tuple[int, str]]) -> list[int]:
        """The items (columns or rows) of the document's year: not 上年, not another year, and in a
        final account the 决算 block rather than the 预算 one."""
        year = self.read.year
        final = self.table.kind.startswith("final.")
        kept = []
        for key, text in items:
            t = norm(text)
            if _PRIOR.search(t):
                continue
            years = {int(y) for y in _YEAR.findall(t)}
            if year and years and year not in years:
                continue
            kept.append((key, t))
        if final and any("决算" in t for _, t in kept):
            kept = [(k, t) for k, t in kept if "决算" in t or "预算" not in t]
        if not final and any("预算" in t for _, t in kept):
            kept = [(k, t) for k, t in kept if "决算" not in t]
        if not year:
            dated = [(max(int(y) for y in _YEAR.findall(t)), k) for k, t in kept if _YEAR.search(t)]
            if dated:
                latest = max(d for d, _ in dated)
                kept = [(k, t) for k, t in kept if not _YEAR.search(t) or
                        max(int(y) for y in _YEAR.findall(t)) == latest]
        return [k for k, _ in kept]

    # ----------------------------------------------------------------- computed

    def formulas(self) -> None:
        by_scope: dict[tuple[str, str], Observation] = {}
        for obs in self.out:
            if obs.derived in ("", "sum"):
                by_scope.setdefault((obs.concept, obs.scope), obs)
        for concept, parts in self.cmap.formulas.items():
            scopes = {s for (c, s) in by_scope if c in parts}
            for scope in scopes:
                if (concept, scope) in by_scope:
                    continue
                members = [by_scope[(p, scope)] for p in parts if (p, scope) in by_scope]
                cells = [c for m in members for c in m.cells]
                if cells:
                    target = f"{concept}@{scope}" if scope else concept
                    self.add(target, cells, derived="formula", line=cells[0].line, label=concept)

    def aliases(self) -> None:
        # only tables that print (or could print) the carry-over and grand-total lines
        if not (self.spec.labels or self.table.kind.endswith(".income")):
            return
        present = {(o.concept, o.scope) for o in self.out}
        for alias, (source, unless) in self.cmap.aliases.items():
            for obs in [o for o in self.out if o.concept == source and o.derived in ("", "sum")]:
                if (alias, obs.scope) in present:
                    continue
                blocked = any(o.concept in unless and o.scope == obs.scope and o.interval().hi > 0
                              for o in self.out)
                if blocked:
                    continue
                target = f"{alias}@{obs.scope}" if obs.scope else alias
                self.add(target, list(obs.cells), derived="alias", line=obs.line, label=obs.label,
                         row=obs.row, column=obs.column)
                present.add((alias, obs.scope))


def _function_class(label: str, catalog: Any, year: int | None) -> str:
    """The function 类 code whose catalog name (or historical name) is `label`, or ""."""
    if catalog is None:
        return ""
    index = _function_names(catalog)
    codes = index.get(_name_key(label), ())
    classes = [c for c in codes if len(c) == 3]
    return classes[0] if len(classes) == 1 else ""


@lru_cache(maxsize=4)
def _function_names(catalog: Any) -> dict[str, tuple[str, ...]]:
    """Normalised name (and historical names) -> function codes, from the code catalog."""
    out: dict[str, set[str]] = {}
    for code, entries in catalog.func.items():
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                for key in _name_variants(name):
                    out.setdefault(key, set()).add(code)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=4)
def _function_names_by_code(catalog: Any) -> dict[str, tuple[str, ...]]:
    """Function code -> the normalised names of `_function_names` that name it: a document prints a
    few dozen codes of the catalog's thousands of names."""
    out: dict[str, list[str]] = {}
    for key, codes in _function_names(catalog).items():
        for code in codes:
            out.setdefault(code, []).append(key)
    return {code: tuple(keys) for code, keys in out.items()}


def _name_key(name: str) -> str:
    from auditor.catalog import normalize_name

    return normalize_name(name)


# Asked for each table observation's label, i.e. once per value column of a row: the variants of a
# name are kept (callers only iterate over them, never change the set).
@lru_cache(maxsize=8192)
def _name_variants(name: str) -> set[str]:
    """A printed name, without its trailing qualifier, and without bracketed letters ("维修(护)费")."""
    from auditor.catalog import normalize_name, strip_qualifier

    key = normalize_name(name)
    out = {key} if key else set()
    stripped = strip_qualifier(key)
    if stripped:
        out.add(stripped)
    no_brackets = re.sub(r"\([^()]*\)", "", key)
    if no_brackets and no_brackets != key:
        out.add(no_brackets)
    return out


# --------------------------------------------------------------------------- prose


_ACCOUNT_OF_KIND = {"budget": "budget", "final_accounts": "final"}


class _ProseReader:
    """Prose amounts -> observations: the lexicon concept, or a classification name."""

    def __init__(self, read: ReadDocument, tables: list[Observation], cmap: ConceptMap, catalog: Any) -> None:
        self.read, self.cmap, self.catalog = read, cmap, catalog
        self.table_obs = tables
        self.function_index: dict[str, set[str]] = {}
        self.econ_index: dict[str, set[str]] = {}
        self._by_concept: dict[str, list[Observation]] | None = None
        self._build_indexes()

    def _build_indexes(self) -> None:
        function_codes: set[str] = set()
        for obs in self.table_obs:
            concept = obs.concept
            # the two patterns open with these literals: most concepts are neither
            if concept.startswith("expense.function["):
                m = _FUNC_CONCEPT.match(concept)
                if m:
                    function_codes.add(m.group(1))
                    if obs.derived in ("", "sum") and obs.label:
                        for key in _name_variants(obs.label):
                            self.function_index.setdefault(key, set()).add(m.group(1))
            elif concept.startswith("expense.econ["):
                m = _ECON_CONCEPT.match(concept)
                if m and m.group(2) in ("basic", "total") and obs.label:
                    for key in _name_variants(obs.label):
                        self.econ_index.setdefault(key, set()).add(m.group(1))
        if self.catalog is not None:
            names_of = _function_names_by_code(self.catalog)
            for code in function_codes:
                for key in names_of.get(code, ()):
                    self.function_index.setdefault(key, set()).add(code)

    def resolve(self, fact: Fact) -> tuple[str, str, bool]:
        """(concept, scope, whether the text states the scope) of a prose fact; ("", "", False)
        when it names nothing the tables print."""
        concept = fact.concept
        scope = ""
        if concept:
            target = self.cmap.prose.get(concept, concept)
            concept, _, scope = target.partition("@")
        else:
            concept = self.by_name(fact)
        if not concept:
            return "", "", False
        if not scope and fact.scope:
            for name, patterns in self.cmap.prose_scopes:
                if any(p.search(fact.scope) for p in patterns):
                    scope = name
                    break
        stated = bool(scope)
        if self.cmap.is_scoped(concept):
            # economic rows are printed by the 一般公共预算 tables; other amounts default to the
            # department as a whole
            scope = scope or ("general" if _ECON_CONCEPT.match(concept) else "all")
        else:
            scope, stated = "", True
        return concept, scope, stated

    def by_name(self, fact: Fact) -> str:
        core = fact.core or fact.label
        candidates = [core]
        if core.endswith("支出") and len(core) > 3:
            candidates.append(core[:-2])
        for candidate in candidates:
            for key in _name_variants(candidate):
                codes = self.function_index.get(key)
                if codes:
                    return f"expense.function[{self.pick(codes, fact, 'function')}].total"
        for candidate in candidates:
            for key in _name_variants(candidate):
                codes = self.econ_index.get(key)
                if codes:
                    code = self.pick(codes, fact, "econ")
                    # an economic item is quoted as its basic expenditure (机关运行经费, 基本支出
                    # 说明) unless the quote is its total with project money
                    amount = interval(fact.number)
                    if not self.matches(f"expense.econ[{code}].basic", amount) and \
                            self.matches(f"expense.econ[{code}].total", amount):
                        return f"expense.econ[{code}].total"
                    return f"expense.econ[{code}].basic"
        return ""

    def matches(self, concept: str, amount: Interval) -> bool:
        return any(o.interval().meets(amount) for o in self._of_concept(concept))

    def _of_concept(self, concept: str) -> list[Observation]:
        """The table observations of `concept`, in order, from an index built on first use (a
        prose amount was matched against every table observation)."""
        if self._by_concept is None:
            self._by_concept = {}
            for obs in self.table_obs:
                self._by_concept.setdefault(obs.concept, []).append(obs)
        return self._by_concept.get(concept, [])

    def pick(self, codes: set[str], fact: Fact, kind: str) -> str:
        """Among codes of one name, the one whose amount matches; else the shortest (the 类)."""
        ordered = sorted(codes, key=lambda c: (len(c), c))
        if len(ordered) == 1:
            return ordered[0]
        amount = interval(fact.number)
        for code in ordered:
            concept = f"expense.function[{code}].total" if kind == "function" else f"expense.econ[{code}].basic"
            if self.matches(concept, amount):
                return code
        return ordered[0]

    def run(self) -> list[Observation]:
        out: list[Observation] = []
        # the account the tables print: a final account's tables keep their 决算 columns, a
        # budget its 预算 ones (_TableReader.current), so a prose amount of the other account has
        # no table quantity to agree with ("三公经费支出预算为 49.9 万元" in a final account)
        account = _ACCOUNT_OF_KIND.get(self.read.kind, "")
        for fact in read_facts(self.read.paragraphs):
            if not fact.level or fact.number.unit not in ("元", "万元", "亿元"):
                continue
            if account and fact.basis and fact.basis != account:
                continue
            concept, scope, stated = self.resolve(fact)
            if not concept:
                continue
            key = f"prose|{fact.line}|{fact.label}"
            cell = ObsCell(key=key, line=fact.line, number=fact.number, name=f"「{fact.label}」{fact.number.text}",
                           unit=fact.number.unit)
            out.append(Observation(
                concept=concept, number=fact.number, unit=fact.number.unit, line=fact.line, source="prose",
                cell_key=key, scope=scope, cells=(cell,), label=fact.label, row=fact.label, scope_stated=stated,
            ))
        return out


# --------------------------------------------------------------------------- ties


def _sangong_ties(read: ReadDocument, obs: list[Observation], cmap: ConceptMap, catalog: Any) -> list[Observation]:
    """三公 items as the sum of their economic rows (DOMAIN B14): from the economic-class table
    (basic + project: equality) or, without it, from the basic-expenditure table (lower bound)."""
    if catalog is None or not cmap.sangong_ties:
        return []
    codes = catalog.sangong_codes()
    econ_tables = [t for t in read.tables if t.kind == "budget.general_expense_econ"]
    bound, role = "equal", "total"
    if not econ_tables:
        econ_tables = [t for t in read.tables if t.kind == "budget.basic_expense"]
        bound, role = "lower", "basic"
    out: list[Observation] = []
    for table in econ_tables:
        index = read.tables.index(table)
        rows = {o.concept: o for o in obs if o.table_index == index and o.derived in ("", "sum")}
        for concept, item in cmap.sangong_ties.items():
            members = [rows[f"expense.econ[{c}].{role}"] for c in sorted(codes.get(item, ()))
                       if f"expense.econ[{c}].{role}" in rows]
            cells = [c for m in members for c in m.cells]
            value = sum((c.number.value for c in cells if c.number is not None), ZERO)
            decimals = max((c.number.decimals for c in cells if c.number is not None), default=0)
            unit = table.unit or "元"
            out.append(Observation(
                concept=concept, number=Number(value, decimals, unit, ""), unit=unit,
                line=cells[0].line if cells else table.first_line, source="table", table=table.name,
                row="+".join(sorted(codes.get(item, ()))), column=role, scope="", kind=table.kind,
                derived="tie", bound=bound, cells=tuple(cells), label="+".join(sorted(codes.get(item, ()))),
                table_index=index, entity=cmap.entity_of(table.title),
            ))
    return out


# --------------------------------------------------------------------------- entry point


def _catalog() -> Any:
    try:
        from auditor.catalog import load_catalog

        return load_catalog()
    except Exception:  # noqa: BLE001 - without the code catalog, names are not resolved
        return None


def read_observations(read: ReadDocument, catalog: Any = None) -> list[Observation]:
    """Every recognised number of the document as an Observation (tables first, then prose)."""
    cmap = concept_map()
    catalog = catalog if catalog is not None else _catalog()
    out: list[Observation] = []
    for index, table in enumerate(read.tables):
        spec = cmap.tables.get(table.kind)
        if spec is None:
            continue
        out.extend(_TableReader(read, table, index, spec, cmap, catalog).run())
    out.extend(_sangong_ties(read, out, cmap, catalog))
    out.extend(_ProseReader(read, out, cmap, catalog).run())
    return out


# --------------------------------------------------------------------------- scopes


class Scopes:
    """Which money scopes of a document are the same money (DOMAIN B7, B9).

    all = fiscal when 本年收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营 income (and no
    carry-over, no 使用非财政拨款结余); fiscal = general when the 政府性基金 and 国有资本经营 income
    is 0; general = appropriation when the 一般公共预算 income is all 财政拨款. Unknown (no income
    lines printed) counts as different: the narrower is then only ≤ the wider.

    The department's tables decide (a 本级 table's income is only its own office's); what holds
    for the department holds for each of its units, so the same relations serve its 本级 tables.
    """

    def __init__(self, observations: list[Observation]) -> None:
        self.parent = concept_map().scope_parent
        table = [o for o in observations if o.source == "table" and o.entity != "own"] or \
            [o for o in observations if o.source == "table"]

        def values(concept: str, scope: str | None = None) -> list[Interval]:
            return [o.interval() for o in table if o.concept == concept and (scope is None or o.scope == scope)
                    and o.derived in ("", "sum")]

        totals = values("income.total", "all")
        general = values("income.general")
        appropriation = values("income.fiscal_appropriation")
        fund = values("income.gov_fund")
        capital = values("income.state_capital")
        carry = values("income.carryover") + values("income.non_fiscal_balance")
        no_carry = all(iv.hi <= 0 for iv in carry)
        zero = exact(ZERO)
        fund_iv = fund[0] if fund else zero
        capital_iv = capital[0] if capital else zero
        self._root: dict[str, str] = {}
        if general and all(iv.lo <= 0 for iv in fund) and all(iv.lo <= 0 for iv in capital):
            self._union("fiscal", "general")
        if totals and general and no_carry and any(t.meets(g + fund_iv + capital_iv)
                                                   for t in totals for g in general):
            self._union("all", "fiscal")
        if any(a.meets(g) for a in appropriation for g in general):
            self._union("appropriation", "general")

    def _find(self, scope: str) -> str:
        while self._root.get(scope, scope) != scope:
            scope = self._root[scope]
        return scope

    def _union(self, a: str, b: str) -> None:
        self._root[self._find(a)] = self._find(b)

    def relation(self, a: str, b: str) -> str | None:
        """"eq" when a and b are the same money, "le" when a is part of b, "ge" the reverse, None
        when neither ("" is an unscoped concept: always "eq")."""
        if a == b or not a or not b or self._find(a) == self._find(b):
            return "eq"
        if self._within(a, b):
            return "le"
        if self._within(b, a):
            return "ge"
        return None

    def _within(self, a: str, b: str) -> bool:
        seen = a
        while seen in self.parent:
            seen = self.parent[seen]
            if self._find(seen) == self._find(b):
                return True
        return False
