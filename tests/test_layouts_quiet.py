"""No false alarms on realistic 决算 / 预算 layouts, and the planted errors still found there.

The documents come from tests/final_accounts_text.py: made-up departments printed in the layouts
real publications use, consistent by construction. The whole pipeline (`audit_file`: load, read,
every rule) must raise no error or warning on them; each regression test below plants one
inconsistency in the same layout and checks that the rule concerned still reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.model import Finding, ReadDocument, Table
from tests.final_accounts_text import (
    BUDGET_LAYOUTS,
    FINAL_LAYOUTS,
    Budget,
    Final,
    Sangong,
    budget_plain_unit,
    budget_prior_current,
    central_wan,
    chained,
    local_split,
    prior_column,
    two_summaries,
    vertical_numbered,
)
from tests.harness import audit_path, audit_text, message, read_text

# (department, year, amounts): several departments and years, including a 使用非财政拨款结余 and a
# 结余分配 that are not zero and a year that opens with the previous year's closing balance
FINALS: list[tuple[str, int, Final]] = [
    ("示例市农业农村局", 2024, Final()),
    ("某县教育局", 2023, chained(Final(), 1_500_000)),
    ("某区卫生健康委员会", 2022, Final(non_fiscal=150_000, distribution=20_000, other_income=0,
                                  sangong_final=Sangong(0, 0, 150_000, 12_000))),
]
BUDGETS: list[tuple[str, int, Budget]] = [
    ("示例市农业农村局", 2024, Budget()),
    ("某县教育局", 2023, Budget(sangong=Sangong(0, 250_000, 120_000, 30_000),
                                projects=(("校舍维修改造经费", 2_400_000, 2_000_000),
                                          ("学生资助补助经费", 980_000, 1_020_000)))),
]


def _cases() -> list[tuple[str, Callable[[], str]]]:
    out: list[tuple[str, Callable[[], str]]] = []
    for layout, final_writer in FINAL_LAYOUTS.items():
        for dept, year, f in FINALS:
            out.append((f"{layout}-{year}", lambda w=final_writer, d=dept, y=year, a=f: w(d, y, a)))
    for layout, budget_writer in BUDGET_LAYOUTS.items():
        for dept, year, b in BUDGETS:
            out.append((f"{layout}-{year}", lambda w=budget_writer, d=dept, y=year, a=b: w(d, y, a)))
    return out


CASES = _cases()


def alarms(findings: list[Finding]) -> list[str]:
    return [f"{f.severity} {f.rule} line {f.location.line}: {f.actual} vs {f.expected} ({f.args.get('where') or f.args})"
            for f in findings if f.severity in ("error", "warning")]


@pytest.mark.parametrize(("case", "write"), CASES, ids=[c for c, _ in CASES])
def test_consistent_layout_raises_no_alarm(case: str, write: Callable[[], str], tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(write(), encoding="utf-8")
    result = audit_path(path)
    assert result.error is None, result.error
    found = alarms(result.findings)
    assert found == [], f"{case}: false alarms:\n" + "\n".join(found)


def test_every_layout_is_covered() -> None:
    layouts = {case.rsplit("-", 1)[0] for case, _ in CASES}
    assert layouts == set(FINAL_LAYOUTS) | set(BUDGET_LAYOUTS)
    assert len(FINAL_LAYOUTS) + len(BUDGET_LAYOUTS) >= 7


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings if f.severity in ("error", "warning")}


def test_documents_read_as_their_kind(tmp_path: Path) -> None:
    # a quiet pipeline must not be quiet because nothing was read
    for layout, final_writer in FINAL_LAYOUTS.items():
        path = tmp_path / f"{layout}.txt"
        path.write_text(final_writer("示例市农业农村局", 2024, Final()), encoding="utf-8")
        result = audit_path(path)
        assert result.read is not None and result.read.kind == "final_accounts", layout
        assert result.read.tables and result.read.observations, layout
    for layout, budget_writer in BUDGET_LAYOUTS.items():
        path = tmp_path / f"{layout}.txt"
        path.write_text(budget_writer("示例市农业农村局", 2024, Budget()), encoding="utf-8")
        result = audit_path(path)
        assert result.read is not None and len(result.read.indicator_sets) == 2, layout
        assert all(s.amount is not None for s in result.read.indicator_sets), layout



# --------------------------------------------------------------------------- focused regressions

DEPT = "示例市农业农村局"
YEAR = 2024


def table_named(read: ReadDocument, title: str) -> Table:
    return next(t for t in read.tables if t.title == title)


def printed(read: ReadDocument, concept: str, table: str) -> list[tuple[str, str, str]]:
    """(row, column, printed text) of the observations of `concept` in `table`."""
    return [(o.row, o.column, o.number.text) for o in read.observations
            if o.concept == concept and o.table == table and o.source == "table"]


def swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# 使用非财政拨款结余 is a line of its own, not the carry-over (concept_map.yaml summary_labels)

def test_non_fiscal_balance_is_not_the_carryover() -> None:
    read = read_text(central_wan(DEPT, YEAR, Final(non_fiscal=150_000, distribution=20_000)))
    assert printed(read, "income.non_fiscal_balance", "收入支出决算总表") == [("使用非财政拨款结余", "金额", "15.00")]
    assert printed(read, "income.carryover", "收入支出决算总表") == [("年初结转和结余", "金额", "123.45")]
    assert printed(read, "expense.balance_distribution", "收入支出决算总表") == [("结余分配", "金额", "2.00")]
    # the older wording of the same line
    old = read_text(local_split(DEPT, YEAR, Final(non_fiscal=150_000)))
    assert printed(old, "income.non_fiscal_balance", "一、收入支出决算总表") == [
        ("用事业基金弥补收支差额", "决算数", "150,000")]
    assert [row for row, _, _ in printed(old, "income.carryover", "一、收入支出决算总表")] == ["上年结转"]


def test_non_fiscal_balance_still_adds_up_in_the_grand_total() -> None:
    text = central_wan(DEPT, YEAR, Final(non_fiscal=150_000, distribution=20_000))
    assert audit_text(text).of("total.column_sum", "crosstable.same_quantity") == []
    wrong = swap(text, "使用非财政拨款结余\t10\t15.00", "使用非财政拨款结余\t10\t25.00")
    found = audit_text(wrong).of("total.column_sum")
    assert [(f.location.row, f.actual, f.expected) for f in found] == [("总计", "1,988.45", "1,998.45")]


# 上年数 columns (Column.period, auditor/read/year_cells.mark_periods)

def test_prior_year_columns_are_marked_and_never_tied() -> None:
    read = read_text(prior_column(DEPT, YEAR, Final()))
    summary = read.tables[0]
    assert [(c.name, c.period) for c in summary.columns if c.is_value] == [
        ("上年数", "prior"), ("本年数", "this"), ("上年数", "prior"), ("本年数", "this")]
    assert {o.column for o in read.observations if o.table == summary.title} == {"本年数"}
    assert audit_text(prior_column(DEPT, YEAR, Final())).of("crosstable.same_quantity") == []


def test_prior_year_column_still_has_to_add_up() -> None:
    text = prior_column(DEPT, YEAR, Final())
    # last year's 年初结转和结余 misprinted: that column's 总计 no longer adds up
    wrong = swap(text, "年初结转和结余\t2100000.00", "年初结转和结余\t2200000.00")
    found = audit_text(wrong).of("total.column_sum")
    assert [(f.location.column, f.actual, f.expected) for f in found] == [("上年数", "20100000.00", "20200000.00")]
    # and this year's column still does too
    wrong = swap(text, "本年收入合计\t18000000.00\t18500000.00", "本年收入合计\t18000000.00\t18600000.00")
    assert {f.location.column for f in audit_text(wrong).of("total.column_sum")} == {"本年数"}


# 公开04: fund columns are parts of the row; a balance's per-fund split is part of the balance

FISCAL = "财政拨款收入支出决算总表"


def test_fiscal_summary_fund_columns_have_their_own_scope() -> None:
    read = read_text(central_wan(DEPT, YEAR, Final()))
    scopes = {o.column: o.scope for o in read.observations
              if o.concept == "expense.function[213].total" and o.table == FISCAL}
    assert scopes == {"合计": "fiscal", "一般公共预算财政拨款": "general", "政府性基金预算财政拨款": "gov_fund",
                      "国有资本经营预算财政拨款": "state_capital"}


def test_fiscal_summary_fund_column_above_its_total_fires() -> None:
    text = central_wan(DEPT, YEAR, Final())
    wrong = swap(text, "二、农林水支出\t31\t1,690.00\t1,690.00", "二、农林水支出\t31\t1,690.00\t1,700.00")
    same = audit_text(wrong).of("crosstable.same_quantity")
    assert [(f.location.column, f.actual, f.expected) for f in same] == [("一般公共预算财政拨款", "1,700.00", "1,690.00")]
    assert {f.location.row for f in audit_text(wrong).of("total.row_sum")} == {"二、农林水支出"}


def test_fiscal_spending_above_the_department_spending_fires() -> None:
    # a 财政拨款 function row larger than the department's row of the same function
    text = central_wan(DEPT, YEAR, Final())
    wrong = swap(text, "一、一般公共服务支出\t30\t90.00\t90.00", "一、一般公共服务支出\t30\t95.00\t95.00")
    same = audit_text(wrong).of("crosstable.same_quantity")
    assert ("一、一般公共服务支出", "合计", "95.00") in [(f.location.row, f.location.column, f.actual) for f in same]
    assert all("财政拨款部分不能大于部门" in message(f) for f in same if f.location.column == "合计")


def test_balance_split_by_fund_is_part_of_the_balance() -> None:
    read = read_text(central_wan(DEPT, YEAR, Final()))
    table = table_named(read, FISCAL)
    balance = next(i for i, r in enumerate(table.rows) if r.label == "年初财政拨款结转和结余")
    parts = [r.label for r in table.rows if r.part_of == balance]
    assert parts == ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    # not income lines: only the numbered 一、一般公共预算财政拨款 is the year's income
    assert printed(read, "income.general", FISCAL) == [("一、一般公共预算财政拨款", "金额", "1,820.00")]
    assert printed(read, "income.carryover", FISCAL) == [("年初财政拨款结转和结余", "金额", "110.00")]
    grand = next(r for r in table.relations if r.kind == "column" and r.total[0] == len(table.rows) - 2)
    assert all(table.rows[row].part_of < 0 for row, _ in grand.parts)


def test_balance_split_that_does_not_add_up_fires() -> None:
    text = central_wan(DEPT, YEAR, Final())
    wrong = swap(text, "一般公共预算财政拨款\t6\t110.00", "一般公共预算财政拨款\t6\t120.00")
    found = audit_text(wrong).of("total.column_sum", "crosstable.same_quantity")
    assert [(f.rule, f.location.row, f.actual, f.expected) for f in found] == [
        ("total.column_sum", "年初财政拨款结转和结余", "110.00", "120.00")]


def test_fiscal_balance_above_the_department_balance_fires() -> None:
    text = central_wan(DEPT, YEAR, Final())
    wrong = swap(text, "年初财政拨款结转和结余\t5\t110.00", "年初财政拨款结转和结余\t5\t130.00")
    wrong = swap(wrong, "一般公共预算财政拨款\t6\t110.00", "一般公共预算财政拨款\t6\t130.00")
    same = audit_text(wrong).of("crosstable.same_quantity")
    assert [(f.location.row, f.actual, f.expected) for f in same] == [("年初财政拨款结转和结余", "130.00", "123.45")]
    # the 公开04 总计 no longer adds up either
    assert [f.location.table for f in audit_text(wrong).of("total.column_sum")] == [FISCAL]


# 其中 rows and the 支出 side of a one-sided summary

SUMMARY = f"二、{YEAR}年收入支出决算总表"


def test_qizhong_rows_are_parts_not_addends() -> None:
    read = read_text(vertical_numbered(DEPT, YEAR, Final()))
    table = table_named(read, SUMMARY)
    labels = [r.label for r in table.rows]
    opening, closing = labels.index("五、年初结转和结余"), labels.index("九、年末结转和结余")
    assert [(r.label, r.part_of) for r in table.rows if r.part_of >= 0] == [
        ("其中：财政拨款结转和结余", opening), ("其中：财政拨款结转和结余", closing)]
    totals = [r for r in table.relations if r.kind == "column"]
    assert all(table.rows[row].part_of < 0 for r in totals for row, _ in r.parts)
    assert [r.total[0] for r in table.relations if r.kind == "subitem"] == [opening, closing]


def test_qizhong_row_above_its_whole_fires() -> None:
    text = vertical_numbered(DEPT, YEAR, Final())
    wrong = swap(text, "其中：财政拨款结转和结余\t110.00", "其中：财政拨款结转和结余\t130.00")
    found = audit_text(wrong).of("total.subitem_exceeds", "total.column_sum")
    assert [(f.rule, f.location.row, f.actual, f.expected) for f in found] == [
        ("total.subitem_exceeds", "五、年初结转和结余", "123.45", "130.00")]


def test_one_sided_summary_reads_its_expense_side() -> None:
    read = read_text(vertical_numbered(DEPT, YEAR, Final()))
    table = table_named(read, SUMMARY)
    heading = next(r for r in table.rows if r.label == "支出")
    assert (table.sides, heading.kind) == (2, "header")
    assert {r.label: r.block for r in table.rows}["七、本年支出合计"] == 1
    assert printed(read, "expense.total", SUMMARY) == [("七、本年支出合计", "金额", "1,874.69")]
    assert printed(read, "expense.carryover", SUMMARY) == [("九、年末结转和结余", "金额", "98.76")]
    # the 支出 totals are not chained to the 收入 ones
    spending = labels_index(table, "七、本年支出合计")
    assert not [r for r in table.relations if r.kind == "column" and r.total[0] == spending]


def labels_index(table: Table, label: str) -> int:
    return next(i for i, r in enumerate(table.rows) if r.label == label)


def test_one_sided_summary_expense_total_still_checked() -> None:
    text = vertical_numbered(DEPT, YEAR, Final())
    wrong = swap(text, "十、支出总计\t1,973.45", "十、支出总计\t1,983.45")
    found = audit_text(wrong).of("total.column_sum")
    assert [(f.location.row, f.actual, f.expected) for f in found] == [("十、支出总计", "1,983.45", "1,973.45")]
    # a carry-over cell changed in the consistent 总表: its 总计, its 其中 and 公开04 all disagree
    wrong = swap(text, "五、年初结转和结余\t123.45", "五、年初结转和结余\t100.00")
    rules = {(f.rule, f.location.row) for f in audit_text(wrong).of("total.column_sum", "total.subitem_exceeds",
                                                                     "crosstable.same_quantity")}
    assert rules == {("total.column_sum", "六、收入总计"), ("total.subitem_exceeds", "五、年初结转和结余"),
                     ("crosstable.same_quantity", "二、年初结转和结余")}


# 部门汇总 and 机关本级 tables (Observation.entity)

def test_own_office_tables_are_another_entity() -> None:
    read = read_text(two_summaries(DEPT, YEAR, Final()))
    entities = {o.table: o.entity for o in read.observations if o.source == "table"}
    assert sorted(entities.values()) == ["", "own"]
    assert entities[next(t for t in entities if "本级" in t)] == "own"
    assert audit_text(two_summaries(DEPT, YEAR, Final())).of("crosstable.same_quantity") == []


def test_own_office_balance_above_the_department_one_fires() -> None:
    text = two_summaries(DEPT, YEAR, Final())
    wrong = swap(text, "年初结转和结余\t1,034,500", "年初结转和结余\t1,334,500")
    wrong = swap(wrong, "总计\t19,534,500\t总计\t19,534,500", "总计\t19,834,500\t总计\t19,834,500")
    wrong = swap(wrong, "一、一般公共服务支出\t18,696,900", "一、一般公共服务支出\t18,996,900")
    wrong = swap(wrong, "本年支出合计\t18,696,900", "本年支出合计\t18,996,900")
    same = audit_text(wrong).of("crosstable.same_quantity")
    assert [(f.location.row, f.actual, f.expected) for f in same] == [("年初结转和结余", "1,334,500", "1,234,500")]
    assert "机关本级部分不能大于部门汇总" in message(same[0])
    assert audit_text(wrong).of("total.column_sum") == []


def test_own_office_table_still_adds_up() -> None:
    text = two_summaries(DEPT, YEAR, Final())
    wrong = swap(text, "年初结转和结余\t1,034,500", "年初结转和结余\t1,044,500")
    found = audit_text(wrong).of("total.column_sum")
    assert [(f.location.row, f.actual) for f in found] == [("总计", "19,534,500")]
    assert "本级" in found[0].location.table


# project tables: the unit printed on a plain "单位：万元" line (auditor/read/indicators.py)

def test_plain_unit_line_is_the_project_table_unit() -> None:
    read = read_text(budget_plain_unit(DEPT, YEAR, Budget()))
    assert [(s.project, s.amount.text, s.amount.unit) for s in read.indicator_sets if s.amount] == [
        ("农田水利设施维护经费", "185.00", "万元"), ("农产品质量安全监测经费", "126.00", "万元")]
    assert audit_text(budget_plain_unit(DEPT, YEAR, Budget())).of("indicator.cost_mismatch") == []


def test_cost_above_the_project_amount_still_fires_under_a_plain_unit_line() -> None:
    text = swap(budget_plain_unit(DEPT, YEAR, Budget()), "≤185.00万元", "≤195.00万元")
    found = audit_text(text).of("indicator.cost_mismatch")
    assert [(f.args["project"], f.actual, f.expected, f.severity) for f in found] == [
        ("农田水利设施维护经费", "≤195.00万元", "185.00万元", "error")]


def test_unit_line_of_an_earlier_table_is_not_taken() -> None:
    # the 三公 table right above says 万元; the project tables print 元 with no unit line of their own
    text = swap(budget_prior_current(DEPT, YEAR, Budget()), "单位：元", "单位：万元")
    units = [s.amount.unit for s in read_text(text).indicator_sets if s.amount]
    assert units == ["元", "元"]
