"""A reader that fails costs only its own part; parse.unread says what was not checked."""

from __future__ import annotations

import auditor.read as read_module
from auditor.read.notes import lost_cell_ambiguous
from tests.harness import audit_text, read_text

TEXT = "示例局2024年部门预算\n\n一、说明\n\n2024 年收入总计 100.00 万元。\n"


def test_a_failing_reader_is_a_note_and_the_rest_still_reads(monkeypatch):
    def broken(doc):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(read_module, "read_tables", broken)
    read = read_text(TEXT, "d.txt")
    assert read.tables == [] and read.paragraphs and read.year == 2024
    assert read.notes and "table reader failed: IndexError" in read.notes[0][1]
    audited = audit_text(read, rule="parse.unread")
    assert len(audited.findings) == 1 and audited.findings[0].severity == "info"
    assert audited.status == "failed"


def test_parse_unread_quiet_on_a_clean_document():
    read = read_text(TEXT, "d.txt")
    audited = audit_text(read, rule="parse.unread")
    assert audited.findings == [] and audited.status == "not_applicable"


def test_table_notes_are_reported(monkeypatch):
    from tests.test_totals import make_table

    read, table = make_table([("甲", ["1"])], [])
    table.notes.append((1, lost_cell_ambiguous()))
    (f,) = audit_text(read, rule="parse.unread").findings
    assert f.location.line == 1 and f.variant == "lost_cell_ambiguous"


def test_report_title_from_the_running_header_names_the_report_and_its_issuer():
    text = ("按照某市财政局的通知要求，对项目开展绩效评价工作，现将情况报告如下：\n\n一、基本情况\n\n"
            "项目预算 10 万元。\n\n示例市城市管理监督中心 2022 年 热线升级专项资金项目绩效评价报告\n\n第 2 页 共 5 页\n")
    read = read_text(text, "d.txt")
    assert read.sections[0].title.endswith("绩效评价报告")
    assert read.issuer == "示例市城市管理监督中心" and read.year == 2022
