"""narrative.arithmetic and its reader (auditor/read/enumerations.py): inline prose that fires and
stays quiet, every such statement of seed 001, and the planted anomaly of the bundled sample."""

from __future__ import annotations

from pathlib import Path

from auditor.load import load
from auditor.read import read_document
from tests.conftest import seed
from tests.harness import audit_path, audit_text, read_text

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
RULE = "narrative.arithmetic"


def test_head_count_enumeration_holds_and_stops_at_semicolon():
    text = "部门共有编制 275 人，其中：行政编制 193 人，行政工勤 19 人，事业编制 63 人；在职职工 242 人，离退休人员 94 人。\n"
    read = read_text(text)
    [e] = read.enumerations
    assert e.total.number.value == 275 and [p.number.value for p in e.parts] == [193, 19, 63]
    audited = audit_text(text, rule=RULE)
    assert audited.findings == [] and audited.status == "passed"


def test_head_count_that_does_not_add_up_is_a_warning():
    found = audit_text("部门共有编制 275 人，其中：行政编制 193 人，行政工勤 19 人，事业编制 62 人。\n", rule=RULE).findings
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and f.actual == "275 人" and f.expected == "274 人"


def test_money_list_over_its_total_is_an_error_within_rounding_is_not():
    ok = "运行经费安排 10.00 万元，其中：办公费 3.33 万元、印刷费 3.33 万元、差旅费 3.33 万元。\n"
    audited = audit_text(ok, rule=RULE)  # 9.99 vs 10.00: within 0.5·10^-2·4 = 0.02
    assert audited.findings == [] and audited.status == "passed"
    found = audit_text(ok.replace("差旅费 3.33", "差旅费 3.63"), rule=RULE).findings
    assert [(f.severity, f.expected, f.difference) for f in found] == [("error", "10.29 万元", "0.29 万元")]


def test_money_list_under_its_total_is_a_warning():
    found = audit_text("运行经费安排 10.00 万元，其中：办公费 3.00 万元、印刷费 3.00 万元。\n", rule=RULE).findings
    assert [f.severity for f in found] == ["warning"]


def test_lone_other_part_is_only_compared_as_not_larger():
    found = audit_text("2020年政府采购预算63万元，其中：政府采购货物支出50万元。\n", rule=RULE).findings
    assert found == []
    found = audit_text("2020年政府采购预算63万元，其中：政府采购货物支出70万元。\n", rule=RULE).findings
    assert [f.severity for f in found] == ["error"]


def test_semicolon_list_with_shares_and_nested_other():
    text = ("2020 年支出预算 100.00 万元。\n\n"
            "（二）按支出用途分类，包括基本支出 60.00 万元，其中：工资福利支出 40.00 万元，商品和服务支出 20.00 万元；"
            "项目支出 40.00 万元。\n")
    read = read_text(text)
    shapes = sorted((e.total.number.text, len(e.parts), e.total_from) for e in read.enumerations)
    assert shapes == [("100.00 万元", 2, "context"), ("60.00 万元", 2, "same")]
    assert audit_text(text, rule=RULE).findings == []
    found = audit_text(text.replace("项目支出 40.00", "项目支出 45.00"), rule=RULE).findings
    assert [(f.severity, f.location.line) for f in found] == [("error", 3)]


def test_bracketed_breakdown_is_nested():
    text = ("2020 年收入预算 100 万元，其中：一般公共预算 100 万元（财政拨款 90 万元、专项收入 10 万元），"
            "政府性基金收入 0 万元。\n")
    read = read_text(text)
    assert sorted(len(e.parts) for e in read.enumerations) == [2, 2]
    assert audit_text(text, rule=RULE).findings == []
    found = audit_text(text.replace("专项收入 10", "专项收入 30"), rule=RULE).findings
    assert len(found) == 1 and found[0].args["total_label"] == "一般公共预算"


def test_price_times_quantity():
    ok = "具体采购明细如下。\n\n1. 空调，单价0.38万元，数量20个，共计7.6万元；\n"
    audited = audit_text(ok, rule=RULE)
    assert audited.findings == [] and audited.status == "passed"
    found = audit_text(ok.replace("共计7.6万元", "共计8.6万元"), rule=RULE).findings
    assert [(f.severity, f.expected, f.actual) for f in found] == [("error", "7.6万元", "8.6万元")]


def test_numbered_list_after_the_connector_sums_to_the_headline():
    text = ("2020年政府采购预算20万元，具体采购明细如下。\n\n"
            "1. 空调，单价0.5万元，数量20个，共计10万元；\n"
            "2. 台桌，单价0.5万元，数量20个，共计10万元。\n")
    assert audit_text(text, rule=RULE).findings == []
    found = audit_text(text.replace("预算20万元", "预算25万元"), rule=RULE).findings
    assert [f.severity for f in found] == ["warning"]  # the listed lines cover less than the total


