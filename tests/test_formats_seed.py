"""Seed 001 (a real 部门预算: prose, then 11 附表 and the 绩效目标 tables) rendered as a workbook with
one table per sheet, as a workbook with every table on one sheet (merged titles, unit lines, notes
between the tables; once with blank rows between them, once stacked without), and as HTML gives
the findings of its text: the same error and warning findings (rule, expected, actual) and the
same tables (title, kind, rows). Its PDF rendering is tested in tests/test_pdf_geometry.py.

Each rendering is built once per module from the seed's lines (tests/format_fixtures.py); the
seed is read from ../shared and the tests skip when it is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from auditor.load import load
from auditor.load.spreadsheet import table_segments
from auditor.read import read_document
from tests import format_fixtures as fx
from tests.conftest import seed
from tests.harness import audit_path


@pytest.fixture(scope="module")
def source() -> Path:
    return seed("001")


@pytest.fixture(scope="module")
def renderings(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("openpyxl")
    folder = tmp_path_factory.mktemp("seed001")
    items = fx.sample_items(source)
    html = folder / "seed001.html"
    html.write_text(fx.html_text(items), encoding="utf-8")
    return {
        "xlsx_sheets": fx.write_xlsx(folder / "seed001.xlsx", items),
        "xlsx_one_sheet": fx.write_xlsx_one_sheet(folder / "seed001_one_sheet.xlsx", items),
        # the same sheet with the tables stacked: no blank row between a grid and the next title
        "xlsx_one_sheet_stacked": fx.write_xlsx_one_sheet(folder / "seed001_stacked.xlsx",
                                                          [i for i in items if i.kind != "blank"]),
        "html": html,
    }


def _findings(path: Path, severity: str) -> Counter:
    result = audit_path(path, cached=True)  # each file once per run
    assert result.error is None, result.error
    return Counter((f.rule, f.expected, f.actual) for f in result.findings if f.severity == severity)


def _tables(path: Path) -> list[tuple[str, str, int, int]]:
    read = read_document(load(path))
    return [(t.title, t.kind, len(t.rows), t.sides) for t in read.tables]


@pytest.fixture(scope="module")
def text_errors(source: Path) -> Counter:
    errors = _findings(source, "error")
    assert sum(errors.values()) >= 3  # the seed's inconsistencies are found in its text
    return errors


FORMATS = ["xlsx_sheets", "xlsx_one_sheet", "xlsx_one_sheet_stacked", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_rendering_gives_the_errors_of_its_text(renderings: dict[str, Path], text_errors: Counter,
                                                         fmt: str) -> None:
    assert _findings(renderings[fmt], "error") == text_errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_rendering_gives_the_warnings_of_its_text(renderings: dict[str, Path], source: Path,
                                                           fmt: str) -> None:
    assert _findings(renderings[fmt], "warning") == _findings(source, "warning")


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_rendering_reads_the_tables_of_its_text(renderings: dict[str, Path], source: Path,
                                                         fmt: str) -> None:
    """Every table keeps its title, kind and rows: the 绩效目标 tables, whose label column is blank
    under a spanning label ("年度总体目标" over its 目标 rows), are not cut at those rows."""
    text = _tables(source)
    assert len(text) >= 11
    assert _tables(renderings[fmt]) == text


def test_indented_one_cell_rows_continue_the_grid() -> None:
    """A one-cell row right under a grid row, its cell past the grid's first column, is a cell of
    the grid under a spanning label; a note or a unit line in that place is not, nor is a one-cell
    row in the grid's first column (the next table's title)."""
    sheet = [
        ["2025年部门整体绩效目标表", "", ""],
        ["部门名称", "示例局", ""],
        ["年度总体目标", "目标1：保障机构正常运转", ""],
        ["", "目标2：完成年度各项重点工作任务，按期办结群众来信来访事项。", ""],
        ["", "目标3：做好信息公开", ""],
        ["一级指标", "二级指标", "指标值"],
        ["产出指标", "数量指标", "≥12次"],
        ["", "其他", ""],
        ["", "", ""],
        ["2025年项目绩效目标表", "", ""],
        ["项目名称", "示例项目", ""],
        ["", "注：本表金额单位为万元。", ""],
        ["", "单位：万元", ""],
        ["资金总额", "10", ""],
        ["2025年另一张表", "", ""],
    ]
    assert table_segments(sheet) == [(1, 7), (10, 10), (13, 13)]
