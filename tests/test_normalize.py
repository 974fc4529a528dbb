"""The reading copy of each line (auditor/load/normalize.py): traditional characters, letter
spacing and inline pinyin are undone before any reader runs, while evidence still quotes the
line as printed."""

from __future__ import annotations

from auditor.load.lines import finish, text_line
from auditor.load.normalize import normalize_text, printed_form
from tests.harness import audit_text


def test_traditional_characters_are_read_as_simplified():
    assert normalize_text("一般公共預算財政撥款支出") == "一般公共预算财政拨款支出"
    assert normalize_text("一般公共预算财政拨款支出") == "一般公共预算财政拨款支出"  # simplified passes through


def test_a_traditional_list_is_checked_like_a_simplified_one():
    wrong = "部門共有編制 275 人，其中：行政編制 193 人，行政工勤 19 人，事業編制 62 人。\n"
    audited = audit_text(wrong, rule="narrative.arithmetic")
    doc, found = audited.read.doc, audited.findings
    assert [(f.actual, f.expected) for f in found] == [("275 人", "274 人")]
    assert doc.lines[0].raw == wrong.rstrip("\n")  # the printed line is kept
    assert all(ev.text == doc.lines[0].raw for f in found for ev in f.evidence)
    assert audit_text(wrong.replace("62 人", "63 人"), rule="narrative.arithmetic").findings == []


def test_letter_spacing_between_ideographs_is_undone():
    assert normalize_text("同 比 增 加 27 万元") == "同比增加 27 万元"
    assert normalize_text("合 计") == "合计"  # a cell that is one spaced word
    assert normalize_text("第 11 页 共 13 页") == "第 11 页 共 13 页"  # single words beside numbers
    # a line spaced out as a whole, even where the converter kept two characters together
    assert normalize_text("经 费 总预 算 安 排 100 元 , 其中 : 基 本 支出 预 算") == \
        "经费总预算安排 100 元 , 其中 : 基本支出预算"
    # words separated by spaces are not letter spacing
    assert normalize_text("单位 人 10") == "单位 人 10"
    assert normalize_text("基本支出 项目支出") == "基本支出 项目支出"


def test_a_letter_spaced_change_is_not_a_part_of_the_list():
    """"同 比 增 加 2000 元" is a change once the spacing is undone: the 其中 list after it
    belongs to the procurement total, not to the change."""
    text = ("2025 年 政 府 采 购 预 算 6000 元 , 同 比 增 加\n"
            "2000 元,增长 50%。其中:政府集中采购预算\n"
            "3500 元,分散采购预算 2500 元。\n")
    assert audit_text(text, rule="narrative.arithmetic").findings == []
    found = audit_text(text.replace("2500 元", "3500 元"), rule="narrative.arithmetic").findings
    assert [(f.severity, f.actual) for f in found] == [("error", "6000 元")]


def test_inline_pinyin_is_dropped_only_when_it_is_pinyin():
    assert normalize_text("經(jīng)費(fèi)支出") == "经费支出"
    assert normalize_text("项目(a)经费(GDP)（一）") == "项目(a)经费(GDP)（一）"


def test_structured_loaders_give_reading_copies_too():
    doc = finish("x.pdf", [text_line("財政撥款 10 萬元")], "pdf")
    assert doc.lines[0].text == "财政拨款 10 万元" and doc.lines[0].raw == "財政撥款 10 萬元"


def test_evidence_values_are_quoted_as_printed():
    raw = "經(jīng)費增加原因主要是主要是房租上漲"
    assert printed_form(raw, "主要是主要是") == "主要是主要是"
    assert printed_form(raw, "经费增加") == "經(jīng)費增加"
    assert printed_form(raw, "不在其中") is None
    found = audit_text("本年公用經費經費增加，原因是房租上漲。\n", rule="text.repeated_word").findings
    assert [ev.value for f in found for ev in f.evidence] == ["經費經費"]  # read as 经费经费


def test_simplified_text_does_not_need_the_converter():
    from auditor.load.normalize import _simplified_only

    assert _simplified_only("一般公共预算财政拨款支出——合计 100 万元")
    assert not _simplified_only("一般公共預算")
