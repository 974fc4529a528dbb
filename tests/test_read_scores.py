"""Score-sheet reader: the 分值表 summary and the wrapped 打分表, inline and on seed 002."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditor.load import load
from auditor.load.text import split_lines
from auditor.read.scores import parse_groups, read_score_sheets

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def read(text: str):
    return read_score_sheets(split_lines(text, "fixture.txt"), [])


def seed(prefix: str):
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not available under {SEEDS}")
    return load(found[0])


SUMMARY = """见下表。

绩效评价分值表

一级指标 分值 得分 得分率

决策 20 18.5 92.50%

效益 80 75.0 93.75%

综合绩效 100 93.5 93.50%

四、绩效评价指标分析
"""


def test_summary_sheet():
    sheets, taken = read(SUMMARY)
    assert len(sheets) == 1
    sheet = sheets[0]
    assert sheet.title == "绩效评价分值表" and sheet.line == 5
    assert [(r.level, r.name, r.weight, r.score) for r in sheet.rows] == [
        (1, "决策", Decimal("20"), Decimal("18.5")),
        (1, "效益", Decimal("80"), Decimal("75.0")),
        (0, "综合绩效", Decimal("100"), Decimal("93.5")),
    ]
    assert sheet.rows[0].rate.value == Decimal("92.50") and sheet.rows[0].rate.decimals == 2
    assert taken == {5, 7, 9, 11}


DETAIL = """附：某中心 2022 年某专项资金项目绩效评
价打分表
 一级指标 分值 二级指标 分值 三级指标 分值 扣分 得分 扣分原因 指标解释 指标说明

决策 6

项目立项 6

绩效指标明确性 3 1.2 1.8

未设置经济效益指标，产出
时效指标关联度不高

依据绩效目标设定的绩效指标是否清晰、
细化、可衡量等，用以反映和考核情况。

立项程序规范性 3 3 项目申请、设立过程是否符合相关要求，
用以反映和考核项目立项的规范情况。

产出 4

产出数量 4 实际完成率 4 0.1 3.9 完成率97.03%，未达到

设定的指标值。
项目实施的实际产出数与计划产出数的比
率，用以反映和考核实现程度。
某中心 2022 年某专项资金项目绩效评价报告
第 3 页 共 4 页
 一级指标 分值 二级指标 分值 三级指标 分值 扣分 得分 扣分原因 指标解释 指标说明

产出 4

整体评价 10 10 10 1.3 8.7
"""


def test_detail_sheet_levels_wrapped_reasons_and_page_break():
    sheets, taken = read(DETAIL)
    assert len(sheets) == 1
    sheet = sheets[0]
    assert sheet.title == "附：某中心 2022 年某专项资金项目绩效评价打分表"
    rows = [(r.level, r.name, r.parent) for r in sheet.rows]
    assert rows == [
        (1, "决策", ""),
        (2, "项目立项", "决策"),
        (3, "绩效指标明确性", "项目立项"),
        (3, "立项程序规范性", "项目立项"),
        (1, "产出", ""),
        (2, "产出数量", "产出"),
        (3, "实际完成率", "产出数量"),
        (0, "整体评价", ""),
    ]
    clarity = sheet.rows[2]
    assert (clarity.weight, clarity.deduction, clarity.score) == (Decimal("3"), Decimal("1.2"), Decimal("1.8"))
    assert clarity.reason == "未设置经济效益指标，产出时效指标关联度不高"
    assert sheet.rows[3].reason == "" and sheet.rows[3].deduction is None
    rate = sheet.rows[6]
    assert rate.reason == "完成率97.03%，未达到设定的指标值。"
    total = sheet.rows[-1]
    assert (total.weight, total.deduction, total.score) == (Decimal("10"), Decimal("1.3"), Decimal("8.7"))
    # the repeated header and the repeated "产出 4" after the page break made no rows
    assert sum(1 for r in sheet.rows if r.name == "产出") == 1
    assert 3 in taken and 33 in taken


def test_parse_groups():
    assert parse_groups(["产出数量", "10", "实际完成率", "10", "2.5", "7.5"]) == (
        [("产出数量", ["10"]), ("实际完成率", ["10", "2.5", "7.5"])], "")
    assert parse_groups(["社会效益", "6", "6", "项目实施对社会", "影响"]) == (
        [("社会效益", ["6", "6"])], "项目实施对社会 影响")
    assert parse_groups(["项目预算资金是否按照计划执行，用以反"]) == ([], "项目预算资金是否按照计划执行，用以反")


def test_self_eval_tables_are_not_score_sheets():
    text = "一级指标\t二级指标\t三级指标\t分值\t得分\t未完成原因及改进措施\n产出指标\t数量指标\t甲\t10\t6\t\n"
    assert read(text) == ([], set())


def test_seed_002_sheets():
    sheets, _ = read_score_sheets(seed("002"), [])
    assert len(sheets) == 2
    summary, detail = sheets
    assert summary.title == "绩效评价分值表"
    assert [(r.name, r.weight, r.score, r.rate.text if r.rate else None) for r in summary.rows] == [
        ("决策", Decimal("18"), Decimal("16.8"), "93.33%"),
        ("过程", Decimal("16"), Decimal("15.9"), "99.38%"),
        ("产出", Decimal("40"), Decimal("34.2"), "85.50%"),
        ("效益", Decimal("26"), Decimal("26.0"), "100.00%"),
        ("综合绩效", Decimal("100"), Decimal("92.9"), "92.90%"),
    ]
    assert summary.rows[-1].level == 0
    assert detail.title.endswith("绩效评价打分表") and detail.line == 606
    levels = [r.level for r in detail.rows]
    assert levels.count(1) == 4 and levels.count(2) == 10 and levels.count(3) == 18 and levels.count(0) == 1
    by = {r.name: r for r in detail.rows}
    clarity = by["绩效指标明确性"]
    assert (clarity.weight, clarity.deduction, clarity.score, clarity.parent) == (
        Decimal("3"), Decimal("1.2"), Decimal("1.8"), "绩效目标")
    assert clarity.reason.startswith("未设置经济效益指标") and clarity.reason.endswith("明细化情况")
    assert by["预算执行率"].reason == "预算执行率97.03%，未达到设定的指标值。"
    done = by["实际完成率"]
    assert (done.parent, done.deduction, done.score, done.line) == ("产出数量", Decimal("2.5"), Decimal("7.5"), 716)
    assert done.reason.endswith("未达到设定的目标值")
    assert by["质量达标率"].reason.startswith("指标设置平台维护及时率")
    assert by["满意度"].parent == "项目效益" and by["满意度"].reason == ""
    total = detail.rows[-1]
    assert (total.name, total.level, total.weight, total.deduction, total.score) == (
        "整体评价", 0, Decimal("100"), Decimal("7.1"), Decimal("92.9"))
    # 二级 sums match the 一级 weights
    for l1 in (r for r in detail.rows if r.level == 1):
        assert sum(r.weight for r in detail.rows if r.level == 2 and r.parent == l1.name) == l1.weight


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_have_no_score_sheets(prefix):
    assert read_score_sheets(seed(prefix), [])[0] == []
