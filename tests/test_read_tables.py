"""The table reader: detection, headers, codes, sides, lost cells, relations (small inline tables),
and seed 001 read end to end."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditor.load import load
from auditor.load.text import split_lines
from auditor.read.table_align import resolve_by_totals
from auditor.read.table_header import column_paths, count_header_rows
from auditor.read.table_schema import load_schemas, match_kind, strip_numbering
from auditor.read.tables import failed_relations, read_tables, relation_gap

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def doc(text: str):
    return split_lines(text.replace("→", "\t"), "inline.txt")


def tables_of(text: str):
    return read_tables(doc(text))[0]


def one(text: str):
    tables = tables_of(text)
    assert len(tables) == 1, tables
    return tables[0]


def failures(table):
    return [(rel.kind, rel.label, gap) for rel, gap in failed_relations(table)]


# --------------------------------------------------------------------------- header


def test_header_forward_fill_spans_group_labels():
    header = [
        ["科目编码", "", "", "科目名称", "合计", "基本支出", "", "", "项目支出", ""],
        ["类", "款", "项", "", "", "小计", "工资福利支出", "商品服务支出", "小计", "其他项目"],
    ]
    paths = column_paths(header, 10)
    assert paths[0] == ("科目编码", "类")
    assert paths[2] == ("科目编码", "项")
    assert paths[4] == ("合计",)
    assert paths[6] == ("基本支出", "工资福利支出")
    assert paths[7] == ("基本支出", "商品服务支出")
    assert paths[9] == ("项目支出", "其他项目")


def test_header_group_label_shifted_by_one_is_reanchored_on_subtotal():
    # seed 001 T3 prints 项目支出 over 基本支出's last column
    header = [
        ["合计", "基本支出", "", "", "项目支出", "", ""],
        ["", "小计", "工资福利支出", "资本性支出", "小计", "债务项目", "其他项目"],
    ]
    paths = column_paths(header, 7)
    assert paths[3] == ("基本支出", "资本性支出")
    assert paths[4] == ("项目支出", "小计")


def test_header_rows_stop_at_data_and_at_indicator_rows():
    rows = [["科目编码", "", "合计"], ["类", "款", ""], ["", "合计", "100"]]
    assert count_header_rows(rows) == 2
    rows = [["一级指标", "二级指标", "三级指标", "目标值"], ["产出指标", "数量指标", "覆盖人数", "≥100人"]]
    assert count_header_rows(rows) == 1


def test_header_cells_normalised_and_columns_typed():
    t = one("""2020年部门支出总体情况表
单位：元
科目编码→→→单位（科目名称）→合 计→基本支出→→项目支出
类→款→项→→→小计→商品服务支出→小计
→→→合计→30→10→10→20
201→03→01→行政运行→30→10→10→20
""")
    assert [c.is_value for c in t.columns] == [False] * 4 + [True] * 4
    assert t.columns[4].name == "合计" and t.columns[4].role == "total"
    assert t.columns[5].path == ("基本支出", "小计") and t.columns[5].role == "basic"
    assert t.columns[7].role == "project"
    assert t.label_columns == 4


# --------------------------------------------------------------------------- detection and unit


def test_title_unit_and_guessed_unit():
    t = one("""说明文字。

2021年三公经费支出情况表

金额单位：万元

项目→预算数
合计→1.50
因公出国（境）费→0.50
公务接待费→1.00
公务用车购置及运行费→0
""")
    assert t.title == "2021年三公经费支出情况表"
    assert (t.unit, t.unit_guessed) == ("万元", False)
    assert t.rows[0].cells[1].number.unit == "万元"
    t = one("""某某表
项目→金额
甲→1
乙→2
""")
    assert (t.unit, t.unit_guessed) == ("", True)
    t = one("""某某表
编制单位：某局→→单位:元
项目→金额
甲→1
""")
    assert t.unit == "元"


def test_table_number_line_and_department_row_are_not_title_or_header():
    # central 决算 layout: title, then "公开01表", then "部门：… 金额单位：万元" inside the grid
    t = one("""收入支出决算总表

公开01表
部门：示例局→→→→→金额单位：万元
收入→→→支出→→
项目→行次→金额→项目→行次→金额
本年收入合计→1→10.00→本年支出合计→3→9.00
年初结转和结余→2→1.00→年末结转和结余→4→2.00
""")
    assert (t.title, t.kind, t.unit) == ("收入支出决算总表", "final.summary", "万元")
    assert [c.path for c in t.columns if c.is_value] == [("收入", "金额"), ("支出", "金额")]
    # a title line of its own is still the title ("表" alone, or a numbered list item, is not a number line)
    assert one("""附表3
