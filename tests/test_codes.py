"""crosstable.classification and crosstable.code_name: inline tables that fire and stay quiet,
and the real findings of seed 001."""

from __future__ import annotations

from tests.conftest import seed
from tests.harness import audit_path, audit_text

ECON_HEADER = (
    "2020年一般公共预算支出情况表\n\n单位：元\n\n"
    "部门预算经济分类\t\t\t政府预算经济分类\t\t\t合计\t基本支出\t\t\t\t\t项目支出\n"
    "类\t款\t科目名称\t类\t款\t科目名称\t\t小计\t工资福利支出\t对个人和家庭的补助支出\t商品服务支出\t资本性支出\t小计\n"
)


def econ_doc(rows: list[str], prose: str = "") -> str:
    return (prose + "\n\n" if prose else "") + ECON_HEADER + "\n".join(rows) + "\n"


GOOD_ROWS = [
    "301\t01\t基本工资\t501\t01\t工资奖金津补贴_行政\t1,000\t1,000\t1,000\t0\t0\t0\t0",
    "303\t02\t退休费\t509\t05\t离退休费\t300\t300\t0\t300\t0\t0\t0",
    "302\t01\t办公费\t502\t01\t办公经费_行政\t500\t500\t0\t0\t500\t0\t0",
    "310\t02\t办公设备购置\t503\t06\t设备购置_行政\t200\t200\t0\t0\t0\t200\t0",
]


def test_classification_quiet_on_correct_columns_and_pairs():
    audited = audit_text(econ_doc(GOOD_ROWS), rule="crosstable.classification")
    assert audited.findings == [] and audited.status == "passed"


def test_classification_fires_on_capital_item_shown_as_goods():
    rows = GOOD_ROWS[:3] + ["310\t02\t办公设备购置\t503\t06\t设备购置_行政\t200\t200\t0\t0\t200\t0\t0"]
    found = audit_text(econ_doc(rows), rule="crosstable.classification").findings
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error"
    assert f.location.column == "商品服务支出" and f.location.row == "办公设备购置"
    assert f.args["expected_column"] == "资本性支出"
    assert f.actual == "200" and f.evidence[0].line == f.location.line
    assert "line" not in f.key and "办公设备购置" in f.key


def test_classification_fires_on_wrong_government_code_for_unit_type():
    # 30101 of a 行政 unit maps to 50101; 50501 is the 事业 code.
    rows = ["301\t01\t基本工资\t505\t01\t工资福利支出_行政\t1,000\t1,000\t1,000\t0\t0\t0\t0"]
    found = audit_text(econ_doc(rows), rule="crosstable.classification").findings
    assert [f.args["expected"] for f in found] == ["50101"]
    assert found[0].severity == "error" and found[0].actual == "50501"


def test_classification_map_from_code_family_and_unverified_rows_are_info():
    # 30301 离休费 of a 事业 unit: the catalog's 事业 rows for 303 are unverified -> info only.
    rows = ["303\t01\t离休费\t505\t02\t商品和服务支出_事业\t300\t300\t0\t300\t0\t0\t0"]
    found = audit_text(econ_doc(rows), rule="crosstable.classification").findings
    assert [f.severity for f in found] == ["info"]
    # family 505 -> 事业 unit: 30101 -> 50501 holds without a suffix
    rows = ["301\t01\t基本工资\t505\t01\t工资福利支出\t1,000\t1,000\t1,000\t0\t0\t0\t0"]
    found = audit_text(econ_doc(rows), rule="crosstable.classification").findings
    assert found == []


PROSE_OK = "2020 年一般公共预算基本支出预算 0.20 万元，其中：人员经费 0.13 万元；公用经费 0.07 万元。"


def test_personnel_and_public_funds_against_economic_classes():
    found = audit_text(econ_doc(GOOD_ROWS, PROSE_OK), rule="crosstable.classification").findings
    assert found == []
    wrong = PROSE_OK.replace("人员经费 0.13", "人员经费 0.15")
    found = audit_text(econ_doc(GOOD_ROWS, wrong), rule="crosstable.classification").findings
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and f.actual == "0.15 万元" and f.expected == "0.13万元"
    assert f.location.line == 1


