"""Totals suite: every printed total must equal its printed parts, within printed precision.

The table reader supplies each table's sum relations (from the catalog schema of its kind, or
inferred from 合计/小计 labels and the code hierarchy); these rules evaluate them as interval
sums (DESIGN §6), so rounding never raises an alarm (a whole-元 cell is ±0.5 元). A failed sum is
an error only when the reader knows the table's kind or the relation comes from its schema, and
its printed difference is not zero; otherwise it is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument, Table
from checks._sums import CellRef, Evaluation, evaluate, render, repair_values, uses_separators


def _parts_args(ev: Evaluation, limit: int = 6) -> tuple[dict[str, object], str]:
    """The parts' names as the message lists them (at most `limit`, joined with "、" in every
    language, as the table prints them) and the variant: `many_parts` (with their count) when
    more are left out."""
    names = [p.column_name if ev.relation.kind == "row" else (p.row.code or p.row.label) for p in ev.parts]
    if len(names) > limit:
        return {"parts": "、".join(names[:limit]), "count": len(names)}, "many_parts"
    return {"parts": "、".join(names)}, ""


def _relation_args(table: Table, ev: Evaluation, row_name: str, expected: str,
                   difference: str) -> tuple[dict[str, object], str]:
    """The arguments and variant of a failed relation's message. Each relation kind is one rule's
    (schema.row_sum words a row like total.row_sum), so the kind says what its template shows."""
    whole = ev.whole
    args: dict[str, object] = {"table": table.name, "row": row_name, "actual": whole.printed, "expected": expected}
    kind = ev.relation.kind
    args["column"] = whole.column_name
    if kind == "subitem":  # a part larger than its whole: no difference is worded
        parts, variant = _parts_args(ev)
        return {**args, **parts}, variant
    args["difference"] = difference
    if kind == "row":
        parts, variant = _parts_args(ev)
        return {**args, **parts}, variant
    if kind == "code":
        return {**args, "code": whole.row.code}, ""
    return {**args, "count": len(ev.parts)}, ""  # a column: its count of detail rows


def _address(ref: CellRef) -> str:
    """The spreadsheet address of the cell (spreadsheet input), else the row's."""
    cell = ref.row.cell(ref.column)
    return (cell.address if cell else "") or ref.row.address


def relation_finding(ctx: RuleContext, table: Table, ev: Evaluation) -> Finding:
    unit = table.unit or "元"
    thousands = uses_separators(table)
    whole = ev.whole
    if ev.relation.kind == "subitem" and len(ev.parts) == 1:
        expected = ev.parts[0].printed  # the part as printed: the whole's precision may be coarser
    else:
        expected = render(ev.parts_interval.mid, whole.number, unit, thousands)
    gap_value = ev.whole_interval.mid - ev.parts_interval.mid
    difference = render(abs(gap_value), whole.number, unit, thousands)
    if gap_value < 0:
        difference = "-" + difference
    evidence_lines = [whole.line] + [p.line for p in ev.parts if p.line != whole.line]
    seen: set[int] = set()
    evidence = []
    for line in evidence_lines:
        if line in seen:
            continue
        seen.add(line)
        value = whole.printed if line == whole.line else None
        evidence.append(ctx.evidence(line, value))
        if len(evidence) >= 40:  # a column can be long; the wrong row must be among the evidence
            break
    confidence = table.confidence * (0.85 if whole.row.aligned or any(p.row.aligned for p in ev.parts) else 1.0)
    severity = None
    if table.kind == "generic" and ev.relation.source != "schema":
        # no error without a sure structure: a table of unknown kind, whose 合计 the reader only
        # inferred from its labels, may not be a sum of those rows at all
        severity = "warning"
    row_name = whole.row.label or whole.row.code
    args, variant = _relation_args(table, ev, row_name, expected, difference)
    cells = [f"{table.name}|{whole.key}"] + [f"{table.name}|{p.key}" for p in ev.parts]
    candidates = {f"{table.name}|{k}": v for k, v in repair_values(ev, unit, thousands).items()}
    names = {f"{table.name}|{c.key}": f"{table.name} {c.description}" for c in [whole, *ev.parts]}
    return ctx.finding(
        ctx.location(whole.line, table=table.name, row=row_name, column=whole.column_name,
                     cell=_address(whole) or None),
        severity=severity,  # type: ignore[arg-type]
        args=args,
        variant=variant,
        expected=expected,
        actual=whole.printed,
        difference=difference,
        evidence=evidence,
        key=f"{table.kind}|{table.title}|{whole.key}|{ev.relation.label}",
        cells=cells,
        culprit_candidates=candidates,
        cell_names=names,
        gap=ev.gap,
        confidence=confidence,
    )


def _relations(read: ReadDocument, ctx: RuleContext, kind: str) -> Iterator[tuple[Table, Evaluation]]:
    for table in read.tables:
        for relation in table.relations:
            if relation.kind != kind:
                continue
            ev = evaluate(table, relation)
            if ev is None:
                ctx.insufficient()
                continue
            ctx.check()
            if not ev.holds:
                yield table, ev


@rule(
    "total.row_sum",
    severity="error",
    applies_to="table",
)
def row_sums(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A row's total column must equal the sum of its part columns (合计 = 基本支出 + 项目支出;
    基本支出 = 工资福利 + 个人家庭 + 商品服务 + 资本性).

    Why it matters: a row that does not add up means at least one printed amount in that line is
    wrong, and every table that repeats the line inherits the error.
    """
    for table, ev in _relations(read, ctx, "row"):
        yield relation_finding(ctx, table, ev)


@rule(
    "total.column_sum",
    severity="error",
    applies_to="table",
)
def column_sums(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The 合计 row of each value column must equal the sum of the detail (leaf) rows below it. Unit rows
    that merely repeat the 合计 are not counted, nor the part rows of
    a summary table (a "其中" row, the per-fund split printed under 年初财政拨款结转和结余): they
    are parts of the row above them, and a split into several funds must add up to that row.

    Why it matters: the 合计 row is the figure quoted in prose and in other tables; if it does not
    match its rows, either the total or one of the rows is misprinted.
    """
    for table, ev in _relations(read, ctx, "column"):
        yield relation_finding(ctx, table, ev)


@rule(
    "total.code_rollup",
    severity="error",
    applies_to="table",
)
def code_rollups(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Where a table prints several levels of the function or economic classification, each 类
    equals the sum of its 款 and each 款 the sum of its 项.

    Why it matters: a class total that disagrees with its items misstates how much went to a
    whole policy area, which is the figure journalists quote.
    """
    for table, ev in _relations(read, ctx, "code"):
        yield relation_finding(ctx, table, ev)


@rule(
    "total.subitem_exceeds",
    severity="error",
    applies_to="table",
)
def subitems(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """A part introduced by "其中" (of which) can never be larger than the amount it is part of
    (e.g. 其中：财政拨款 ≤ 一般公共预算; 其中财政资金 ≤ 合计; in a summary table, a "其中：财政拨款
    结转和结余" row ≤ the 年初结转和结余 row above it).

    Why it matters: it is arithmetically impossible, so one of the two numbers is wrong.
    """
    for table, ev in _relations(read, ctx, "subitem"):
        yield relation_finding(ctx, table, ev)
