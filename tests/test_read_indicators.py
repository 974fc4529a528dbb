"""Indicator-set reader: inline fixtures per layout, framework detection, and the seeds."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from auditor.load import load
from auditor.load.text import split_lines
from auditor.read.indicator_taxonomy import load_taxonomy
from auditor.read.indicators import read_indicator_sets

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def doc_of(text: str):
    return split_lines(text.replace("→", "\t"), "fixture.txt")


def read(text: str):
    return read_indicator_sets(doc_of(text), [])


def seed(prefix: str):
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not available under {SEEDS}")
    return load(found[0])


def by_name(iset, name):
    return [i for i in iset.indicators if i.name == name]


# --------------------------------------------------------------------------- inline fixtures

TARGET_TABLE = """项目名称→热线运行经费→→
单位编码→001001→资金用途→业务类
项目总金额→500000.00→项目本年度金额→500000.00
项目构成→→→
经济科目名称→预算金额（元）→→
热线运行经费→500000.00→→
备注→→→
年度绩效目标→保障热线运行。→→
一级指标→二级指标→三级指标→目标值
投入与目标管理→投入管理→预算执行率→=100%
→→预算资金到位情况→=100%
→财务管理→资金使用规范性→合规
资产管理→→→
产出目标→数量→受理件数→≥2000件
→质量→接通率→≥98%
→→呼损率→≤5%
成本→→→
效果目标→满意度→案件回复率→≥98%
回访满意率→→≥90%→
影响力目标→长效管理→制度健全性→健全
→其它→→
"""


def test_blank_cells_inherit_from_row_above():
    sets, taken = read(TARGET_TABLE)
    assert len(sets) == 1
    s = sets[0]
    assert s.framework == "henan" and s.source == "target_table"
    first, second = s.indicators[0], s.indicators[1]
    assert (first.level1, first.level2, first.inherited) == ("投入与目标管理", "投入管理", False)
    assert (second.level1, second.level2, second.name, second.inherited) == (
        "投入与目标管理", "投入管理", "预算资金到位情况", True)
    call_loss = by_name(s, "呼损率")[0]
    assert (call_loss.level1, call_loss.level2, call_loss.target.op) == ("产出目标", "质量", "≤")
    assert call_loss.line == 16
    assert 10 in taken and 1 in taken


def test_header_fields_amount_and_composition():
    s = read(TARGET_TABLE)[0][0]
    assert s.project == "热线运行经费" and s.line == 1
    assert s.fields["单位编码"] == "001001" and s.field_lines["单位编码"] == 2
    assert s.fields["项目构成.热线运行经费"] == "500000.00"
    assert s.fields["年度绩效目标"] == "保障热线运行。"
    assert s.amount is not None and s.amount.value == Decimal("500000.00") and s.amount.unit == "元"
    assert s.amount.decimals == 2


def test_shifted_rows_are_restored():
    s = read(TARGET_TABLE)[0][0]
    # "回访满意率→→≥90%→": a name in the 一级 column and its value in the 三级 column
    revisit = by_name(s, "回访满意率")[0]
    assert (revisit.level1, revisit.level2, revisit.target_text) == ("效果目标", "满意度", "≥90%")
    assert revisit.inherited
    # "资产管理→→→" and "成本→→→" are empty 二级 categories, not indicators
    assert not by_name(s, "资产管理") and not by_name(s, "成本")
    assert ("投入与目标管理", "资产管理", 13) in s.empty_categories
    assert ("产出目标", "成本", 17) in s.empty_categories
    assert ("影响力目标", "其它", 21) in s.empty_categories
    assert all(l2 != "数量" for _, l2, _ in s.empty_categories)
    assert len(s.indicators) == 9


SPACE_TABLE = """项目名称 交通服务保障经费

项目总金额 100.00 项目本年度金额 100.00

一级指标 二级指标 三级指标 目标值

产出目标

数量 受理电话数量 ≥95接通率

成本

效果目标

满意度
群众满意度 满意
"""


def test_space_separated_table():
    s = read(SPACE_TABLE)[0][0]
    assert s.project == "交通服务保障经费" and s.framework == "henan"
    calls = s.indicators[0]
    assert (calls.level1, calls.level2, calls.name) == ("产出目标", "数量", "受理电话数量")
    assert calls.target.kind == "number" and calls.target.op == "≥" and calls.target.number.value == 95
    assert calls.target.word == "接通率"
    assert (s.indicators[1].level2, s.indicators[1].name) == ("满意度", "群众满意度")
    assert [c[:2] for c in s.empty_categories] == [("产出目标", "成本")]


WIDE_TABLE = """金额单位：万元

