"""crosstable.same_quantity: the same money printed in several tables must agree."""

from __future__ import annotations

from decimal import Decimal

from auditor.rank import rank
from tests.budget_text import budget, line_of
from tests.conftest import seed
from tests.harness import audit_text, concept_of, message

RULE = "crosstable.same_quantity"


def test_quiet_when_every_copy_agrees():
    audited = audit_text(budget(), rule=RULE)
    assert audited.findings == []
    assert audited.status == "passed" and audited.outcomes[RULE].checked > 20


def test_basic_expenditure_table_total_disagrees_with_the_others():
    text = budget(T6_TOTAL="1,450,000")
    findings = audit_text(text, rule=RULE).findings
    basic = [f for f in findings if concept_of(f) == "expense.basic"]
    # both cells of the 合计 row (小计 and 其中：财政拨款, the same money here) are reported
    assert len(basic) == 2 and {f.location.column for f in basic} == {"小计", "其中：财政拨款"}
    f = next(f for f in basic if f.location.column == "小计")
    assert f.severity == "error"
    assert f.location.line == line_of(text, "\t\t合计\t1,450,000")
    assert (f.actual, f.expected, f.difference) == ("1,450,000", "1,400,000", "50,000")
    assert f.location.table == "2023 年一般公共预算基本支出情况表"
    # the lines of the copies it was compared with are evidence
    lines = {e.line for e in f.evidence}
    assert line_of(text, "一、一般公共预算\t1,700,000\t一、基本支出") in lines
    assert f.culprit_candidates == {"2023 年一般公共预算基本支出情况表|合计|小计|0": "1,400,000"}


def test_one_wrong_cell_is_one_group_with_its_row_and_column_sums():
    # 2010301 工资福利 in 部门支出总体情况表 printed 990,000 instead of 900,000
    text = budget(T3_RUN_SALARY="990,000")
    findings = audit_text(text).findings
    line = line_of(text, "201\t03\t01")
    same = [f for f in findings if f.rule == RULE]
    assert len(same) == 1 and same[0].location.line == line
    assert concept_of(same[0]) == "expense.function[2010301].basic.salary"
    ranked = rank(findings, {"doc.txt": Decimal(1_700_000)})
    key = "2023年部门支出总体情况表|2010301 行政运行（政府办公厅（室）及相关机构事务）|工资福利支出|0"
    group = [f for f in ranked if f.group == same[0].group]
    assert {f.rule for f in group} >= {RULE, "total.row_sum", "total.column_sum"}
    lead = next(f for f in group if f.group_lead)
    assert lead.suggestion == "900,000"
    assert all(key in f.culprit_candidates for f in group)


def test_two_copies_disagree_the_one_whose_table_does_not_add_up_is_named():
    text = budget(T5_RUN_SALARY="909,000")
    findings = audit_text(text, rule=RULE).findings
    assert len(findings) == 1
    f = findings[0]
    assert f.location.line == line_of(text, "201\t03\t01", 2)  # the 一般公共预算支出情况表 row
    assert f.actual == "909,000" and f.expected == "900,000"
    assert line_of(text, "201\t03\t01", 1) in {e.line for e in f.evidence}


def test_split_economic_rows_are_summed_before_comparing():
    findings = audit_text(budget(T6_30101="600,000"), rule=RULE).findings
    assert findings == []
    # the 基本支出 table says 610,000 (and its 合计 follows), the economic-class table 400,000 + 200,000:
    # one table against one, each adding up — both are named, either may be the wrong one
    text = budget(T6_30101="610,000", T6_TOTAL="1,410,000")
    findings = audit_text(text, rule=RULE).findings
    econ = [f for f in findings if concept_of(f) == "expense.econ[30101].basic"]
    t6 = line_of(text, "301\t01\t基本工资\t610,000")
    t5b = {line_of(text, "301\t01\t基本工资\t501"), line_of(text, "301\t01\t基本工资\t505")}
    assert econ and all(f.location.line == t6 for f in econ)
    assert all(t5b <= {e.line for e in f.evidence} for f in econ)
    assert any(k.startswith("2023年一般公共预算支出情况表|30101 基本工资") for k in econ[0].culprit_candidates)


