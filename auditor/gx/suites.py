"""Expectation suites for the standard table kinds, built from `checks/catalog/tables/<kind>.yaml`.

The same schema the reader and the totals rules use defines the suite of a kind, so a release
validated with GX and a disclosure audited by auditor answer to one set of identities:

    schema.required_column  the columns of the kind's headline identity exist (合计, 基本支出, 项目支出 …)
    schema.code_format      classification codes are 3, 5 or 7 digits (类 / 款 / 项)
    schema.non_negative     amounts are not negative (every budget and expenditure amount;
                            上年结转 is exempt: a carry-over can be negative, DOMAIN §1.4)
    schema.unique_key       a code appears once per table (per 单位 block; the pair of codes in
                            tables printing two economic classifications side by side)
    schema.row_sum          each schema relation "whole = part + part + optional? …" holds in every
                            row, within rounding (ExpectMulticolumnSumToEqualWithTolerance)

Two layouts:

- `release` (what `auditor gx suite` exports): a CSV of one table kind with a `code` column and
  one column per role, named as the schema names the roles (`total`, `basic`, `basic.salary` …);
  absent optional columns are fine, blank cells are missing values;
- `batch` (what `auditor check --gx` validates): the frames of `auditor.gx.frame`, many tables of
  one kind from many documents; keys include the document and table, blank cells are 0, a
  required column a table does not print is NaN on its rows (so not-null checks find the table).

Each expectation's `meta.auditor_rule` names the auditor rule its failures become.
"""

from __future__ import annotations

from typing import Any

from auditor import __version__
from auditor.gx import require_gx
from auditor.gx.frame import ROUNDING, column_roles
from auditor.read.table_schema import RelationSpec, Schema, load_schemas, schema_for

CODE_PATTERN = r"^(?:\d{3}|\d{5}|\d{7})$"
NON_NEGATIVE_EXEMPT = frozenset({"carryover"})
UNIQUE_EXEMPT_KINDS = frozenset({"budget.procurement"})  # one code, many purchases
RELEASE_KEYS = {"budget.general_expense_econ": ("code", "alt_code")}  # by both classifications
BATCH_KEYS = ("document", "table_line", "unit", "row_key")
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}
RULE_SEVERITY = {
    "schema.required_column": "info",
    "schema.code_format": "warning",
    "schema.non_negative": "warning",
    "schema.unique_key": "warning",
    "schema.row_sum": "error",
}


class UnknownKind(ValueError):
    """No suite can be built for this table kind."""


def suite_kinds() -> list[str]:
    """Table kinds with at least one column role (the kinds a suite can be built for)."""
    return [s.kind for s in load_schemas() if column_roles(s)]


def _schema(kind: str) -> Schema:
    schema = schema_for(kind)
    if schema is None:
        raise UnknownKind(f"unknown table kind {kind!r}; known kinds: {', '.join(suite_kinds())}")
    if not column_roles(schema):
        raise UnknownKind(f"{kind} is laid out in rows and names no column roles; "
                          f"kinds with a suite: {', '.join(suite_kinds())}")
    return schema


def sum_relations(schema: Schema) -> list[RelationSpec]:
    """The schema's relations between columns (the row sums)."""
    roles = set(column_roles(schema))
    out = []
    for spec in schema.relations:
        on = spec.on or ("columns" if schema.orientation in ("columns", "auto") else "rows")
        if on == "columns" and spec.whole in roles and all(p in roles for p in spec.parts):
            out.append(spec)
    return out


def required_columns(schema: Schema) -> list[str]:
    """The whole and the required parts of the kind's first (headline) relation."""
    relations = sum_relations(schema)
    if not relations:
        return []
    first = relations[0]
    return [first.whole, *[p for p in first.parts if p not in first.optional]]