一般公共预算“三公”经费支出情况表
项目→预算数
合计→1
""").title == "一般公共预算“三公”经费支出情况表"


def test_column_number_rows_are_header_not_data():
    t = one("""收入支出决算总表
单位：元
收入→→→支出→→
项目→行次→金额→项目→行次→金额
栏次→→1→栏次→→2
本年收入合计→1→10→本年支出合计→3→9
""")
    assert [r.label for r in t.rows] == ["本年收入合计", "本年支出合计"]
    assert 3 in t.header_lines
    # a bare 1 … n row under a column-oriented header; a data row of small amounts stays data
    t = one("""“三公”经费支出决算表
单位：万元
预算数→→决算数→
合计→公务接待费→合计→公务接待费
1→2→3→4
1.50→0.50→1.20→0.40
""")
    assert [[c.text for c in r.cells] for r in t.rows] == [["1.50", "0.50", "1.20", "0.40"]]
    t = one("""某某表
项目→甲→乙→丙
一→1→2→3
合计→3→5→7
""")
    assert [r.label for r in t.rows] == ["一", "合计"]


def test_unit_in_header_cell():
    t = one("""项目构成
经济科目名称→预算金额（元）
办公费→1000.00
""")
    assert t.rows[0].cells[1].number.unit == "元"


def test_page_break_keeps_one_table_and_skips_footer_and_repeated_header():
    t = one("""2020年部门支出总体情况表
单位：元
科目编码→→→科目名称→合计
类→款→项→→
→→→合计→60
201→03→01→行政运行→10
201→03→02→一般行政管理事务→20

第 3 页 共 9 页

科目编码→→→科目名称→合计
类→款→项→→
201→03→05→专项业务活动→30
""")
    assert [r.code for r in t.rows] == ["", "2010301", "2010302", "2010305"]
    assert t.last_line > t.first_line + 8
    assert not failures(t)
    assert len([r for r in t.relations if r.kind == "column"]) == 1


def test_separate_tables_with_the_same_title_stay_separate():
    text = """项目绩效目标表
项目名称→甲→→
资金→100→→

项目绩效目标表
项目名称→乙→→
资金→200→→
"""
    assert len(tables_of(text)) == 2


# --------------------------------------------------------------------------- codes and row kinds


def test_codes_joined_and_unit_rows():
    t = one("""2020年一般公共预算支出情况表
单位：元
科目编码→→→单位（科目名称）→合计→基本支出→项目支出
类→款→项→→→→
→→→合计→30→10→20
→→0030 01→某某机关→30→10→20
201→03→01→行政运行→10→10→0
201→03→05→专项业务活动→20→0→20
""")
    kinds = [(r.kind, r.code) for r in t.rows]
    assert kinds == [("total", ""), ("unit", ""), ("detail", "2010301"), ("detail", "2010305")]
    assert t.rows[2].labels == ["201", "03", "01", "行政运行"]
    assert t.rows[2].label == "行政运行"
    assert not failures(t)


def test_department_row_repeating_total_is_a_unit_row():
    t = one("""2020年部门收入总体情况表
单位：元
科目编码→→→单位（科目名称）→合计
类→款→项→→
→→→合计→30
→→→某某局机关→30
201→03→01→行政运行→10
208→05→05→养老保险缴费→20
""")
    assert t.rows[1].kind == "unit"
    assert not failures(t)


def test_economic_codes_and_alt_codes():
    t = one("""2020年一般公共预算支出情况表
单位：元
部门预算经济分类→→→政府预算经济分类→→→合计→基本支出→项目支出
类→款→科目名称→类→款→科目名称→→→
→→→→→合计→15→10→5
301→01→基本工资→501→01→工资奖金津补贴_行政→10→10→0
302→01→办公费→502→01→办公经费_行政→5→0→5
""")
    assert t.kind == "budget.general_expense_econ"
    assert (t.rows[1].code, t.rows[1].alt_code, t.rows[1].label) == ("30101", "50101", "基本工资")
    assert t.label_columns == 6


def test_code_hierarchy_rollups_fire_and_stay_quiet():
    text = """某某支出表