def test_sangong_item_against_its_economic_rows_is_a_warning():
    # the prose (4.00 万元) agrees with the economic row: the 三公 table is the odd one
    text = budget(T7_RECEPTION="50,000", T7_TOTAL="110,000", P_SANGONG="11.00")
    findings = audit_text(text, rule=RULE).findings
    reception = [f for f in findings if concept_of(f) == "sangong.reception"]
    assert len(reception) == 1
    f = reception[0]
    assert f.severity == "warning"
    assert f.location.line == line_of(text, "2、公务接待费")
    assert (f.actual, f.expected) == ("50,000", "40,000")
    assert line_of(text, "302\t17\t公务接待费\t502") in {e.line for e in f.evidence}
    # the prose agrees with the 三公 table: the economic row is named
    text = budget(T7_RECEPTION="50,000", T7_TOTAL="110,000", P_RECEPTION="5.00", P_SANGONG="11.00")
    findings = audit_text(text, rule=RULE).findings
    reception = [f for f in findings if concept_of(f) == "sangong.reception"]
    assert len(reception) == 1 and reception[0].location.line == line_of(text, "302\t17\t公务接待费\t502")
    assert reception[0].severity == "warning"


def test_sangong_with_only_the_basic_table_is_one_sided():
    tables = ("T1", "T3", "T5", "T6", "T7")
    # the item may exceed its basic-expenditure rows (project money can pay for it too)
    findings = audit_text(budget(tables=tables, T7_RECEPTION="50,000", T7_TOTAL="110,000",
                                 P_RECEPTION="5.00", P_SANGONG="11.00"), rule=RULE).findings
    assert not [f for f in findings if concept_of(f) == "sangong.reception"]
    # but not fall below them
    text = budget(tables=tables, T7_RECEPTION="30,000", T7_TOTAL="90,000", P_RECEPTION="3.00", P_SANGONG="9.00")
    findings = audit_text(text, rule=RULE).findings
    reception = [f for f in findings if concept_of(f) == "sangong.reception"]
    assert len(reception) == 1 and reception[0].severity == "warning"
    assert reception[0].location.line == line_of(text, "302\t17\t公务接待费")


def test_other_funds_make_the_general_budget_only_a_part():
    # 100,000 of 政府性基金 income: the department total may exceed the 一般公共预算 table
    more = dict(T1_FUND="100,000", T1_INCOME_TOTAL="1,800,000", T1_EXPENSE_TOTAL="1,800,000",
                T3_TOTAL="1,800,000", P_INCOME_GRAND="180.00", P_EXPENSE="180.00")
    findings = audit_text(budget(**more), rule=RULE).findings
    assert not [f for f in findings if concept_of(f) == "expense.total"]
    # … but the part can never exceed the whole
    text = budget(**{**more, "T3_TOTAL": "1,600,000", "T1_EXPENSE_TOTAL": "1,600,000"})
    findings = audit_text(text, rule=RULE).findings
    total = [f for f in findings if concept_of(f) == "expense.total"]
    assert len(total) == 1 and "不能大于" in message(total[0])


def test_wan_yuan_tables_agree_within_rounding():
    # the 基本支出 table printed in 万元: 140.00 stands for 1,399,950–1,400,050 元
    text = budget(T6_TOTAL="140.00", T6_30101="60.00", T6_30201="20.00", T6_30217="4.00")
    start = text.index("2023 年一般公共预算基本支出情况表")
    end = text.index("2023 年一般公共预算“三公”经费支出情况表")
    t6 = text[start:end].replace("单位：元", "单位：万元")
    for old, new in (("\t300,000\t300,000\n", "\t30.00\t30.00\n"), ("\t150,000\t150,000\n", "\t15.00\t15.00\n"),
                     ("\t60,000\t60,000\n", "\t6.00\t6.00\n"), ("\t50,000\t50,000\n", "\t5.00\t5.00\n")):
        t6 = t6.replace(old, new)
    text = text[:start] + t6 + text[end:]
    findings = audit_text(text, rule=RULE).findings
    assert findings == []
    findings = audit_text(text.replace("合计\t140.00\t140.00", "合计\t140.01\t140.01"), rule=RULE).findings
    assert {concept_of(f) for f in findings} == {"expense.basic"}


def test_seed_001_has_no_cross_table_error():
    audited = audit_text(seed("001").read_text(encoding="utf-8"), rule=RULE)
    findings = audited.findings
    assert findings == []
    assert audited.status == "passed" and audited.outcomes[RULE].checked > 100


def test_sample_dataset_planted_digit_swap_is_found_against_the_other_table():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "datasets" / "budget_2024_sample.txt"
    findings = audit_text(path.read_text(encoding="utf-8"), rule=RULE).findings
    assert len(findings) == 1
    f = findings[0]
    assert f.location.line == 265 and 310 in {e.line for e in f.evidence}
    assert (f.actual, f.expected) == ("1,362,784", "1,326,784")
