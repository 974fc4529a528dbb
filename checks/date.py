"""Date suite: the fiscal year a report is about must be the year its text and titles use.

Each report (Section) takes its fiscal year from its title. Years in the body are legitimately
different in many places (comparisons with 上年, policy documents, history such as 创刊于1985年, a
budget's 截至 previous year-end, the signing date early in the next year), so the rule does not
flag every other year: it flags the places where the text states *this report's* period with a
different year (DOMAIN §5 class 11, rule idea C35). The year statements are read by
auditor/read/dates.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, Paragraph, ReadDocument
from auditor.read.dates import HEADING, OWN_PERIOD, PERIOD_END, SIGNING, paragraph_years, title_years
from checks._scope import Scope, scopes, section_kind

# reports on a year that has ended (a budget is written before its year)
FINISHED = ("self_eval", "evaluation", "final_accounts")


@rule(
    "date.year_mismatch",
    severity="error",
    applies_to="all",
)
def year_mismatch(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Per report, the fiscal year Y from its title against the places that state the report's own
    period, in four places.

    * a period end "截至/截止 X年12月31日 (年底)" saying the work was done (完成, 支付, 执行…): X
      must be Y in a self-evaluation, evaluation or final account; a budget may cite the previous
      year-end (X = Y−1); plans (预计, 计划, 力争…) are not checked;
    * "X年度项目预算资金 / 绩效目标 / 预算执行" in a self-evaluation or evaluation, unless it is a
      comparison (与…相比, 上年, 同比…);
    * a heading or table title ("2022年部门收支总体情况表") with a year other than Y (a budget's
      part on last year's outcome, "2023年预算执行情况" / "2023年决算情况", may name Y−1);
    * the signing date (a line holding only a date, or "报告日期：…"): Y or Y+1 for reports on a finished year (a
      self-evaluation is signed early in the next year), Y−1 or Y for budgets and target tables.

    Years in comparisons, policy document numbers (郑财绩〔2021〕9号), history (创刊于1985年,
    2014年增加) and plans are left alone.

    Why it matters: a stale year copied from last year's report makes the reader doubt every
    figure beside it, and a "completed by the end of last year" claim misstates the period.
    """
    for scope in scopes(read):
        year = scope.section.year
        if year is None:
            if scope.paragraphs:
                ctx.insufficient()
            continue
        kind = section_kind(read, scope.section)
        seen: Counter[str] = Counter()
        for p in scope.paragraphs:
            for item in _paragraph_years(p, year, kind):
                ctx.check()
                if item is None:
                    continue
                variant, text, found, start, severity = item
                snippet = "".join(text.split())
                seen[snippet] += 1
                line = p.line_at(start)
                yield ctx.finding(
                    ctx.location(line), severity=severity,
                    args={"section": scope.name, "year": year, "text": text.strip(), "found": found},
                    variant=variant, expected=str(year), actual=str(found),
                    evidence=[ctx.evidence(line, text.strip())],
                    key=f"{scope.name}|{snippet}|{seen[snippet]}",
                )
        yield from _table_titles(read, ctx, scope, year)


def _paragraph_years(p: Paragraph, year: int, kind: str):
    """(variant: the kind of place, text, found year, offset, severity) for each mismatch; None for
    each place checked that agrees. A heading is the default variant."""
    finished = kind in FINISHED
    for m in paragraph_years(p):
        found = m.year
        if m.form == SIGNING:
            allowed = {year, year + 1} if finished else {year - 1, year}
            yield None if found in allowed else ("signing_date", m.text, found, 0, "warning")
        elif m.form == HEADING:
            if m.compare:
                continue
            yield None if found in _heading_years(year, finished, m.outcome) else ("", m.text, found, m.offset, None)
        elif m.form == PERIOD_END:
            if m.plan:
                continue
            if finished:
                if not m.done:
                    continue
                allowed = {year}
            else:
                allowed = {year - 1, year}
            yield None if found in allowed else ("period_end", m.text, found, m.offset, None)
        elif m.form == OWN_PERIOD and finished:
            if found != year and m.compare:
                continue
            yield None if found == year else ("own_period", m.text, found, m.offset, None)


def _heading_years(year: int, finished: bool, outcome: bool) -> set[int]:
    """The years a heading or table title of a report on year Y may name: Y, and in a budget also
    Y−1 for a part about last year's outcome ("2023年财政预算执行情况" in a 2024 budget report)."""
    return {year - 1, year} if outcome and not finished else {year}


def _table_titles(read: ReadDocument, ctx: RuleContext, scope: Scope, year: int) -> Iterator[Finding]:
    section = scope.section
    for table in read.tables:
        if not (section.first_line <= table.first_line <= section.last_line) or not table.title:
            continue
        finished = section_kind(read, section) in FINISHED
        for m in title_years(table.title):
            found = m.year
            if m.compare:
                continue
            ctx.check()
            if found in _heading_years(year, finished, m.outcome):
                continue
            yield ctx.finding(
                ctx.location(table.first_line, table=table.title),
                args={"section": scope.name, "year": year, "text": table.title, "found": found},
                variant="table_title", expected=str(year), actual=str(found),
                evidence=[ctx.evidence(table.first_line, table.title)],
                key=f"{scope.name}|table|{table.title}",
            )