单位：元
科目编码→→→科目名称→合计
类→款→项→→
→→→合计→{total}
201→→→一般公共服务支出→30
201→03→→政府办公厅→30
201→03→01→行政运行→10
201→03→02→一般行政管理事务→{leaf}
"""
    t = one(text.format(total=30, leaf=20))
    assert {r.kind for r in t.relations} == {"column", "code"}
    assert not failures(t)
    t = one(text.format(total=30, leaf=25))
    fired = failures(t)
    # 30 against 10 + 25, each a whole-元 amount (±0.5): 5 apart, 3.5 beyond rounding
    assert [f[0] for f in fired] == ["code"] and fired[0][2] == Decimal("3.5")
    assert not failures(one(text.format(total=30, leaf=21)))  # 1 元 apart: within rounding


# --------------------------------------------------------------------------- two-sided tables


TWO_SIDED = """2020年部门收支总体情况表
单位：元
收入→→支出→
项目→金额→项目→金额
一、一般公共预算→100→一、基本支出→60
1、财政拨款→100→1、工资福利支出→{salary}
2、专项收入→→2、商品服务支出→20
二、政府性基金预算→→二、项目支出→40
→→1、其他项目→40
本年收入合计→100→本年支出合计→100
"""


def test_two_sided_split_and_outline_relations():
    t = one(TWO_SIDED.format(salary=40))
    assert t.kind == "budget.summary" and t.sides == 2
    left = [r for r in t.rows if r.block == 0]
    right = [r for r in t.rows if r.block == 1]
    assert [r.label for r in left][:2] == ["一、一般公共预算", "1、财政拨款"]
    assert right[0].value(3).value == 60 and right[0].cell(3).column == 3
    assert left[0].value(1).value == 100
    assert len(left) == 5 and len(right) == 6  # the empty 收入 half of a line is no row
    assert left[-1].kind == right[-1].kind == "total"
    labels = {r.label.split(" [")[0] for r in t.relations}
    assert "一、基本支出 = Σ 2 items" in labels
    assert "本年收入合计 = Σ 2 top items" in labels
    assert "本年收入合计 = 本年支出合计" in labels
    assert not failures(t)


def test_two_sided_outline_fires():
    t = one(TWO_SIDED.format(salary=45))
    fired = failures(t)
    assert len(fired) == 1 and fired[0][1].startswith("一、基本支出") and fired[0][2] == Decimal("3.5")


# --------------------------------------------------------------------------- row relations


EXPENSE = """2020年部门支出总体情况表
单位：元
科目编码→→→科目名称→合计→基本支出→→→→→项目支出→→→→
类→款→项→→→小计→工资福利支出→对个人和家庭的补助支出→商品服务支出→资本性支出→小计→社会事业和经济发展项目→债务项目→基本建设项目→其他项目
→→→合计→{t}→{b}→50→10→40→0→40→10→0→0→30
201→03→01→行政运行→100→60→50→10→0→0→40→10→0→0→30
205→08→03→培训支出→40→40→0→0→40→0→0→0→0→0→0
"""


def test_row_relations_from_schema_quiet_and_firing():
    t = one(EXPENSE.format(t=140, b=100))
    assert t.kind == "budget.expense"
    rows = [r for r in t.relations if r.kind == "row"]
    assert rows and all(r.source == "schema" for r in rows)
    assert len(rows) == 3 * 3  # 3 rows × (合计, 基本, 项目)
    assert not failures(t)
    t = one(EXPENSE.format(t=145, b=100))
    fired = failures(t)
    assert {f[0] for f in fired} == {"row", "column"}
    assert any(f[1].startswith("合计: 合计 = 基本支出/小计 + 项目支出/小计") for f in fired)


def test_no_row_relation_when_an_unknown_column_sits_under_the_total():
    t = one("""2020年部门支出总体情况表
单位：元
科目编码→→→科目名称→合计→基本支出→项目支出→上年执行数
类→款→项→→→→→
201→03→01→行政运行→100→60→40→90
""")
    assert not [r for r in t.relations if r.kind == "row" and r.label.endswith("项目支出")]


def test_subitem_fires_and_stays_quiet():
    text = """2020年部门收入总体情况表
单位：元
科目编码→→→单位（科目名称）→合计→一般公共预算→
类→款→项→→→小计→其中：财政拨款
201→03→01→行政运行→100→100→{part}
"""
    t = one(text.format(part=100))
    sub = [r for r in t.relations if r.kind == "subitem"]
    assert len(sub) == 1 and not failures(t)
    t = one(text.format(part=105))
    assert [f[0] for f in failures(t)] == ["subitem"]


def test_inferred_relations_for_a_table_without_schema():
    text = """某某经费明细表
