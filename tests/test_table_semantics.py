"""Table semantics of published budgets (issue 16 parts 4–5), on fictional tables in the layouts
real disclosures use: the role columns of a two-sided 财务收支预算总表, the 编制部门 line above a
table, 款/项 codes printed without their leading zero, whole-元 rounding against a table that
prints 角分, no error without a sure structure, and a blank template reported once."""

from __future__ import annotations

from decimal import Decimal

from auditor.model import Finding
from tests.harness import audit_text, read_text


def tabs(text: str) -> str:
    """The fixtures write a tab as → (so the columns show in the source)."""
    return text.replace("→", "\t")


def findings_at(severity: str, text: str, prefix: str = "") -> list[Finding]:
    return [f for f in audit_text(tabs(text)).findings if f.rule.startswith(prefix) and f.severity == severity]


# --------------------------------------------------------------------------- role columns

UNIT_BUDGET = """示例区某某中心2025年单位预算

2025年预算单位财务收支预算总表
编制单位：示例区某某中心 单位：元
本年收入→→本年支出→→→→
项目→预算数→项目→预算数→→→
→→→合计→基本支出→→项目支出
→→→→人员经费→公用经费→
一、财政拨款收入→1,500,000.00→一、一般公共服务支出→1,200,000.00→600,000.00→200,000.00→{project}
1、一般公共预算资金→1,500,000.00→二、社会保障和就业支出→300,000.00→300,000.00→→
二、事业收入→→→→→→
收入总计→1,500,000.00→支出总计→1,500,000.00→900,000.00→200,000.00→400,000.00

2025年预算单位支出预算总表
编制单位：示例区某某中心 单位：元
项目→→→→支出预算→→
功能分类科目编码→→→功能分类科目名称→合计→基本支出→项目支出
类→款→项→→→→
201→→→一般公共服务支出→1,200,000.00→800,000.00→400,000.00
201→03→01→行政运行→800,000.00→800,000.00→
201→03→02→一般行政管理事务→400,000.00→→400,000.00
208→→→社会保障和就业支出→300,000.00→300,000.00→
208→05→05→机关事业单位基本养老保险缴费支出→300,000.00→300,000.00→
合计→→→→1,500,000.00→1,100,000.00→400,000.00
"""


def test_summary_role_columns_are_parts_not_copies() -> None:
    read = read_text(tabs(UNIT_BUDGET.format(project="400,000.00")))
    summary = read.tables[0]
    assert summary.kind == "budget.summary"
    assert [c.role for c in summary.columns if c.is_value] == ["", "total", "basic.personnel", "basic.public",
                                                               "project"]
    concepts = {(o.concept, o.column) for o in read.observations if o.table == summary.name}
    assert ("expense.function[201].total", "合计") in concepts
    assert ("expense.function[201].project", "项目支出") in concepts
    assert ("expense.function[201].basic.personnel", "人员经费") in concepts
    assert not any(c == "expense.function[201].total" and col != "合计" for c, col in concepts)
    labels = {r.label.split(": ", 1)[-1].split(" [")[0] for r in summary.relations if r.kind == "row"}
    assert "本年支出/预算数/合计 = 本年支出/预算数/基本支出/人员经费 + 本年支出/预算数/基本支出/公用经费 + " \
           "本年支出/预算数/项目支出" in labels
    assert findings_at("error", UNIT_BUDGET.format(project="400,000.00")) == []


def test_summary_role_column_error_fires_in_its_row_and_against_the_other_table() -> None:
    found = findings_at("error", UNIT_BUDGET.format(project="450,000.00"))
    rows = [(f.location.row, f.expected, f.actual) for f in found if f.rule == "total.row_sum"]
    assert ("一、一般公共服务支出", "1,250,000.00", "1,200,000.00") in rows
    same = [f for f in found if f.rule == "crosstable.same_quantity"]
    assert same and {f.location.column for f in same} == {"项目支出"}
    assert {(f.actual, f.expected) for f in same} == {("450,000.00", "400,000.00")}


def test_unknown_role_column_is_never_compared() -> None:
    # a third split column whose role the schema does not know: no concept, no comparison
    text = UNIT_BUDGET.format(project="400,000.00").replace("→→→→人员经费→公用经费→", "→→→→人员经费→其他经费→")
    read = read_text(tabs(text))
    summary = read.tables[0]
    columns = {o.column for o in read.observations if o.table == summary.name}
    assert "其他经费" not in columns
    assert [f for f in findings_at("error", text) if f.rule == "crosstable.same_quantity"] == []


# --------------------------------------------------------------------------- context lines


def test_issuer_line_above_a_table_is_not_its_title() -> None:
    text = """2025年部门支出预算总表
编制部门：示例区某某局 单位：元
项目→→→→支出预算→→
功能分类科目编码→→→功能分类科目名称→合计→基本支出→项目支出
类→款→项→→→→
201→→→一般公共服务支出→1,000→600→400
合计→→→→1,000→600→400
"""
    table = read_text(tabs(text)).tables[0]
    assert table.title == "2025年部门支出预算总表" and table.kind == "budget.expense" and table.unit == "元"
    assert [c.role for c in table.columns if c.is_value] == ["total", "basic", "project"]
    wrong = text.replace("201→→→一般公共服务支出→1,000→600→400", "201→→→一般公共服务支出→1,000→600→450")
    assert {f.rule for f in findings_at("error", wrong, "total.")} == {"total.row_sum", "total.column_sum"}


# --------------------------------------------------------------------------- codes

