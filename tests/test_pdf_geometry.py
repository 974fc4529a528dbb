"""PDF tables from the page geometry (auditor/load/pdf.py): every layout gives the findings of
the same tables as tab-separated text.

The fixtures are drawn here with reportlab (tests/format_fixtures.py `write_pdf_layout`): an
income table (9 columns) and an expenditure table (7 columns) of a fictional department, with
one planted error in the expenditure table, laid out as published PDFs do — one grid right under
the other sharing its ruling line with the second title printed inside the grid, side by side,
and unruled. Seed 001 and the bundled sample rendered to PDF must give their text's errors.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from auditor.load import load
from auditor.read import read_document
from tests import format_fixtures as fx
from tests.conftest import seed
from tests.harness import audit_path

TITLE_A = "2025年部门收入预算总表"
TITLE_B = "2025年部门支出预算总表"
ISSUER = "编制部门：示例区某某局 单位：元"

INCOME = [
    ["科目编码", "", "", "科目名称", "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"],
    ["类", "款", "项", "", "", "", "", "", ""],
    ["201", "", "", "一般公共服务支出", "1,200,000", "1,200,000", "", "", ""],
    ["201", "03", "01", "行政运行", "800,000", "800,000", "", "", ""],
    ["201", "03", "02", "一般行政管理事务", "400,000", "400,000", "", "", ""],
    ["合计", "", "", "", "1,200,000", "1,200,000", "", "", ""],
]
EXPENSE = [
    ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
    ["201", "", "", "一般公共服务支出", "1,200,000", "800,000", "400,000"],
    ["201", "03", "01", "行政运行", "800,000", "800,000", ""],
    ["201", "03", "02", "一般行政管理事务", "400,000", "", "350,000"],  # planted: 400,000 ≠ 350,000
    ["合计", "", "", "", "1,200,000", "800,000", "400,000"],
]
WIDTHS_A = [36.0, 36.0, 36.0, 110.0, 80.0, 80.0, 70.0, 90.0, 70.0]
WIDTHS_B = [36.0, 36.0, 36.0, 110.0, 95.0, 95.0, 95.0]
ROW = 8.0 + 6  # the fixture's row height


def _text_version() -> str:
    lines = ["示例区某某局2025年部门预算", "", TITLE_A, ISSUER]
    lines += ["\t".join(r) for r in INCOME]
    lines += ["", TITLE_B, ISSUER]
    lines += ["\t".join(r) for r in EXPENSE]
    return "\n".join(lines) + "\n"


def _errors(path: Path) -> Counter:
    result = audit_path(path)
    return Counter((f.rule, f.expected, f.actual) for f in result.findings if f.severity == "error")


@pytest.fixture(scope="module")
def text_errors(tmp_path_factory: pytest.TempPathFactory) -> Counter:
    path = tmp_path_factory.mktemp("geometry") / "budget.txt"
    path.write_text(_text_version(), encoding="utf-8")
    found = _errors(path)
    assert ("total.row_sum", "350,000", "400,000") in found  # the planted error, read from text
    return found


def _stacked(ruled: bool, expense: list[list[str]]) -> list[fx.Grid | fx.Words]:
    """Grid B drawn right under grid A: ruled, they share a line and B's title is a grid row."""
    top = 70.0
    items: list[fx.Grid | fx.Words] = [fx.Words(40, 10, "示例区某某局2025年部门预算"),
                                       fx.Words(300, 40, TITLE_A), fx.Words(40, 55, ISSUER)]
    items.append(fx.Grid(40, top, INCOME, WIDTHS_A, ruled=ruled))
    below = top + len(INCOME) * ROW
    if ruled:
        items.append(fx.Grid(40, below, [[TITLE_B] + [""] * 6, [ISSUER] + [""] * 6] + expense, WIDTHS_B,
                             spans=(0, 1)))
    else:
        items += [fx.Words(300, below + 20, TITLE_B), fx.Words(40, below + 35, ISSUER),
                  fx.Grid(40, below + 50, expense, WIDTHS_B, ruled=False)]
    return items


def _side_by_side(expense: list[list[str]]) -> list[fx.Grid | fx.Words]:
    return [fx.Words(40, 10, "示例区某某局2025年部门预算"),
            fx.Words(200, 40, TITLE_A), fx.Words(40, 55, ISSUER), fx.Grid(40, 70, INCOME, WIDTHS_A),
            fx.Words(800, 40, TITLE_B), fx.Words(700, 55, ISSUER), fx.Grid(700, 70, expense, WIDTHS_B)]


LAYOUTS = {"stacked_ruled": lambda e: _stacked(True, e), "stacked_unruled": lambda e: _stacked(False, e),
           "side_by_side": _side_by_side}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_two_tables_read_apart_with_their_titles(tmp_path: Path, layout: str) -> None:
    pytest.importorskip("reportlab")
    path = fx.write_pdf_layout(tmp_path / f"{layout}.pdf", [LAYOUTS[layout](EXPENSE)])
    read = read_document(load(path))
    assert [(t.title, t.kind, len(t.columns)) for t in read.tables] == [
        (TITLE_A, "budget.income", 9), (TITLE_B, "budget.expense", 7)]
    assert all(t.unit == "元" for t in read.tables)
    assert any(line.text == ISSUER for line in read.doc.lines)  # the issuer and unit line stays whole


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_same_errors_as_the_text(tmp_path: Path, text_errors: Counter, layout: str) -> None:
    pytest.importorskip("reportlab")
    path = fx.write_pdf_layout(tmp_path / f"{layout}.pdf", [LAYOUTS[layout](EXPENSE)])
    assert _errors(path) == text_errors
    result = audit_path(path)
    assert result.findings and all(f.location.page == 1 for f in result.findings)


def test_correct_tables_stay_quiet_in_every_layout(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    fixed = [list(r) for r in EXPENSE]
    fixed[4][6] = "400,000"
    for name, layout in LAYOUTS.items():
        path = fx.write_pdf_layout(tmp_path / f"{name}.pdf", [layout(fixed)])
        assert _errors(path) == Counter(), name


def test_table_continued_on_the_next_page_is_one_table(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    first = [fx.Words(300, 40, TITLE_B), fx.Words(40, 55, ISSUER), fx.Grid(40, 70, EXPENSE[:4], WIDTHS_B)]
    second = [fx.Grid(40, 40, EXPENSE[:2] + EXPENSE[4:], WIDTHS_B)]  # the header repeated, then the rest
    path = fx.write_pdf_layout(tmp_path / "continued.pdf", [first, second])
    read = read_document(load(path))
    assert [t.title for t in read.tables] == [TITLE_B]
    assert [r.code for r in read.tables[0].rows if r.code] == ["201", "2010301", "2010302"]
    assert _errors(path)[("total.row_sum", "350,000", "400,000")] == 1


def _seed_errors(path: Path) -> Counter:
    return Counter((rule, expected, actual) for rule, expected, actual in _errors(path).elements()
                   if not rule.startswith("date."))


def test_seed_001_as_pdf_gives_the_errors_of_its_text(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    source = seed("001")
    pdf = fx.write_pdf(tmp_path / "seed001.pdf", fx.sample_items(source), running_header=False)
    text = _errors(source)
    assert sum(text.values()) >= 3
    assert _errors(pdf) == text


def test_bundled_sample_as_pdf_gives_the_errors_of_its_text(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    pdf = fx.write_pdf(tmp_path / "sample.pdf", fx.sample_items())
    assert _seed_errors(pdf) == _seed_errors(fx.SAMPLE)
