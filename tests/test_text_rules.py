"""text.* rules on hand-written text, and on the seeds when they are present."""

from __future__ import annotations

import pytest

from auditor.load import load
from auditor.model import Cell, Column, ReadDocument, Row, Table
from auditor.numbers import parse_amount
from auditor.read import read_document
from checks.text import instruction_match, repeated_words
from tests.conftest import seed
from tests.harness import audit_text, read_text


def rule_findings(read: ReadDocument, rule_id: str):
    return audit_text(read, rule=rule_id).findings_and_status


# --------------------------------------------------------------------------- repeated words


@pytest.mark.parametrize(("text", "doubled"), [
    ("“三公”经费预算 98 万元，比上年预算数减少减少 27 万元。", "减少减少"),
    ("加强资金的的管理。", "的的"),
    ("完成年度任务，，资金已拨付。", "，，"),
    ("项目实施实施后效果明显。", "实施实施"),
    ("逐步推进逐步推进示范创建。", "逐步推进逐步推进"),
])
def test_repeated_word_found(text, doubled):
    assert [d for _, d, _ in repeated_words(text)] == [doubled]


@pytest.mark.parametrize("text", [
    "方方面面、认认真真、扎扎实实地落实村村通、户户通工程。",
    "一步一步推进，常常深入基层，人人参与，年年提升。",
    "项目目标明确，工作作风扎实，资金金额准确，人民民主。",
    "的的确确取得成效，不能不了了之。",
    "开展研究研究，等等。",
    "包括……等内容。",
])
def test_legitimate_repetition_is_quiet(text):
    assert list(repeated_words(text)) == []


def test_repeated_word_rule_reports_line_and_stable_key():
    read = read_text("一、说明\n\n2020 年“三公”经费预算 98 万元，比上年预算数减少减少 27 万元，下降 21.6%。\n")
    found, _ = rule_findings(read, "text.repeated_word")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "info" and f.location.line == 3 and f.actual == "减少减少" and f.expected == "减少"
    assert "3" not in f.key.split("|")[1:]


def test_repeated_word_in_a_table_cell():
    read = read_text("名称\t说明\n培训\t开展开展业务培训\n")
    found, _ = rule_findings(read, "text.repeated_word")
    assert [(f.location.line, f.actual) for f in found] == [(2, "开展开展")]


# --------------------------------------------------------------------------- template residue


TEMPLATE_BODY = "包括总体绩效目标和绩效指标未完成原因，下一步改进措施，政策执行或项目实施中存在的问题、原因和改进措施。"


def test_instruction_left_as_section_body():
    text = f"二、绩效目标完成情况分析\n\n全部完成。\n\n三、偏离绩效目标的原因和下一步改进措施\n\n{TEMPLATE_BODY}\n\n四、其他\n\n无。\n"
    found, _ = rule_findings(read_text(text), "text.template_residue")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and f.location.line == 7 and f.args["text"].startswith("包括总体")


def test_instruction_joined_to_its_heading_by_the_prose_reader():
    assert instruction_match("三、偏离绩效目标的原因和下一步改进措施" + TEMPLATE_BODY) == "偏离绩效目标的原因和下一步改进措施"
    assert instruction_match("（一）项目概况。包括项目背景、主要内容及实施情况、资金投入和使用情况等。") == "项目概况"


def test_real_section_body_is_quiet():
    body = ("培训次数未达到年度指标值，原因是疫情期间集中培训暂停；监督检查覆盖率为 97%，"
            "下一步将每月开展一次培训，包括总体绩效目标和绩效指标未完成原因的逐项整改。")
    text = f"三、偏离绩效目标的原因和下一步改进措施\n\n{body}\n"
    found, status = rule_findings(read_text(text), "text.template_residue")
    assert found == [] and status == "passed"


@pytest.mark.parametrize(("text", "value"), [
    ("XX单位2023年预算XX万元。", "XX"),
    ("20XX年度部门预算。", "XX"),
    ("单位名称：待填写。", "待填写"),
    ("{单位}2023年部门预算公开说明。", "{单位}"),
    ("本年度共开展培训____次。", "____"),
    ("项目资金共计……万元。", "……万元"),
])
def test_placeholders_found(text, value):
    found, _ = rule_findings(read_text(f"一、说明\n\n{text}\n"), "text.template_residue")
    assert found and value in found[0].actual and len({f.key for f in found}) == len(found)