BASIC = """2025年部门一般公共预算基本支出部门预算经济分类预算表
编制部门：示例区某某局 单位：元
项目→→→一般公共预算基本支出→→
部门预算经济分类科目编码→→部门预算经济分类科目名称→合计→人员经费→公用经费
类→款→→→→
301→→工资福利支出→{salary}→{salary}→0
301→01→基本工资→500,000→500,000→0
301→2→津贴补贴→300,000→300,000→0
301→7→绩效工资→200,000→200,000→0
合计→→→{salary}→{salary}→0
"""


def test_codes_printed_without_the_leading_zero_are_codes() -> None:
    table = read_text(tabs(BASIC.format(salary="1,000,000"))).tables[0]
    assert [r.code for r in table.rows if r.code] == ["301", "30101", "30102", "30107"]
    assert findings_at("error", BASIC.format(salary="1,000,000"), "total.") == []
    wrong = [(f.rule, f.expected, f.actual) for f in findings_at("error", BASIC.format(salary="1,100,000"), "total.code_rollup")]
    assert ("total.code_rollup", "1,000,000", "1,100,000") in wrong


# --------------------------------------------------------------------------- rounding

ROUNDED = """2025年部门支出预算总表
单位：元
科目编码→→→科目名称→合计→基本支出→项目支出
类→款→项→→→→
212→→→城乡社区支出→{total}→600{d}→400{d}
合计→→→→{total}→600{d}→400{d}
"""


def test_whole_yuan_cells_are_rounded_but_a_table_with_jiaofen_is_exact() -> None:
    # whole 元 (each ±0.5): 1,001 against 600 + 400 is rounding
    assert findings_at("error", ROUNDED.format(total="1,001", d=""), "total.") == []
    # 3 元 is not
    assert [f.difference for f in findings_at("error", ROUNDED.format(total="1,003", d=""), "total.row_sum")] == ["3"] * 2
    # a table that prints 角分 is exact to the 分: its "1,001" is 1,001.00, one 元 off
    exact = read_text(tabs(ROUNDED.format(total="1,001", d=".00"))).tables[0]
    assert exact.rows[0].value(4).decimals == 2
    fired = findings_at("error", ROUNDED.format(total="1,001", d=".00"), "total.row_sum")
    assert fired and fired[0].difference == "1.00"


# --------------------------------------------------------------------------- sure structure


def test_inferred_sum_of_an_unknown_table_is_a_warning() -> None:
    text = """某某情况表
单位：元
项目→金额
甲→100
乙→200
合计→{total}
"""
    assert findings_at("warning", text.format(total="300"), "total.") == []
    assert findings_at("error", text.format(total="350"), "total.") == []  # kind unknown: no error
    assert [f.rule for f in findings_at("warning", text.format(total="350"), "total.")] == ["total.column_sum"]


# --------------------------------------------------------------------------- blank template


def test_blank_template_is_reported_once() -> None:
    lines = [f"{k}、XX（类）XX（款）XX（项）年初预算为 XXX 万元，支出决算为 XXX 万元。" for k in range(1, 12)]
    found = findings_at("warning", "\n\n".join(lines) + "\n", "text.template_residue")
    assert len(found) == 1 and found[0].variant == "unfilled_template" and found[0].args["count"] > 20
    assert len(found[0].evidence) == 5
    few = findings_at("warning", "本单位2025年预算XX万元。\n", "text.template_residue")
    assert [f.variant for f in few] == [""]  # the default: an unfilled placeholder


def test_outline_numbered_prose_label_keeps_its_concept() -> None:
    read = read_text(tabs("二、“三公”经费预算\n（三）公务接待费28.50万元，与上年持平。\n"))
    assert [o.concept for o in read.observations if o.source == "prose"] == ["sangong.reception"]
    assert Decimal("28.50") in {o.number.value for o in read.observations if o.source == "prose"}


# --------------------------------------------------------------------------- 决算 carry-over rows

FINAL_SUMMARY = """示例区某某局2024年度部门决算

收入支出决算总表
单位：万元
收入→→支出→
项目→决算数→项目→决算数
一、一般公共预算财政拨款收入→100.00→一、一般公共服务支出→110.00
二、事业收入→10.00→二、教育支出→20.00
本年收入合计→110.00→本年支出合计→130.00
年初结转和结余→30.00→年末结转和结余→10.00
一般公共预算财政拨款→{split}→→
政府性基金预算财政拨款→5.00→→
总计→140.00→总计→140.00
"""


def test_carry_over_split_rows_are_not_the_income_lines() -> None:
    read = read_text(tabs(FINAL_SUMMARY.format(split="25.00")))
    general = [o for o in read.observations if o.concept == "income.general"]
    assert [o.number.text for o in general] == ["100.00"]  # the 年初结转 split is not the income line
    assert findings_at("error", FINAL_SUMMARY.format(split="25.00")) == []
    wrong = findings_at("error", FINAL_SUMMARY.format(split="28.00"), "total.")
    assert [(f.expected, f.actual) for f in wrong] == [("33.00", "30.00")]  # 28 + 5 ≠ 30


def test_a_code_cell_with_a_short_kuan_is_a_code() -> None:
    text = """2025年部门一般公共预算基本支出部门预算经济分类预算表
单位：元
科目编码→科目名称→合计→人员经费→公用经费
301→工资福利支出→800,000→800,000→0
301 01→基本工资→500,000→500,000→0
301 2→津贴补贴→300,000→300,000→0
合计→→800,000→800,000→0
"""
    table = read_text(tabs(text)).tables[0]
    assert [r.code for r in table.rows if r.code] == ["301", "30101", "30102"]
    assert findings_at("error", text, "total.") == []
