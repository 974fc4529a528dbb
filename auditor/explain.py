"""`auditor explain RULE`: one rule in full, readable without any other document.

What the rule checks (its doc), why it matters and its tolerance (from the doc's own "Why it
matters:" / "Tolerance:" paragraphs, else the family's, in zh and en), its zh and en messages, and
each example that fails and the corrected one that passes.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

# Per family, in zh and en: why a failure matters and how much difference is tolerated. A rule's
# own "Why it matters:" or "Tolerance:" paragraph says it more precisely (en) and is shown too.
FAMILY: dict[str, dict[str, str]] = {
    "total": {
        "why_zh": "合计与明细对不上，说明这一行或这一列至少有一个印刷数字有误，引用它的其他表格也随之出错。",
        "why_en": "A total that does not equal its parts means at least one printed amount is wrong, and "
                  "every table that repeats it inherits the error.",
        "tol_zh": "按印刷精度：每个数字可有末位半个单位的舍入误差，n 个数字相加最多差 (n+1)×0.5×末位；"
                  "整数元的表格须完全相等。",
        "tol_en": "From the printed precision: each value may be off by half a unit of its last printed "
                  "digit, so a sum of n values may differ by (n+1) × 0.5 × that unit; whole-元 tables must "
                  "match exactly.",
    },
    "crosstable": {
        "why_zh": "同一笔钱在不同表格中印成不同数字，读者无法知道哪个是真的，至少有一张表没有更新。",
        "why_en": "The same money printed as different numbers in different tables: a reader cannot tell "
                  "which is true, and at least one table was not updated.",
        "tol_zh": "按印刷精度比较区间：元与万元之间换算后，差值不超过两边末位半个单位之和即视为相同。",
        "tol_en": "Printed values are compared as intervals: after converting 元/万元, two values agree when "
                  "they differ by no more than half a unit of each one's last printed digit.",
    },
    "narrative": {
        "why_zh": "正文引用的金额与表格不符，或正文自己的加法不成立，读者最先读到的数字就是错的。",
        "why_en": "The prose is what readers quote; an amount in it that disagrees with the tables, or a sum "
                  "it states that does not add up, is the first wrong number they see.",
        "tol_zh": "按正文的印刷精度：如 2 位小数的万元，允许 ±0.005 万元（50 元）及每个加数各自的舍入。",
        "tol_en": "From the prose's printed precision: a 万元 amount with 2 decimals may be off by ±0.005 万元 "
                  "(50 元), plus the rounding of each printed part.",
    },
    "rate": {
        "why_zh": "百分比是由印刷的金额算出来的；算不出印刷的比率，说明比率或金额有误。",
        "why_en": "A rate is computed from printed amounts; a printed rate those amounts cannot give means "
                  "the rate or an amount is wrong.",
        "tol_zh": "用区间算术：金额和比率都按各自印刷的小数位数取舍入区间，区间有交集即通过。",
        "tol_en": "Interval arithmetic: the amounts and the rate each carry the rounding of their printed "
                  "decimals; the rule passes when the recomputed interval meets the printed one.",
    },
    "indicator": {
        "why_zh": "绩效指标放错类别、不可衡量或重复，目标就无法考核，自评和评价也失去依据。",
        "why_en": "An indicator in the wrong category, unmeasurable or repeated cannot be assessed, so the "
                  "later self-evaluation and evaluation have nothing to score against.",
        "tol_zh": "指标名称按去除空格和标点后比较；分值之和须与满分完全相等；金额按印刷精度比较。",
        "tol_en": "Names are compared without spaces and punctuation; weights must add up exactly; amounts "
                  "are compared within their printed precision.",
    },
    "score": {
        "why_zh": "评分须由印刷的结果推出；分数与完成情况、权重或等级不一致，评价结论就不可信。",
        "why_en": "Scores must follow from the printed results; a score that disagrees with the result, the "
                  "weight or the grade makes the evaluation's conclusion unreliable.",
        "tol_zh": "分值按印刷的小数位数比较（如 1 位小数允许 ±0.05 分）；等级边界按评分办法的分数段。",
        "tol_en": "Points are compared at their printed decimals (±0.05 for one decimal); grades use the "
                  "score bands of the scoring method.",
    },
    "date": {
        "why_zh": "从上年报告复制来的年份会让读者怀疑旁边的每一个数字。",
        "why_en": "A year copied from last year's report makes the reader doubt every figure beside it.",
        "tol_zh": "年份须与报告年度一致；比较、计划、政策文号和历史沿革中的年份不检查。",
        "tol_en": "The year must be the report's fiscal year; years in comparisons, plans, document numbers "
                  "and history are not checked.",
    },
    "text": {
        "why_zh": "重复用词、模板残留和单位笔误说明文本未经校对，单位错误还会让金额差一万倍。",
        "why_en": "Repeated words, template residue and unit slips show the text was not proofread; a unit "
                  "slip also misstates an amount ten-thousandfold.",
        "tol_zh": "按原文逐字比较；单位笔误须有表格中的金额佐证。",
        "tol_en": "Text is compared as printed; a unit slip needs a table amount that confirms it.",
    },
    "parse": {
        "why_zh": "未能读取的内容没有被检查；报告须说明，以免“未发现问题”被误认为“无误”。",
        "why_en": "What could not be read was not checked; saying so keeps \"no findings\" from being read as "
                  "\"correct\".",
        "tol_zh": "不适用：只要有内容未能读取就报告。",
        "tol_en": "Not applicable: any content that could not be read is reported.",
    },
    "schema": {
        "why_zh": "数据发布的表格须符合其表格类型的结构，否则下游的汇总和比较都会出错。",
        "why_en": "A data release must follow its table kind's structure, or every aggregate and comparison "
                  "built on it is wrong.",
        "tol_zh": "行内加总按发布的小数位数允许末位半个单位的误差（可用 --decimals/--tolerance 调整）。",
        "tol_en": "Row sums allow half a unit of the release's last printed decimal per value (adjustable "
                  "with --decimals / --tolerance).",
    },
    "crossdoc": {
        "why_zh": "同一单位同一年的预算、决算和绩效文件之间，同一个数字须前后一致。",
        "why_en": "Across one department's budget, final accounts and performance documents of a year, the "
                  "same number must be the same.",
        "tol_zh": "按两边各自的印刷精度比较区间。",
        "tol_en": "Intervals from each document's printed precision.",
    },
}

WIDTH = 100
_LIST_ITEM = re.compile(r"^\s*(?:[*\-•]|\d+[.)])\s+")


def _paragraphs(doc: str) -> list[str]:
    """The doc's paragraphs; a list item stays its own line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", doc.strip()):
        items: list[str] = []
        for line in block.split("\n"):
            if _LIST_ITEM.match(line) or not items:
                items.append(line.strip())
            else:
                items[-1] += " " + line.strip()
        out.append("\n".join(" ".join(i.split()) for i in items))
    return [p for p in out if p]