单位：万元
项目→合计→人员经费→公用经费
甲→10.00→6.00→4.00
乙→5.00→3.00→{x}
合计→15.00→9.00→6.00
"""
    t = one(text.format(x="2.00"))
    assert t.kind == "generic"
    assert {r.kind for r in t.relations} == {"row", "column"}
    assert all(r.source == "inferred" for r in t.relations)
    assert not failures(t)
    t = one(text.format(x="2.10"))
    fired = failures(t)
    # 乙: 5.00 vs 3.00 + 2.10 is out by 0.10 万元 less the rounding radius (3 × 0.005 万元)
    assert any(f[0] == "row" and f[2] == Decimal("850") for f in fired)


def test_rounding_within_printed_precision_is_quiet():
    t = one("""某某经费明细表
单位：万元
项目→合计→人员经费→公用经费
甲→10.01→6.00→4.00
""")
    assert not failures(t)  # 10.01 stands for [10.005, 10.015], 6.00 + 4.00 for [9.99, 10.01]: they meet
    t = one("""某某经费明细表
单位：万元
项目→合计→人员经费→公用经费
甲→10.0→6.02→4.02
""")
    assert not failures(t)


# --------------------------------------------------------------------------- row-oriented schema (三公)


SANGONG = """2020年一般公共预算“三公”经费支出情况表
单位：元
项 目→“三公”经费预算数
合 计→{total}
1、因公出国（境）费用→0
2、公务接待费→80,000
3、公务用车费→900,000
其中：（1）公务用车运行维护费→900,000
（2）公务车购置→0
"""


def test_sangong_row_roles():
    t = one(SANGONG.format(total="980,000"))
    assert t.kind == "budget.sangong"
    assert t.rows[0].kind == "total" and t.rows[0].label == "合计"
    assert sorted(r.label.split(" [")[0] for r in t.relations) == [
        "total = abroad + vehicle + reception", "vehicle = vehicle.run + vehicle.buy"]
    assert not failures(t)
    t = one(SANGONG.format(total="990,000"))
    assert [f[2] for f in failures(t)] == [Decimal(9998)]  # 10,000 apart, less 4 half-元 of rounding


def test_sangong_column_form_with_two_blocks():
    t = one("""2020年一般公共预算财政拨款“三公”经费支出决算表
单位：万元
预算数→→→→→→决算数→→→→→
合计→因公出国（境）费→公务用车购置及运行费→→→公务接待费→合计→因公出国（境）费→公务用车购置及运行费→→→公务接待费
→→小计→公务用车购置费→公务用车运行费→→→→小计→公务用车购置费→公务用车运行费→
3.00→0.00→2.00→0.50→1.50→1.00→2.90→0.00→2.00→0.50→1.50→0.80
""")
    assert t.kind == "final.sangong"
    assert {c.role for c in t.columns if c.is_value} >= {"total", "abroad", "vehicle", "vehicle.buy", "vehicle.run"}
    rows = [r for r in t.relations if r.kind == "row"]
    assert len(rows) == 4  # two relations in each block
    assert [g for _, _, g in failures(t)] == [Decimal(800)]  # 决算: 2.90 vs 0.00 + 2.00 + 0.80 万元


# --------------------------------------------------------------------------- lost cells


LOST = """2020年一般公共预算支出情况表
单位：元
部门预算经济分类→→→合计→基本支出→→→→→项目支出→→→→
类→款→科目名称→→小计→工资福利支出→对个人和家庭的补助支出→商品服务支出→资本性支出→小计→社会事业和经济发展项目→债务项目→基本建设项目→其他项目
→→合计→{tot}
301→01→基本工资→100→100→100→0→0→0→0→0→0→0→0
302→15→会议费→300→300→0→0→300→0→0→0→0→0
303→01→离休费→40→40→0→40→0→0→0→0→0→0
310→99→其他资本性支出→500→0→0→0→0→0→500→0→0→500
"""


def test_lost_cell_aligned_by_row_relations_and_column_totals():
    # 会议费 could be 商品服务 or 资本性, 离休费 个人家庭 or 商品服务, 其他资本性支出 基建 or 其他:
    # every choice satisfies its row; the column totals pick one.
    tot = "940→440→100→40→300→0→500→0→0→0→500"
    t = one(LOST.replace("{tot}", tot))
    rows = {r.label: r for r in t.rows}
    assert rows["会议费"].aligned and rows["离休费"].aligned and not rows["基本工资"].aligned
    assert rows["会议费"].value(7).value == 300 and rows["会议费"].value(8) is None
    assert rows["离休费"].value(6).value == 40
    assert rows["其他资本性支出"].value(13).value == 500 and rows["其他资本性支出"].value(12).value == 0
    assert t.confidence == pytest.approx(0.9)
    assert not failures(t)


def test_lost_cell_ambiguity_follows_the_totals():
    # Same rows, but here the totals say 会议费 is 资本性 and the project money 基本建设.
    tot = "940→440→100→40→0→300→500→0→0→500→0"
    t = one(LOST.replace("{tot}", tot))
    rows = {r.label: r for r in t.rows}
    assert rows["会议费"].value(8).value == 300
    assert rows["其他资本性支出"].value(12).value == 500
    assert not failures(t)


def test_lost_cell_without_valid_place_is_padded_with_a_note():
    t = one("""2020年部门支出总体情况表