def test_ordinary_text_has_no_placeholder():
    text = "一、说明\n\n包括人员经费、公用经费等……。第 3 页采用 4×0.97 计算，开展 G30 出入口建设。\n"
    found, _ = rule_findings(read_text(text), "text.template_residue")
    assert found == []


def test_body_that_only_repeats_its_heading():
    found, _ = rule_findings(read_text("五、其他需要说明的问题\n\n其他需要说明的问题。\n"), "text.template_residue")
    assert len(found) == 1 and found[0].location.line == 3


# --------------------------------------------------------------------------- unit slip


def test_wan_yuan_written_as_yuan_in_prose():
    text = "一、说明\n\n住房公积金支出3.58元，主要用于缴存。\n\n二、明细\n\n住房公积金支出 3.58 万元。\n"
    found, _ = rule_findings(read_text(text), "text.unit_slip")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "warning" and f.location.line == 3 and f.actual == "3.58元" and f.expected == "3.58万元"


def test_unit_slip_quiet_when_consistent_or_labels_differ():
    text = "一、说明\n\n住房公积金支出3.58万元。\n\n住房公积金支出 3.58 万元。\n\n办公费支出 3.58 元，培训费支出 35800 元。\n"
    found, _ = rule_findings(read_text(text), "text.unit_slip")
    assert found == []


def test_unit_slip_against_a_table_in_yuan():
    read = read_text("一、说明\n\n住房公积金3.58元。\n\n表\n住房公积金 35,800\n")
    read.tables = [Table(title="基本支出表", kind="generic", unit="元", unit_guessed=False, first_line=6,
                         last_line=6, header_lines=[], columns=[Column(0, "合计")],
                         rows=[Row(line=6, label="住房公积金",
                                   cells=[Cell("35,800", 0, parse_amount("35,800", "元"))])])]
    found, _ = rule_findings(read, "text.unit_slip")
    assert len(found) == 1 and [e.line for e in found[0].evidence] == [3, 6]


# --------------------------------------------------------------------------- seeds


def test_seed_001_doubled_word():
    found, _ = rule_findings(read_document(load(seed("001"))), "text.repeated_word")
    assert [(f.location.line, f.actual) for f in found] == [(138, "减少减少")]


def test_seed_003_template_body_found():
    found, _ = rule_findings(read_document(load(seed("003"))), "text.template_residue")
    assert [f.location.line for f in found] == [71]


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_other_seeds_have_no_doubled_word(prefix):
    assert rule_findings(read_document(load(seed(prefix))), "text.repeated_word")[0] == []


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_other_seeds_have_no_template_residue(prefix):
    assert rule_findings(read_document(load(seed(prefix))), "text.template_residue")[0] == []


def test_a_word_ending_before_a_compound_that_repeats_it_is_not_a_slip():
    # "…能力提升项目" + "项目支出绩效自评报告": a boundary, not 项目 typed twice.
    assert list(repeated_words("2023年度审计能力提升项目项目支出绩效自评报告")) == []
    # the same word doubled before ordinary text is still a slip
    assert [d for _, d, _ in repeated_words("本年度项目项目完成情况良好")] == ["项目项目"]


# --------------------------------------------------------------------------- template residue catalogue (issue 17)