def test_project_count_against_the_listed_projects():
    text = "部门预算项目 3 个。甲项目经费 10 万元、乙项目经费 20 万元。\n"
    found = audit_text(text, rule=RULE).findings
    assert [(f.severity, f.actual, f.expected) for f in found] == [("warning", "项目 3 个", "2个")]
    assert audit_text(text.replace("3 个", "2 个"), rule=RULE).findings == []


def test_main_projects_against_project_expenditure():
    text = ("2020 年支出预算 100 万元，其中：基本支出 70 万元，项目支出 30 万元。\n\n"
            "（三）主要项目：甲项目 10 万元、乙项目 20 万元。\n")
    assert audit_text(text, rule=RULE).findings == []
    found = audit_text(text.replace("乙项目 20", "乙项目 25"), rule=RULE).findings
    assert [f.severity for f in found] == ["error"]
    found = audit_text(text.replace("乙项目 20", "乙项目 15"), rule=RULE).findings
    assert [f.severity for f in found] == ["info"]  # a list of main projects may be partial


def test_monthly_times_twelve():
    assert audit_text("按每月 2.00 万元安排，全年 24.00 万元。\n", rule=RULE).findings == []
    # "2 万元" stands for [1.5, 2.5] 万元, so 30 万元 a year is still reachable: no alarm
    assert audit_text("按每月 2 万元安排，全年 30 万元。\n", rule=RULE).findings == []
    found = audit_text("按每月 2.00 万元安排，全年 30.00 万元。\n", rule=RULE).findings
    assert [(f.severity, f.expected) for f in found] == [("error", "24.00万元")]


def test_changes_and_thresholds_are_not_parts():
    text = ("“三公”经费预算 98 万元，比上年减少 27 万元。其中：\n\n"
            "1. 公务用车运行维护费 90 万元，比上年减少 27 万元。\n\n"
            "2. 公务接待费 8 万元。\n\n"
            "共有车辆 20 辆，其中：一般公务用车 16 辆，其他用车 4 辆；单价 50 万元以上通用设备 4 台。\n")
    audited = audit_text(text, rule=RULE)
    assert audited.findings == [] and audited.status == "passed"


def test_explicit_bracket_formula():
    assert audit_text("覆盖区域共计 1394 平方公里(652+742)。\n", rule=RULE).findings == []
    found = audit_text("覆盖区域共计 1394 平方公里(652+743)。\n", rule=RULE).findings
    assert [f.severity for f in found] == ["warning"]


def test_seed_001_every_statement_holds():
    read = read_document(load(seed("001")))
    by_line = {(e.kind, e.line) for e in read.enumerations}
    # 编制 275, 车辆 20 (twice), 运行经费 1648.86 (16 items), 主要项目 Σ = 项目支出, 三公 98,
    # 政府采购 lines and their total, the 9 projects of section 九
    for expected in [("sum", 86), ("sum", 90), ("sum", 174), ("sum", 150), ("sum", 110), ("sum", 138),
                     ("sum", 158), ("count", 178), ("product", 160), ("product", 170)]:
        assert expected in by_line, expected
    parts = {e.line: len(e.parts) for e in read.enumerations if e.kind == "sum"}
    assert parts[150] == 16 and parts[86] == 3 and parts[90] == 5 and parts[174] == 5 and parts[110] == 9
    audited = audit_text(read, rule=RULE)
    assert audited.findings == []
    assert audited.status == "passed" and audited.outcomes[RULE].checked >= 25


def test_bundled_sample_reports_the_planted_line_94():
    found = [f for f in audit_path(DATASETS / "budget_2024_sample.txt").findings if f.rule == RULE]
    assert [(f.location.line, f.severity, f.actual, f.expected) for f in found] == [
        (94, "error", "2133.04 万元", "2133.31 万元")]
    assert any(c == "prose|L94|106.41 万元" for c in found[0].cells)


# --------------------------------------------------------------------------- list reader (issue 17)


def test_details_heading_after_several_items_takes_none_of_them_as_total():
    """"具体情况如下" after a paragraph that already states each item: the numbered paragraphs
    detail those items one by one; the first item is not their total."""
    text = ("本年三公经费支出中，因公出国费 0 元，占 0%；公务用车费 800.00 元，占 80%；公务接待费 200.00 元，"
            "占 20%。具体情况如下：\n"
            "1. 因公出国费 0 元，共安排团组 0 个。\n"
            "2. 公务用车费 800.00 元。其中：\n"
            "公务用车运行费 800.00 元，用于燃料费。\n")
    assert audit_text(text, rule=RULE).findings == []
    # one amount before the heading: that amount is the total of the numbered list
    single = ("本年三公经费支出 1,000.00 元。具体情况如下：\n"
              "1. 公务用车费 800.00 元，用于燃料费。\n"
              "2. 公务接待费 300.00 元，用于接待。\n")
    found = audit_text(single, rule=RULE).findings
    assert [(f.severity, f.actual) for f in found] == [("error", "1,000.00 元")]


