"""Rules read facts, never text (issue 17): parsing lives in auditor/read, and each reader the rules
use turns a fictional sentence into the structured fields they compare."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

from auditor.model import Column, Paragraph
from auditor.numbers import parse_target
from auditor.read.dates import HEADING, OWN_PERIOD, PERIOD_END, SIGNING, paragraph_years, title_years
from auditor.read.econ_labels import expense_group, name_column_kind, unit_type_suffix
from auditor.read.grades import bands, stated_grades, stated_scores
from auditor.read.indicators import dept_task
from auditor.read.kind import department
from auditor.read.prose import squash
from auditor.read.score_prose import (
    admissions,
    claims,
    cn_number,
    execution_rates,
    unset_dimensions,
    whole_indicator_counts,
)
from auditor.read.value_form import bare_number_text, date_key, lists_items, names_rate, negated

CHECKS = Path(__file__).resolve().parents[1] / "checks"
TEXT_FAMILY = {"text.py"}  # the text.* rules read wording itself and keep their patterns


def _rule_modules() -> list[Path]:
    return sorted(p for p in CHECKS.glob("*.py") if p.name not in TEXT_FAMILY)


def test_no_regex_in_rules_outside_the_text_family():
    compiled = [p.name for p in _rule_modules() if "re.compile" in p.read_text(encoding="utf-8")]
    assert compiled == []


def test_rules_do_not_import_a_regex_module():
    """Without `re` (or `regex`) a rule cannot search document text: it reads the readers' fields."""
    offenders = []
    for path in _rule_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("re", "regex")]
    assert offenders == []


def test_the_structural_check_sees_a_regex():
    """The two checks above are not vacuous: the text family does use regexes."""
    assert "re.compile" in (CHECKS / "text.py").read_text(encoding="utf-8")
    assert len(_rule_modules()) >= 10


def _para(text: str) -> Paragraph:
    return Paragraph(text=text, lines=[1], offsets=[0])


def test_dates_reader_reads_period_statements():
    signing = paragraph_years(_para("2031年1月15日"))
    assert [(m.form, m.year) for m in signing] == [(SIGNING, 2031)]
    heading = paragraph_years(_para("2030年示范局部门收支总体情况表"))
    assert [(m.form, m.year, m.compare) for m in heading] == [(HEADING, 2030, False)]
    assert paragraph_years(_para("2028-2030年示范局发展规划说明")) == []  # a range is not a period
    body = paragraph_years(_para("截至2029年12月31日，项目已全面完成。2030年度项目预算资金与上年相比持平。"))
    assert [(m.form, m.year, m.done, m.plan) for m in body if m.form == PERIOD_END] == [(PERIOD_END, 2029, True, False)]
    assert [(m.form, m.year, m.compare) for m in body if m.form == OWN_PERIOD] == [(OWN_PERIOD, 2030, True)]
    planned = paragraph_years(_para("预计到2031年底完成建设。"))
    assert [(m.year, m.plan) for m in planned] == [(2031, True)]
    assert [m.year for m in title_years("2030年示范局一般公共预算支出情况表")] == [2030]
    assert title_years("示范局一般公共预算支出情况表") == []


def test_econ_labels():
    assert name_column_kind(Column(0, "科目名称", ("部门预算经济分类", "科目名称"), is_value=False)) == "name"
    assert name_column_kind(Column(1, "名称", ("政府预算经济分类", "名称"), is_value=False)) == "gov_name"
    assert name_column_kind(Column(2, "款", ("部门预算经济分类", "款"), is_value=False)) == "code"
    assert name_column_kind(Column(3, "项目名称", ("项目名称",), is_value=False)) == ""
    assert unit_type_suffix("工资奖金津补贴_事业") == "事业"
    assert unit_type_suffix("工资奖金津补贴") is None
    assert (expense_group("人员经费合计"), expense_group("日常公用经费"), expense_group("项目支出")) == \
        ("personnel", "public", "")


def test_score_prose_reader():
    counts = whole_indicator_counts("共设三个一级指标、八个二级指标和十五个三级指标。")
    assert [(c.count, c.level) for c in counts] == [(3, 1), (8, 2), (15, 3)]
    assert whole_indicator_counts("该指标下设两个三级指标。") == []  # one branch, not the system
    assert cn_number("十五") == 15 and cn_number("两") == 2 and cn_number("若干") is None
    found = claims("本项目全面完成年度绩效目标，暂无偏差。")
    assert [(c.text, c.no_deviation) for c in found] == [("全面完成年度绩效目标", False), ("暂无偏差", True)]
    assert claims("部分任务仍在推进。") == []
    rates = execution_rates("预算执行率为 96.5%。")
    assert [(r.value, r.value_text) for r in rates] == [(Decimal("96.5"), "96.5")]
    assert [a.text for a in admissions("设备采购延期一个月。")] == ["延期"]
    assert admissions("项目无延期。") == []
    assert [d.dimension for d in unset_dimensions("本项目未设置经济效益指标。")] == ["经济效益"]


def test_grades_reader():
    assert [(g.grade, g.offset) for g in stated_grades("绩效等级为“良好”。")] == [("良", 2)]
    assert stated_grades("等级评定工作已结束。") == []
    assert [s.score for s in stated_scores("自评得分为 88.5 分。")] == [Decimal("88.5")]
    printed = bands([_para("总分 90（含）-100 分为“优”，80（含）-90 分为“良”。")])
    assert printed == [(Decimal(90), "优"), (Decimal(80), "良")]
    assert bands([_para("按评分标准打分。")]) == []


def test_value_form_helpers():
    assert lists_items("1、培训。2、验收。") and not lists_items("培训覆盖率")
    assert names_rate("验收合格率") and names_rate("群众满意度") and not names_rate("培训人次")
    assert negated("未完成") and negated("尚未验收") and not negated("完成")
    assert date_key("2030年6月") == (2030, 6, 31) and date_key("年底前") is None
    assert bare_number_text(parse_target("≥ 95%")) == "95%"


def test_small_keys():
    assert dept_task("年度主要任务.任务一") == "任务一"
    assert dept_task("年度主要任务.任务一.合计") is None and dept_task("年度总体目标") is None
    assert department("示范市 文化局（本级）") == "示范市文化局"
    assert squash("一、 项目，概况：") == "一项目概况"


def test_grade_bands_start_at_a_number_boundary():
    """The band regex (moved here from the score rules, checks/score/sheet.py) starts a bound only
    where a number starts, so a long digit run is not retried at every digit, and bands are still
    read."""
    from auditor.read.grades import _BAND_RANGE

    text = "总分在 90（含）-100 分为“优”，80（含）-90 分为“良”，12390（含）以上为“优”"
    assert [(m.group(1), m.group(2)) for m in _BAND_RANGE.finditer(text)] == [
        ("90", "优"), ("80", "良"), ("12390", "优")]
    assert _BAND_RANGE.search("1" * 2000 + "（含） 分") is None
