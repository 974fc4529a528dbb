"""`auditor explain RULE`: one rule in full, readable without any other document.

What the rule checks (its doc), why it matters and its tolerance (from the doc's own "Why it
matters:" / "Tolerance:" paragraphs, else the family's, in zh and en), its zh and en messages, and
each case of checks/cases/<rule>.yaml: those that fail and those that pass.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from auditor.cases import fragment_lines, rule_cases

# Per family, in zh and en: why a failure matters and how much difference is tolerated. A rule's
# own "Why it matters:" or "Tolerance:" paragraph says it more precisely (en) and is shown too.
FAMILY: dict[str, dict[str, str]] = {
    "total": {
        "why_zh": "合计与明细对不上，说明这一行或这一列至少有一个印刷数字有误，引用它的其他表格也随之出错。",
        "why_en": "A total that does not equal its parts means at least one printed amount is wrong, and "
                  "every table that repeats it inherits the error.",
        "tol_zh": "按印刷精度：每个数字可有末位半个单位的舍入误差，n 个数字相加最多差 (n+1)×0.5×末位；"
                  "整数元同样可有 ±0.5 元的舍入；表中任何一处印有角分时，整数也精确到分。",
        "tol_en": "From the printed precision: each value may be off by half a unit of its last printed "
                  "digit, so a sum of n values may differ by (n+1) × 0.5 × that unit; a whole-元 value is ±0.5 元 "
                  "too, unless the table prints 角分 anywhere, when it is exact to the 分.",
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

# What each rule checks, in Chinese (the rule's doc says it in English, with the details). A rule
# without an entry shows its zh title here.
CHECKS_ZH: dict[str, str] = {
    "crossdoc.budget_final": "决算中印的“三公”经费预算数，须等于同一部门同一年度预算公开的“三公”经费合计。",
    "crossdoc.carryover": "本年决算的年初结转和结余，须等于同一部门上年决算的年末结转和结余。",
    "crossdoc.project_amount": "Y 年项目的“上年度金额”，须等于 Y−1 年公开的同名项目“本年度金额”。",
    "crosstable.classification": "经济分类须自洽：3xx 科目的基本支出只能列在其所属支出类型栏；3xx 与 5xx 的对应须符合"
                                 "对照表；人员经费 = Σ301 + Σ303，公用经费 = Σ302 + Σ307 + Σ310 + Σ399。",
    "crosstable.code_name": "表中每个功能分类（2xx）和经济分类（3xx、5xx）编码，须印有该年度对应的科目名称。",
    "crosstable.cross_link": "同一笔钱的经济分类与功能分类金额须一致，如 Σ30108 ≈ 2080505 机关事业单位基本养老保险缴费支出。",
    "crosstable.same_quantity": "同一金额在收支总表、支出总表、一般公共预算支出表、基本支出表、“三公”表等多张表中"
                                "须处处相同。",
    "date.year_mismatch": "报告中表明本期的地方（截至某年年底完成、X年度项目资金、表格标题、落款日期）的年份，"
                          "须与报告年度一致。",
    "indicator.boilerplate": "同一文件中三个及以上项目使用完全相同的绩效目标文字或相同的指标及目标值。",
    "indicator.category": "三级指标的名称或指标值形式与其二级、一级指标不符，如“及时率”放在数量指标下。",
    "indicator.cost_mismatch": "成本指标须与项目本身的金额一致（按元/万元换算），不得超过项目金额。",
    "indicator.dept_tasks": "部门整体绩效目标表的年度主要任务：各任务合计 ≥ 其中财政资金，任务合计及人员经费、"
                            "公用经费、项目支出须与同一文件所列支出预算一致。",
    "indicator.duplicate": "同一项目中同一指标出现两次（去除空格和标点后名称相同，或二级和指标值内容相同）。",
    "indicator.missing_category": "指标体系要求的类别没有任何指标，如 2021 年体系要求的经济成本、产出数量/质量/时效、"
                                  "满意度。",
    "indicator.unmeasurable": "指标值无法据以考核：空白、一句话、既无运算符也无单位的数字、满意度不带 %、产出数量设上限等。",
    "indicator.value_swapped": "“指标值”栏印的是名称（如“总成本”），而相邻的指标值内容或度量单位栏才是带单位的数字。",
    "indicator.weight_sum": "指标分值合计须为 100（预算执行率另计 10 分时为 90），一级指标小计须等于其下分值之和。",
    "narrative.amount": "正文引用的表格金额（收支总额、基本/项目支出、人员/公用经费、各类科目、“三公”经费、"
                        "政府采购等）须在正文印刷精度内等于表格数。",
    "narrative.arithmetic": "正文自己写出的加总、个数和乘积须成立：列举各项之和等于所称总数，所称项目个数等于所列项目，"
                            "单价 × 数量 = 金额。",
    "narrative.parts": "正文先写总额、随后分句写出其组成部分（如基本支出＝人员经费＋公用经费）时，各部分之和须等于总额（按印刷精度）。",
    "narrative.label": "正文所用的科目名称须与所引金额的科目层级一致（项的名称不能配款的金额）。",
    "parse.formula_no_value": "电子表格单元格中的公式没有保存计算结果，该单元格只能按空白读取。",
    "parse.hidden_sheet": "工作簿中的隐藏工作表未读取，并予以说明。",
    "parse.no_text_layer": "PDF 的全部或部分页面没有文字层（扫描件），这些页面在 OCR 之前无法检查。",
    "parse.unread": "读取时看到但无法归位的内容：版式无法识别，或表格行的单元格无法与表头对齐。",
    "rate.over_under": "“决算数大于/小于预算数 A 万元”须与所写的决算数、预算数相符：决算数 − 预算数 = ±A（按三者的印刷精度）。",
    "rate.change": "“比上年增加/减少 A 万元，增长/下降 p%”须由其数字推出：p = A ÷ 上年数，增减额 = 本年 − 上年，"
                   "增减方向须与数字一致。",
    "rate.recompute": "占比、资金到位率、预算执行率、完成率、得分率等比率，须能由同处印出的金额重新算出。",
    "rate.same_metric": "同一项目的预算执行率在报告中多处引用（资金情况、资金表、评分表）时，须为同一个数。",
    "rate.rounding": "比率只有截去末位（而非四舍五入）才与其分子分母相符；属于质量提示，不是错误。",
    "schema.code_format": "功能或经济分类编码须为 3 位（类）、5 位（款）或 7 位（项）（随 --gx 运行）。",
    "schema.non_negative": "预算和支出金额不得为负（上年结转除外）（随 --gx 运行）。",
    "schema.required_column": "表式核心恒等式所需的列（如支出表的合计、基本支出、项目支出）须印出或可识别（随 --gx 运行）。",
    "schema.row_sum": "按表式的期望套件（Great Expectations）检查行内合计等于各部分之和（随 --gx 运行）。",
    "schema.unique_key": "每个分类编码在一张表（多单位表的每个单位块）中只出现一次（随 --gx 运行）。",
    "score.claim": "同一报告中“全面完成”“未偏离”等结论，不得与未完成的指标、低于 100% 的预算执行率或承认延期的文字并存；"
                   "称未设置的维度不得得满分。",
    "score.execution_points": "预算执行得分须按执行率计：通常为 分值 × min(执行率, 100%)；执行率不足 100% 却得满分，"
                              "或低于比例得分超过分值的十分之一，予以提示。",
    "score.grade_band": "正文所称评价等级（优/良/中/差）须是总分所在的分数段：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60，"
                        "或报告自己印的分数段。",
    "score.missing_reason": "扣了分的指标须说明原因（未完成原因及改进措施 / 偏差原因）；只检查有原因栏的指标表。",
    "score.over_weight": "每项得分和扣分须在 0 与其分值之间：0 ≤ 得分 ≤ 分值，0 ≤ 扣分 ≤ 分值。",
    "score.partial_credit": "未完成的数量目标通常得 分值 × min(1, 实际/目标)（反向指标为 目标/实际）；偏离超过分值 10% "
                            "的予以提示。",
    "score.sum": "评分表须加总正确：得分 = 分值 − 扣分；一级行等于其二级行之和，二级行等于其三级行之和；总分等于一级行之和。",
    "score.target_met_deducted": "实际值已达到目标的指标应得满分；即使写了扣分原因也报告，并引用该原因。",
    "score.target_missed_full_marks": "实际值未达到目标（按 ≥、≤、= 或区间判断）的指标不应得满分。",
    "text.numbering": "列表编号重复后接着编下去（1、2、3、4、4、5）：两项之一编号有误；跳号或重新编号不报告。",
    "text.repeated_word": "连续重复的 2–4 字词语（减少减少）、重复的虚词（的的）或重复的标点（，，）；合理的叠词不报告。",
    "text.template_residue": "未填写的占位符（XX、××、待填写、{单位}、____）以及只复述模板说明或标题本身的段落。",
    "text.unit_slip": "标为“元”的金额乘以一万后恰好等于同一文件中同名金额（万元正文或表格），疑为万元误写为元。",
    "total.code_rollup": "表中印出多级科目时，每个类须等于其下各款之和，每个款须等于其下各项之和。",
    "total.column_sum": "每个数值列的合计行须等于其下明细行之和（重复合计的单位行和“其中”行不计入）。",
    "total.row_sum": "一行的合计栏须等于其各组成栏之和（合计 = 基本支出 + 项目支出；基本支出 = 工资福利 + 个人家庭 + "
                     "商品服务 + 资本性）。",
    "total.subitem_exceeds": "“其中”项不得大于其所属的总数（如 其中：财政拨款 ≤ 一般公共预算）。",
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
        "checks_zh": CHECKS_ZH.get(spec.id, spec.title_zh),
        "why_zh": family.get("why_zh", ""), "why_en": _sentence(why_en) or family.get("why_en", ""),
        "tol_zh": family.get("tol_zh", ""), "tol_en": tol_en or family.get("tol_en", ""),
    }


def explain_text(spec: Any) -> str:
    """The full explanation of one rule, as `auditor explain` prints it."""
    part = sections(spec)
    out = [f"{spec.id}  [{spec.severity}]  applies to: {spec.applies_to}", spec.title_zh, spec.title_en, ""]
    out.append("检查内容 / What it checks")
    out.append(_fill("zh: " + part["checks_zh"]))
    out.append(_fill("en: " + part["checks"][0]) if part["checks"] else "")
    out.extend(_fill(p, "      ") for p in part["checks"][1:])
    out += ["", "为什么重要 / Why it matters", _fill("zh: " + part["why_zh"]), _fill("en: " + part["why_en"])]
    out += ["", "容差 / Tolerance", _fill("zh: " + part["tol_zh"]), _fill("en: " + part["tol_en"])]
    out += ["", "提示信息 / Messages", "  message (zh): " + spec.message_zh, "  message (en): " + spec.message_en]
    cases = shown_cases(spec.id)
    if cases:
        out += ["", f"例子 / Examples  (checks/cases/{spec.id}.yaml; → separates the cells of a table row)"]
    for number, case in enumerate(cases, start=1):
        verdict = "不通过 / fails" if case["expect"] == "fail" else "通过 / passes"
        out.append(f"  {number}. {verdict}: {case['name']}")
        out.extend(("       " + line.replace("\t", "→")).rstrip() for line in fragment_lines(case))
        if case["expect"] == "fail":
            found = [f"line {case['line']}"] if case.get("line") is not None else []
            found += [f"{key} {case[key]}" for key in ("expected", "actual") if case.get(key) is not None]
            if found:
                out.append("       ⇒ " + ", ".join(found))
        if case.get("known_gap"):
            out.append(_fill("not yet: " + " ".join(str(case["known_gap"]).split()), "       "))
    return "\n".join(out) + "\n"


def shown_cases(rule_id: str) -> list[dict[str, Any]]:
    """The cases `explain` prints: all of them; one the pipeline does not yet handle as written
    (`known_gap`) is printed with the reason."""
    return rule_cases(rule_id)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""