def test_connector_inside_an_explanation_does_not_open_a_list():
    """"（包括实行公务员管理的事业单位）开支的…" is an explanation, not the end of a paragraph whose
    parts are the numbered items that follow."""
    text = ("1. “养老支出-行政单位离退休”科目 128.60 万元，主要用于行政单位（包括实行公务员管理的事业单位）"
            "开支的离退休经费。\n"
            "2. “养老支出-基本养老保险缴费支出”科目 176.32 万元，主要用于单位缴纳的养老保险费。\n"
            "3. “医疗-行政单位医疗”科目 78.29 万元，主要用于基本医疗保险费。\n")
    assert audit_text(text, rule=RULE).findings == []
    ends = ("公用经费 100 万元，其中：\n"
            "1. 办公费 60 万元。\n"
            "2. 印刷费 60 万元。\n")
    assert [f.severity for f in audit_text(ends, rule=RULE).findings] == ["error"]


def test_bracket_holding_semicolons_and_a_full_stop_is_one_nested_list():
    text = ("本部门三公经费 502.4 万元，其中：因公出国费 0 万元，比上年增加 0 万元；公务用车购置及运行费 500.00 万元"
            "（公务用车购置费 100.00 万元，比上年增加 0 万元；公务用车运行维护费 400.00 万元，比上年增加 0 万元。）"
            "比上年增加 0 万元；公务接待费 2.4 万元，比上年减少 14.6 万元。\n")
    read = read_text(text)
    shapes = sorted((e.total.number.text, [p.number.text for p in e.parts]) for e in read.enumerations)
    assert shapes == [("500.00 万元", ["100.00 万元", "400.00 万元"]),
                      ("502.4 万元", ["0 万元", "500.00 万元", "2.4 万元"])]
    assert audit_text(text, rule=RULE).findings == []
    found = audit_text(text.replace("运行维护费 400.00", "运行维护费 420.00"), rule=RULE).findings
    assert [(f.severity, f.actual) for f in found] == [("error", "500.00 万元")]


def test_a_list_that_prints_cents_is_exact_to_the_cent():
    """"30 万元" beside "29.99 万元" means 30.00: the parts sum to 89.99, not to 89.49–90.49."""
    text = "本项目共完成资金 89.97 万元。其中：30 万元用于设计；30 万元用于审计；29.99 万元用于测绘。\n"
    found = audit_text(text, rule=RULE).findings
    # 0.02 apart is the full rounding allowance of four numbers at 2 decimals: the sides touch only
    # when every number sits on its rounding boundary, which 四舍五入 excludes: a warning
    assert [(f.severity, f.actual, f.expected) for f in found] == [("warning", "89.97 万元", "89.99 万元")]
    found = audit_text(text.replace("29.99 万元", "30.99 万元"), rule=RULE).findings
    assert [(f.severity, f.expected) for f in found] == [("error", "90.99 万元")]
    assert audit_text(text.replace("89.97", "89.99"), rule=RULE).findings == []
    # a list printed in whole 万元 keeps its rounding: 30 + 30 + 30 may stand for 89.6
    assert audit_text("本项目共完成资金 90 万元。其中：30 万元用于设计；30 万元用于审计；30 万元用于测绘。\n", rule=RULE).findings == []


def test_a_stated_count_against_the_names_listed_one_by_one():
    text = "本局设 4 个内设机构，分别为：办公室、财务科、人事科。\n"
    found = audit_text(text, rule=RULE).findings
    assert [(f.severity, f.actual, f.expected) for f in found] == [("warning", "4 个", "3个")]
    assert audit_text(text.replace("人事科。", "人事科、法规科。"), rule=RULE).findings == []
    assert audit_text("直属单位 2 个，即信息中心、培训中心。\n", rule=RULE).findings == []
    assert [f.expected for f in audit_text("直属单位 3 个，即信息中心、培训中心。\n", rule=RULE).findings] == ["2个"]


def test_a_count_is_not_checked_against_a_partial_or_joined_list():
    assert audit_text("下设 3 个股室，分别为：办公室、财务股和人事股。\n", rule=RULE).findings == []  # 和 joins the last two
    assert audit_text("下设 5 个股室，分别为：办公室、财务股等。\n", rule=RULE).findings == []  # 等: only some are named
    assert audit_text("下设 5 个股室，分别为：办公室 3 人、财务股 2 人。\n", rule=RULE).findings == []  # not a list of names


def test_clauses_restating_each_items_attributes_are_not_parts():
    text = ("三公经费支出 2.05 万元，年初预算为 2.95 万元，差值为 0.9 万元。其中：因公出国费支出 0 万元，年初预算为 0 万元，"
            "差值为 0 万元；公务接待费支出 2.05 万元，年初预算为 2 万元，差值为 0.05 万元。\n")
    assert [e for e in read_text(text).enumerations if e.total.label == "差值为"] == []
    assert audit_text(text, rule=RULE).findings == []


def test_only_the_total_printing_decimals_keeps_the_parts_rounding():
    # 0.9 against 0 + 0 + 1: the parts print whole 万元, so each may stand for up to 0.5 more or less
    assert audit_text("差额 0.9 万元，其中：甲 0 万元、乙 0 万元、丙 1 万元。\n", rule=RULE).findings == []