单位：元
科目编码→→→科目名称→合计→基本支出→项目支出
类→款→项→→→→
201→03→01→行政运行→100→70
""")
    assert t.notes and "padded" in t.notes[0][1]
    assert not t.rows[0].aligned and t.confidence < 0.9


def test_resolve_by_totals_prefers_exact_columns():
    from auditor.model import Number

    def n(v):
        return Number(Decimal(v), 0, "元")

    # two rows that can each go to column 0 or 1; column 1 must total 5 exactly
    options = [[[n(5), None], [None, n(5)]], [[n(3), None], [None, n(3)]]]
    assert resolve_by_totals([Decimal(3), Decimal(5)], options) == [1, 0]


# --------------------------------------------------------------------------- misc


def test_empty_table_note_and_no_rows():
    t = tables_of("""2020 年政府性基金预算支出情况表

单位：元

科目编码→→→单位（科目名称）→合计→基本支出
类→款→项→→→小计

备注：我部门没有政府性基金收入，也没有使用政府性基金安排的支出，故无数据。
""")[0]
    assert t.kind == "budget.gov_fund" and not t.rows
    assert t.empty_note.startswith("备注：我部门没有政府性基金收入")


def test_indicator_tables_are_generic_without_relations():
    t = one("""项目绩效目标表
