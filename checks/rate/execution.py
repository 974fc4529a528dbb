"""Budget execution in self-evaluation and evaluation reports (DOMAIN §4.1, rule idea E46).

The execution rate (预算执行率) is printed several times in one report — in the funds statement,
the funds table and the score sheet. `rate.same_metric` checks that the copies agree; the points
the score sheet gives for the rate are checked by `score.execution_points` (checks/score/execution.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.tolerance import interval
from checks._execution import execution_rates


@rule(
    "rate.same_metric",
    severity="warning",
    applies_to="self_eval",
)
def same_metric(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The execution rate of one project, quoted in several places of one report (the funds
    statement, the funds table, the score sheet), must be the same number each time.
    Copies are compared as printed intervals, so 97.0% and 97.03% agree.

    Why it matters: a report that quotes two execution rates has at least one wrong, and the score
    for budget execution depends on it.
    """
    for section, rates in execution_rates(read).items():
        first, first_line = rates[0]
        for number, line in rates[1:]:
            ctx.check()
            if interval(first, base=False).meets(interval(number, base=False)):
                continue
            yield ctx.finding(
                ctx.location(line),
                args={"section": section or read.path, "first": first.text, "first_line": first_line,
                      "actual": number.text, "line": line},
                expected=first.text, actual=number.text,
                evidence=[ctx.evidence(first_line, first.text), ctx.evidence(line, number.text)],
                key=f"{section}|{first.text}|{number.text}",
            )
