"""score.* rules on hand-built indicator sets and score sheets (the readers that fill them from the
seeds are written separately), plus the target-vs-actual evaluator they share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.engine import load_rules
from auditor.load import load
from auditor.model import Indicator, IndicatorSet, ReadDocument, ScoreRow, ScoreSheet
from auditor.numbers import parse_target
from auditor.read import read_document
from checks.score.sheet import achievement, grade_for
from tests.conftest import seed
from tests.harness import audit_text, message, read_text

D = Decimal


def findings(read: ReadDocument, rule_id: str):
    return audit_text(read, rule=rule_id).findings_and_status


def ind(name: str, target: str, actual: str, weight: str | None, score: str | None, line: int,
        reason: str = "", level1: str = "产出指标", level2: str = "数量指标") -> Indicator:
    return Indicator(level1=level1, level2=level2, name=name, target=parse_target(target), line=line,
                     actual=parse_target(actual), weight=D(weight) if weight else None,
                     score=D(score) if score else None, reason=reason)


def with_indicators(text: str, *indicators: Indicator, project: str = "监管经费") -> ReadDocument:
    read = read_text(text)
    read.indicator_sets = [IndicatorSet(project=project, line=indicators[0].line if indicators else 1,
                                        indicators=list(indicators), source="self_eval")]
    return read


# 20 lines of a minimal self-evaluation; indicators point at lines 10..19 ("row N").
SELF_EVAL = "\n".join(
    ["某局 2023年度监管经费项目支出绩效自评报告", "", "一、项目基本情况", "", "项目资金 10 万元，已全部支付。", ""]
    + [""] * 3 + [f"row {n}" for n in range(10, 20)] + [""]
) + "\n"


# --------------------------------------------------------------------------- the evaluator


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("≤450元", "550", False),          # 反向, missed
        ("≤100 元", "87 元", True),
        ("≥95", "96%", True),              # number vs percent: compared numerically
        ("≥100%", "100%", True),
        ("≥95%", "94%", False),
        ("≥90%", "88%", False),
        ("≤2 次", "1 次", True),
        ("≤0", "0", True),
        ("12 次", "10 次", False),         # plain count: falling short is missed
        ("1 套", "1 套", True),
        ("100%", "97%", False),
        ("等于5万", "等于5万", True),
        ("30 万", "30 万", True),
        ("≤0.6万元", "0.6", True),
        ("≥80个&&≤120个", "130个", False),
        ("≥80个&&≤120个", "100个", True),
        ("及时", "及时", True),
        ("成效明显", "成效明显", True),
        ("按时完成", "按时完成", True),
        ("完善", "未完成", False),
        ("2023年12月", "2023年11月", True),
        ("2023年6月", "2023年11月", False),
    ],
)
def test_achievement_by_operator(target, actual, met):
    result = achievement(parse_target(target), parse_target(actual))
    assert result is not None and result.met is met


@pytest.mark.parametrize(("target", "actual"), [("2 小时", "3 小时"), ("30 万", "35 万"), ("≥95%", "达标"), ("", "1")])
def test_achievement_undecided(target, actual):
    assert achievement(parse_target(target), parse_target(actual)) is None


def test_partial_credit_ratio_is_proportional():
    assert achievement(parse_target("≥50"), parse_target("30")).ratio == D("0.6")
    assert achievement(parse_target("≤450元"), parse_target("550")).ratio == D(450) / D(550)


# --------------------------------------------------------------------------- indicator rules


def test_missed_target_with_full_marks_is_an_error():
    read = with_indicators(SELF_EVAL, ind("人均培训成本", "≤450元", "550", "5", "5", 10, level2="成本指标"))
    found, status = findings(read, "score.target_missed_full_marks")
    assert status == "failed" and len(found) == 1
    f = found[0]
    assert f.severity == "error" and f.location.line == 10 and f.location.row == "人均培训成本"
    assert "550" in f.args["how"] and f.actual == "5"
    assert "10" not in f.key.split("|")  # no line number in the key


def test_missed_target_with_partial_score_is_not_full_marks():
    read = with_indicators(SELF_EVAL, ind("人均培训成本", "≤450元", "550", "5", "4.1", 10),
                           ind("公众满意度提高", "≥95", "96%", "10", "10", 11))
    found, status = findings(read, "score.target_missed_full_marks")
    assert found == [] and status == "passed"


def test_met_target_docked_is_a_warning_and_quotes_the_reason():
    reason = "偶有网络异常，今后及时响应"
    read = with_indicators(SELF_EVAL, ind("维护需求响应及时性", "及时", "及时", "2.0", "1.7", 12, reason=reason))
    found, _ = findings(read, "score.target_met_deducted")
    assert len(found) == 1 and found[0].severity == "warning"
    spec = load_rules()["score.target_met_deducted"]
    assert f"扣分理由：{reason}" in spec.message("zh", found[0].args, found[0].variant)


def test_met_target_docked_without_a_reason_says_so():
    read = with_indicators(SELF_EVAL, ind("维护需求响应及时性", "及时", "及时", "2.0", "1.7", 12))
    found, _ = findings(read, "score.target_met_deducted")
    spec = load_rules()["score.target_met_deducted"]
    assert len(found) == 1 and spec.message("zh", found[0].args, found[0].variant).endswith("未写扣分理由。")


def test_met_target_full_marks_is_quiet():
    read = with_indicators(SELF_EVAL, ind("维护需求响应及时性", "及时", "及时", "2.0", "2.0", 12),
                           ind("业务培训综合满意度", "≥97%", "97.50%", "4", "4", 13))
    found, status = findings(read, "score.target_met_deducted")
    assert found == [] and status == "passed"


def test_partial_score_far_from_proportional_rule_is_info():
    read = with_indicators(SELF_EVAL, ind("夜间执法装备配备数量", "≥50", "30", "10", "2", 10, reason="设备老旧"))
    found, _ = findings(read, "score.partial_credit")
    assert len(found) == 1 and found[0].severity == "info" and found[0].expected == "6.0"
    read = with_indicators(SELF_EVAL, ind("夜间执法装备配备数量", "≥50", "30", "10", "6", 10, reason="设备老旧"))
    assert findings(read, "score.partial_credit")[0] == []


def test_deduction_without_reason():
    read = with_indicators(SELF_EVAL, ind("开展执法业务培训", "12 次", "10 次", "2.0", "1.8", 10),
                           ind("监督检查覆盖率", "100%", "97%", "3.0", "1.5", 11, reason="有所放松"))
    found, _ = findings(read, "score.missing_reason")
    assert [f.location.line for f in found] == [10]
    read = with_indicators(SELF_EVAL, ind("开展执法业务培训", "12 次", "10 次", "2.0", "1.8", 10, reason="未坚持每月一次"))
    assert findings(read, "score.missing_reason")[0] == []


def test_score_above_weight_or_negative():
    read = with_indicators(SELF_EVAL, ind("社会效益", "提升", "提升", "6", "7", 10),
                           ind("生态效益", "提升", "提升", "6", "-1", 11))
    found, _ = findings(read, "score.over_weight")
    assert sorted(f.location.line for f in found) == [10, 11] and all(f.severity == "error" for f in found)
    read = with_indicators(SELF_EVAL, ind("社会效益", "提升", "提升", "6", "6", 10))
    found, status = findings(read, "score.over_weight")
    assert found == [] and status == "passed"


# --------------------------------------------------------------------------- score sheets


EVAL = "\n".join(
    ["某中心 2022 年热线升级改造专项资金项目绩效评价报告", "",
     "本次评价设置两个一级指标对应的 2 个二级指标，按照其指标特性分解为 5 个三级指标。", "",
     "总分在 90（含）-100 分为“优”；", "总分在 80（含）—90 分为“良”；", "总分在 60（含）-80 分为“中”；",
     "总分在 60 分以下为“差”。", ""]
    + [f"row {n}" for n in range(10, 30)] + [""]
) + "\n"


def sheet(rows: list[tuple[int, str, str | None, str | None, str | None]], line: int = 10) -> ScoreSheet:
    """rows: (level, name, weight, deduction, score), on consecutive lines from `line`."""
    built = [ScoreRow(level=lv, name=name, line=line + i, weight=D(w) if w else None,
                      deduction=D(d) if d else None, score=D(s) if s else None)
             for i, (lv, name, w, d, s) in enumerate(rows)]
    return ScoreSheet(title="绩效评价打分表", line=line, rows=built)


GOOD_ROWS = [
    (1, "决策", "18", None, "16.8"),
    (2, "项目立项", "6", None, "6"),
    (3, "立项依据充分性", "3", None, "3"),
    (3, "立项程序规范性", "3", None, "3"),
    (2, "绩效目标", "12", None, "10.8"),
    (3, "绩效目标合理性", "6", None, "6"),
    (3, "绩效指标明确性", "6", "1.2", "4.8"),
    (3, "预算编制科学性", "0", None, "0"),
    (1, "效益", "82", None, "82"),
    (0, "合计", "100", None, "98.8"),
]


def with_sheet(rows, text: str = EVAL) -> ReadDocument:
    read = read_text(text)
    read.score_sheets = [sheet(rows)]
    return read


def test_score_sheet_that_adds_up_is_quiet():
    found, status = findings(with_sheet(GOOD_ROWS), "score.sum")
    # the prose declares 2 二级 and 5 三级 indicators; the sheet has 2 and 5
    assert found == [] and status == "passed"


def test_parent_not_equal_to_children_and_row_arithmetic():
    rows = list(GOOD_ROWS)
    rows[0] = (1, "决策", "18", None, "15.8")          # Σ 二级 = 16.8
    rows[6] = (3, "绩效指标明确性", "6", "1.2", "4.6")  # 6 − 1.2 = 4.8
    found, _ = findings(with_sheet(rows), "score.sum")
    whats = {(f.location.row, f.args["what"], f.actual, f.expected) for f in found}
    assert ("决策", "得分", "15.8", "16.8") in whats
    assert ("绩效指标明确性", "得分", "4.6", "4.8") in whats
    assert all(f.severity == "error" for f in found)
    assert len({f.key for f in found}) == len(found)


def test_total_must_equal_sum_of_first_level_and_weight_minus_deductions():
    rows = list(GOOD_ROWS)
    rows[-1] = (0, "合计", "100", None, "99.8")
    found, _ = findings(with_sheet(rows), "score.sum")
    bases = {f.args["basis"] for f in found if f.location.row == "合计"}
    assert bases == {"各一级指标之和", "总分值 − 各项扣分之和"}


def test_self_eval_total_including_execution_rate_outside_the_rows():
    rows = [(1, "产出指标", "50", None, "50"), (1, "效益指标", "30", None, "30"), (1, "满意度指标", "10", None, "10"),
            (0, "总分（预算执行率得分+绩效指标得分）", "100", None, "100")]
    found, status = findings(with_sheet(rows, SELF_EVAL), "score.sum")
    assert found == [] and status == "passed"
    rows[-1] = (0, "总分（预算执行率得分+绩效指标得分）", "100", None, "101")
    found, _ = findings(with_sheet(rows, SELF_EVAL), "score.sum")
    assert len(found) == 1 and found[0].actual == "101"


def test_branch_counts_are_not_whole_counts():
    text = EVAL + "该指标共设分值为 10 分。该指标下设一个三级指标：实际完成率。项目实施单位下设四个三级指标。\n"
    found, status = findings(with_sheet(GOOD_ROWS, text), "score.sum")
    assert found == [] and status == "passed"


def test_declared_indicator_counts_against_the_sheet():
    text = EVAL.replace("5 个三级指标", "六个三级指标")
    found, _ = findings(with_sheet(GOOD_ROWS, text), "score.sum")
    assert len(found) == 1
    f = found[0]
    assert (f.actual, f.expected, f.location.line) == ("6", "5", 3)
    assert f.key.endswith("declared|3")


# --------------------------------------------------------------------------- grade


def test_grade_bands():
    bands = [(D(90), "优"), (D(80), "良"), (D(60), "中")]
    assert [grade_for(D(x), bands) for x in ("92.9", "90", "89.9", "80", "60", "59.9")] == \
        ["优", "优", "良", "良", "中", "差"]


def test_stated_grade_contradicting_the_reports_own_bands_is_an_error():
    text = EVAL + "本项目绩效评价得分为 88.5 分，得分率 88.50%，本项目绩效等级为“优”。\n"
    found, _ = findings(read_text(text), "score.grade_band")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and (f.expected, f.actual) == ("良", "优") and f.args["score"] == "88.5"


def test_stated_grade_matching_the_total_is_quiet():
    text = EVAL + "本项目绩效评价得分为 92.9 分，得分率 92.90%，本项目绩效等级为“优”。\n"
    found, status = findings(read_text(text), "score.grade_band")
    assert found == [] and status == "passed"


def test_grade_against_default_bands_uses_the_sheet_total_and_is_a_warning():
    text = "某中心 2022 年项目绩效评价报告\n\n综合评价，本项目评价等级为“良好”。\n\nrow 4\n" + "\n" * 10
    read = read_text(text)
    read.score_sheets = [ScoreSheet(title="打分表", line=5, rows=[ScoreRow(level=0, name="合计", line=5,
                                                                       weight=D(100), score=D("79.5"))])]
    found, _ = findings(read, "score.grade_band")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].expected == "中"


# --------------------------------------------------------------------------- claims


def test_no_deviation_claim_next_to_a_missed_target():
    text = SELF_EVAL + "三、偏离绩效目标的原因和下一步改进措施\n\n各项指标年度值均能合理设置，暂无偏差。\n"
    read = with_indicators(text, ind("人均培训成本", "≤450元", "550", "5", "5", 10, level2="成本指标"),
                           ind("检查次数", "≥15", "19", "6", "6", 11))
    found, _ = findings(read, "score.claim")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and f.args["claim"] == "暂无偏差" and "人均培训成本" in message(f)
    assert [e.line for e in f.evidence][1:] == [10]


def test_claim_quiet_when_every_target_is_met():
    text = SELF_EVAL + "截止2023年12月31日全面完成绩效目标。\n"
    read = with_indicators(text, ind("检查次数", "≥15", "19", "6", "6", 10))
    found, status = findings(read, "score.claim")
    assert found == [] and status == "passed"


def test_claim_against_admitted_delay_and_low_execution_rate():
    text = SELF_EVAL + ("（3）时效指标。系统测试稍有延期，投入使用时间延期。\n\n"
                        "项目资金执行率 95%。\n\n三、偏离绩效目标的原因和下一步改进措施\n\n"
                        "项目总体绩效目标和绩效指标已完成，实施中未出现偏离问题。\n")
    found, _ = findings(read_text(text), "score.claim")
    claims = {f.args["claim"]: message(f) for f in found}
    assert "延期" in claims["未出现偏离问题"] and "95" in claims["未出现偏离问题"]
    assert "延期" not in claims["绩效指标已完成"] and "95" in claims["绩效指标已完成"]


def test_negated_delay_and_template_wording_are_not_admissions():
    text = SELF_EVAL + "项目按期实施，无延期。未完成原因及改进措施：无。\n\n实施中未出现偏离问题。\n"
    found, status = findings(read_text(text), "score.claim")
    assert found == [] and status == "passed"


def test_dimension_not_set_but_given_full_marks():
    text = EVAL + "（2）经济效益，该指标共设分值 6 分，项目实施单位未设置经济效益指标值。\n"
    rows = [(1, "效益", "26", None, "26"), (2, "项目效益", "26", None, "26"), (3, "社会效益", "20", None, "20"),
            (3, "经济效益", "6", None, "6")]
    found, _ = findings(with_sheet(rows, text), "score.claim")
    assert len(found) == 1 and "经济效益" in message(found[0])
    rows[3] = (3, "经济效益", "6", "6", "0")
    assert findings(with_sheet(rows, text), "score.claim")[0] == []


def test_claims_are_scoped_to_their_own_report():
    text = ("甲局 2023年度甲项目支出绩效自评报告\n\n各项指标均已完成，暂无偏差。\n\n"
            "乙局 2023年度乙项目支出绩效自评报告\n\n指标情况如下。\n\nrow 9\n")
    read = read_text(text)
    assert len(read.sections) == 2
    read.indicator_sets = [IndicatorSet(project="乙项目", line=9, indicators=[ind("检查次数", "≥15", "10", "6", "4", 9)])]
    found, _ = findings(read, "score.claim")
    assert found == []


def test_total_from_leaf_rows_when_first_level_prints_only_weights():
    rows = [(1, "决策", "6", None, None), (3, "立项依据充分性", "3", None, "3"), (3, "绩效指标明确性", "3", "1.2", "1.8"),
            (0, "合计", "6", "1.2", "4.8")]
    found, status = findings(with_sheet(rows, SELF_EVAL), "score.sum")
    assert found == [] and status == "passed"
    rows[-1] = (0, "合计", "6", "1.2", "5.8")
    found, _ = findings(with_sheet(rows, SELF_EVAL), "score.sum")
    assert {f.args["basis"] for f in found} >= {"各末级指标之和", "分值 − 扣分"}


# --------------------------------------------------------------------------- seeds



def test_seed_003_no_deviation_claim_next_to_admitted_delay():
    found, _ = findings(read_document(load(seed("003"))), "score.claim")
    by_line = {f.location.line: f for f in found}
    assert 487 in by_line and "延期" in message(by_line[487])
    # the first two reports print no indicator table and admit no delay
    assert not [line for line in by_line if line < 155]


def test_seed_002_grade_matches_its_total():
    found, status = findings(read_document(load(seed("002"))), "score.grade_band")
    assert found == [] and status == "passed"
