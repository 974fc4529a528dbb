"""narrative.running_costs: 机关运行经费 is part of 公用经费, so it cannot be larger."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.read.observations import Observation
from checks._agree import evidence, places, printed_text, show_value

RUNNING = "jiguan.running"
PUBLIC = "expense.basic.public"


@rule(
    "narrative.running_costs",
    severity="warning",
    applies_to="prose",
)
def running_costs(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """The 机关运行经费 a disclosure states (运行经费安排, 机关运行经费支出) is the part of the basic
    公用经费 that keeps the offices running, so it is at most the 公用经费 the same document prints,
    in its text or its tables. Compared with the largest 公用经费 printed, as intervals at printed
    precision: the rule fires only when no printed 公用经费 can hold it. A warning, not an error: a
    document may state the running costs of a wider scope than any 公用经费 it prints.

    Why it matters: 机关运行经费 has its own section in department budgets and final accounts, and
    readers compare it year on year; one larger than the 公用经费 it belongs to means one of the
    two is wrong, or a unit slip (万元 for 元).
    """
    running = [o for o in read.observations if o.concept == RUNNING and o.source == "prose"]
    public = [o for o in read.observations if o.concept == PUBLIC and o.bound == "equal"]
    if not running:
        return
    if not public:
        ctx.insufficient()
        return
    widest = max(public, key=lambda o: o.interval().hi)
    reference = [o for o in public if o.interval().hi == widest.interval().hi]
    for stated in running:
        ctx.check()
        iv = stated.interval()
        if iv.lo <= widest.interval().hi:
            continue
        yield _finding(ctx, read, stated, reference, iv.lo - widest.interval().hi)


def _finding(ctx: RuleContext, read: ReadDocument, stated: Observation, reference: list[Observation],
             sure_excess: Decimal) -> Finding:
    """`sure_excess`: by how much the running costs exceed the 公用经费 at the least (in 元)."""
    public = reference[0]
    actual, limit = printed_text(stated), printed_text(public)
    difference = show_value(stated.interval().mid - public.interval().mid, stated)
    return ctx.finding(
        ctx.location(stated.line, row=stated.label),
        args={"label": stated.label, "actual": actual, "public": limit,
              "where": places(reference, ctx.catalog, read.year)},
        expected=f"≤ {limit}", actual=actual, difference=difference,
        evidence=evidence(ctx, stated, reference),
        key=f"running_costs|{stated.line}|{actual}",
        gap=sure_excess,
    )
