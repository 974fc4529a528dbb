"""Evaluating a table's sum relations with interval tolerance (shared by the totals rules)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from auditor.model import Number, Relation, Row, Table
from auditor.numbers import format_decimal, format_like, scale_of
from auditor.tolerance import Interval, cell_interval, check_sum


@dataclass
class CellRef:
    """One cell taking part in a relation: where it is and what it printed (None = blank)."""

    row: Row
    row_index: int
    column: int
    column_name: str
    number: Number | None

    @property
    def key(self) -> str:
        """A stable key for grouping: the row by code or label, and the column by name."""
        ident = " ".join(part for part in (self.row.code, self.row.label) if part) or str(self.row_index)
        return f"{ident}|{self.column_name}|{self.row.block}"

    @property
    def description(self) -> str:
        """The cell as a reader would name it: row 「column」."""
        ident = self.row.label or self.row.code or str(self.row_index)
        return f"{ident}「{self.column_name}」"

    @property
    def printed(self) -> str:
        return self.number.text if self.number is not None else "（空）"

    @property
    def line(self) -> int:
        """The source line the cell is printed on (a grid rebuilt from one cell per line puts a
        row's cells on several lines), else its row's."""
        cell = self.row.cell(self.column)
        return (cell.line if cell else 0) or self.row.line

    def interval(self, unit: str) -> Interval:
        return cell_interval(self.number, unit)


@dataclass
class Evaluation:
    relation: Relation
    whole: CellRef
    parts: list[CellRef]
    whole_interval: Interval
    parts_interval: Interval
    gap: Decimal  # in 元 (or the printed unit when not money)

    @property
    def holds(self) -> bool:
        return self.gap == 0


def cell_ref(table: Table, row_index: int, column: int) -> CellRef | None:
    if not 0 <= row_index < len(table.rows):
        return None
    row = table.rows[row_index]
    for col in table.columns:  # a loop, not next(genexpr): a few cells for every relation
        if col.index == column:
            name = col.name
            break
    else:
        name = str(column)
    return CellRef(row, row_index, column, name, row.value(column))


def evaluate(table: Table, relation: Relation) -> Evaluation | None:
    """Evaluate one relation; None when it references cells that do not exist."""
    whole = cell_ref(table, *relation.total)
    parts = [cell_ref(table, r, c) for r, c in relation.parts]
    if whole is None or any(p is None for p in parts) or not parts:
        return None
    if any(_unknown(ref) for ref in [whole, *parts]):  # a spreadsheet error value is not a zero
        return None
    clean_parts = [p for p in parts if p is not None]
    unit = table.unit or "元"
    result = check_sum(whole.interval(unit), (p.interval(unit) for p in clean_parts),
                       subitem=relation.kind == "subitem")
    return Evaluation(relation, whole, clean_parts, result.whole, result.parts, result.gap)


_SPREADSHEET_ERRORS = frozenset({"#NUM!", "#VALUE!", "#DIV/0!", "#REF!", "#N/A", "#NAME?", "#NULL!"})


def _unknown(ref: CellRef | None) -> bool:
    """A cell printing a spreadsheet error (or a number the loader could not read, "#NUM!"):
    its value is unknown, so a relation through it cannot be evaluated."""
    if ref is None or ref.number is not None:
        return False
    cell = next((c for c in ref.row.cells if c.column == ref.column), None)
    return cell is not None and cell.text.strip().upper() in _SPREADSHEET_ERRORS


def in_unit(value: Decimal, unit: str) -> Decimal:
    """Convert a value in 元 back to the table's unit."""
    return value / scale_of(unit or "元")


def uses_separators(table: Table) -> bool:
    """Whether the table prints thousands separators (then a computed value should too)."""
    return any("," in cell.text for row in table.rows for cell in row.cells)


def render(value: Decimal, like: Number | None, unit: str, thousands: bool | None = None) -> str:
    """Write a computed value (in 元) the way the table prints its numbers."""
    shown = in_unit(value, unit)
    if like is not None:
        text = format_like(shown, like)
        if thousands and "," not in text and abs(shown) >= 1000:
            text = format_like(shown, Number(like.value, like.decimals, like.unit, "1," + like.text))
        return text
    decimals = 2 if unit in ("万元", "亿元") else 0
    return format_decimal(shown, decimals, thousands if thousands is not None else True)


def repair_values(ev: Evaluation, unit: str, thousands: bool | None = None) -> dict[str, str]:
    """For each cell, the value that alone would make the relation hold (the culprit candidates)."""
    out: dict[str, str] = {}
    sum_mid = ev.parts_interval.mid
    out[ev.whole.key] = render(sum_mid, ev.whole.number, unit, thousands)
    whole_mid = ev.whole_interval.mid
    for part in ev.parts:
        others = sum_mid - part.interval(unit).mid
        needed = whole_mid - others
        if needed >= 0:
            out[part.key] = render(needed, part.number or ev.whole.number, unit, thousands)
    return out