单位代码→单位（专项）名称→资金总额→实施期绩效目标→年度绩效目标→绩效指标→→→→→→
→→→→→一级指标→二级指标→三级指标→指标值→指标值内容→评（扣分标准）→度量单位
→合计：→30.00→单位数：→1→项目个数：→2→→→→→
001001→某局→30.00→→→→→→→→→
001001→安全监管→20.00→目标甲→目标乙→成本指标→经济成本指标→经济成本指标→20万元→总成本→20分→
→→→→→→→社会成本指标→→→→→
→→→→→→产出指标→数量指标→数量指标→3家→检查企业→10分→

001001→安全监管→20.00→目标甲→目标乙（续）→产出指标→时效指标→时效指标→2023年→按计划→10分→
→→→→→→效益指标→社会效益指标→社会效益指标→稳定→行业稳定→10分
可持续影响指标→可持续影响指标→持续→安全水平→5分→→→→→→
001001→春运经费→10.00→目标丙→目标丁→满意度指标→服务对象满意度指标→满意度→95%→公众满意度→10分→
"""


def test_wide_table_page_split_merge_and_shifted_row():
    sets, _ = read(WIDE_TABLE)
    assert [s.project for s in sets] == ["安全监管", "春运经费"]
    safety = sets[0]
    assert safety.source == "wide_table" and safety.framework == "mof2021"
    assert [i.line for i in safety.indicators] == [7, 9, 11, 12, 13]
    assert safety.amount.value == Decimal("20.00") and safety.amount.unit == "万元"
    assert safety.fields["年度绩效目标"] == "目标乙"  # the first copy wins
    shifted = safety.indicators[-1]
    assert (shifted.level1, shifted.level2, shifted.name, shifted.weight) == (
        "效益指标", "可持续影响指标", "可持续影响指标", Decimal("5"))
    assert safety.indicators[0].weight == Decimal("20") and safety.indicators[0].description == "总成本"
    assert ("成本指标", "社会成本指标", 8) in safety.empty_categories
    # table-level fields on every set of the table
    for s in sets:
        assert s.fields["合计"] == "30.00" and s.fields["项目个数"] == "2" and s.field_lines["合计"] == 5
        assert s.table_line == 3


SELF_EVAL = """某局 2023年度某某专项经费项目支出绩效自评报告

一级指标→二级指标→三级指标→年度指标值→实际完成值
产出指标 (50分)→数量指标→装备配备数量→≥50→30
→质量指标→环境巩固→巩固→巩固
效益指标 (30分)→社会效益指标→环境提升→提升→提升

三、偏离绩效目标的原因

