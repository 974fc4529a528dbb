"""The tables auditor read, laid out as one pandas DataFrame per table kind (no GX here).

One frame row per table row (detail, total, subtotal and unit rows), with the row's place and
keys as columns and one float column per schema role of the kind (`total`, `basic`,
`basic.salary` …), so a frame validates against the suite `auditor.gx.suites` builds:

    document    the document path                 table       the table title
    table_line  the table's first source line     line        the row's source line
    row_kind    detail | total | subtotal | unit  unit        the 单位 row the row is under ("" if none)
    code        the joined classification code (None when the row has none)
    alt_code    the second classification on the row (政府预算经济分类), or None
    row_key     code, or "code/alt_code" when the row has both (what identifies a row), or None
    label       the row label                     rounding    half a unit of the row's last printed digit, in 元

Amounts are in 元 whatever the printed unit, so tables printed in 元 and in 万元 share a frame.
A blank cell ("", "-", "—") is 0, as auditor's own sums take it; a column the table does not
print is NaN (the row-sum expectation then skips that relation for the table's rows, as the reader
emits no relation without the column); a cell holding text that is not a number is NaN as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from auditor.model import Number, ReadDocument, Row, Table
from auditor.numbers import scale_of, to_base
from auditor.read.table_schema import Schema, schema_for

KEY_COLUMNS = ["document", "table", "table_line", "line", "row_kind", "unit", "code", "alt_code", "row_key", "label"]
ROUNDING = "rounding"
ROW_KINDS = ("detail", "total", "subtotal", "unit")


def column_roles(schema: Schema) -> list[str]:
    """The roles a kind's tables carry as value columns, in schema order.

    Kinds laid out in columns (and `auto` kinds printed in columns) name columns by role;
    kinds laid out in rows only do so for relations declared `on: columns`.
    """
    if schema.orientation in ("columns", "auto"):
        return [role for role, _ in schema.roles]
    named = {r.whole for r in schema.relations if r.on == "columns"}
    named |= {p for r in schema.relations if r.on == "columns" for p in r.parts}
    return [role for role, _ in schema.roles if role in named]


def role_columns(table: Table, roles: Sequence[str]) -> dict[str, int]:
    """role -> the index of the table's first value column with that role."""
    out: dict[str, int] = {}
    for column in table.columns:
        if column.is_value and column.role in roles and column.role not in out:
            out[column.role] = column.index
    return out


@dataclass(frozen=True)
class RowRef:
    """Where a frame row came from: the document (index into the reads given), table and row."""

    document: int
    table: int
    row: int


@dataclass
class KindFrame:
    """The frame of one table kind and the way back from its index to the source."""

    kind: str
    roles: list[str]
    frame: pd.DataFrame
    refs: list[RowRef] = field(default_factory=list)
    tables: list[tuple[int, int]] = field(default_factory=list)  # (document, table) in the frame
    columns: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)  # role -> column index


def _unit(number: Number, table: Table) -> str:
    return number.unit or table.unit or "元"


def _value(row: Row, column: int, table: Table) -> float:
    cell = row.cell(column)
    if cell is None:
        return math.nan
    if cell.number is None:
        return 0.0 if cell.blank else math.nan
    number = cell.number
    return float(to_base(Number(number.value, number.decimals, _unit(number, table), number.text)))


def _rounding(row: Row, columns: Sequence[int], table: Table) -> float:
    """Half a unit of the last printed digit, in 元 (0 for whole 元, which are exact; DESIGN §6)."""
    radius = 0.0
    for column in columns:
        number = row.value(column)
        if number is None:
            continue
        unit = _unit(number, table)
        if number.decimals == 0 and unit in ("元", "") and scale_of(unit) == 1:
            continue
        radius = max(radius, float(number.half_ulp * scale_of(unit)))
    return radius


def table_rows(table: Table, path: str, roles: Sequence[str], mapping: dict[str, int]) -> list[dict]:
    """The frame records of one table (see the module doc for the columns)."""
    records: list[dict] = []
    unit_label = ""
    for row in table.rows:
        if row.kind not in ROW_KINDS:
            continue
        if row.kind == "unit":
            unit_label = row.label
        record: dict = {
            "document": path,
            "table": table.title or table.kind,
            "table_line": table.first_line,
            "line": row.line,
            "row_kind": row.kind,
            "unit": unit_label,
            "code": row.code or row.malformed_code or None,
            "alt_code": row.alt_code or None,
            "row_key": "/".join(c for c in (row.code, row.alt_code) if c) if row.code else None,
            "label": row.label,
            ROUNDING: _rounding(row, list(mapping.values()), table),
        }
        for role in roles:
            record[role] = _value(row, mapping[role], table) if role in mapping else math.nan
        records.append(record)
    return records


def _frame(records: list[dict], roles: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=[*KEY_COLUMNS, ROUNDING, *roles])
    for role in roles:
        frame[role] = frame[role].astype("float64")
    frame[ROUNDING] = frame[ROUNDING].astype("float64")
    return frame


def table_frame(table: Table, path: str = "") -> pd.DataFrame:
    """One table as a frame (for a CSV release of that table kind)."""
    schema = schema_for(table.kind)
    roles = column_roles(schema) if schema else []
    return _frame(table_rows(table, path, roles, role_columns(table, roles)), roles)


def kind_frames(reads: Sequence[ReadDocument]) -> dict[str, KindFrame]:
    """Every recognised table of every document, one frame per kind (kinds without column roles,
    and tables printing no row or none of their kind's roles, are left out: the suite has nothing to check)."""
    collected: dict[str, tuple[list[str], list[dict], KindFrame]] = {}
    for d, read in enumerate(reads):
        for t, table in enumerate(read.tables):
            schema = schema_for(table.kind)
            if schema is None:
                continue
            roles = column_roles(schema)
            mapping = role_columns(table, roles)
            rows = [i for i, row in enumerate(table.rows) if row.kind in ROW_KINDS]
            if not roles or not mapping or not rows:
                continue
            if table.kind not in collected:
                collected[table.kind] = (roles, [], KindFrame(table.kind, roles, pd.DataFrame()))
            _, records, kind_frame = collected[table.kind]
            records.extend(table_rows(table, read.path, roles, mapping))
            kind_frame.refs.extend(RowRef(d, t, i) for i in rows)
            kind_frame.tables.append((d, t))
            kind_frame.columns[(d, t)] = mapping
    out: dict[str, KindFrame] = {}
    for kind, (roles, records, kind_frame) in sorted(collected.items()):
        kind_frame.frame = _frame(records, roles)
        out[kind] = kind_frame
    return out
