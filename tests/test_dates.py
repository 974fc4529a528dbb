"""date.year_mismatch on hand-written reports, and on the seeds when they are present."""

from __future__ import annotations

import pytest

from auditor.load import load
from auditor.model import ReadDocument, Table
from auditor.read import read_document
from tests.conftest import seed
from tests.harness import audit_text, read_text


def year_findings(read: ReadDocument):
    return audit_text(read, rule="date.year_mismatch").findings_and_status


SELF = "某局 2023年度执法经费项目支出绩效自评报告\n\n一、项目基本情况\n\n{body}\n"


def test_completion_dated_last_year_end_in_a_self_evaluation():
    found, _ = year_findings(read_text(SELF.format(body="（二）总体绩效目标完成情况\n\n截止2022年12月31日全面完成绩效目标。")))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and (f.expected, f.actual) == ("2023", "2022") and f.location.line == 7
    assert "7" not in f.key.split("|")


def test_completion_dated_this_year_end_is_quiet():
    found, status = year_findings(read_text(SELF.format(body="截止2023年12月31日全面完成绩效目标。")))
    assert found == [] and status == "passed"


@pytest.mark.parametrize(
    "body",
    [
        "与2022年相比，执法次数增加 10 次。",
        "公报创刊于1985年，2014年增加了办事大厅。",
        "依据《管理办法》（郑财绩〔2021〕9号）开展评价。",
        "预计到2024年底完成系统全面对接。",
        "项目建设周期为三年（2023-2025年），预算资金200万元。",
        "S301 公路列入省厅 2024 年建设计划。",
        "截至2022年12月31日，结转资金 3 万元。",  # a previous year-end with no completion claim
        "张掖市交通运输局\n\n2024年2月21日",       # signing date early in the next year
    ],
)
def test_legitimate_other_years_are_quiet(body):
    found, _ = year_findings(read_text(SELF.format(body=body)))
    assert found == []


def test_own_money_dated_another_year():
    found, _ = year_findings(read_text(SELF.format(body="2022年度项目预算资金30万元，已全部支付。")))
    assert len(found) == 1 and found[0].actual == "2022"
    found, _ = year_findings(read_text(SELF.format(body="与2022年度项目预算资金相比增加 5 万元。")))
    assert found == []


def test_signing_date_before_the_year_reported_on():
    found, _ = year_findings(read_text(SELF.format(body="某局\n\n2022年2月21日")))
    assert len(found) == 1 and found[0].severity == "warning" and found[0].actual == "2022"


def test_budget_may_cite_previous_year_end_but_not_older():
    budget = "2020 年某单位部门预算\n\n截至 {y} 年 12 月 31 日，本部门共有车辆 5 辆。\n"
    assert year_findings(read_text(budget.format(y=2019)))[0] == []
    found, _ = year_findings(read_text(budget.format(y=2018)))
    assert len(found) == 1 and found[0].actual == "2018"


def test_heading_with_another_year():
    text = "2023 年某单位部门预算\n\n第一部分 部门概况\n\n2022年部门收支总体情况表\n\n2023年一般公共预算支出情况表\n"
    found, _ = year_findings(read_text(text))
    assert [(f.location.line, f.actual) for f in found] == [(5, "2022")]


def test_table_title_with_another_year():
    read = read_text("2023 年某单位部门预算\n\n表一\n\n")
    read.tables = [Table(title="2022年部门收入总体情况表", kind="generic", unit="万元", unit_guessed=False,
                         first_line=3, last_line=3, header_lines=[], columns=[], rows=[])]
    found, _ = year_findings(read)
    assert len(found) == 1 and found[0].location.table == "2022年部门收入总体情况表"


def test_each_report_is_checked_against_its_own_year():
    text = ("甲局 2022年度甲项目支出绩效自评报告\n\n截止2022年12月31日全面完成绩效目标。\n\n"
            "乙局 2023年度乙项目支出绩效自评报告\n\n截止2022年12月31日全面完成绩效目标。\n")
    found, _ = year_findings(read_text(text))
    assert [f.location.line for f in found] == [7]


# --------------------------------------------------------------------------- seeds


def test_seed_003_two_reports_dated_last_year_end_and_signing_dates_allowed():
    read = read_document(load(seed("003")))
    found, _ = year_findings(read)
    assert sorted(f.location.line for f in found) == [251, 383]
    assert all("截止2022年12月31日" in f.args["text"] for f in found)
    signing = {n for n, line in enumerate((ln.text for ln in read.doc.lines), 1) if line.startswith("2024年2月")}
    assert signing and not signing & {f.location.line for f in found}


def test_seed_002_has_no_year_error():
    found, status = year_findings(read_document(load(seed("002"))))
    assert found == [] and status == "passed"


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_other_seeds_have_no_year_finding(prefix):
    assert year_findings(read_document(load(seed(prefix))))[0] == []
