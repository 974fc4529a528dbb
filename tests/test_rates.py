"""Rates: the rate reader (auditor/read/rates.py) and the rules rate.recompute, rate.change,
rate.rounding (checks/rate/operands.py). Inline snippets are written for these tests; seeds are read
from the shared folder when present."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditor.engine import load_rules
from auditor.load.text import split_lines
from auditor.model import Document, Finding, Number, ReadDocument, ScoreRow, ScoreSheet
from auditor.read.rates import RateStatement, read_rates
from tests.harness import audit_text, read_text

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def rate_findings(source: str | ReadDocument) -> list[Finding]:
    return audit_text(source).of("rate.")


def by_rule(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


def message(finding, lang="zh"):
    return load_rules()[finding.rule].message(lang, finding.args, finding.variant)


def only(rates: list[RateStatement], kind: str) -> list[RateStatement]:
    return [r for r in rates if r.kind == kind]


# --------------------------------------------------------------------------- shares

IMPLIED = ("2020 年一般公共预算支出预算 1000.00 万元，主要用于以下方面：行政运行支出 600.00 万元，占 {a}%；"
           "培训支出 300.00 万元，占 {b}%；医疗卫生支出 100.00 万元，占 {c}%。\n")


def test_share_with_implied_denominator_is_read_and_confirmed():
    doc = read_text(IMPLIED.format(a="60", b="30.0", c="10.0"))
    shares = only(doc.rates, "share")
    assert [s.label for s in shares] == ["行政运行支出", "培训支出", "医疗卫生支出"]
    first = shares[0]
    assert first.part is not None and first.part.number.value == Decimal("600.00")
    assert first.whole is not None and first.whole.number.value == Decimal("1000.00")
    assert first.implied == "sentence_total"
    assert len({s.group for s in shares}) == 1 and all(s.group_whole for s in shares)
    audited = audit_text(doc)
    findings, outcomes, stats = audited.of("rate."), audited.outcomes, audited.stats
    assert findings == []
    assert outcomes["rate.recompute"].status == "passed"
    assert stats["rates_checked"] == 3 and stats.get("rates_failed", 0) == 0


def test_share_with_implied_denominator_that_fails_is_a_warning_naming_both_operands():
    audited = audit_text(IMPLIED.format(a="65", b="30.0", c="10.0"))
    findings, stats = audited.of("rate."), audited.stats
    recompute = by_rule(findings, "rate.recompute")
    assert len(recompute) == 1
    f = recompute[0]
    assert f.severity == "warning"  # the whole came from the domain (DOMAIN C29), not the clause
    assert f.args["numerator"] == "600.00 万元" and f.args["denominator"] == "1000.00 万元"
    assert f.args["recomputed"] == "60.00%" and f.actual == "65%"
    assert "句首" in message(f)
    # the enumeration covers its whole (600 + 300 + 100 = 1000) but the shares add up to 105%
    sums = [x for x in by_rule(findings, "rate.change") if x.variant == "shares_sum"]
    assert len(sums) == 1 and sums[0].args["sum"] == "105.0%"
    assert stats["rates_failed"] == 1


def test_share_with_explicit_denominator_fails_as_error():
    text = "行政运行支出 600.00 万元，占支出总计 1000.00 万元的 70.0%。\n"
    doc = read_text(text)
    (share,) = only(doc.rates, "share")
    assert share.whole is not None and share.whole.number.value == Decimal("1000.00") and not share.implied
    findings = rate_findings(doc)
    (f,) = by_rule(findings, "rate.recompute")
    assert f.severity == "error" and f.args["recomputed"] == "60.000%"
    assert read_text("行政运行支出 600.00 万元，占支出总计 1000.00 万元的 60.0%。\n").rates and rate_findings(
        "行政运行支出 600.00 万元，占支出总计 1000.00 万元的 60.0%。\n") == []


def test_share_without_part_amount_lacks_operands_but_complementary_shares_must_sum():
    audited = audit_text("基本支出占 58.5%，项目支出占 40.5%。\n")
    findings, outcomes, stats = audited.of("rate."), audited.outcomes, audited.stats
    assert stats["rates_lacking_operands"] == 2
    assert outcomes["rate.recompute"].status == "insufficient_data"
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "shares_sum" and f.args["sum"] == "99.0%"
    assert rate_findings("基本支出占 58.5%，项目支出占 41.5%。\n") == []


def test_share_whose_whole_is_smaller_than_its_part_is_not_paired():
    doc = read_text("经费 10.00 万元，主要用于：办公费 600.00 万元，占 60%。\n")
    (share,) = only(doc.rates, "share")
    assert share.whole is None


def test_occupied_is_not_a_share():
    assert only(read_text("国有资产占用 1000.00 万元，占用率 50%。\n").rates, "share") == []


# --------------------------------------------------------------------------- changes


@pytest.mark.parametrize(
    ("text", "direction", "previous_sign"),
    [
        ("收入总计 125.00 万元，比上年增加 25.00 万元，增长 25.00%。\n", "增加", 1),
        ("收入总计 125.00 万元，比上年增长 25.00 万元，增长 25.00%。\n", "增长", 1),
        ("“三公”经费预算 98.00 万元，比上年预算数减少 27.00 万元，下降 21.60%。\n", "减少", -1),
        ("“三公”经费预算 98.00 万元，比上年预算数下降 27.00 万元，下降 21.60%。\n", "下降", -1),
    ],
)
def test_change_in_each_direction_is_read_and_confirmed(text, direction, previous_sign):
    doc = read_text(text)
    (change,) = only(doc.rates, "change")
    assert change.direction == direction
    assert change.amount is not None and change.current is not None and change.rate is not None
    audited = audit_text(doc)
    findings, outcomes, stats = audited.of("rate."), audited.outcomes, audited.stats
    assert findings == []
    assert outcomes["rate.change"].status == "passed" and stats["rates_checked"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "收入总计 125.00 万元，比上年增加 25.00 万元，增长 30.00%。\n",
        "“三公”经费预算 98.00 万元，比上年预算数减少 27.00 万元，下降 25.00%。\n",
    ],
)
def test_change_percentage_mismatch_is_reported_with_its_base(text):
    audited = audit_text(text)
    findings, stats = audited.of("rate."), audited.stats
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "" and f.severity == "warning"  # the percentage
    assert f.args["recomputed"] in ("25.0000%", "21.6000%")
    assert stats["rates_failed"] == 1


def test_change_on_the_wrong_base_says_so():
    # 1004.7 / 8641.20 = 11.627 %: divided by this year, not by last year (9645.9)
    findings = rate_findings("支出总计 8641.20 万元，与上年预算相比减少 1004.7 万元，下降 11.63%。\n")
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "wrong_base"
    assert "本年数" in message(f) and "previous year" in message(f, "en")
    assert f.expected == "10.4158%"


def test_change_direction_words_that_contradict_each_other():
    findings = rate_findings("“三公”经费预算 98 万元，比上年预算数减少 27 万元，增长 21.6%。\n")
    problems = {f.variant for f in by_rule(findings, "rate.change")}
    assert "words" in problems


def test_change_direction_against_printed_years():
    text = "公务接待费 100.00 万元，比上年 80.00 万元减少 20.00 万元。\n"
    (change,) = only(read_text(text).rates, "change")
    assert change.previous is not None and change.previous.number.value == Decimal("80.00")
    findings = rate_findings(text)
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "grew" and f.severity == "error"
    assert rate_findings("公务接待费 100.00 万元，比上年 120.00 万元减少 20.00 万元。\n") == []


def test_change_amount_disagrees_with_current_minus_previous():
    findings = rate_findings("“三公”经费预算 98 万元，比上年的 125 万元减少 25 万元。\n")
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "amount" and f.expected == "27万元" and f.actual == "25 万元"


def test_flat_with_a_change_is_reported_and_plain_flat_is_quiet():
    findings = rate_findings("公务接待费 8 万元，与上年持平，增长 5%。\n")
    (f,) = by_rule(findings, "rate.change")
    assert f.variant == "flat"
    findings = rate_findings("公务接待费 8.00 万元，比上年 10.00 万元持平。\n")
    assert [f.variant for f in by_rule(findings, "rate.change")] == ["fell"]
    # a plain 持平 is read as a change of 0 (a part of a total's change) and raises nothing
    (flat,) = read_text("政府性基金收支预算 0 万元，与上年持平。\n").rates
    assert flat.direction == "持平" and flat.rate is None and flat.amount is None
    assert rate_findings("政府性基金收支预算 0 万元，与上年持平。\n") == []
    assert rate_findings("公务接待费 8.00 万元，比上年 8.00 万元持平。\n") == []


def test_change_with_previous_printed_and_no_amount():
    assert rate_findings("支出 110.00 万元，比上年 100.00 万元增长 10.0%。\n") == []
    (f,) = rate_findings("支出 110.00 万元，比上年 100.00 万元增长 11.0%。\n")
    assert f.variant == "" and f.args["denominator"] == "100.00 万元"


def test_change_rate_without_operands_lacks_operands():
    audited = audit_text("支出比上年增长 10.0%。\n")
    outcomes, stats = audited.outcomes, audited.stats
    assert stats["rates_lacking_operands"] == 1
    assert outcomes["rate.change"].status == "insufficient_data"


def test_reduction_without_comparison_is_not_a_change():
    assert read_text("减少人员伤亡 5 万元，下降 3%。\n").rates == []


# --------------------------------------------------------------------------- named rates


def test_named_rates_with_and_without_percent_sign():
    text = ("当年预算资金 30 万元，到位 30 万元，资金到位率100。\n"
            "实际到位资金 248.19 万元，实际支出资金 240.81 万元。资金到位率 100.00%；预算执行率 97.03%。\n")
    doc = read_text(text)
    named = only(doc.rates, "named")
    assert [(n.label, n.rate.text) for n in named] == [
        ("资金到位率", "100"), ("资金到位率", "100.00%"), ("预算执行率", "97.03%")]
    execution = named[2]
    assert execution.numerator.label == "实际支出资金" and execution.denominator.label == "实际到位资金"
    assert rate_findings(doc) == []
    (f,) = rate_findings("当年预算资金 30.00 万元，到位 27.00 万元，资金到位率100。\n")
    assert f.rule == "rate.recompute" and f.severity == "error"
    assert f.args["numerator"] == "27.00 万元" and f.args["denominator"] == "30.00 万元"
    assert f.args["recomputed"] == "90.00%"


def test_execution_rate_accepts_the_budget_base_and_reports_when_neither_fits():
    base = "预算资金 250.00 万元，实际到位资金 200.00 万元，实际支出资金 180.00 万元，预算执行率 {}。\n"
    assert rate_findings(base.format("90.00%")) == []  # 支出 / 到位 (财预〔2020〕10号)
    assert rate_findings(base.format("72.00%")) == []  # 支出 / 预算 (self-evaluation form)
    (f,) = rate_findings(base.format("80.00%"))
    assert f.args["denominator_label"] == "实际到位资金" and "亦不符" in message(f)


def test_saving_rate_and_completion_rate():
    assert rate_findings("计划成本 100.00 万元，实际成本 92.00 万元，成本节约率 8.00%。\n") == []
    (f,) = rate_findings("计划成本 100.00 万元，实际成本 92.00 万元，成本节约率 9.00%。\n")
    assert f.args["numerator"] == "(100.00 万元 − 92.00 万元)" and f.args["recomputed"] == "8.0000%"
    assert rate_findings("年初预算 200.00 万元，决算支出 190.00 万元，完成年初预算的 95.00%。\n") == []


def test_named_rate_targets_are_not_statements():
    assert read_text("预算执行率达到 90% 以上。\n").rates == []
    assert read_text("预算执行率 =100%\n").rates == []


def test_named_rate_operands_from_previous_paragraph_make_a_warning():
    text = ("1. 项目资金到位情况分析。当年预算资金 30.00 万元，到位 30.00 万元，资金到位率 100%。\n"
            "2. 项目资金执行情况分析。至 2023 年底使用 27.00 万元，预算执行率 100%。\n")
    findings = rate_findings(text)
    (f,) = findings
    assert f.severity == "warning" and "上一段" in message(f)


def test_zero_base_is_lacking_not_failed():
    text = "年初预算数 全年预算数 全年执行数 执行率\n单位资金 0.00 0.00 0.00 0.00%\n"
    audited = audit_text(text)
    findings, stats = audited.of("rate."), audited.stats
    assert findings == [] and stats["rates_lacking_operands"] == 1 and stats["rates_zero_base"] == 1


def test_funds_grid_execution_rate():
    text = ("年初预算数 全年预算数 全年执行数 执行率\n年度资金\n总额：\n248.19 248.19 240.81 97.03%\n"
            "政府预算资金 248.19 248.19 240.81 96.03%\n")
    doc = read_text(text)
    grid = [r for r in doc.rates if r.source == "grid"]
    assert [g.label for g in grid] == ["年度资金总额 执行率", "政府预算资金 执行率"]
    (f,) = rate_findings(doc)
    assert f.location.line == 5 and f.args["recomputed"] == "97.0265%"


# --------------------------------------------------------------------------- score rates


def test_score_rates_in_a_hand_built_score_sheet():
    doc = ReadDocument(doc=Document(path="sheet.txt", lines=split_lines("x\n", "sheet.txt").lines))
    doc.score_sheets = [ScoreSheet(title="绩效评价分值表", line=1, rows=[
        ScoreRow(level=1, name="决策", line=1, weight=Decimal(18), score=Decimal("16.8"),
                 rate=Number(Decimal("93.33"), 2, "%", "93.33%")),
        ScoreRow(level=1, name="产出", line=1, weight=Decimal(40), score=Decimal("34.2"),
                 rate=Number(Decimal("88.50"), 2, "%", "88.50%")),
        ScoreRow(level=1, name="效益", line=1, weight=Decimal(26), score=None,
                 rate=Number(Decimal("100.00"), 2, "%", "100.00%")),
    ])]
    doc.rates = read_rates(doc)
    assert [r.kind for r in doc.rates] == ["score_rate"] * 3
    audited = audit_text(doc)
    findings, stats = audited.of("rate."), audited.stats
    (f,) = findings
    assert f.args["label"] == "产出 得分率" and f.args["numerator"] == "34.2分" and f.args["denominator"] == "40分"
    assert (stats["rates_checked"], stats["rates_failed"], stats["rates_lacking_operands"]) == (2, 1, 1)


def test_score_grid_and_prose_score_rate():
    text = ("本次项目绩效评价得分为 92.9 分，得分率 92.90%。\n\n一级指标 分值 得分 得分率\n决策 18 16.8 93.33%\n"
            "过程 16 15.9 99.38%\n产出 40 34.2 84.50%\n")
    doc = read_text(text)
    assert [r.kind for r in doc.rates] == ["score_rate"] * 4
    assert doc.rates[0].implied == "full_marks_100"
    (f,) = rate_findings(doc)
    assert f.args["label"] == "产出 得分率" and f.args["recomputed"] == "85.5000%"


# --------------------------------------------------------------------------- rounding vs truncation


@pytest.mark.parametrize(("printed", "rule_id"), [("10.42%", None), ("10.41%", "rate.rounding"),
                                                   ("10.40%", "rate.change")])
def test_rounding_versus_truncation_boundary(printed, rule_id):
    # 1004.7 / (8641.20 + 1004.7) = 10.4158 %: 10.42 rounded, 10.41 truncated, 10.40 wrong.
    audited = audit_text(f"支出总计 8641.20 万元，与上年相比，减少 1004.7 万元，下降 {printed}。\n")
    findings, stats = audited.of("rate."), audited.stats
    assert [f.rule for f in findings] == ([rule_id] if rule_id else [])
    if rule_id == "rate.rounding":
        assert findings[0].severity == "info" and findings[0].expected == "10.42%"
        assert stats["rates_truncated"] == 1 and stats["rates_failed"] == 0


def test_named_rate_truncation_is_info():
    # integer 元 operands are exact: 20000 / 30000 = 66.666…%
    findings = rate_findings("预算资金 30000 元，实际支出资金 20000 元，预算执行率 66.66%。\n")
    assert [f.rule for f in findings] == ["rate.rounding"]
    assert rate_findings("预算资金 30000 元，实际支出资金 20000 元，预算执行率 66.67%。\n") == []
    # with 2-decimal 万元 operands the interval is wide enough for either
    assert rate_findings("预算资金 3.00 万元，实际支出资金 2.00 万元，预算执行率 66.66%。\n") == []


def test_rules_are_documented_with_cases():
    # their cases (checks/cases/rate.*.yaml) run in tests/test_rule_cases.py
    from auditor.cases import rule_cases

    rules = load_rules()
    for rule_id in ("rate.recompute", "rate.change", "rate.rounding"):
        spec = rules[rule_id]
        assert spec.doc and rule_cases(rule_id) and spec.title("zh") and spec.title("en")


# --------------------------------------------------------------------------- seeds


def seed(prefix: str) -> ReadDocument:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip("seed not available")
    return read_text(paths[0].read_text(encoding="utf-8"), str(paths[0]))


def test_seed_001_every_rate_is_confirmed_or_reported():
    doc = seed("001")
    audited = audit_text(doc)
    findings, stats = audited.of("rate."), audited.stats
    assert (stats["rates_checked"], stats["rates_lacking_operands"], stats["rates_failed"]) == (7, 0, 0)
    # changes with a percentage; the bare ones ("比上年减少 27 万元") are kept as parts' changes
    assert [r.label for r in doc.rates if r.kind == "change" and r.rate is not None] == ["收、支总计", "“三公”经费预算"]
    # 收、支总计各减少 1004.7 万元，下降 10.41%: 1004.7 / 9645.9 = 10.4158%, truncated
    (f,) = findings
    assert f.rule == "rate.rounding" and f.actual == "10.41%" and f.expected == "10.42%"


def test_seed_002_every_rate_is_confirmed_or_reported():
    doc = seed("002")
    audited = audit_text(doc)
    findings, stats = audited.of("rate."), audited.stats
    assert findings == []
    # lacking: the two 0.00/0.00 rows of the funds table. (The 打分表 quote of 预算执行率97.03% is part
    # of the score sheet now, read by the score reader, so it is no longer a prose rate.)
    assert (stats["rates_checked"], stats["rates_lacking_operands"], stats["rates_failed"]) == (11, 2, 0)
    labels = {r.label for r in doc.rates if r.kind == "score_rate"}
    assert {"决策 得分率", "综合绩效 得分率", "得分率"} <= labels


def test_a_change_never_takes_another_clauses_amount_as_its_current_value():
    # The second change has no current value of its own in the sentence: no false alarm.
    text = ("与上年相比，基本支出比上年增加 54.91 万元，增长 3.24%，主要原因是调整缴费基数；"
            "项目支出比上年增加 29.50 万元，增长 8.31%，主要原因是新增装备经费。\n")
    findings = rate_findings(text)
    assert by_rule(findings, "rate.change") == []


def test_grid_rate_words_end_in_lv() -> None:
    """_grid_rates passes over lines without 率 until a header is found: every rate word ends in it."""
    from auditor.numbers import _FULLWIDTH
    from auditor.read.rates import _GRID_RATES

    assert all(rate_word.endswith("率") for rate_word, *_ in _GRID_RATES)
    assert ord("率") not in _FULLWIDTH and all("率" not in v for v in _FULLWIDTH.values())
