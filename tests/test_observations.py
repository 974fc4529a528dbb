"""Observations: every table cell and prose amount the readers recognise, with its concept."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from auditor.read.facts import concept_of, read_facts
from auditor.read.observations import ObsCell, Observation, Scopes, cell_key, describe, read_observations
from checks._sums import cell_ref
from tests.budget_text import budget, line_of
from tests.conftest import seed
from tests.harness import read_text


def _by(observations, concept, source="table", table_part=None, derived=None):
    out = [o for o in observations if o.concept == concept and o.source == source]
    if table_part is not None:
        out = [o for o in out if table_part in o.table]
    if derived is not None:
        out = [o for o in out if o.derived == derived]
    return out


def test_table_cells_get_concepts_from_the_concept_map():
    doc = read_text(budget())
    obs = doc.observations
    # 合计 row × column role
    basic = _by(obs, "expense.basic")
    assert {o.table for o in basic} == {"2023年部门收支总体情况表", "2023年部门支出总体情况表",
                                         "2023年一般公共预算支出情况表", "2023 年一般公共预算基本支出情况表"}
    assert all(o.value == Decimal(1_400_000) for o in basic)
    # scopes: T1/T3 all money, T5/T5b/T6 一般公共预算
    assert {o.scope for o in basic if "部门" in o.table} == {"all"}
    assert {o.scope for o in basic if "一般公共预算" in o.table and o.column == "小计"} == {"general"}
    # 其中：财政拨款 of the 基本支出 table is the 财政拨款 part of 一般公共预算
    assert {o.scope for o in basic if o.column == "其中：财政拨款"} == {"appropriation"}
    # function-code rows × role, and a 类 the table does not print, computed from its rows
    run = _by(obs, "expense.function[2010301].total", table_part="部门支出")
    assert len(run) == 1 and run[0].value == Decimal(1_200_000) and run[0].line == line_of(budget(), "201\t03\t01", 1)
    cls = _by(obs, "expense.function[201].total", table_part="部门支出", derived="rollup")
    assert len(cls) == 1 and cls[0].value == Decimal(1_500_000) and len(cls[0].cells) == 2
    # two rows of one economic code (split by 政府预算 code) are one observation
    salary = _by(obs, "expense.econ[30101].basic", table_part="一般公共预算支出")
    assert len(salary) == 1 and salary[0].derived == "sum" and salary[0].value == Decimal(600_000)
    assert _by(obs, "expense.econ[30101].basic", table_part="基本支出")[0].value == Decimal(600_000)
    # two-sided summary table by label; a blank cell is 0
    assert _by(obs, "income.total")[0].value == Decimal(1_700_000)
    assert _by(obs, "expense.basic.salary", table_part="收支总体")[0].value == Decimal(1_050_000)
    fund = _by(obs, "income.gov_fund")
    assert fund and fund[0].value == 0 and fund[0].cells[0].number is None
    # 人员经费 = 工资福利 + 对个人和家庭的补助, computed per table
    personnel = _by(obs, "expense.basic.personnel", table_part="部门支出", derived="formula")
    assert personnel[0].value == Decimal(1_100_000)


def test_sangong_current_year_column_only_and_economic_ties():
    doc = read_text(budget())
    obs = doc.observations
    reception = _by(obs, "sangong.reception")
    printed = [o for o in reception if o.derived == ""]
    assert len(printed) == 1 and printed[0].value == Decimal(40_000)  # 2023, not the 2022 column
    assert printed[0].column == "2023年预算数"
    tie = [o for o in reception if o.derived == "tie"]
    assert len(tie) == 1 and tie[0].bound == "equal" and tie[0].value == Decimal(40_000)
    # without the economic-class table, the basic-expenditure rows are only a lower bound
    doc = read_text(budget(tables=("T1", "T3", "T5", "T6", "T7")))
    tie = [o for o in doc.observations if o.concept == "sangong.reception" and o.derived == "tie"]
    assert len(tie) == 1 and tie[0].bound == "lower"


def test_cell_keys_are_the_keys_of_the_sum_rules():
    doc = read_text(budget())
    for obs in doc.observations:
        if obs.source != "table" or obs.derived != "":
            continue
        table = doc.tables[obs.table_index]
        cell = obs.cells[0]
        ref = cell_ref(table, cell.row_index, cell.column)
        assert ref is not None
        assert obs.cell_key == f"{table.name}|{ref.key}"
        assert cell_key(table, table.rows[cell.row_index], cell.row_index, ref.column_name) == obs.cell_key


def test_prose_amounts_get_concepts_from_labels_and_classification_names():
    text = budget()
    doc = read_text(text)
    prose = [o for o in doc.observations if o.source == "prose"]
    concepts = {(o.label, o.concept) for o in prose}
    assert ("收入总计", "income.grand_total") in concepts
    assert ("基本支出", "expense.basic") in concepts
    assert ("一般公共服务支出", "expense.function[201].total") in concepts  # catalog 类 name
    assert ("社会保障和就业支出", "expense.function[208].total") in concepts
    assert ("人员经费", "expense.basic.personnel") in concepts
    assert ("公务接待费", "sangong.reception") in concepts
    assert ("办公费", "expense.econ[30201].basic") in concepts  # a row name of the economic tables
    scoped = [o for o in prose if o.label == "一般公共预算基本支出预算"]
    assert scoped and scoped[0].concept == "expense.basic" and scoped[0].scope == "general"
    # changes are not levels
    assert not [o for o in prose if o.number.value == Decimal("5.00") or o.number.value == Decimal("1.50")]
    assert all(o.cell_key == f"prose|{o.line}|{o.label}" for o in prose)


def test_function_names_resolve_through_historical_aliases():
    # 210 is 卫生健康支出 since 2019; "医疗卫生支出" is its older name
    text = budget(P_LABEL="医疗卫生支出").replace(
        "208\t05\t05\t机关事业单位基本养老保险缴费支出", "210\t11\t01\t行政单位医疗")
    doc = read_text(text)
    label = [o for o in doc.observations if o.source == "prose" and o.label == "医疗卫生支出"]
    assert label and label[0].concept == "expense.function[210].total"


def test_lexicon_words_need_a_whole_label():
    assert concept_of("商品和服务支出")[0] == "expense.econ.302"
    assert concept_of("其他商品和服务支出")[0] == ""
    assert concept_of("2020 年一般公共预算基本支出预算")[0] == "expense.basic"
    assert concept_of("一般公共预算基本支出预算")[1] == "一般公共预算"
    facts = read_facts(read_text("收入预算 100.00 万元，其中：一般公共预算 100.00 万元（财政拨款 100.00 万元、"
                            "其他收入 0 万元），比上年增加 3.00 万元。\n").paragraphs)
    assert [(f.concept, f.level) for f in facts] == [
        ("income.total", True), ("income.general_budget", True), ("income.fiscal_appropriation", True),
        ("income.general_other", True), ("", False)]


def test_scopes_collapse_only_when_the_income_is_all_general_budget():
    doc = read_text(budget())
    scopes = Scopes(doc.observations)
    assert scopes.relation("general", "all") == "eq"
    doc = read_text(budget(T1_FUND="100,000", T1_INCOME_TOTAL="1,800,000", T1_EXPENSE_TOTAL="1,800,000"))
    scopes = Scopes(doc.observations)
    assert scopes.relation("general", "all") == "le"
    assert scopes.relation("all", "general") == "ge"
    assert scopes.relation("gov_fund", "general") is None


def test_describe_names_concepts_in_both_languages():
    assert describe("expense.basic") == "基本支出"
    assert describe("expense.basic", "en") == "basic expenditure"
    from auditor.catalog import load_catalog

    assert describe("expense.function[2010301].total", "zh", load_catalog(), 2020) == "2010301 行政运行 合计"


def test_seed_001_observations():
    doc = read_text(seed("001").read_text(encoding="utf-8"))
    obs = doc.observations
    assert obs == read_observations(doc)
    # the 20103 款 is printed nowhere; it is the sum of its three 项 rows
    kuan = [o for o in obs if o.concept == "expense.function[20103].total" and "部门支出" in o.table]
    assert kuan and kuan[0].value == Decimal(74_846_004)
    # T5b: 30101 printed twice (行政 50101 + 事业 50501), summed; equals the T6 row
    t5b = [o for o in obs if o.concept == "expense.econ[30101].basic" and o.derived == "sum"]
    assert t5b and t5b[0].value == Decimal(10_793_103)
    # prose 行政运行支出 names 2010301; 社会保障和就业支出 the 208 类
    labels = {(o.line, o.label): o.concept for o in obs if o.source == "prose"}
    assert labels[(106, "行政运行支出")] == "expense.function[2010301].total"
    assert labels[(106, "社会保障和就业支出")] == "expense.function[208].total"
    assert labels[(106, "医疗卫生支出")] == "expense.function[210].total"
    assert labels[(150, "其他商品和服务支出")] == "expense.econ[30299].basic"
    # empty 政府性基金 table: a stated total of 0
    empty = [o for o in obs if o.derived == "empty"]
    assert {o.scope for o in empty} == {"gov_fund", "state_capital"}


def test_final_accounts_sangong_takes_the_final_block():
    rows = [
        "示例局2022年度部门决算",
        "",
        "2022 年“三公”经费支出决算 9.00 万元，其中：公务接待费 3.00 万元。",
        "",
        "2022年一般公共预算财政拨款“三公”经费支出决算表",
        "",
        "单位：元",
        "",
        "预算数\t\t\t\t\t\t决算数\t\t\t\t\t",
        "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t",
        "100,000\t0\t60,000\t0\t60,000\t40,000\t90,000\t0\t60,000\t0\t60,000\t30,000",
    ]
    doc = read_text("\n".join(rows) + "\n")
    table = {o.concept: o.value for o in doc.observations if o.source == "table"}
    assert table == {"sangong.total": 90_000, "sangong.abroad": 0, "sangong.vehicle": 60_000,
                     "sangong.vehicle_purchase": 0, "sangong.vehicle_run": 60_000, "sangong.reception": 30_000}
    prose = {o.concept for o in doc.observations if o.source == "prose"}
    assert prose == {"sangong.total", "sangong.reception"}


def test_table_observations_and_cells_are_the_instances_their_constructors_build():
    # the table reader fills frozen instances without their __init__ (observations._frozen_instance):
    # every field set, in field order, and equal to the constructor's instance
    doc = read_text(budget())
    observations = [o for o in doc.observations if o.source == "table"]
    cells = [c for o in observations for c in o.cells]
    assert observations and cells
    for cls, items in ((Observation, observations), (ObsCell, cells)):
        names = [f.name for f in fields(cls)]
        for item in items:
            assert list(vars(item))[:len(names)] == names
            assert item == cls(**{name: getattr(item, name) for name in names})

