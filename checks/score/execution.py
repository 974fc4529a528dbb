"""Budget execution in self-evaluation and evaluation reports (DOMAIN §4.1, rule idea E52).

The execution rate (预算执行率) drives the execution points (usually 10 分, or 4 分 in an
evaluation's 资金管理). `score.execution_points` checks that the points match the rate; that the
printed copies of the rate agree is `rate.same_metric` (checks/rate/execution.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.numbers import format_decimal
from auditor.read.rates import scores_execution
from checks._execution import execution_rates, section_of


def _execution_points(read: ReadDocument) -> Iterator[tuple[str, Decimal, Decimal, int, str]]:
    """(name, weight, score, line, section) of the rows that score budget execution."""
    for sheet in read.score_sheets:
        for row in sheet.rows:
            if row.weight is not None and row.score is not None and scores_execution(row.name):
                yield row.name, row.weight, row.score, row.line, section_of(read, row.line)
    for indicator_set in read.indicator_sets:
        for ind in indicator_set.indicators:
            if ind.weight is not None and ind.score is not None and scores_execution(ind.name):
                yield ind.name, ind.weight, ind.score, ind.line, section_of(read, ind.line)


@rule(
    "score.execution_points",
    severity="info",
    applies_to="self_eval",
)
def execution_points(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The points for budget execution follow the execution rate: commonly 分值 × min(执行率, 100%)
    (4 分 at 97.03% gives about 3.9). Full marks with a rate
    below 100%, or points more than a tenth of the weight below the proportional score, are
    reported; the rounding of the printed score is allowed for. Provinces also score execution by
    bands (the method is not uniform), so this is a remark (info), not a warning.

    Why it matters: execution points are the one score a reader can recompute; a mismatch means
    the score sheet was not derived from the reported figures.
    """
    rates = execution_rates(read)
    for name, weight, score, line, section in _execution_points(read):
        found = rates.get(section) or (next(iter(rates.values())) if len(rates) == 1 else None)
        if not found:
            ctx.insufficient()
            continue
        rate = found[0][0]
        ctx.check()
        fraction = min(rate.value / 100, Decimal(1))
        expected = weight * fraction
        # The printed score carries half a unit of its last digit; scores are printed to 0.1 at most.
        slack = Decimal("0.05") + weight * Decimal(rate.half_ulp) / 100
        too_high = score > expected + slack
        too_low = score < expected - max(weight / 10, slack)
        if not (too_high or too_low):
            continue
        yield ctx.finding(
            ctx.location(line, row=name, column="得分"),
            args={"section": section or read.path, "name": name, "score": format_decimal(score, 1),
                  "weight": format_decimal(weight, 0 if weight == weight.to_integral() else 1),
                  "rate": rate.text, "expected": format_decimal(expected, 2)},
            expected=format_decimal(expected, 2), actual=format_decimal(score, 1),
            evidence=[ctx.evidence(line, format_decimal(score, 1)), ctx.evidence(found[0][1], rate.text)],
            key=f"{section}|{name}",
        )