@pytest.mark.parametrize(("text", "value", "variant"), [
    ("年度目标完成情况 |\n对照年度目标，说明目标的完成情况（100字以内） |\n", "（100字以内）", "filler_instruction"),
    ("评价结论\t结合自评情况，说明自评总分。(200字以内)\n", "(200字以内)", "filler_instruction"),
    ("注：各地请根据实际情况，从上述指标中选择填报。\n", "各地请根据实际情况", "template_note"),
    ("本年项目支出比上年增加/减少 0 万元，增长/下降 0%。\n", "增加/减少", "unchosen_alternatives"),
    ("商品和服务支出较上年（减少）6.20 万元，主要是压减会议费。\n", "（减少）", "unchosen_alternatives"),
    ("项目支出较上年(减)6万元，主要是压减项目。\n", "(减)", "unchosen_alternatives"),
    ("决算数大小于预算数的主要原因是压减开支。\n", "大小于", "alternatives_merged"),
    ("本年项目支出 10 万元，其中：一般公共预算财政拨款 万元，其他收入 10 万元。\n", "万元", "blank_amount"),
    ("商品和服务支出预算 75800 元，占基本支出预算%，同比增加 5000 元。\n", "%", "blank_amount"),
    ("根据提供的数据，2024年度“三公”经费支出 12.5 万元，这可能是因为会议减少。\n", "根据提供的数据", "generated_text"),
    ("种植数量(≥**株)≥17600株。\n", "≥**", ""),
])
def test_template_residue_forms_from_the_catalogue(text, value, variant):
    found, _ = rule_findings(read_text(text), "text.template_residue")
    assert [(f.actual, f.variant) for f in found][:1] == [(value, variant)]
    # a text generator's phrase says how the text was written, not that a number is wrong
    assert found[0].severity == ("info" if variant == "generated_text" else "warning")


@pytest.mark.parametrize("text", [
    "预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的应单独说明理由。\n",  # the form's own note
    "本年项目支出比上年增加 5 万元，增长 8%，主要是新增培训项目。\n",
    "项目\t增(减)额\t增(减)幅\n培训\t5\t8%\n",  # a table header names the column, it is not a choice
    "单位 万元，\n",
    "决算数小于预算数的主要原因是压减开支，收支规模与往年持平。\n",
    "项目支出 10 万元，增长 5 %，其中：一般公共预算财政拨款 10 万元。\n",
    "本文 **重点** 说明。\n",
    "（单位：%）\n增长率（%），按上年数计算。\n",  # a unit, not a blank share
    "支出预算执行率%\t100%\t92%\n",  # a glued grid cell: the column's unit, then its value
    "根据统计数据，2024年度“三公”经费支出 12.5 万元，主要是会议减少。\n",  # the department's own words
])
def test_filled_in_text_has_no_template_residue(text):
    found, _ = rule_findings(read_text(text), "text.template_residue")
    assert found == []


def test_doubled_noun_suffix_and_copula_are_slips():
    read = read_text("因公出国(境)经费费 62 万元，增加原因主要是是接待任务增加。\n")
    found, _ = rule_findings(read, "text.repeated_word")
    assert sorted(f.actual for f in found) == ["是是", "费费"]


def test_suffix_before_its_compound_and_legitimate_doubles_are_quiet():
    read = read_text("办公经费费用化处理，坚持实事求是是我们的原则，明辨是是非非，增长率率先达标。\n")
    assert rule_findings(read, "text.repeated_word")[0] == []


def test_list_number_used_twice():
    text = "工作内容\n\n1.完成监督工作。2.做好维护工作。3.收集信息。4.开展考核。4.受理投诉。5.指导业务。\n"
    found, _ = rule_findings(read_text(text), "text.numbering")
    assert [(f.severity, f.actual, f.args["item"]) for f in found] == [("info", "4.", "受理投诉。5.指导业务。")]
    paragraphs = "1. 完成监督工作。\n2. 做好维护工作。\n2. 收集信息。\n3. 开展考核。\n"
    assert [f.location.line for f in rule_findings(read_text(paragraphs), "text.numbering")[0]] == [3]


@pytest.mark.parametrize("text", [
    "1.完成监督工作。2.做好维护工作。3.收集信息。4.开展考核。5.指导业务。\n",
    "1.完成监督工作。2.做好维护工作。4.开展考核。\n",  # an item left out: not certain
    "1.甲。2.乙。1.丙。2.丁。\n",  # a second list begins
    "增长 1.5%，2.5%。3.5%。\n",
])
def test_list_numbering_in_order_is_quiet(text):
    assert rule_findings(read_text(text), "text.numbering")[0] == []


def test_shared_ratio_is_difflibs_quick_ratio() -> None:
    """The character-count bound instruction_match filters with gives difflib's own quick_ratio."""
    import difflib
    import random
    from collections import Counter

    from checks.text import _shared_ratio

    rng = random.Random(7)
    alphabet = "包括总体绩效目标和指标未完成原因，下一步改进措施。"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert _shared_ratio(Counter(a), len(a), Counter(b), len(b)) == difflib.SequenceMatcher(None, a, b).quick_ratio()
