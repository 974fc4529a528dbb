"""Cells that a department's documents of other years repeat, read from the recognised tables.

* `carryover`: this year's 年初结转和结余 and 年末结转和结余 (or 上年结转 / 结转下年) of the
  department's summary table (公开01 收入支出决算总表, or the budget's 收支总表);
* `sangong_totals`: the 三公 totals a document prints, per stage (预算 / 决算), year and basis
  (年初预算数, 全年/调整预算数, or plain).

Real layouts put more than one candidate beside these cells: 上年数 beside 本年数 columns, a
财政拨款收入支出决算总表 with its own carry-over rows, two summary tables (部门汇总, 机关本级), a
三公 table in 预算数 | 决算数 blocks, a 栏次 row of column numbers. A cell is returned only when
exactly one candidate is left (or every candidate prints the same amount): the cross-document
rules compare what is returned, so a wrong cell would be a false alarm while a missing one only
skips a check. Labels and header words are data (checks/catalog/year_cells.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from auditor.model import Column, Number, ReadDocument, Row, Table
from auditor.numbers import scale_of
from auditor.read.table_schema import norm, strip_numbering
from auditor.yaml_files import read_yaml_file

CATALOG = Path(__file__).resolve().parents[2] / "checks" / "catalog" / "year_cells.yaml"
_YEAR = re.compile(r"(\d{4})\s*年")
_TOTAL_LABEL = re.compile(r"^(合计|总计)")
_TOTAL_COLUMN = re.compile(r"^(合计|总计)$")
_WIDER = re.compile(r"合计|总计|小计")
_BRACKET_TAIL = re.compile(r"\([^()]*\)$")


@dataclass(frozen=True)
class _Vocabulary:
    summary_kinds: frozenset[str]
    opening: frozenset[str]
    closing: frozenset[str]
    prior: re.Pattern[str]
    this: re.Pattern[str]
    not_a_level: re.Pattern[str]
    initial: re.Pattern[str]
    adjusted: re.Pattern[str]
    item: re.Pattern[str]


def _either(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    """The labels and header words of checks/catalog/year_cells.yaml."""
    data = read_yaml_file(CATALOG)
    return _Vocabulary(
        summary_kinds=frozenset(data["summary_kinds"]),
        opening=frozenset(norm(x) for x in data["carryover"]["opening"]),
        closing=frozenset(norm(x) for x in data["carryover"]["closing"]),
        prior=_either(data["period"]["prior"]),
        this=_either(data["period"]["this"]),
        not_a_level=_either(re.escape(x) for x in data["not_a_level"]),
        initial=_either(data["sangong"]["initial"]),
        adjusted=_either(data["sangong"]["adjusted"]),
        item=_either(data["sangong"]["item"]),
    )


@dataclass(frozen=True)
class PrintedAmount:
    """One cell: where it is printed and its number (unit resolved); None for a blank cell (0)."""

    table: Table
    row: Row
    column: Column
    number: Number | None
    label: str  # the row label without numbering ("年初结转和结余")

    @property
    def base_value(self) -> Decimal:
        """The value in 元 (0 for a blank cell), to tell whether two printings agree."""
        if self.number is None:
            return Decimal(0)
        return self.number.value * scale_of(self.number.unit)


@dataclass(frozen=True)
class SangongTotal:
    """A 三公 total: 预算 or 决算, of which year, on which basis ("initial", "adjusted" or "")."""

    stage: str
    year: int | None
    basis: str
    amount: PrintedAmount


# --------------------------------------------------------------------------- columns


def header(column: Column) -> str:
    """A column's header path as one string ("收入/本年数")."""
    return "/".join(column.path) or column.name


def table_year(table: Table, read: ReadDocument) -> int | None:
    """The year a table is about: the year in its title, else the document's."""
    m = _YEAR.search(table.title)
    return int(m.group(1)) if m else read.year


def column_period(text: str, year: int | None) -> str:
    """Which year a column holds: "this", "prior", "other" (a later year) or "" (not said).

    A printed year is compared with `year`; otherwise 上年数 / 上年决算数 are "prior" and
    本年数 "this". A column that says nothing is the table's own year in every layout seen.
    """
    words = vocabulary()
    years = {int(y) for y in _YEAR.findall(text)}
    if years and year:
        if years == {year}:
            return "this"
        return "prior" if max(years) < year else "other"
    if words.prior.search(text):
        return "prior"
    if words.this.search(text):
        return "this"
    return ""


def mark_periods(read: ReadDocument) -> None:
    """Set `Column.period` of every value column from its header and the table's year, so that
    no check ties a 上年数 column to this year's copy of the same quantity."""
    for table in read.tables:
        year = table_year(table, read)
        for column in table.columns:
            if column.is_value:
                column.period = column_period(header(column), year)


def _narrow(columns: list[Column], *preferences: Callable[[Column], bool]) -> Column | None:
    """The one column left after applying each preference that some columns meet; else None."""
    for prefer in preferences:
        if len(columns) <= 1:
            break
        kept = [c for c in columns if prefer(c)]
        if kept:
            columns = kept
    return columns[0] if len(columns) == 1 else None


def this_year_column(columns: list[Column], year: int | None) -> Column | None:
    """The value column of a row that holds this year's amount, or None when that is unclear.

    上年数 and later-year columns never count, nor rates and changes. Of several left, a 决算数
    column wins over a 预算数 one (a 决算 总表 that also prints the budget), then a column that
    says 本年, then a 合计/总计 column (a 财政拨款 layout split by fund). Two plain 金额 columns
    stay ambiguous.
    """
    words = vocabulary()
    left = [c for c in columns if c.is_value and not words.not_a_level.search(header(c))
            and column_period(header(c), year) in ("this", "")]
    return _narrow(
        left,
        lambda c: "决算" in header(c) and "预算" not in header(c),
        lambda c: column_period(header(c), year) == "this",
        lambda c: bool(_WIDER.search(c.name)),
    )


