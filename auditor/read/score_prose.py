"""Statements about scores and results in the prose of (self-)evaluation reports.

The score rules (checks/score/sheet.py) compare these statements with the report's score sheet and
indicator tables:

* a declared count of the indicator system ("分解为 18 个三级指标"), with whether it counts the whole
  system or one branch ("该指标下设一个三级指标");
* a claim that every target was met or nothing deviated ("全面完成年度目标", "暂无偏差");
* a budget execution rate ("预算执行率为 96.5%");
* an admission of a shortfall ("延期", "未达到");
* a dimension the report says it did not set ("未设置经济效益指标", "不产生经济效益").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from auditor.read.literal_gate import GatedPattern

_DECLARED = re.compile(r"([0-9]+|[一二三四五六七八九十两]+)\s*个\s*([一二三])\s*级\s*指\s*标")
_LEVELS = {"一": 1, "二": 2, "三": 3}
_BRANCH_WORDS = re.compile(r"下设|该指标|其中|下含")  # a count of one branch, not the whole system
_WHOLE_WORDS = re.compile(r"共|总计|合计|整个|全部")
_CLAIM = re.compile(
    r"全面完成(?:了)?(?:年度|各项|全部|既定|预期)?(?:绩效)?(?:目标|指标)"
    r"|(?:各项|所有|全部)(?:绩效)?(?:目标|指标)(?:任务)?(?:均|全部|都)?已?(?:全面|全部)?完成"
    r"|(?:绩效目标|绩效指标)(?:均|全部|都)?已(?:全面|全部)?完成"
    r"|(?:未|没有|无|不存在)(?:出现|发生)?(?:偏离|偏差)(?:绩效目标|问题|情况)?"
    r"|暂无偏差|均已完成|全部完成(?:绩效)?(?:目标|指标|任务)"
)
_DEVIATION = re.compile(r"偏离|偏差")
_ADMISSION = re.compile(
    r"(?<![无未没不])(?:延期|延迟|滞后|推迟|未达到|未达标|未能完成|尚未完成|未按期|未按时|部分完成|未完成)"
    r"(?!原因|的|情况|指标的|及)"
)
_RATE = re.compile(r"(?:预算|资金|项目经费)?执行率\s*(?:为|达|达到|是|：|:)?\s*(\d+(?:\.\d+)?)\s*%")
_NOT_SET = re.compile(r"(?:未设置?|未设定|没有设置|不产生|未产生|无)\s*(经济效益|社会效益|生态效益|可持续影响|满意度)")
# The scans that most paragraphs fail slowly (an optional group or a number first): gated
_DECLARED_GATED, _ADMISSION_GATED, _RATE_GATED = (GatedPattern(p) for p in (_DECLARED, _ADMISSION, _RATE))

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """"18" -> 18, "十八" -> 18, "二十" -> 20, "四" -> 4 (numbers below 100)."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(text) == 1:
        return _CN_DIGITS[text]
    return None


@dataclass(frozen=True)
class Statement:
    """One statement found in a paragraph: the words that made it and where they start."""

    text: str
    offset: int


@dataclass(frozen=True)
class IndicatorCount(Statement):
    """"18 个三级指标": how many indicators of one level the text says the system has."""

    count: int
    level: int  # 1, 2 or 3
    level_word: str  # 一 / 二 / 三, as printed


@dataclass(frozen=True)
class Claim(Statement):
    """"全面完成年度目标", "暂无偏差": the report says every target was met or nothing deviated."""

    no_deviation: bool  # the claim is about deviation (未偏离, 暂无偏差)


@dataclass(frozen=True)
class ExecutionRate(Statement):
    """"预算执行率为 96.5%"."""

    value: Decimal
    value_text: str  # the number as printed, without %


@dataclass(frozen=True)
class UnsetDimension(Statement):
    """"未设置经济效益指标": a dimension the report says it did not set."""

    dimension: str


def _whole_count(text: str, m: re.Match[str]) -> bool:
    """A count of the whole indicator system ("四个一级指标对应的 10 个二级指标，分解为 18 个三级指标",
    "共 18 个三级指标"), not of one branch ("该指标下设一个三级指标", "项目实施单位下设四个三级指标")."""
    before = text[max(0, m.start() - 8): m.start()]
    if _BRANCH_WORDS.search(before):
        return False
    if _WHOLE_WORDS.search(before):
        return True
    left = max(text.rfind(ch, 0, m.start()) for ch in "。；\n") + 1
    rights = [i for i in (text.find(ch, m.end()) for ch in "。；\n") if i >= 0]
    sentence = text[left: min(rights) if rights else len(text)]
    return len(_DECLARED.findall(sentence)) >= 2


def whole_indicator_counts(text: str) -> list[IndicatorCount]:
    """The counts of the whole indicator system a paragraph declares (branch counts and counts in
    words that are not numbers left out)."""
    out: list[IndicatorCount] = []
    for m in _DECLARED_GATED.finditer(text):
        count = cn_number(m.group(1))
        if count is None or not _whole_count(text, m):
            continue
        out.append(IndicatorCount(m.group(0), m.start(), count, _LEVELS[m.group(2)], m.group(2)))
    return out


def claims(text: str) -> list[Claim]:
    """Claims that every target was met or that nothing deviated."""
    return [Claim(m.group(0), m.start(), _DEVIATION.search(m.group(0)) is not None) for m in _CLAIM.finditer(text)]


def execution_rates(text: str) -> list[ExecutionRate]:
    """Budget execution rates stated in percent."""
    return [ExecutionRate(m.group(0), m.start(), Decimal(m.group(1)), m.group(1)) for m in _RATE_GATED.finditer(text)]


def admissions(text: str) -> list[Statement]:
    """Admissions of a shortfall (延期, 未达到, 部分完成 …), negated ones (无延期) and headings of the
    reasons section (未完成原因) left out."""
    return [Statement(m.group(0), m.start()) for m in _ADMISSION_GATED.finditer(text)]


def unset_dimensions(text: str) -> list[UnsetDimension]:
    """Dimensions the text says were not set or do not arise (未设置经济效益指标, 不产生经济效益)."""
    return [UnsetDimension(m.group(0), m.start(), m.group(1)) for m in _NOT_SET.finditer(text)]
