"""Years and dates that state a report's own period, read from prose, headings and table titles.

The date rule (checks/date.py) compares each statement's year with the fiscal year of its report.
This reader finds the four forms and records, for each, the words around it that decide whether it
is a statement about the period at all: a comparison (上年, 同比, 与…相比), a plan (预计, 计划, 力争…)
or work done (完成, 支付, 执行…).

* the signing date: a line holding only a date ("2024年1月15日", "报告日期：2024年1月15日");
* a heading or title line ("2022年部门收支总体情况表"), years that open or close a range excluded;
* a period end: "截至 2023 年 12 月 31 日 / 2023年底 / 年末", with the sentence around it;
* the report's own money or targets: "2022年度项目预算资金 / 绩效目标 / 预算执行 / 自评".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import Paragraph

_YEAR = r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年"
_YEAR_RE = re.compile(_YEAR)
_PERIOD_END = re.compile(
    rf"(?:截止到|截至到|截止|截至|直至|至|到|止|于)\s*{_YEAR}\s*(?:度\s*)?"
    r"(?:12\s*月\s*31\s*日|12\s*月\s*(?:底|末)|底|末)"
)
_DONE = re.compile(r"完成|完毕|支付|执行|到位|使用|实现|达到|达成|结束")
_PLAN = re.compile(r"预计|计划|将|拟|力争|争取|预期|目标为|确保|规划")
_COMPARE = re.compile(r"上年|去年|上一年|同期|同比|相比|比较|对比|较|比|与|持平|增长|下降|增加|减少")
_OWN_PERIOD = re.compile(rf"{_YEAR}\s*(?:度)?\s*(?:项目)?\s*(?:预算资金|项目资金|资金预算|绩效目标|预算执行|资金到位|自评)")
_HEADING_WORDS = re.compile(r"报告|表$|情况表|情况|说明|预算|决算|自评|绩效目标")
_CLAUSE_MARK = re.compile(r"[，。；,;]")
# a line holding only a date, or a labelled one ("报告日期：2019年06月18日", "填报时间: …")
_DATE_LINE = re.compile(r"^\s*(?:[\u4e00-\u9fff]{0,6}(?:日期|时间)\s*[:：]?\s*)?"
                        r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
# a heading or title about a year's outcome: "2023年财政预算执行情况", "2021年“三公”经费决算情况"
_OUTCOME = re.compile(r"决算|执行情况|执行结果|完成情况|总结|回顾")
_RANGE_BEFORE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]\s*$")
_RANGE_AFTER = re.compile(r"\s*[-—–~～至到]")

SIGNING, HEADING, PERIOD_END, OWN_PERIOD, TITLE = "signing", "heading", "period_end", "own_period", "title"


@dataclass(frozen=True)
class YearMention:
    """One printed year that may state the report's period."""

    form: str  # signing | heading | period_end | own_period | title
    year: int
    offset: int  # where the year's phrase starts in the paragraph text (0 for a title)
    text: str  # the line, sentence or title that states it
    compare: bool = False  # the text compares periods (上年, 同比, 与…相比 …)
    plan: bool = False  # the sentence states a plan (预计, 计划, 力争 …)
    done: bool = False  # the sentence states work done (完成, 支付, 执行 …)
    outcome: bool = False  # a heading or title about a year's outcome (决算, 执行情况, 总结 …)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a match (between 。；！？ or line ends)."""
    left = max(text.rfind(ch, 0, start) for ch in "。；！？\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；！？\n") if i >= 0]
    return text[left: min(rights) if rights else len(text)]


def _is_heading(p: Paragraph) -> bool:
    """A single short line without clause punctuation that names a report, table or section."""
    text = p.text
    return len(p.lines) == 1 and len(text) <= 60 and not _CLAUSE_MARK.search(text) \
        and _HEADING_WORDS.search(text) is not None


def paragraph_years(p: Paragraph) -> list[YearMention]:
    """The year mentions of one paragraph, in reading order: a signing date alone; else a heading's
    years; else the period ends, then the own-period phrases."""
    text = p.text
    date = _DATE_LINE.match(text)
    if date:
        return [YearMention(SIGNING, int(date.group(1)), 0, text)]
    if _is_heading(p):
        compare = _COMPARE.search(text) is not None
        outcome = _OUTCOME.search(text) is not None
        return [YearMention(HEADING, int(m.group(1)), m.start(), text, compare=compare, outcome=outcome)
                for m in _YEAR_RE.finditer(text)
                if not (_RANGE_BEFORE.search(text[: m.start()]) or _RANGE_AFTER.match(text[m.end():]))]
    out: list[YearMention] = []
    for m in _PERIOD_END.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        out.append(YearMention(PERIOD_END, int(m.group(1)), m.start(), sentence,
                               plan=_PLAN.search(sentence) is not None, done=_DONE.search(sentence) is not None))
    for m in _OWN_PERIOD.finditer(text):
        clause = _sentence(text, m.start(), m.end())
        out.append(YearMention(OWN_PERIOD, int(m.group(1)), m.start(), clause,
                               compare=_COMPARE.search(clause) is not None))
    return out


def title_years(title: str) -> list[YearMention]:
    """The years of a table title, a year that closes a range ("2021-2023年") excluded."""
    compare = _COMPARE.search(title) is not None
    outcome = _OUTCOME.search(title) is not None
    return [YearMention(TITLE, int(m.group(1)), m.start(), title, compare=compare, outcome=outcome)
            for m in _YEAR_RE.finditer(title) if not _RANGE_BEFORE.search(title[: m.start()])]