def test_code_name_quiet_on_official_names_with_qualifiers_and_suffixes():
    text = ("2020年部门支出总体情况表\n\n单位：元\n\n科目编码\t\t\t单位（科目名称）\t合计\n类\t款\t项\t\t\n"
            "201\t03\t01\t行政运行（政府办公厅（室）及相关机构事务）\t100\n"
            "221\t02\t01\t住房公积金\t50\n")
    audited = audit_text(text, rule="crosstable.code_name")
    assert audited.findings == [] and audited.status == "passed"
    audited = audit_text(econ_doc(GOOD_ROWS), rule="crosstable.code_name")
    assert audited.findings == [] and audited.status == "passed"


def test_code_name_fires_on_a_name_of_another_code():
    text = ("2020年部门支出总体情况表\n\n单位：元\n\n科目编码\t\t\t单位（科目名称）\t合计\n类\t款\t项\t\t\n"
            "201\t03\t01\t行政运行\t100\n"
            "221\t02\t01\t行政单位医疗\t50\n")
    found = audit_text(text, rule="crosstable.code_name").findings
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and f.args["code"] == "2210201" and f.expected == "住房公积金"
    assert f.variant == "other_code" and "2101101" in f.args["codes"]


def test_code_name_old_name_is_info():
    text = ("2020年部门支出总体情况表\n\n单位：元\n\n科目编码\t\t\t单位（科目名称）\t合计\n类\t款\t项\t\t\n"
            "210\t\t\t医疗卫生与计划生育支出\t100\n")
    found = audit_text(text, rule="crosstable.code_name").findings
    assert [(f.severity, f.expected) for f in found] == [("info", "卫生健康支出")]


def test_code_name_unknown_function_item_is_not_reported_but_unknown_class_is():
    text = ("2020年部门支出总体情况表\n\n单位：元\n\n科目编码\t\t\t单位（科目名称）\t合计\n类\t款\t项\t\t\n"
            "207\t01\t01\t行政运行（文化和旅游）\t100\n"
            "207\t01\t09\t群众文化\t100\n"
            "236\t01\t01\t行政运行\t100\n")
    found = audit_text(text, rule="crosstable.code_name").findings
    assert [(f.args["code"], f.severity) for f in found] == [("2360101", "info")]


def test_seed_001_office_equipment_is_shown_as_goods():
    findings = audit_path(seed("001")).findings
    cls = [f for f in findings if f.rule == "crosstable.classification"]
    assert [(f.location.line, f.args["code"], f.location.column, f.args["expected_column"]) for f in cls] == [
        (353, "31002", "商品服务支出", "资本性支出")]
    assert cls[0].severity == "error" and cls[0].actual == "630,000"
    # the 合计 row shows 资本性支出 0 in the same table
    assert cls[0].evidence[1].line == 324 and cls[0].evidence[1].value == "0"
    names = [f for f in findings if f.rule == "crosstable.code_name"]
    assert names == []


FUNC_TABLE = (
    "2020年一般公共预算支出情况表\n\n单位：元\n\n"
    "科目编码\t\t\t单位（科目名称）\t合计\t基本支出\t项目支出\n"
    "类\t款\t项\t\t\t小计\t小计\n"
    "221\t02\t01\t住房公积金\t{fund}\t{fund}\t0\n"
    "208\t05\t05\t机关事业单位基本养老保险缴费支出\t400\t400\t0\n\n"
)
ECON_TABLE = (
    "2020年一般公共预算支出情况表\n\n单位：元\n\n"
    "部门预算经济分类\t\t\t政府预算经济分类\t\t\t合计\t基本支出\t项目支出\n"
    "类\t款\t科目名称\t类\t款\t科目名称\t\t小计\t小计\n"
    "301\t13\t住房公积金\t501\t03\t住房公积金_行政\t300\t300\t0\n"
    "301\t08\t机关事业单位基本养老保险缴费\t501\t02\t社会保障缴费_行政\t400\t400\t0\n"
)


def test_cross_link_function_and_economic_views_of_the_same_money():
    audited = audit_text(FUNC_TABLE.format(fund="300") + ECON_TABLE, rule="crosstable.cross_link")
    assert audited.findings == [] and audited.status == "passed"
    found = audit_text(FUNC_TABLE.format(fund="350") + ECON_TABLE, rule="crosstable.cross_link").findings
    assert [(f.severity, f.args["econ_codes"], f.actual, f.expected) for f in found] == [
        ("warning", "30113", "300", "350")]


def test_seed_001_cross_links_hold():
    result = audit_path(seed("001"))
    assert [f for f in result.findings if f.rule == "crosstable.cross_link"] == []
    outcome = next(o for o in result.outcomes if o.rule == "crosstable.cross_link")
    assert outcome.status == "passed" and outcome.checked == 5
