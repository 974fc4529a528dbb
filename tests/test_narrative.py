"""narrative.amount and narrative.label: the prose quotes the tables in 万元; the quotes must match."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from auditor.cli import main
from tests.budget_text import budget, line_of
from tests.conftest import seed
from tests.harness import audit_text

AMOUNT = "narrative.amount"
LABEL = "narrative.label"
SAMPLE = Path(__file__).resolve().parents[1] / "datasets" / "budget_2024_sample.txt"


def test_quiet_when_the_prose_quotes_the_tables():
    audited = audit_text(budget(), rule=AMOUNT)
    assert audited.findings == []
    assert audited.status == "passed" and audited.outcomes[AMOUNT].checked >= 12


def test_a_wrong_quote_is_an_error_on_its_line():
    text = budget(P_BASIC="104.00")
    findings = audit_text(text, rule=AMOUNT).findings
    assert len(findings) == 2  # 支出预算说明 and 基本支出预算情况说明 both quote it
    f = next(f for f in findings if f.args["label"] == "基本支出")
    assert f.severity == "error"
    assert f.location.line == line_of(text, "其中：基本支出 104.00 万元")
    assert (f.actual, f.expected, f.difference) == ("104.00 万元", "140.00万元", "-36.00万元")
    lines = {e.line for e in f.evidence}
    assert f.location.line in lines and line_of(text, "\t\t\t合计\t1,700,000\t1,400,000") in lines
    assert f.culprit_candidates[f"prose|{f.location.line}|基本支出"] == "140.00万元"


def test_within_printed_precision_is_not_an_error():
    # 1,700,049 元 is 170.00 万元 to two decimals; 170.01 万元 is not
    more = dict(T1_INCOME_TOTAL="1,700,049", T1_GENERAL="1,700,049", T1_EXPENSE_TOTAL="1,700,049")
    findings = audit_text(budget(**more), rule=AMOUNT).findings
    assert not [f for f in findings if f.args["label"] == "收入总计"]
    findings = audit_text(budget(P_INCOME_GRAND="170.01"), rule=AMOUNT).findings
    assert [f.args["label"] for f in findings] == ["收入总计"]


def test_whole_wan_yuan_quotes_carry_a_wider_rounding():
    # "170 万元" stands for 1,695,000–1,705,000 元
    findings = audit_text(budget(P_INCOME_GRAND="170"), rule=AMOUNT).findings
    assert not [f for f in findings if f.args["label"] == "收入总计"]
    findings = audit_text(budget(P_INCOME_GRAND="171"), rule=AMOUNT).findings
    assert [f.args["label"] for f in findings] == ["收入总计"]


def test_a_sum_of_rounded_parts_may_carry_their_rounding():
    # 人员经费 = 工资福利 1,050,040 + 对个人和家庭的补助 50,040 = 1,100,080 元 = 110.008 万元. A writer
    # who adds the rounded parts (105.00 + 5.00) prints 110.00: that is rounding, not an error.
    def personnel(quote: str) -> list[str]:
        text = budget(tables=("T3",), P_PERSONNEL=quote).replace(
            "\t\t\t合计\t1,700,000\t1,400,000\t1,050,000\t50,000\t",
            "\t\t\t合计\t1,700,000\t1,400,000\t1,050,040\t50,040\t")
        return [f.args["label"] for f in audit_text(text, rule=AMOUNT).findings if f.args["label"] == "人员经费"]

    assert personnel("110.01") == []  # rounded total
    assert personnel("110.00") == []  # sum of rounded parts
    assert personnel("109.99") == ["人员经费"]
    assert personnel("110.03") == ["人员经费"]


def test_a_quote_that_differs_from_a_single_table_names_both_cells():
    text = budget(P_RECEPTION="5.00")
    findings = audit_text(text, rule=AMOUNT).findings
    assert {f.args["label"] for f in findings} == {"公务接待费"}
    f = findings[0]
    # the 三公 table and the 30217 economic row both say 40,000: the prose is the odd one
    assert f.expected == "4.00万元"
    assert set(f.culprit_candidates) == {f"prose|{f.location.line}|公务接待费"}


def test_class_names_in_prose_are_compared_with_the_class_total():
    text = budget(P_CLASS_208="25.00")
    findings = audit_text(text, rule=AMOUNT).findings
    assert len(findings) == 1 and findings[0].args["label"] == "社会保障和就业支出"
    assert findings[0].expected == "20.00万元"


def test_label_naming_an_item_but_quoting_its_sub_class():
    # 行政运行 (2010301) is 120.00 万元; 150.00 万元 is the 20103 款 (行政运行 + 一般行政管理事务)
    text = budget(P_LABEL="行政运行支出")
    audited = audit_text(text, rule=LABEL)
    findings = audited.findings
    assert len(findings) == 1 and audited.status == "failed"
    f = findings[0]
    assert f.severity == "warning"
    assert f.location.line == line_of(text, "行政运行支出 150.00 万元")
    assert (f.args["named_code"], f.args["quoted_code"]) == ("2010301", "20103")
    assert f.variant == ""  # an item's name (项) for its sub-class's total (款): the default message
    assert f.args["named_name"] == "行政运行"
    # not also an amount error
    amount = audit_text(text, rule=AMOUNT).findings
    assert amount == []


def test_label_quiet_when_the_label_and_amount_agree():
    audited = audit_text(budget(P_LABEL="行政运行支出", P_CLASS_201="120.00"), rule=LABEL)
    assert audited.findings == [] and audited.status == "passed"
    # a wrong amount that matches no level is an amount error, not a label warning
    text = budget(P_LABEL="行政运行支出", P_CLASS_201="121.00")
    assert audit_text(text, rule=LABEL).findings == []
    assert [f.args["label"] for f in audit_text(text, rule=AMOUNT).findings] == ["行政运行支出"]


def test_seed_001_no_amount_error_and_the_label_warning():
    text = seed("001").read_text(encoding="utf-8")
    audited = audit_text(text)
    findings = audited.findings
    assert not [f for f in findings if f.rule in (AMOUNT, "crosstable.same_quantity")]
    assert audited.outcomes[AMOUNT].checked >= 40
    labels = [f for f in findings if f.rule == LABEL]
    assert sorted(f.location.line for f in labels) == [106, 122]
    assert all(f.args["label"] == "行政运行支出" for f in labels)
    assert all((f.args["named_code"], f.args["quoted_code"]) == ("2010301", "20103") for f in labels)
    assert all(f.args["quoted_value"] == "74,846,004 元" for f in labels)


def test_sample_dataset_planted_prose_amount():
    findings = audit_text(SAMPLE.read_text(encoding="utf-8"), rule=AMOUNT).findings
    assert len(findings) == 1
    f = findings[0]
    assert f.location.line == 94 and f.actual == "106.41 万元" and f.expected == "106.14万元"


def test_explain_shows_the_new_rules_in_both_languages():
    runner = CliRunner()
    for rule_id, zh, en in ((AMOUNT, "正文金额与表格不符", "differs from the tables"),
                            (LABEL, "科目层级", "classification level"),
                            ("crosstable.same_quantity", "同一数额在不同表中不一致", "differs between tables")):
        result = runner.invoke(main, ["explain", rule_id])
        assert result.exit_code == 0, result.output
        assert zh in result.output and en in result.output
        assert "message (zh):" in result.output and "message (en):" in result.output


def test_an_unscoped_quote_may_name_the_general_budget_copy():
    # 100,000 of 政府性基金 income: the department spends 180.00 万元, the 一般公共预算 170.00 万元.
    # "支出预算 170.00 万元" names no scope, so it may quote the 一般公共预算 figure; 175.00 matches nothing.
    more = dict(T1_FUND="100,000", T1_INCOME_TOTAL="1,800,000", T1_EXPENSE_TOTAL="1,800,000",
                T3_TOTAL="1,800,000", P_INCOME_GRAND="180.00")
    findings = audit_text(budget(**more), rule=AMOUNT).findings
    assert not [f for f in findings if f.args["label"] == "支出预算"]
    findings = audit_text(budget(**more, P_EXPENSE="175.00"), rule=AMOUNT).findings
    assert "支出预算" in {f.args["label"] for f in findings}
    # a stated scope is held to it: 一般公共预算基本支出 is the 一般公共预算 copy only
    findings = audit_text(budget(**more, P_BASIC="150.00"), rule=AMOUNT).findings
    assert {f.args["label"] for f in findings} >= {"一般公共预算基本支出预算"}
