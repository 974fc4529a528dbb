"""indicator.* rules: each rule fires and stays quiet on hand-built indicator sets in the Henan,
2015 and 2021 frameworks and on an inline wide multi-project table (the seed-004 layout, with
invented projects), then the real findings on the seeds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from auditor.engine import get_rule
from auditor.load import load
from auditor.model import Indicator, IndicatorSet, Number, ReadDocument, ScoreRow
from auditor.numbers import parse_target
from auditor.read import read_document
from auditor.read.value_form import cue_lexicon, find_cue, find_cues, value_form
from checks.indicator import category_conflict, generic_name
from tests.conftest import ROOT, seed
from tests.harness import audit_path, audit_text, message, read_text

D = Decimal
BLANK = "\n".join(f"row {n}" for n in range(1, 61)) + "\n"


def run(read: ReadDocument, rule_id: str):
    return audit_text(read, rule=rule_id).findings_and_status


def ind(l1: str, l2: str, name: str, target: str, line: int, *, desc: str = "", weight: str | None = None,
        unit: str = "") -> Indicator:
    return Indicator(level1=l1, level2=l2, name=name, target=parse_target(target), line=line, description=desc,
                     weight=D(weight) if weight else None, unit_text=unit)


def doc(*sets: IndicatorSet, text: str = BLANK) -> ReadDocument:
    read = read_text(text)
    read.indicator_sets = list(sets)
    return read


def henan(project: str, *inds: Indicator, **kw) -> IndicatorSet:
    return IndicatorSet(project=project, line=1, framework="henan", source="target_table", indicators=list(inds), **kw)


def std(project: str, *inds: Indicator, **kw) -> IndicatorSet:
    kw.setdefault("source", "self_eval")
    return IndicatorSet(project=project, line=1, framework="std2015", indicators=list(inds), **kw)


def mof(project: str, *inds: Indicator, **kw) -> IndicatorSet:
    kw.setdefault("source", "wide_table")
    return IndicatorSet(project=project, line=1, framework="mof2021", indicators=list(inds), **kw)


# A complete, in-order Henan project (产出 数量/质量/时效, 效果 incl. 满意度).
HENAN_OK = [
    ind("投入与目标管理", "投入管理", "预算执行率", "=100%", 2),
    ind("产出目标", "数量", "维护工作完成率", "≥98%", 3),  # 完成率 under 数量: accepted
    ind("产出目标", "质量", "维护完成质量", "≥98%", 4),
    ind("产出目标", "时效", "平台故障解决时间", "≤2小时", 5),
    ind("效果目标", "社会效益", "网站稳定运行", "平稳运行", 6),
    ind("效果目标", "满意度", "群众回访满意率", "≥90%", 7),
]

# A complete 2015-framework self-evaluation (weights 90 + 预算执行率 10).
STD_OK = [
    ind("产出指标", "数量指标", "惠民演出场次", "≥120场", 2, weight="20"),
    ind("产出指标", "质量指标", "演出安全事故发生次数", "=0次", 3, weight="10"),
    ind("产出指标", "质量指标", "节目审查合格率", "=100%", 4, weight="10"),
    ind("产出指标", "时效指标", "演出任务完成时间", "2024年11月底前", 5, weight="5"),
    ind("产出指标", "成本指标", "单场演出平均成本", "≤1.25万元", 6, weight="5"),
    ind("效益指标", "社会效益指标", "群众文化活动参与率", "≥35%", 7, weight="20"),
    ind("效益指标", "可持续影响指标", "惠民演出长效机制", "健全", 8, weight="10"),
    ind("满意度指标", "服务对象满意度指标", "观众满意度", "≥90%", 9, weight="10"),
]

# A mof2021 project of the wide layout.
MOF_OK = [
    ind("成本指标", "经济成本指标", "巡查总成本", "20万元", 2, desc="总成本", weight="20"),
    ind("产出指标", "数量指标", "河道巡查次数", "≥48次", 3, weight="20"),
    ind("产出指标", "质量指标", "巡查问题整改率", "≥95%", 4, weight="20"),
    ind("产出指标", "时效指标", "巡查完成时间", "2024年12月", 5, weight="10"),
    ind("效益指标", "生态效益指标", "河道水质达标率", "≥90%", 6, weight="20"),
    ind("满意度指标", "服务对象满意度指标", "沿河群众满意度", "≥90%", 7, weight="10"),
]

INDICATOR_RULES = ("indicator.category", "indicator.duplicate", "indicator.value_swapped", "indicator.unmeasurable",
                   "indicator.missing_category", "indicator.weight_sum", "indicator.cost_mismatch",
                   "indicator.boilerplate", "indicator.dept_tasks")


# --------------------------------------------------------------------------- value forms


@pytest.mark.parametrize(
    ("target", "name", "form"),
    [
        ("≥120场", "", "count"), ("3个", "", "count"), ("≥98%", "接通率", "rate"), ("≥90%", "群众满意度", "satisfaction"),
        ("≤0.6万元", "", "money"), ("等于5万", "", "money"), ("≤2小时", "", "duration"), ("365 天", "", "duration"),
        ("2023年12月", "", "date"), ("及时", "", "timeliness"), ("按时完成", "", "timeliness"),
        ("合格", "", "qualitative"), ("1", "", "number"), ("≥95接通率", "", "rate"), ("", "", "empty"),
        ("1、3500张 2、2家", "", "text"),
    ],
)
def test_value_form(target: str, name: str, form: str) -> None:
    assert value_form(parse_target(target), name) == form


def test_find_cues_is_find_cue_of_every_category() -> None:
    # find_cues looks words up by their first character; it must find what asking each category finds
    words = [w for ws in cue_lexicon().values() for w in ws]
    labels = ["", "  ", "群众满意度", "项目完成及时率", "成本节约率", " ".join(words[:7]), "".join(reversed(words)),
              *words, *(w[:-1] for w in words), *(f"年度{w}指标" for w in words)]
    for label in labels:
        expected = {c: find_cue(label, c) for c in cue_lexicon() if find_cue(label, c)}
        assert list(find_cues(label).items()) == list(expected.items()), label


def test_generic_name() -> None:
    assert generic_name(ind("产出指标", "数量指标", "数量指标", "3个", 1))
    assert generic_name(ind("效益指标", "生态效益指标", "生态效益", "96%", 1))
    assert not generic_name(ind("产出指标", "数量指标", "河道巡查次数", "≥48次", 1))


# --------------------------------------------------------------------------- clean sets stay quiet


@pytest.mark.parametrize("builder", [lambda: henan("网站运维", *HENAN_OK), lambda: std("演出经费", *STD_OK),
                                     lambda: mof("河道巡查经费", *MOF_OK, amount=Number(D("20.00"), 2, "万元", "20.00"))])
def test_in_order_sets_are_quiet(builder) -> None:
    audited = audit_text(doc(builder()))
    mine = audited.of("indicator.")
    assert mine == [], [(f.rule, f.args) for f in mine]
    statuses = {rule: o.status for rule, o in audited.outcomes.items()}
    assert statuses["indicator.category"] == "passed"
    assert statuses["indicator.missing_category"] == "passed"


# --------------------------------------------------------------------------- category


def test_category_henan_reply_rate_under_satisfaction() -> None:
    s = henan("热线平台", *HENAN_OK, ind("效果目标", "满意度", "案件回复率", "≥98%", 8))
    found, _ = run(doc(s), "indicator.category")
    assert [(f.severity, f.args["word"], f.location.line) for f in found] == [("warning", "回复率", 8)]
    text = message(found[0])
    assert "热线平台" in text and "效果目标/满意度/案件回复率" in text and "回复率" in text and "满意度指标" in text


def test_category_timeliness_under_quantity_is_strong_completion_is_quiet() -> None:
    s = henan("运维", *HENAN_OK, ind("产出目标", "数量", "系统维护及时率", "及时", 8))
    found, _ = run(doc(s), "indicator.category")
    assert [(f.severity, f.location.row) for f in found] == [("warning", "系统维护及时率")]
    assert category_conflict(ind("产出目标", "数量", "维护工作完成率", "≥98%", 1)) is None


def test_category_response_rate_under_environment() -> None:
    s = henan("运维", *HENAN_OK, ind("效果目标", "环境效益", "维护有效响应率", "100%", 8))
    found, _ = run(doc(s), "indicator.category")
    assert [f.severity for f in found] == ["warning"]
    assert category_conflict(ind("效果目标", "环境效益", "绿化覆盖率", "≥40%", 1)) is None


def test_category_std2015_count_under_quality() -> None:
    s = std("监管经费", *STD_OK, ind("产出指标", "质量指标", "发布统计信息数量", "≥12", 10, weight="0"))
    found, _ = run(doc(s), "indicator.category")
    assert [(f.severity, f.args["word"]) for f in found] == [("warning", "数量")]


def test_category_mof2021_generic_name_uses_content() -> None:
    budget = ind("效益指标", "经济效益指标", "经济效益指标", "完整", 8, desc="预算编制完整性")
    invest = ind("效益指标", "经济效益指标", "经济效益", "936万元", 9, desc="项目总投资")
    benefit = ind("效益指标", "经济效益指标", "经济效益指标", "经济损失减少", 10, desc="安全生产形势平稳")
    found, _ = run(doc(mof("某项目", *MOF_OK, budget, invest, benefit)), "indicator.category")
    assert sorted((f.location.line, f.severity, f.args["word"]) for f in found) == [
        (8, "warning", "预算编制"), (9, "warning", "总投资")]


def test_category_weak_rate_under_quantity_is_info() -> None:
    rate = ind("产出指标", "数量指标", "数量指标", "96%", 8, desc="热线平稳运行")
    found, _ = run(doc(mof("某项目", *MOF_OK, rate)), "indicator.category")
    assert [(f.severity, f.args["word"]) for f in found] == [("info", "96%")]


# --------------------------------------------------------------------------- duplicate


def test_duplicate_fires_on_same_name() -> None:
    s = henan("运维", *HENAN_OK, ind("效果目标", "环境效益", "维护有效 响应率", "100%", 8),
              ind("效果目标", "环境效益", "维护有效响应率", "=100%", 9))
    found, _ = run(doc(s), "indicator.duplicate")
    assert len(found) == 1 and found[0].args["count"] == 2 and found[0].location.line == 9


def test_duplicate_generic_names_compare_content() -> None:
    a = ind("成本指标", "经济成本指标", "经济成本指标", "78万元", 8, desc="总成本")
    b = ind("成本指标", "经济成本指标", "经济成本指标", "20万元", 9, desc="总成本")
    c = ind("产出指标", "数量指标", "数量指标", "3家", 10, desc="客运站实名制")
    d = ind("产出指标", "数量指标", "数量指标", "5次", 11, desc="专项检查")
    found, _ = run(doc(mof("某项目", a, b, c, d)), "indicator.duplicate")
    assert [f.args["values"] for f in found] == ["78万元；20万元"]


def test_duplicate_quiet_in_other_projects() -> None:
    one = henan("甲", *HENAN_OK)
    two = henan("乙", *HENAN_OK)
    found, status = run(doc(one, two), "indicator.duplicate")
    assert found == [] and status == "passed"


# --------------------------------------------------------------------------- value swapped


def test_value_swapped() -> None:
    bad = ind("成本指标", "经济成本指标", "经济成本指标", "总成本", 8, desc="10万元")
    good = ind("成本指标", "经济成本指标", "经济成本指标", "10万元", 9, desc="总成本")
    found, _ = run(doc(mof("某项目", bad, good)), "indicator.value_swapped")
    assert [(f.location.line, f.expected, f.actual) for f in found] == [(8, "10万元", "总成本")]


def test_value_swapped_quiet_on_words_with_word_content() -> None:
    s = mof("某项目", ind("产出指标", "质量指标", "质量指标", "合格", 8, desc="公路等级"))
    found, _ = run(doc(s), "indicator.value_swapped")
    assert found == []


# --------------------------------------------------------------------------- unmeasurable


def test_unmeasurable_fires() -> None:
    s = henan("热线", *HENAN_OK,
              ind("影响力目标", "其它", "平台美誉度", "1", 8),
              ind("效果目标", "满意度", "受理满意率", "≥95", 9),
              ind("产出目标", "数量", "概览编制数量", "≤5000本", 10),
              ind("产出目标", "质量", "服务质量", "", 11))
    found, _ = run(doc(s), "indicator.unmeasurable")
    assert sorted(f.location.line for f in found) == [8, 9, 10, 11]
    assert {f.severity for f in found} == {"info"}


def test_unmeasurable_generic_names_once_per_project_and_nothing_measurable() -> None:
    inds = [ind("产出指标", "数量指标", "数量指标", "无重大安全事故", 2, desc="事故情况"),
            ind("产出指标", "质量指标", "质量指标", "总体平稳", 3, desc="安全形势"),
            ind("效益指标", "社会效益指标", "社会效益指标", "行业稳定", 4, desc="稳定")]
    found, _ = run(doc(mof("某项目", *inds)), "indicator.unmeasurable")
    keys = sorted(f.key.rsplit("|", 1)[-1] for f in found)
    assert keys == ["generic_names", "none_measurable"]
    assert next(f for f in found if f.key.endswith("none_measurable")).severity == "warning"


# --------------------------------------------------------------------------- missing category


def test_missing_category_mof2021_empty_economic_cost() -> None:
    inds = [i for i in MOF_OK if i.level2 != "经济成本指标"]
    s = mof("某项目", *inds, empty_categories=[("成本指标", "经济成本指标", 9)])
    found, _ = run(doc(s), "indicator.missing_category")
    assert len(found) == 1 and found[0].args["missing"] == "经济成本指标" and found[0].location.line == 9


def test_missing_category_std2015_and_henan() -> None:
    no_time = std("演出", *[i for i in STD_OK if i.level2 != "时效指标"])
    no_sat = henan("运维", *[i for i in HENAN_OK if i.level2 != "满意度"])
    found, _ = run(doc(no_time, no_sat), "indicator.missing_category")
    assert sorted(f.args["missing"] for f in found) == ["时效指标", "满意度"]


# --------------------------------------------------------------------------- weights


def test_weight_sum_project_total() -> None:
    extra = ind("成本指标", "经济成本指标", "其他成本", "5万元", 9, weight="20")
    found, _ = run(doc(mof("某项目", *MOF_OK, extra)), "indicator.weight_sum")
    assert [(f.severity, f.actual, f.difference) for f in found] == [("error", "120", "20")]


def test_weight_sum_self_eval_90_plus_10_and_declared_subtotal() -> None:
    ok = std("演出", *STD_OK, total=ScoreRow(level=0, name="总分（预算执行率得分+绩效指标得分）", line=20,
                                             weight=D(100), score=D(100)))
    found, status = run(doc(ok), "indicator.weight_sum")
    assert found == [] and status == "passed"
    bad = std("演出", *STD_OK, declared_weights={"产出指标": (D(40), 2), "效益指标": (D(30), 7)})
    found, _ = run(doc(bad), "indicator.weight_sum")
    assert [(f.location.line, f.actual, f.expected) for f in found] == [(2, "50", "40")]


# --------------------------------------------------------------------------- the wide table (mof2021)

WIDE = (ROOT / "tests" / "data" / "indicator_wide_table.txt")


def wide(**replace: str) -> ReadDocument:
    text = WIDE.read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old.replace("_", "\t"), new.replace("_", "\t"))
    return read_text(text)


def test_wide_table_reads_three_mof2021_projects() -> None:
    read = wide()
    assert [(s.project, s.framework, str(s.amount.value)) for s in read.indicator_sets] == [
        ("河道巡查经费", "mof2021", "20.00"), ("水质监测经费", "mof2021", "25.00"), ("防汛物资经费", "mof2021", "15.00")]


def test_wide_table_cost_exceeds_and_differs() -> None:
    found, _ = run(wide(), "indicator.cost_mismatch")
    assert [(f.severity, f.actual, f.expected) for f in found] == [("error", "40万元", "25.00万元")]
    found, _ = run(wide(**{"_40万元_": "_22万元_"}), "indicator.cost_mismatch")
    assert [(f.severity, f.actual) for f in found] == [("warning", "22万元")]
    found, status = run(wide(**{"_40万元_": "_250000元_"}), "indicator.cost_mismatch")
    assert found == [] and status == "passed"


def test_wide_table_total_and_project_count() -> None:
    read = wide(**{"_40万元_": "_25万元_", "合计：_60.00": "合计：_65.00", "项目个数：_3": "项目个数：_4"})
    found, _ = run(read, "indicator.cost_mismatch")
    assert sorted((f.variant, f.actual, f.expected) for f in found) == [
        ("wide_count", "4", "3"), ("wide_total", "65.00", "60.00")]
    assert {f.severity for f in found} == {"error"}


def test_wide_table_boilerplate_goal() -> None:
    found, _ = run(wide(), "indicator.boilerplate")
    assert len(found) == 1 and found[0].args["count"] == 3 and found[0].severity == "info"
    distinct = wide(**{"做好全县水利工程日常管护，完成年度水利重点工作任务。_成本指标_经济成本指标_监测":
                       "完成全县十二个断面的水质监测并按月报送。_成本指标_经济成本指标_监测"})
    found, _ = run(distinct, "indicator.boilerplate")
    assert found == []


def test_boilerplate_goal_cut_at_a_page_break_is_the_same_goal() -> None:
    goal = "做好全县水利工程日常管护，完成年度水利重点工作任务，保障防汛安全。"
    read = read_text("说明\n")
    # a cell cut at a page break (a prefix of 20 characters or more) is the same goal; a shorter
    # cut is not compared, and another goal is another group
    texts = [goal, goal[:22], goal, goal[:12], "完成全县十二个断面的水质监测并按月报送，保障饮水安全。"]
    read.indicator_sets = [IndicatorSet(project=f"项目{k}", line=k + 1, fields={"年度绩效目标": text},
                                        field_lines={"年度绩效目标": k + 1}) for k, text in enumerate(texts)]
    found, _ = run(read, "indicator.boilerplate")
    assert [(f.args["count"], f.args["projects"]) for f in found] == [(3, "项目0、项目1、项目2")]


# --------------------------------------------------------------------------- henan header amounts


def test_header_amounts() -> None:
    fields = {"项目总金额": "100000.00", "项目本年度金额": "120000.00", "项目构成.办公费": "50000.00",
              "项目构成.印刷费": "60000.00"}
    s = henan("编印费", *HENAN_OK, fields=fields, field_lines={"项目总金额": 3, "项目本年度金额": 3,
                                                               "项目构成.办公费": 5, "项目构成.印刷费": 6},
              amount=Number(D("120000.00"), 2, "元", "120000.00"))
    found, _ = run(doc(s), "indicator.cost_mismatch")
    assert sorted((f.variant, f.expected) for f in found) == [
        ("year_over_total", "≤ 100000.00"), ("year_parts", "110000.00")]
    ok = dict(fields, **{"项目总金额": "120000.00", "项目构成.印刷费": "70000.00"})
    found, status = run(doc(henan("编印费", *HENAN_OK, fields=ok, amount=s.amount)), "indicator.cost_mismatch")
    assert found == [] and status == "passed"


# --------------------------------------------------------------------------- department tasks

DEPT_TEXT = ("某局 2020 年部门预算公开\n\n2020 年支出预算 100.00 万元，其中：基本支出 70.00 万元，项目支出 30.00 万元。\n\n"
             "基本支出中人员经费 50.00 万元，公用经费 20.00 万元。\n" + BLANK)


def dept(t3_total: str, t3_fiscal: str) -> IndicatorSet:
    fields = {"表名": "市级部门整体绩效目标表",
              "年度主要任务.任务1": "人员经费", "年度主要任务.任务1.合计": "50.0", "年度主要任务.任务1.其中财政资金": "50.0",
              "年度主要任务.任务2": "公用运转支出", "年度主要任务.任务2.合计": "20.0", "年度主要任务.任务2.其中财政资金": "20.0",
              "年度主要任务.任务3": "专项资金", "年度主要任务.任务3.合计": t3_total,
              "年度主要任务.任务3.其中财政资金": t3_fiscal}
    lines = {k: 10 + int(k.split("任务")[-1][0]) for k in fields if k.startswith("年度主要任务")}
    return IndicatorSet(project="某局", line=10, framework="dept", source="dept", fields=fields, field_lines=lines,
                        indicators=[ind("服务满意", "服务对象满意", "群众满意度", "≥95%", 20)])


def test_dept_tasks_fiscal_exceeds_total() -> None:
    found, _ = run(doc(dept("30.0", "30.1"), text=DEPT_TEXT), "indicator.dept_tasks")
    assert [(f.severity, f.actual, f.expected, f.location.line) for f in found] == [("error", "30.1", "≤ 30.0", 13)]


def test_dept_tasks_against_budget() -> None:
    found, status = run(doc(dept("30.0", "30.0"), text=DEPT_TEXT), "indicator.dept_tasks")
    assert found == [] and status == "passed"
    found, _ = run(doc(dept("40.0", "40.0"), text=DEPT_TEXT), "indicator.dept_tasks")
    assert [f.severity for f in found] == ["warning"]
    assert "110" in message(found[0]) and "任务3" in message(found[0])


# --------------------------------------------------------------------------- seeds


def seed_findings(prefix: str):
    audited = audit_text(read_document(load(str(seed(prefix)))))  # no rule may fail with an error
    return audited.read, audited.of("indicator.")


def pick(found, rule_id: str, severity: str | None = None):
    return [f for f in found if f.rule == rule_id and (severity is None or f.severity == severity)]


def test_seed_001_real_findings() -> None:
    _, found = seed_findings("001")
    dept_errors = pick(found, "indicator.dept_tasks", "error")
    assert [(f.location.line, f.actual, f.expected) for f in dept_errors] == [(451, "3300.9", "≤ 3300.8")]
    cats = {f.location.row: f.severity for f in pick(found, "indicator.category")}
    for name in ("案件回复率", "转办落实率", "系统维护及时率", "维护有效响应率"):
        assert cats[name] == "warning", name
    assert "维护工作完成率" not in cats  # 完成率 under 数量 is accepted
    dups = pick(found, "indicator.duplicate")
    assert [f.location.row for f in dups] == ["维护有效响应率"]
    unmeasurable = {f.args["path"].rsplit("/", 1)[-1] for f in pick(found, "indicator.unmeasurable")}
    assert {"平台美誉度", "郑州市情概览编制数量"} <= unmeasurable
    missing = pick(found, "indicator.missing_category")
    assert [(f.args["project"], f.args["missing"]) for f in missing] == [("电子政务中心平台运行维护费", "时效")]
    assert pick(found, "indicator.weight_sum") == [] and pick(found, "indicator.cost_mismatch") == []


def test_seed_004_real_findings() -> None:
    read, found = seed_findings("004")
    assert len(read.indicator_sets) == 9
    swapped = pick(found, "indicator.value_swapped")
    assert [(f.location.line, f.expected, f.actual) for f in swapped] == [(106, "10万元", "总成本")]
    cost = pick(found, "indicator.cost_mismatch")
    assert [(f.args["project"], f.actual, f.expected, f.severity) for f in cost] == [
        ("安全生产检查第三方评估费", "20万元", "78.42万元", "warning")]
    weights = {f.args["project"]: (f.actual, f.confidence) for f in pick(found, "indicator.weight_sum")}
    assert weights["安全生产检查第三方评估费"] == ("120", 1.0)
    assert weights["铁路专线监管经费"][0] == "80" and weights["铁路专线监管经费"][1] < 1  # the seed ends mid-table
    assert len(weights) == 2
    cats = {(f.location.line, f.severity) for f in pick(found, "indicator.category")}
    assert {(16, "warning"), (113, "warning")} <= cats
    assert [f.args["count"] for f in pick(found, "indicator.boilerplate")] == [9]
    generic = [f for f in pick(found, "indicator.unmeasurable") if f.key.endswith("generic_names")]
    assert len(generic) == 9
    assert len(pick(found, "indicator.duplicate")) == 1
    assert pick(found, "indicator.missing_category") == []


def test_seed_003_sets_are_largely_clean() -> None:
    read, found = seed_findings("003")
    assert pick(found, "indicator.weight_sum") == []  # 90 + 预算执行率 10 in all three reports
    warnings = [f for f in found if f.severity != "info"]
    # only the three counts filed under 质量指标 in the 邮政 report ("…数量", "…次数")
    assert sorted(f.location.line for f in warnings) == [174, 175, 176]
    assert {f.rule for f in warnings} == {"indicator.category"}


def test_dataset_self_eval_sample_is_quiet() -> None:
    path = ROOT / "datasets" / "self_eval_2024_sample.txt"
    if not path.exists():
        pytest.skip("dataset sample missing")
    found = audit_path(path).findings
    assert [f for f in found if f.rule.startswith("indicator.") and f.severity != "info"] == []


def test_rules_have_docs_examples_and_templates() -> None:
    from auditor.cases import rule_cases

    for rule_id in INDICATOR_RULES:
        spec = get_rule(rule_id)
        assert spec is not None and spec.doc and rule_cases(rule_id), rule_id
        assert spec.messages.template("zh") and spec.messages.template("en") and spec.title("zh") and spec.title("en")


def test_extract_json_shows_forms(tmp_path: Path) -> None:
    from auditor.extract import extract_data

    data = extract_data(wide())
    first = data["indicator_sets"][0]
    assert first["framework"] == "mof2021" and first["weights_total"] == "100"
    assert [i["form"] for i in first["indicators"]] == ["money", "count", "rate", "date", "qualitative",
                                                        "satisfaction"]


def test_seed_004_extra_cost_row_is_one_root_cause() -> None:
    from auditor.rank import rank

    _, found = seed_findings("004")
    ranked = rank(found, {})
    row = [f for f in ranked if f.args.get("project") == "安全生产检查第三方评估费" and f.severity != "info"]
    assert sorted(f.rule for f in row) == ["indicator.cost_mismatch", "indicator.duplicate", "indicator.weight_sum"]
    assert len({f.group for f in row}) == 1
    assert any(f.suggestion for f in row)
