"""narrative.grand_totals: the 收入总计 and 支出总计 a text states for one scope are one amount."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, ReadDocument
from auditor.read.observations import Observation, in_every_language, scope_name
from checks._agree import evidence, printed_text, show_value

INCOME, EXPENSE = "income.grand_total", "expense.grand_total"


@rule(
    "narrative.grand_totals",
    severity="warning",
    applies_to="prose",
)
def grand_totals(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """When one paragraph states both the 收入总计 and the 支出总计 of one scope (the whole
    department, or its 财政拨款), the two must be equal within their printed precision: a
    收支总表 balances by construction (收入总计 = 本年收入 + 结转结余 used, 支出总计 = 本年支出 +
    结转结余 left). Two different 总计 are almost always the year's income and expenditure printed
    under the 总计 label, or one mistyped amount. A warning: the text does not say which.

    Why it matters: readers take 总计 as the size of the budget; two unequal 总计 in one sentence
    make the headline figure ambiguous, and usually mean a label or a number was copied wrong.
    """
    pairs: dict[tuple[int, str], dict[str, Observation]] = {}
    for obs in read.observations:
        if obs.source == "prose" and obs.concept in (INCOME, EXPENSE):
            pairs.setdefault((_paragraph(read, obs.line), obs.scope), {}).setdefault(obs.concept, obs)
    for (_, scope), found in pairs.items():
        if len(found) < 2:
            continue
        income, expense = found[INCOME], found[EXPENSE]
        ctx.check()
        if income.interval().meets(expense.interval()):
            continue
        yield _finding(ctx, income, expense, scope)


def _paragraph(read: ReadDocument, line: int) -> int:
    """The index of the paragraph holding `line` (-1 when none does)."""
    for index, paragraph in enumerate(read.paragraphs):
        if line in paragraph.lines:
            return index
    return -1


def _finding(ctx: RuleContext, income: Observation, expense: Observation, scope: str) -> Finding:
    income_text, expense_text = printed_text(income), printed_text(expense)
    gap = expense.interval().mid - income.interval().mid
    difference = ("-" if gap < 0 else "") + show_value(abs(gap), expense)
    return ctx.finding(
        ctx.location(expense.line, row=expense.label),
        args={"income_label": income.label, "income": income_text, "expense_label": expense.label,
              "expense": expense_text, "scope": in_every_language(lambda lang: scope_name(scope or "all", lang))},
        expected=income_text, actual=expense_text, difference=difference,
        evidence=evidence(ctx, expense, [income]),
        key=f"grand_totals|{scope}|{income_text}|{expense_text}",
        gap=abs(gap), confidence=0.8,
    )