def _unit_of(table: Table, read: ReadDocument) -> str:
    """The table's printed unit; else the one unit every other table prints; else ""."""
    if table.unit:
        return table.unit
    units = {t.unit for t in read.tables if t.unit}
    return units.pop() if len(units) == 1 else ""


def _amount(table: Table, row: Row, column: Column, label: str, read: ReadDocument) -> PrintedAmount | None:
    cell = row.cell(column.index)
    number = cell.number if cell is not None else None
    if number is not None and not number.unit:
        unit = _unit_of(table, read)
        if not unit:
            return None  # 123.45 could be 元 or 万元: no fact rather than a guess
        number = Number(number.value, number.decimals, unit, number.text)
    return PrintedAmount(table, row, column, number, label)


def _agreed(items: list[PrintedAmount | None]) -> PrintedAmount | None:
    """The first item when every candidate exists and prints the same amount; else None."""
    if not items or any(i is None for i in items):
        return None
    first = items[0]
    assert first is not None
    return first if all(i is not None and i.base_value == first.base_value for i in items) else None


# --------------------------------------------------------------------------- carry-over


def carryover_slot(label: str) -> str:
    """"open" for a 年初结转和结余 label, "close" for 年末结转和结余, "" otherwise."""
    if norm(label).startswith("其中"):
        return ""  # a part of the balance (其中：财政拨款结转和结余), not the balance
    words = vocabulary()
    text = strip_numbering(label)
    for candidate in (text, _BRACKET_TAIL.sub("", text)):
        if candidate in words.opening:
            return "open"
        if candidate in words.closing:
            return "close"
    return ""


def carryover(read: ReadDocument) -> dict[str, PrintedAmount]:
    """This year's opening ("open") and closing ("close") carry-over of the department.

    Only the summary table counts (公开01 收入支出决算总表; the budget's 收支总表): it covers all
    of the department's money, and it is the table whose 年末结转和结余 the next year opens
    with (DOMAIN D13). The 财政拨款收入支出决算总表 (公开04) also prints 年初/年末 rows, but for
    财政拨款 only: pairing it with another year's 公开01 would compare different money, so it
    is never read here, even when it is the only table with such rows.
    """
    words = vocabulary()
    found: dict[str, list[PrintedAmount | None]] = {"open": [], "close": []}
    for table in read.tables:
        if table.kind not in words.summary_kinds:
            continue
        year = table_year(table, read)
        columns = {c.index: c for c in table.columns}
        for row in table.rows:
            slot = carryover_slot(row.label) if row.kind not in ("note", "header") else ""
            if not slot:
                continue
            present = [columns[c.column] for c in row.cells if c.column in columns]
            column = this_year_column(present, year)
            found[slot].append(None if column is None else
                               _amount(table, row, column, strip_numbering(row.label), read))
    out = {}
    for slot, items in found.items():
        agreed = _agreed(items)
        if agreed is not None:
            out[slot] = agreed
    return out


# --------------------------------------------------------------------------- 三公


def _stage(text: str) -> str:
    if "决算" in text:
        return "final"
    if "预算" in text:
        return "budget"
    return ""


def sangong_totals(read: ReadDocument) -> list[SangongTotal]:
    """The 三公 totals of every 三公 table, one per (stage, year, basis) that is unambiguous.

    A value column counts when its header names a stage (预算数, 决算数, 2024年预算数, 上年决算数)
    and no 三公 item (the 因公出国 column of a column-oriented table is not the total). Its total
    is the cell on the table's 合计 row; a column-oriented table without one (公开07: one data row
    under the header) gives the 合计 column's only data row, and nothing when it has several.
    The year is the one printed in the header, the year before for 上年…, else the table's year.
    """
    words = vocabulary()
    groups: dict[tuple[str, int | None, str], list[PrintedAmount | None]] = {}
    for table in read.tables:
        if "sangong" not in table.kind and "三公" not in table.title:
            continue
        base = table_year(table, read)
        rows = [r for r in table.rows if r.kind not in ("note", "header")]
        # "公务用车购置及运行费合计" is the vehicle line's total, not the table's
        totals = [r for r in rows if (r.kind == "total" or _TOTAL_LABEL.match(strip_numbering(r.label)))
                  and not words.item.search(r.label)]
        for column in table.columns:
            text = header(column)
            stage = _stage(text)
            if not column.is_value or not stage or words.not_a_level.search(text) or words.item.search(text):
                continue
            period = column_period(text, base)
            if period == "other":
                continue
            m = _YEAR.search(text)
            year = int(m.group(1)) if m else (base - 1 if period == "prior" and base else base)
            basis = "initial" if words.initial.search(text) else "adjusted" if words.adjusted.search(text) else ""
            if totals:
                candidates = [r for r in totals if r.value(column.index) is not None]
            elif column.role == "total" or _TOTAL_COLUMN.match(column.name):
                candidates = [r for r in rows if r.value(column.index) is not None]
            else:
                continue
            if not candidates:
                continue
            amounts = [_amount(table, r, column, strip_numbering(r.label), read) for r in candidates]
            groups.setdefault((stage, year, basis), []).append(_agreed(amounts))
    out = []
    for (stage, year, basis), items in groups.items():
        agreed = _agreed(items)
        if agreed is not None:
            out.append(SangongTotal(stage, year, basis, agreed))
    return out
