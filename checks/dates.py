"""Date suite: the fiscal year a report is about must be the year its text and titles use.

Each report (Section) takes its fiscal year from its title. Years in the body are legitimately
different in many places (comparisons with 上年, policy documents, history such as 创刊于1985年, a
budget's 截至 previous year-end, the signing date early in the next year), so the rule does not
flag every other year: it flags the places where the text states *this report's* period with a
different year (DOMAIN §5 class 11, rule idea C35).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from auditor.engine import RuleContext, rule
from auditor.model import Finding, Paragraph, ReadDocument
from checks._scope import Scope, scopes, section_kind

_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年"
# the period end of the report: 截至 2023 年 12 月 31 日 / 2023年底 / 年末
_PERIOD_END = re.compile(
    rf"(?:截止到|截至到|截止|截至|直至|至|到|止|于)\s*{_YEAR}\s*(?:度\s*)?"
    r"(?:12\s*月\s*31\s*日|12\s*月\s*(?:底|末)|底|末)"
)
_DONE = re.compile(r"完成|完毕|支付|执行|到位|使用|实现|达到|达成|结束")
_PLAN = re.compile(r"预计|计划|将|拟|力争|争取|预期|目标为|确保|规划")
_COMPARE = re.compile(r"上年|去年|上一年|同期|同比|相比|比较|对比|较|比|与|持平|增长|下降|增加|减少")
# the report's own year used for its money or targets: "2022年度项目预算资金", "2022年绩效目标"
_OWN_PERIOD = re.compile(rf"{_YEAR}\s*(?:度)?\s*(?:项目)?\s*(?:预算资金|项目资金|资金预算|绩效目标|预算执行|资金到位|自评)")
_HEADING_WORDS = re.compile(r"报告|表$|情况表|情况|说明|预算|决算|自评|绩效目标")
_DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_RANGE_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]\s*$")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a match (between 。；！？ or line ends)."""
    left = max(text.rfind(ch, 0, start) for ch in "。；！？\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；！？\n") if i >= 0]
    return text[left: min(rights) if rights else len(text)]


def _clause_before(text: str, start: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；！？，,、\n") + 1
    return text[left:start]


@rule(
    "date.year_mismatch",
    severity="error",
    applies_to="all",
    title_zh="年份与报告年度不符",
    title_en="Year does not match the report's fiscal year",
    message_zh="{section}（{year} 年度）：{where}写作「{text}」，年份 {found} 与报告年度不符。",
    message_en="{section} (fiscal {year}): {where_en} says “{text}”; the year {found} is not the report's year.",
)
def year_mismatch(read: ReadDocument, ctx: RuleContext) -> Iterator[Finding]:
    """Per report, the fiscal year Y from its title against the places that state the report's own
    period, in four places.

    * a period end "截至/截止 X年12月31日 (年底)" saying the work was done (完成, 支付, 执行…): X
      must be Y in a self-evaluation, evaluation or final account; a budget may cite the previous
      year-end (X = Y−1); plans (预计, 计划, 力争…) are not checked;
    * "X年度项目预算资金 / 绩效目标 / 预算执行" in a self-evaluation or evaluation, unless it is a
      comparison (与…相比, 上年, 同比…);
    * a heading or table title ("2022年部门收支总体情况表") with a year other than Y;
    * the signing date (a line holding only a date): Y or Y+1 for reports on a finished year (a
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
                where, where_en, text, found, start, severity = item
                snippet = re.sub(r"\s+", "", text)
                seen[snippet] += 1
                line = p.line_at(start)
                yield ctx.finding(
                    ctx.location(line), severity=severity,
                    args={"section": scope.name, "year": year, "where": where, "where_en": where_en,
                          "text": text.strip(), "found": found},
                    expected=str(year), actual=str(found),
                    evidence=[ctx.evidence(line, text.strip())],
                    key=f"{scope.name}|{snippet}|{seen[snippet]}",
                )
        yield from _table_titles(read, ctx, scope, year)


def _paragraph_years(p: Paragraph, year: int, kind: str):
    """(where, where_en, text, found year, offset, severity) for each mismatch; None for each place
    checked that agrees."""
    text = p.text
    finished = kind in ("self_eval", "evaluation", "final_accounts")
    # the signing date
    date = _DATE_LINE.match(text)
    if date:
        found = int(date.group(1))
        allowed = {year, year + 1} if finished else {year - 1, year}
        yield None if found in allowed else ("落款日期", "the signing date", text, found, 0, "warning")
        return
    # a heading or title line
    if len(p.lines) == 1 and len(text) <= 60 and not re.search(r"[，。；,;]", text) and _HEADING_WORDS.search(text):
        for m in re.finditer(_YEAR, text):
            if _RANGE_BEFORE.search(text[: m.start()]) or re.match(r"\s*[-—–~～至到]", text[m.end():]):
                continue
            found = int(m.group(1))
            if _COMPARE.search(text):
                continue
            yield None if found == year else ("标题", "a heading", text, found, m.start(), None)
        return
    for m in _PERIOD_END.finditer(text):
        found = int(m.group(1))
        sentence = _sentence(text, m.start(), m.end())
        if _PLAN.search(sentence):
            continue
        if finished:
            if not _DONE.search(sentence):
                continue
            allowed = {year}
        else:
            allowed = {year - 1, year}
        yield None if found in allowed else ("期末时点", "the period end", sentence, found, m.start(), None)
    if finished:
        for m in _OWN_PERIOD.finditer(text):
            found = int(m.group(1))
            clause = _sentence(text, m.start(), m.end())
            if found != year and _COMPARE.search(clause):
                continue
            yield None if found == year else ("本年度资金或目标", "the report's own money or targets",
                                              clause, found, m.start(), None)


def _table_titles(read: ReadDocument, ctx: RuleContext, scope: Scope, year: int) -> Iterator[Finding]:
    section = scope.section
    for table in read.tables:
        if not (section.first_line <= table.first_line <= section.last_line) or not table.title:
            continue
        for m in re.finditer(_YEAR, table.title):
            found = int(m.group(1))
            if _COMPARE.search(table.title) or _RANGE_BEFORE.search(table.title[: m.start()]):
                continue
            ctx.check()
            if found == year:
                continue
            yield ctx.finding(
                ctx.location(table.first_line, table=table.title),
                args={"section": scope.name, "year": year, "where": "表格标题", "where_en": "a table title",
                      "text": table.title, "found": found},
                expected=str(year), actual=str(found), evidence=[ctx.evidence(table.first_line, table.title)],
                key=f"{scope.name}|table|{table.title}",
            )