一级指标→二级指标→三级指标→指标值
产出指标→数量指标→培训人次→≥100人次
→质量指标→合格率→100%
合计→→→100
""")
    assert t.kind == "generic" and not t.relations and not t.notes


def test_schema_catalog_loads_and_matches_titles():
    kinds = {s.kind for s in load_schemas()}
    assert {"budget.summary", "budget.income", "budget.expense", "budget.fiscal_summary",
            "budget.general_expense", "budget.general_expense_econ", "budget.basic_expense",
            "budget.sangong", "budget.gov_fund", "budget.state_capital", "budget.procurement",
            "final.summary", "final.income", "final.expense", "final.fiscal_summary",
            "final.general_expense", "final.basic_expense", "final.sangong", "final.gov_fund",
            "final.state_capital"} <= kinds
    assert match_kind("2022年收入支出决算总表", "").kind == "final.summary"
    assert match_kind("财政拨款收入支出决算总表", "").kind == "final.fiscal_summary"
    assert match_kind("政府性基金预算财政拨款收入支出决算表", "").kind == "final.gov_fund"
    assert match_kind("一般公共预算财政拨款基本支出决算表", "").kind == "final.basic_expense"
    assert match_kind("2020年一般公共预算支出情况表", "部门预算经济分类/类").kind == "budget.general_expense_econ"
    assert match_kind("2020年一般公共预算支出情况表", "科目编码/类").kind == "budget.general_expense"
    assert match_kind("某某说明", "") is None
    assert strip_numbering("其中：（1）公务用车运行维护费") == "公务用车运行维护费"


# --------------------------------------------------------------------------- seed 001


@pytest.fixture(scope="module")
def seed001():
    path = SEEDS / "001_0794aadfb6c0e8a0.txt"
    if not path.exists():
        pytest.skip("…shared/seeds not found")
    document = load(path)
    return document, read_tables(document)


def _by_line(tables, line):
    return next(t for t in tables if t.first_line <= line <= t.last_line)


def test_seed001_table_set(seed001):
    _, (tables, consumed) = seed001
    budget = [t for t in tables if t.kind != "generic"]
    assert [t.kind for t in budget] == [
        "budget.summary", "budget.income", "budget.expense", "budget.fiscal_summary",
        "budget.general_expense", "budget.general_expense_econ", "budget.basic_expense",
        "budget.sangong", "budget.gov_fund", "budget.state_capital", "budget.procurement"]
    assert all(t.unit == "元" and not t.unit_guessed for t in budget)
    assert budget[0].title == "2020年部门收支总体情况表"
    assert {230, 232, 234, 247} <= consumed


def test_seed001_tables_in_detail(seed001):
    _, (tables, _) = seed001
    t1 = _by_line(tables, 236)
    assert t1.sides == 2 and len([r for r in t1.rows if r.block == 1]) == 11
    t3 = _by_line(tables, 274)
    assert len([c for c in t3.columns if c.is_value]) == 11
    assert t3.columns[9].path == ("基本支出", "资本性支出") and t3.columns[10].role == "project"
    assert t3.rows[1].kind == "unit" and t3.rows[2].code == "2010301"
    t5 = _by_line(tables, 308)
    assert t5.rows[1].kind == "unit"
    econ = _by_line(tables, 325)
    assert (econ.rows[1].code, econ.rows[1].alt_code) == ("30101", "50101")
    t6 = _by_line(tables, 363)
    assert t6.kind == "budget.basic_expense" and len(t6.rows) == 27
    t7 = _by_line(tables, 395)
    assert t7.kind == "budget.sangong" and len(t7.relations) == 2 and not failures(t7)
    for line in (408, 417):
        empty = _by_line(tables, line)
        assert not empty.rows and empty.empty_note.startswith("备注：我部门没有")
    proc = _by_line(tables, 430)
    assert proc.kind == "budget.procurement" and {r.kind for r in proc.relations} == {"column"}
    assert not failures(proc)


def test_seed001_lost_cells_aligned(seed001):
    _, (tables, _) = seed001
    econ = _by_line(tables, 341)
    aligned = [r.line for r in econ.rows if r.aligned]
    assert aligned == list(range(341, 355))
    assert econ.confidence == pytest.approx(0.9) and not econ.notes
    row_rels = [r for r in econ.relations if r.kind == "row"]
    for rel in row_rels:
        row = econ.rows[rel.total[0]]
        if row.aligned:
            assert relation_gap(econ, rel) == 0, rel.label
    rows = {r.line: r for r in econ.rows}
    assert rows[341].value(10).value == 300000  # 会议费 in 商品服务支出
    assert rows[350].value(9).value == 404808  # 离休费 in 对个人和家庭的补助支出
    assert rows[353].value(10).value == 630000  # 办公设备购置: the totals put it in 商品服务支出
    assert rows[354].value(16).value == 14470000  # 其他资本性支出 in 其他项目


def test_seed001_only_real_inconsistencies_fail(seed001):
    _, (tables, _) = seed001
    fired = [(t.rows[rel.total[0]].line, rel.kind, gap) for t in tables for rel, gap in failed_relations(t)]
    # 302-01 办公费 (line 334): 基本支出 3,602,780 printed, but its 商品服务支出 cell is 0 and the
    # 工资福利 cell blank -> the row and the 商品服务支出 column total are both 3,602,780 short
    # (the gap is that less the rounding of the whole-元 cells involved, ±0.5 each).
    assert sorted(fired) == [(324, "column", Decimal("3602766.5")), (334, "row", Decimal(3602778))]


def test_a_code_of_no_classification_length_is_kept_apart_as_malformed():
    table = one("2024年部门支出总体情况表\n单位：元\n科目编码\t科目名称\t合计\n"
                "210\t卫生健康支出\t460,000\n21011\t行政事业单位医疗\t460,000\n"
                "21011011\t行政单位医疗\t460,000\n2101101\t行政单位医疗\t0\n")
    rows = {r.label + "|" + (r.code or r.malformed_code): r for r in table.rows}
    bad = rows["行政单位医疗|21011011"]
    # no relation or roll-up uses it (its code stays empty); schema.code_format sees it
    assert (bad.code, bad.malformed_code) == ("", "21011011")
    good = rows["行政单位医疗|2101101"]
    assert (good.code, good.malformed_code) == ("2101101", "")
    assert all(r.malformed_code == "" for r in table.rows if r.code)


def test_a_year_in_a_code_cell_is_not_a_malformed_code():
    table = one("2024年部门支出总体情况表\n单位：元\n科目编码\t科目名称\t合计\n"
                "210\t卫生健康支出\t460,000\n2024\t行政单位医疗\t460,000\n")
    assert all(r.malformed_code == "" for r in table.rows)