def _fill(text: str, indent: str = "  ") -> str:
    lines = []
    for item in text.split("\n"):
        hang = indent + " " * (len(m.group(0)) if (m := _LIST_ITEM.match(item)) else 0)
        lines.append(textwrap.fill(item, WIDTH, initial_indent=indent, subsequent_indent=hang,
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join(lines)


def sections(spec: Any) -> dict[str, Any]:
    """The parts of a rule's explanation: checks (paragraphs), why/tolerance in zh and en."""
    family = FAMILY.get(spec.family, {})
    checks: list[str] = []
    why_en, tol_en = "", ""
    for paragraph in _paragraphs(spec.doc):
        if paragraph.lower().startswith("why it matters"):
            why_en = paragraph.split(":", 1)[-1].strip()
        elif paragraph.lower().startswith("tolerance"):
            tol_en = paragraph.split(":", 1)[-1].strip()
        else:
            checks.append(paragraph)
    return {
        "checks": checks,
        "why_zh": family.get("why_zh", ""), "why_en": _sentence(why_en) or family.get("why_en", ""),
        "tol_zh": family.get("tol_zh", ""), "tol_en": tol_en or family.get("tol_en", ""),
    }


def explain_text(spec: Any) -> str:
    """The full explanation of one rule, as `auditor explain` prints it."""
    part = sections(spec)
    out = [f"{spec.id}  [{spec.severity}]  applies to: {spec.applies_to}", spec.title_zh, spec.title_en, ""]
    out.append("检查内容 / What it checks")
    out.extend(_fill(p) for p in part["checks"])
    out += ["", "为什么重要 / Why it matters", _fill("zh: " + part["why_zh"]), _fill("en: " + part["why_en"])]
    out += ["", "容差 / Tolerance", _fill("zh: " + part["tol_zh"]), _fill("en: " + part["tol_en"])]
    out += ["", "提示信息 / Messages", "  message (zh): " + spec.message_zh, "  message (en): " + spec.message_en]
    if spec.examples:
        out += ["", "例子 / Examples  (→ separates the cells of a table row)"]
    for number, example in enumerate(spec.examples, start=1):
        if "fails" in example:
            out.append(f"  {number}. 不通过 / fails:")
            out.extend("       " + line for line in example["fails"].split("\n"))
        if "passes" in example:
            out.append(f"  {number}. 通过 / passes:")
            out.extend("       " + line for line in example["passes"].split("\n"))
    return "\n".join(out) + "\n"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""
