"""Grades, grade bands and total scores stated in the prose of (self-)evaluation reports.

The grade rule (checks/score/sheet.py, score.grade_band) compares a stated grade (优/良/中/差, 优秀/
良好/合格…) with the band of the total score, using the bands the report prints ("总分在 90（含）
-100 分为“优”") when it prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from auditor.model import Paragraph
from auditor.read.literal_gate import GatedPattern

_GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中", "一般": "中",
           "差": "差", "较差": "差", "不合格": "差"}
_GRADE_WORDS = "不合格|优秀|良好|中等|合格|较差|优|良|中|差"
_STATED = re.compile(
    rf"(?:等级|评级|档次|评价结果|评定结果|评价结论|自评结果)\s*(?:为|是|评定为|确定为|定为|：|:)\s*[“\"「『]?\s*({_GRADE_WORDS})"
    rf"(?![\u4e00-\u9fff])|评定为\s*[“\"「『]\s*({_GRADE_WORDS})\s*[”\"」』]"
)
# (?<!\d): a band's bound starts a number, so a long digit run is not retried at every digit
# (integ's hostile-input fix of this regex, carried here where the regex now lives)
_BAND_RANGE = re.compile(
    rf"(?<!\d)(\d+(?:\.\d+)?)\s*分?\s*[（(]含[)）]\s*(?:分\s*)?(?:[-—–~～至到]+\s*\d+(?:\.\d+)?\s*分?|(?:分\s*)?以上|及以上)"
    rf"\s*(?:的)?\s*(?:为|是|评为|定为)?\s*[“\"「]?\s*({_GRADE_WORDS})"
)
_SCORE = re.compile(r"(?:总分|总得分|综合得分|评价得分|自评得分|总体得分|最终得分|得分)\s*(?:为|是|：|:|达到?)?\s*"
                    r"(\d+(?:\.\d+)?)\s*分")
# Most paragraphs state no grade and no band: one scan for the patterns' words first
_STATED_GATED, _BAND_RANGE_GATED = GatedPattern(_STATED), GatedPattern(_BAND_RANGE)


@dataclass(frozen=True)
class GradeStatement:
    """"绩效等级为“优”": the grade a report states (normalised to 优 / 良 / 中 / 差)."""

    text: str
    offset: int
    grade: str


@dataclass(frozen=True)
class ScoreStatement:
    """"评价得分为 92.9 分": a total score stated in the prose."""

    text: str
    offset: int
    score: Decimal


def bands(paragraphs: list[Paragraph]) -> list[tuple[Decimal, str]]:
    """The grade bands the paragraphs print, (lower bound, grade), highest first."""
    found: dict[str, Decimal] = {}
    for p in paragraphs:
        for m in _BAND_RANGE_GATED.finditer(p.text):
            found[_GRADES[m.group(2)]] = Decimal(m.group(1))
    return sorted(((low, grade) for grade, low in found.items()), reverse=True)


def stated_grades(text: str) -> list[GradeStatement]:
    """The grades a paragraph states."""
    return [GradeStatement(m.group(0), m.start(), _GRADES[m.group(1) or m.group(2)]) for m in _STATED_GATED.finditer(text)]


def stated_scores(text: str) -> list[ScoreStatement]:
    """The total scores a paragraph states."""
    return [ScoreStatement(m.group(0), m.start(), Decimal(m.group(1))) for m in _SCORE.finditer(text)]