def build_suite(kind: str, *, layout: str = "release", per_value_tolerance: float = 0.0,
                tolerance: float = 0.0, columns: list[str] | None = None, name: str | None = None) -> Any:
    """The GX ExpectationSuite of one table kind (see the module doc for the layouts).

    `columns` (release layout) lists the role columns the release prints, when not all of them:
    per-column expectations (non-negative) are only made for those, since GX fails a column
    expectation on an absent column. Row sums need no list: absent optional parts count 0 and a
    relation without its columns is not applicable.
    """
    if layout not in ("release", "batch"):
        raise ValueError(f"layout must be 'release' or 'batch', not {layout!r}")
    schema = _schema(kind)
    roles = column_roles(schema)
    if columns is not None:
        unknown = [c for c in columns if c not in roles]
        if unknown:
            raise UnknownKind(f"{kind} has no role {', '.join(unknown)}; its roles: {', '.join(roles)}")
        roles = [r for r in roles if r in columns]
    gx = require_gx()
    from auditor.gx.expectations import ExpectMulticolumnSumToEqualWithTolerance

    batch = layout == "batch"
    expectations: list[Any] = []

    def add(expectation_cls: Any, rule: str, **kwargs: Any) -> None:
        meta = {"auditor_rule": rule, "kind": kind, **kwargs.pop("meta", {})}
        expectations.append(expectation_cls(severity=GX_SEVERITY[RULE_SEVERITY[rule]], meta=meta, **kwargs))

    ex = gx.expectations
    for role in required_columns(schema):
        add(ex.ExpectColumnToExist, "schema.required_column", column=role, meta={"role": role})
        if batch:  # NaN only where a table does not print the column (blank cells are 0)
            add(ex.ExpectColumnValuesToNotBeNull, "schema.required_column", column=role, meta={"role": role})
    add(ex.ExpectColumnValuesToMatchRegex, "schema.code_format", column="code", regex=CODE_PATTERN)
    if batch:
        add(ex.ExpectColumnValuesToMatchRegex, "schema.code_format", column="alt_code", regex=CODE_PATTERN)
    for role in roles:
        if role not in NON_NEGATIVE_EXEMPT:
            add(ex.ExpectColumnValuesToBeBetween, "schema.non_negative", column=role, min_value=0,
                meta={"role": role})
    if kind not in UNIQUE_EXEMPT_KINDS and batch:
        add(ex.ExpectCompoundColumnsToBeUnique, "schema.unique_key",
            column_list=list(BATCH_KEYS), ignore_row_if="any_value_is_missing")
    elif kind in RELEASE_KEYS:
        add(ex.ExpectCompoundColumnsToBeUnique, "schema.unique_key",
            column_list=list(RELEASE_KEYS[kind]), ignore_row_if="any_value_is_missing")
    elif kind not in UNIQUE_EXEMPT_KINDS:  # rows without a code (合计, 单位) are missing values: skipped
        add(ex.ExpectColumnValuesToBeUnique, "schema.unique_key", column="code")
    for spec in sum_relations(schema):
        add(ExpectMulticolumnSumToEqualWithTolerance, "schema.row_sum",
            total=spec.whole, parts=list(spec.parts), optional_parts=sorted(spec.optional),
            tolerance=tolerance, per_value_tolerance=per_value_tolerance,
            per_value_tolerance_column=ROUNDING if batch else None,
            meta={"relation": spec.text})
    # Built without a data context: the suite is added to one (or exported) by the caller.
    return gx.ExpectationSuite(
        name=name or f"auditor.{kind}",
        expectations=expectations,
        meta={"auditor": {"kind": kind, "layout": layout, "version": __version__,
                          "schema_source": schema.source}},
    )


def suite_json(kind: str, **kwargs: Any) -> dict[str, Any]:
    """The suite as a JSON-ready dict, without the random ids GX gives (stable output)."""
    data = build_suite(kind, **kwargs).to_json_dict()
    data.pop("id", None)
    for expectation in data.get("expectations", []):
        expectation.pop("id", None)
    return data


def load_suite(data: dict[str, Any]) -> Any:
    """An ExpectationSuite from exported JSON (registers auditor's custom expectation first).

    Raises ValueError when an expectation could not be loaded (GX itself only logs and drops it).
    """
    gx = require_gx()
    import auditor.gx.expectations  # noqa: F401 - registers the custom expectation

    suite = gx.ExpectationSuite(**data)
    if len(suite.expectations) != len(data.get("expectations", [])):
        raise ValueError(f"suite {data.get('name')!r}: {len(data.get('expectations', [])) - len(suite.expectations)} "
                         "expectation(s) could not be loaded")
    return suite