一级指标→二级指标→三级指标→分值→得分→未完成原因及改进措施
产出指标 (50分)→数量指标→装备配备数量→10→6→设备缺口下年补齐。
→质量指标→环境巩固→15→15→
效益指标 (30分)→社会效益指标→环境提升→15→15→
总分（预算执行率得分+绩效指标得分）→→→→100分→90→
"""


def test_self_eval_tables_merge_and_declared_weights():
    sets, _ = read(SELF_EVAL)
    assert len(sets) == 1
    s = sets[0]
    assert s.source == "self_eval" and s.project == "某某专项经费" and s.framework == "std2015"
    assert s.declared_weights == {"产出指标": (Decimal("50"), 4), "效益指标": (Decimal("30"), 6)}
    assert len(s.indicators) == 3
    gear = s.indicators[0]
    assert gear.level1 == "产出指标"
    assert gear.target_text == "≥50" and gear.actual.number.value == 30
    assert (gear.weight, gear.score, gear.reason) == (Decimal("10"), Decimal("6"), "设备缺口下年补齐。")
    assert s.total is not None and s.total.level == 0 and s.total.line == 14
    assert (s.total.weight, s.total.score) == (Decimal("100"), Decimal("90"))


DEPT_TABLE = """部门名称→→某办公厅→→→
年度总体目标→目标1: 保障运转→→→→
→目标2: 履行职责→→→→
年度主要任务→任务名称→主要内容→预算资金→→
→→→合计→其中: 财政资金→备注
→任务1→人员经费→100.5→100.5→测算数
一级指标→二级指标→三级指标→指标值→指标解释→指标说明
履职效能→整体工作完成→总体工作完成率→≥97%→反映完成情况→完成率=已完成/总数
管理效率→预算管理→预算执行率→100%→→
财务管理→内控制度有效性→有效→反映内控→制度健全
→银行账户管理规范→规范→→无截留
硕士人才数量→→57→→→
"""


def test_department_table():
    s = read(DEPT_TABLE)[0][0]
    assert s.source == "dept" and s.framework == "dept" and s.project == "某办公厅"
    assert s.fields["年度总体目标"] == "目标1: 保障运转\n目标2: 履行职责"
    assert s.fields["年度主要任务.任务1"] == "人员经费"
    assert s.fields["年度主要任务.任务1.合计"] == "100.5"
    assert s.fields["年度主要任务.任务1.其中财政资金"] == "100.5"
    rate = by_name(s, "总体工作完成率")[0]
    assert rate.description == "反映完成情况" and rate.note == "完成率=已完成/总数"
    control = by_name(s, "内控制度有效性")[0]  # the row lost its blank 一级 cell
    assert (control.level1, control.level2, control.target_text) == ("管理效率", "财务管理", "有效")
    bank = by_name(s, "银行账户管理规范")[0]  # lost one leading cell
    assert (bank.level2, bank.target_text, bank.note) == ("财务管理", "规范", "无截留")
    masters = by_name(s, "硕士人才数量")[0]
    assert masters.target_text == "57" and masters.level2 == "财务管理"


# --------------------------------------------------------------------------- framework detection


@pytest.mark.parametrize(
    ("names", "pairs", "expected"),
    [
        ([("投入与目标管理", 1), ("产出目标", 1), ("效果目标", 1), ("数量", 2)], [], "henan"),
        ([("产出指标", 1), ("效益指标", 1), ("满意度指标", 1), ("成本指标", 2), ("数量指标", 2)], [], "std2015"),
        ([("成本指标", None), ("经济成本指标", None), ("产出指标", None), ("数量指标", None)],
         [("成本指标", "经济成本指标")], "mof2021"),
        ([("履职效能", 1), ("管理效率", 1), ("运行成本", 1), ("预算管理", 2)], [], "dept"),
        ([("决策", None), ("过程", None), ("产出", None), ("项目立项", None), ("资金管理", None)], [], "eval2020"),
    ],
)
def test_framework_detection_positive(names, pairs, expected):
    assert load_taxonomy().detect(names, pairs) == expected


def test_framework_detection_negative():
    tax = load_taxonomy()
    assert tax.detect([("甲类", 1), ("乙类", 2), ("某某指标", None)]) == ""
    assert tax.detect([]) == ""
    # 成本指标 printed as a 二级 under 产出 is the 2015 framework, not the 2021 one
    assert tax.detect([("产出指标", 1), ("成本指标", 2), ("数量指标", 2)]) != "mof2021"
    # a 2015-style set is not Henan although Henan knows "产出指标" as an alias
    assert tax.detect([("产出指标", 1), ("效益指标", 1), ("满意度指标", 1)]) != "henan"


def test_taxonomy_aliases_and_sources():
    tax = load_taxonomy()
    assert set(tax.frameworks) == {"henan", "std2015", "mof2021", "dept", "eval2020"}
    std = tax.frameworks["std2015"]
    assert std.l1("产出目标") == std.l1("产出") == "产出指标"
    assert std.l2("数量") == "数量指标" and std.l2("满意 度指 标") == ""
    assert std.l1("满意 度指 标") == "满意度指标"
    assert tax.frameworks["mof2021"].parent_of("经济成本指标") == "成本指标"
    assert tax.frameworks["henan"].parent_of("成本") == "产出目标"
    assert all(fw.source for fw in tax.frameworks.values())


def test_no_sets_in_plain_text():
    assert read("一、基本情况\n\n本单位无项目。\n") == ([], set())


# --------------------------------------------------------------------------- seeds


def test_seed_000_henan_space_table():
    sets, _ = read_indicator_sets(seed("000"), [])
    assert len(sets) == 1
    s = sets[0]
    assert (s.project, s.framework, s.source) == ("交通公共服务保障经费", "henan", "target_table")
    assert len(s.indicators) == 20
    calls = by_name(s, "受理电话时间及电话数量")[0]
    assert (calls.level1, calls.level2, calls.line) == ("产出目标", "数量", 127)
    assert calls.target.op == "≥" and calls.target.number.value == 95 and calls.target.word == "接通率"
    assert s.amount.value == Decimal("1000000.00") and s.amount.unit == "元"
    assert s.fields["单位编码"] == "030001" and s.fields["项目上年度金额"] == "1000000.00"
    assert s.fields["年度绩效目标"].startswith("1）投入和管理目标")
    assert "项目设立的必要性" in s.fields
    assert by_name(s, "值班员")[0].level2 == "人力资源"
    assert {c[1] for c in s.empty_categories} == {"资产管理", "成本", "部门协助", "信息共享", "其它"}


def test_seed_001_target_tables_and_department():
    doc = seed("001")
    start = time.perf_counter()
    sets, taken = read_indicator_sets(doc, [])
    assert time.perf_counter() - start < 0.5  # ~40 ms warm; generous for slow CI
    assert len(sets) == 10
    dept = [s for s in sets if s.source == "dept"]
    projects = [s for s in sets if s.source == "target_table"]
    assert len(dept) == 1 and len(projects) == 9
    assert dept[0].framework == "dept" and len(dept[0].indicators) == 43
    assert all(s.framework == "henan" for s in projects)
    assert [len(s.indicators) for s in projects] == [16, 16, 22, 17, 16, 16, 17, 16, 16]
    hotline = projects[2]
    assert hotline.project == "整合全市热线资源升级政府热线12345平台"
    assert hotline.amount.value == Decimal("28680000.00")
    assert hotline.fields["上年度项目总金额"] == "38640000.00"
    revisit = by_name(hotline, "群众回访满意率")[0]
    assert (revisit.level1, revisit.level2, revisit.target_text, revisit.line) == ("效果目标", "满意度", "≥90%", 653)
    assert ("投入与目标管理", "资产管理", 641) in hotline.empty_categories
    assert ("产出目标", "成本", 647) in hotline.empty_categories
    media = projects[8]
    watch = by_name(media, "监测全市政务新媒体")[0]
    assert watch.target.kind == "range" and watch.target.high.value == 120
    assert media.fields["项目构成.郑州市政务新媒体第三方监测评估项目"] == "600000.00"
    assert by_name(dept[0], "硕士和博士人才数量")[0].target_text == "57"
    assert dept[0].fields["年度主要任务.任务3.其中财政资金"] == "3300.9"
    assert 653 in taken and 506 in taken


def test_seed_004_wide_table():
    sets, _ = read_indicator_sets(seed("004"), [])
    assert len(sets) == 9
    assert all(s.source == "wide_table" and s.framework == "mof2021" for s in sets)
    assert [s.project for s in sets][:3] == ["交通战备经费", "交通行业安全监管", "交通运输信息化管理经费"]
    assert [len(s.indicators) for s in sets] == [9, 9, 9, 9, 10, 9, 9, 9, 7]
    assert sum(s.amount.value for s in sets) == Decimal("321.55")
    assert all(s.amount.unit == "万元" for s in sets)
    safety = sets[1]
    assert safety.project == "交通行业安全监管" and safety.line == 24
    assert [i.line for i in safety.indicators] == [24, 27, 28, 30, 31, 32, 33, 34, 35]
    shifted = safety.indicators[-1]
    assert (shifted.level1, shifted.level2, shifted.weight) == ("效益指标", "可持续影响指标", Decimal("5"))
    assert safety.indicators[0].target_text == "44.13万元" and safety.indicators[0].weight == Decimal("20")
    assert sets[0].fields["合计"] == "321.55" and sets[0].fields["项目个数"] == "9"
    assert ("成本指标", "社会成本指标", 25) in safety.empty_categories


def test_seed_003_self_evaluations():
    sets, _ = read_indicator_sets(seed("003"), [])
    assert [s.project for s in sets] == ["邮政行业监管经费", "交通运输综合执法经费", "交通运输执法工作专项经费"]
    assert all(s.source == "self_eval" and s.framework == "std2015" for s in sets)
    post, enforce, special = sets
    assert len(post.indicators) == 18 and len(enforce.indicators) == 31 and len(special.indicators) == 7
    assert post.total.weight == Decimal("100") and post.total.score == Decimal("100") and post.total.line == 191
    assert sum(i.weight for i in post.indicators) == Decimal("90")
    eco = [i for i in post.indicators if i.line == 185][0]
    assert (eco.level1, eco.level2, eco.target_text, eco.weight) == ("效益指标", "生态效益指标", "成效明显", Decimal("5"))
    courier = [i for i in post.indicators if i.line == 182][0]
    assert courier.name == "快递员维权事件发生" and courier.target_text == "≤0" and courier.score == Decimal("5")
    training = by_name(enforce, "开展执法业务培训")[0]
    assert training.target_text == "12 次" and training.actual.text == "10 次"
    assert (training.weight, training.score) == (Decimal("2.0"), Decimal("1.8"))
    assert training.reason.startswith("虽有开展工作")
    assert all(i.weight is not None and i.score is not None for i in enforce.indicators)
    assert sum(i.weight for i in enforce.indicators) == Decimal("90.0")
    assert special.declared_weights["产出指标"] == (Decimal("50"), 392)
    gear = special.indicators[0]
    assert (gear.weight, gear.score, gear.actual.text) == (Decimal("10"), Decimal("6"), "30")


def test_seed_002_has_no_indicator_sets():
    sets, _ = read_indicator_sets(seed("002"), [])
    assert sets == []
