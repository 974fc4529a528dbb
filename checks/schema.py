"""Schema suite: the table-kind expectation suite of Great Expectations, as auditor findings.

These rules run only with `auditor check --gx` (the optional `gx` extra): after reading, the
recognised tables of each kind across all documents are validated once, as one batch, against
the suite `auditor.gx.suites` builds from `checks/catalog/tables/<kind>.yaml`, and
`auditor.gx.runner` turns each failed expectation back into findings at the source line, with
the builders below. On their own (a document at a time, without GX) the rule functions yield
nothing and their outcome is `not_applicable`: the registration gives them ids, titles,
messages and docs like every other rule (`auditor rules`, `auditor explain`, config, SARIF).

A GX row-sum failure that auditor's own `total.row_sum` also reports is not a second alarm: the
runner marks that finding `confirmed_by: ["auditor", "gx"]` instead of adding a
`schema.row_sum` one; `schema.row_sum` findings are the rows only the suite caught.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from auditor.engine import RuleContext, get_rule, rule
from auditor.model import Finding, ReadDocument, Relation, Table
from checks._sums import evaluate
from checks.total import relation_finding


def _batch_only(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Yields nothing: findings of this rule come from the batch validation (auditor --gx)."""
    return iter(())


def context(rule_id: str, read: ReadDocument) -> RuleContext:
    """A rule context for building one document's findings of a schema rule outside the engine."""
    spec = get_rule(rule_id)
    if spec is None:  # pragma: no cover - the rules below are registered on import
        raise KeyError(rule_id)
    return RuleContext(spec=spec, read=read, catalog=None)


@rule(
    "schema.row_sum",
    severity="error",
    applies_to="batch",
)
def row_sum(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A schema relation of the table kind ("total = basic + project + upper? …") fails in a row,
    as the Great Expectations suite of the kind sees it (ExpectMulticolumnSumToEqualWithTolerance,
    tolerance from printed precision). Runs with `auditor check --gx`.

    When auditor's own `total.row_sum` reports the same printed total, that finding is marked
    confirmed by both engines and no `schema.row_sum` finding is added: this rule reports only
    the rows the suite caught alone (for instance a relation the reader did not emit because the
    table prints a column the schema does not know).
    """
    return _batch_only(read, ctx)


@rule(
    "schema.required_column",
    severity="info",
    applies_to="batch",
)
def required_column(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The columns of the kind's headline identity (合计 = 基本支出 + 项目支出 for expenditure
    tables) must be printed, or the reader must be able to name them. Runs with `--gx`.

    Why it matters: a table whose total or main parts cannot be identified is silently left out
    of the sums; this says so, like `parse.unread` does for rows.
    """
    return _batch_only(read, ctx)


@rule(
    "schema.code_format",
    severity="warning",
    applies_to="batch",
)
def code_format(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A function or economic classification code is 3 digits (类), 5 (款) or 7 (项); anything
    else is a typo or a merged cell. Runs with `--gx`.

    Why it matters: a malformed code breaks the roll-up from 项 to 款 to 类 and the comparison with
    other tables that print the same code.
    """
    return _batch_only(read, ctx)


@rule(
    "schema.non_negative",
    severity="warning",
    applies_to="batch",
)
def non_negative(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Budget and expenditure amounts are never negative (a carry-over, 上年结转, may be, and is
    exempt). Runs with `--gx`.

    Why it matters: a minus sign in a budget table is almost always a keying error, and it makes
    every total it enters wrong by twice the amount.
    """
    return _batch_only(read, ctx)


@rule(
    "schema.unique_key",
    severity="warning",
    applies_to="batch",
)
def unique_key(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A classification code appears once per table (per 单位 block in multi-unit tables). Runs
    with `--gx`.

    Why it matters: a repeated line is counted twice by every reader of the table, and its
    amount is in the column totals once.
    """
    return _batch_only(read, ctx)


# --------------------------------------------------------------------------- builders (used by auditor.gx.runner)


def row_sum_finding(read: ReadDocument, table: Table, row: int, whole: int, parts: Sequence[int],
                    relation: str) -> Finding | None:
    """The schema.row_sum finding of one row: the relation evaluated exactly (Decimal intervals),
    worded like total.row_sum. None when the cells do not exist."""
    ctx = context("schema.row_sum", read)
    ev = evaluate(table, Relation((row, whole), [(row, p) for p in parts], "row",
                                  f"{table.rows[row].label}: {relation}", "schema"))
    if ev is None:
        return None
    finding = relation_finding(ctx, table, ev)
    if ev.holds:  # GX (floats) and auditor (intervals) disagree: keep it, trust it less
        finding.confidence *= 0.5
    return finding


def required_column_finding(read: ReadDocument, table: Table, role: str) -> Finding:
    ctx = context("schema.required_column", read)
    return ctx.finding(
        ctx.location(table.first_line, table=table.name, column=role),
        args={"table": table.name, "role": role, "kind": table.kind},
        evidence=[ctx.evidence(line) for line in (table.header_lines or [table.first_line])[:3]],
        key=f"{table.kind}|{table.title}|{role}|missing",
        confidence=table.confidence,
    )


def code_format_finding(read: ReadDocument, table: Table, row: int, column: str, code: str) -> Finding:
    ctx = context("schema.code_format", read)
    source = table.rows[row]
    name = "科目编码" if column == "code" else "政府预算经济分类编码"
    return ctx.finding(
        ctx.location(source.line, table=table.name, row=source.label or code, column=name),
        args={"table": table.name, "row": source.label or code, "column": name, "code": code},
        actual=code, evidence=[ctx.evidence(source.line, code)],
        key=f"{table.kind}|{table.title}|{column}|{code}|{source.label}",
        confidence=table.confidence,
    )


def non_negative_finding(read: ReadDocument, table: Table, row: int, column: int) -> Finding | None:
    ctx = context("schema.non_negative", read)
    source = table.rows[row]
    number = source.value(column)
    if number is None:
        return None
    column_name = next((c.name for c in table.columns if c.index == column), str(column))
    row_name = source.label or source.code
    return ctx.finding(
        ctx.location(source.line, table=table.name, row=row_name, column=column_name, cell=source.address or None),
        args={"table": table.name, "row": row_name, "column": column_name, "actual": number.text},
        actual=number.text, evidence=[ctx.evidence(source.line, number.text)],
        key=f"{table.kind}|{table.title}|{source.code} {source.label}|{column_name}|negative",
        confidence=table.confidence,
    )


def unique_key_finding(read: ReadDocument, table: Table, rows: Sequence[int], code: str = "") -> Finding:
    ctx = context("schema.unique_key", read)
    first = table.rows[rows[0]]
    code = code or first.code
    lines = [table.rows[r].line for r in rows]
    return ctx.finding(
        ctx.location(lines[1] if len(lines) > 1 else lines[0], table=table.name, row=first.label or first.code,
                     column="科目编码"),
        args={"table": table.name, "code": code, "count": len(rows),
              "lines": [str(line) for line in lines]},
        actual=code, evidence=[ctx.evidence(line, first.code) for line in lines[:8]],
        key=f"{table.kind}|{table.title}|{code}|duplicate",
        confidence=table.confidence,
    )
