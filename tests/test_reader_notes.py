"""Reader notes reach the report in its language: `parse.unread` shows the Chinese text of a note
in a zh report and the English text in an en report, never the other language's."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from auditor.audit import audit
from auditor.read.notes import Note, short_row

# A row that lost three cells: too many to place by the table's arithmetic, padded at the end.
TABLE = "\n".join([
    "2024年示例中心部门支出总体情况表",
    "单位：元",
    "\t".join(["项目", "合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出"]),
    "\t".join(["合计", "1,000", "600", "400", "0", "0"]),
    "\t".join(["一般公共服务支出", "1,000"]),
    "\t".join(["行政运行", "1,000", "600", "400", "0", "0"]),
]) + "\n"


def _unread(tmp_path: Path, lang: str) -> list[dict]:
    path = tmp_path / "short_row.txt"
    path.write_text(TABLE, encoding="utf-8")
    return [f for f in audit(path, lang=lang).findings if f["rule"] == "parse.unread"]


def test_a_zh_report_shows_the_chinese_note(tmp_path: Path) -> None:
    found = _unread(tmp_path, "zh")
    assert found, "the short row must be noted"
    assert "少 4 个单元格" in found[0]["message"]
    assert not re.search(r"[A-Za-z]{3,}", found[0]["message"].split("：", 1)[1]), found[0]["message"]


def test_an_en_report_shows_the_english_note(tmp_path: Path) -> None:
    found = _unread(tmp_path, "en")
    assert found and "4 cell(s) fewer than the table" in found[0]["message"]
    assert not re.search(r"[\u4e00-\u9fff]{2,}", found[0]["message"].split(":", 1)[1].replace("此处", ""))


def test_a_note_keeps_its_code_and_fields_through_pickling() -> None:
    note = short_row(2, "no_placement")
    again = pickle.loads(pickle.dumps(note))
    assert isinstance(again, Note) and again == note
    assert (again.code, again.fields) == (note.code, note.fields) == ("short_row_no_placement", {"missing": 2})
