"""Glued score grids (auditor.read.score_grid) and what the indicator reader makes of rebuilt grids.

The fragments are fictional, written for these tests in the layout of converted and OCR'd
部门整体绩效自评表: every cell glued to the next, the weight and the score glued into one run after
the 得分系数, page chunks numbered "2、", "3、".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditor import audit
from auditor.extract import extract_data
from auditor.load import load
from auditor.read import read_document
from auditor.read.indicators import _with_printed_operator
from auditor.read.score_grid import find_header, split_weight_score
from auditor.read.table_layouts import SURE_TABLE
from tests.harness import audit_path

HEADER = "指标名称计量单位指标性质年初指标值调整指标值全年完成值得分系数(%)指标权重(分)指标得分(分)是否核心指标"
GRID = (
    "示例县文化馆2024年度部门整体绩效自评表\n"
    "1、示例县文化馆部门整体绩效自评表主管部门示例县文化和旅游局自评总分(分)93.5年度总体目标完成情况：全年开展"
    "公共文化服务活动，保障场馆正常开放。\n"
    f"2、{HEADER}在职人员控制率%定量指标100%96%100%33否公用经费控制率%100%98%100%22否资金到位率%100%100%100%55是"
    "场馆开放天数天300天300天100%1010是免费讲座场次场定量指标40场31场100%88是\n"
    "3、群众文化活动满意度%90%94%100%66否\n"
)


def _write(tmp_path: Path, text: str, name: str = "grid.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("run", "coefficient", "split"), [
    ("22", "100", ("2", "2")),
    ("1010", "100", ("10", "10")),
    ("107.6", "76", ("10", "7.6")),  # 10 × 76% = 7.6
    ("86.2", "77.5", ("8", "6.2")),
    ("100", "0", ("10", "0")),
])
def test_the_coefficient_splits_weight_from_score(run: str, coefficient: str, split: tuple[str, str]) -> None:
    assert split_weight_score(run, Decimal(coefficient)) == split


@pytest.mark.parametrize(("run", "coefficient"), [("37", "100"), ("55", "50"), ("9", "100")])
def test_a_run_no_split_fits_keeps_no_weight_or_score(run: str, coefficient: str) -> None:
    assert split_weight_score(run, Decimal(coefficient)) is None


def test_header_words_and_a_scrambled_ocr_segment() -> None:
    header = find_header("说明文字。" + HEADER.replace("全年完成值", "年成值全完值") + "某指标")
    assert header is not None
    assert header.roles == ["name", "unit", "vtype", "target", "target_adjusted", "actual", "coefficient",
                            "weight", "score", "flag"]
    assert header.words[5] == "全年完成值"
    assert find_header("指标名称计量单位年初指标值全年完成值") is None  # no coefficient, weight or score


def test_grid_is_rebuilt_with_every_row_and_said_to_be_a_guess(tmp_path: Path) -> None:
    data = extract_data(audit_path(_write(tmp_path, GRID)).read)
    [table] = data["tables"]
    assert table["layout"] == "glued_grid" and table["sure"] is False
    assert table["confidence"] < SURE_TABLE
    read = read_document(load(str(_write(tmp_path, GRID, "again.txt"))))
    [iset] = read.indicator_sets
    by_name = {i.name: i for i in iset.indicators}
    assert list(by_name) == ["在职人员控制率", "公用经费控制率", "资金到位率", "场馆开放天数", "免费讲座场次",
                             "群众文化活动满意度"]
    lecture = by_name["免费讲座场次"]
    assert (lecture.target.text, lecture.actual.text, lecture.weight, lecture.score) == ("40场", "31场", 8, 8)
    assert by_name["群众文化活动满意度"].line == 4  # the row of the continued page chunk "3、"
    assert iset.project == "示例县文化馆部门整体绩效自评表"
    assert iset.confidence < SURE_TABLE


def test_missed_target_with_full_marks_is_a_warning_and_control_rates_are_met(tmp_path: Path) -> None:
    findings = audit(_write(tmp_path, GRID)).findings
    missed = [f for f in findings if f["rule"] == "score.target_missed_full_marks"]
    assert [f["location"]["row"] for f in missed] == ["免费讲座场次"]
    assert missed[0]["severity"] == "warning"  # a glued grid is a guess: no error


def test_a_bare_target_of_a_lower_is_better_indicator_is_an_upper_bound(tmp_path: Path) -> None:
    # the same grid where a 控制率 is over its bound: 104% of 100% misses it
    text = GRID.replace("在职人员控制率%定量指标100%96%100%33否", "在职人员控制率%定量指标100%104%100%33否")
    missed = [f["location"]["row"] for f in audit(_write(tmp_path, text)).findings
              if f["rule"] == "score.target_missed_full_marks"]
    assert missed == ["在职人员控制率", "免费讲座场次"]


def test_the_operator_and_unit_columns_complete_a_bare_target() -> None:
    assert _with_printed_operator("30", "≤", "万元") == "≤30万元"
    assert _with_printed_operator("100", "﹦", "%") == "=100%"
    assert _with_printed_operator("100", "定量", "%") == "100"  # a value type, not an operator
    assert _with_printed_operator("≥95%", "≥", "%") == "≥95%"  # already whole


def test_notes_say_whether_content_was_read_by_a_guess(tmp_path: Path) -> None:
    findings = [f for f in audit(_write(tmp_path, GRID)).findings if f["rule"] == "parse.unread"]
    assert findings and all("按推测读入" in f["message"] and "未参与核对" not in f["message"] for f in findings)


# A 项目支出绩效自评表 converted to "|" text with its header over three rows (fictional): the upper
# row's 绩效指标 and 年度指标值 cells span the level and target columns, and the 一级指标 cell split off
# onto a line of its own.
SPLIT_HEADER = """2024年度项目支出绩效自评表
项目名称 | 示例镇农田灌溉设施维护经费 | ||||||||
主管部门 | 示例县农业农村局 | 实施单位 | 示例镇人民政府 | ||||||
绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 | |||||
|
一级 指标 |
二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | |||||
| 产出指标 | 数量指标 | 维护灌溉渠道长度 | ≥ | 12 | 公里 | 12.5 | 20.00 | 20.00 | ||
| 质量指标 | 维护工程验收合格率 | ﹦ | 100 | % | 100 | 20 | 18 | |||
| 时效指标 | 维护完成及时率 | ﹦ | 100 | % | 100 | 20.00 | 20.00 | |||
| 效益指标 | 社会效益指标 | 受益农户数 | ≥ | 300 | 户 | 260 | 20.00 | 20.00 | ||
| 满意度指标 | 服务对象满意度指标 | 受益农户满意度 | ≥ | 90 | % | 93 | 10.00 | 10.00 | ||
"""


def test_a_header_over_three_rows_is_joined_and_its_operator_column_read(tmp_path: Path) -> None:
    read = read_document(load(str(_write(tmp_path, SPLIT_HEADER, "split.txt"))))
    [iset] = read.indicator_sets
    assert iset.source == "self_eval"
    by_name = {i.name: i for i in iset.indicators}
    assert by_name["维护灌溉渠道长度"].target.text == "≥12公里"
    assert (by_name["维护工程验收合格率"].target.text, by_name["维护工程验收合格率"].score) == ("=100%", 18)
    assert by_name["受益农户数"].actual.text == "260"
    findings = audit(_write(tmp_path, SPLIT_HEADER, "split2.txt")).findings
    rows = {(f["rule"], f["location"]["row"]) for f in findings if f["rule"].startswith("score.target")}
    # 260 of ≥300 户 scored full marks; 100 of =100% docked to 18/20
    assert rows == {("score.target_missed_full_marks", "受益农户数"), ("score.target_met_deducted", "维护工程验收合格率")}
