"""Tables without tabs (auditor.read.table_layouts): each layout gives the findings of the
tab-separated version of the same table, keeps every cell's source line, says how it was
recognised, and a table rebuilt by guessing yields no error.

The tables are fictional, written for these tests in the layouts found in published text: |
cells per line, | lines between cells, cells ended by |, one cell per line, columns aligned by
spaces, and a header with its rows flattened onto one line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from auditor.extract import extract_data
from auditor.load import load
from auditor.load.spreadsheet import table_segments
from auditor.model import Table
from auditor.read import read_document
from auditor.read.table_layouts import SURE_TABLE
from tests.harness import audit_path, read_text

TITLE = "2025年青禾市示例服务中心一般公共预算财政拨款“三公”经费支出决算表"
UNIT = "单位：万元"
HEADER = ["项目", "预算数", "决算数"]
# 决算数: 0 + 8.20 + 12.40 = 20.60, printed 21.40 (a wrong total); 预算数 adds up.
ROWS = [
    ["合计", "30.50", "21.40"],
    ["因公出国（境）费", "0.00", "0.00"],
    ["公务接待费", "12.30", "8.20"],
    ["公务用车购置及运行维护费", "18.20", "12.40"],
]
GOOD_ROWS = [ROWS[0][:2] + ["20.60"], *ROWS[1:]]
PROSE = "本中心2025年“三公”经费支出决算情况说明如下，决算数较预算数减少的主要原因是压减公务接待。"


def tab(rows: list[list[str]]) -> str:
    return "\n".join([TITLE, UNIT, *("\t".join(r) for r in [HEADER, *rows]), "", PROSE]) + "\n"


def pipe(rows: list[list[str]]) -> str:
    return "\n".join([TITLE, UNIT, *(" | ".join(r) + " |" for r in [HEADER, *rows]), "", PROSE]) + "\n"


def pipe_lines(rows: list[list[str]]) -> str:
    """Every cell on its own line between | lines; a doubled | ends the row."""
    out = [TITLE, UNIT, "|"]
    for r in [HEADER, *rows]:
        for cell in r:
            out += [cell, "|"]
        out.append("|")
    return "\n".join([*out, "", PROSE]) + "\n"


def cell_pipe(rows: list[list[str]]) -> str:
    """One cell per line, each ended by |."""
    return "\n".join([TITLE, UNIT, *(c + " |" for r in [HEADER, *rows] for c in r), PROSE]) + "\n"


def one_per_line(rows: list[list[str]]) -> str:
    """One cell per line, blank lines between them (as web pages are copied)."""
    cells = [c for r in [HEADER, *rows] for c in r]
    return "\n\n".join([TITLE, UNIT, *cells, PROSE]) + "\n"


def spaced(rows: list[list[str]]) -> str:
    """Columns aligned by runs of spaces; the header by full-width spaces."""
    lines = ["\u3000\u3000".join(HEADER)] + ["    ".join(r) for r in rows]
    return "\n".join([TITLE, UNIT, *lines, "", PROSE]) + "\n"


def flattened(rows: list[list[str]]) -> str:
    """Title, unit, header and rows run together on one line, separated by spaces."""
    words = [UNIT, *HEADER, *(c for r in rows for c in r)]
    return "附件： " + " ".join(words) + " " + PROSE + "\n"


def flattened_rows(rows: list[list[str]]) -> str:
    """The header on its own line, the rows run together on the next one."""
    return "\n".join([TITLE, UNIT, " ".join(HEADER), " ".join(c for r in rows for c in r), "", PROSE]) + "\n"


LAYOUTS = {
    "pipe": (pipe, "pipe"),
    "pipe_lines": (pipe_lines, "pipe"),
    "cell_pipe": (cell_pipe, "one_cell_per_line"),
    "one_per_line": (one_per_line, "one_cell_per_line"),
    "spaced": (spaced, "space_aligned"),
    "flattened": (flattened, "flattened"),
    "flattened_rows": (flattened_rows, "flattened"),
}


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _table_findings(path: str) -> tuple[Counter, list]:
    result = audit_path(path)
    assert result.error is None
    found = [f for f in result.findings if f.rule.startswith(("total.", "crosstable.")) and f.severity != "info"]
    return Counter((f.rule, f.expected, f.actual) for f in found), found


@pytest.fixture(scope="module")
def tab_findings(tmp_path_factory: pytest.TempPathFactory) -> Counter:
    path = _write(tmp_path_factory.mktemp("tab"), "tab", tab(ROWS))
    keys, found = _table_findings(path)
    assert keys, "the tab-separated table must show the wrong total"
    assert all(f.severity == "error" for f in found)
    return keys


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_gives_the_tab_findings(tmp_path: Path, tab_findings: Counter, name: str) -> None:
    render, layout = LAYOUTS[name]
    path = _write(tmp_path, name, render(ROWS))
    keys, found = _table_findings(path)
    assert keys == tab_findings
    read = read_document(load(path))
    table = next(t for t in read.tables if t.rows and t.layout == layout)
    assert [r.label for r in table.rows] == [r[0] for r in ROWS]
    # sure layouts keep the error; a flattened grid is rebuilt by guessing: at most a warning
    sure = table.confidence >= SURE_TABLE
    assert sure == (layout != "flattened")
    assert all(f.severity == ("error" if sure else "warning") for f in found)


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_quiet_on_a_correct_table(tmp_path: Path, name: str) -> None:
    render, _ = LAYOUTS[name]
    keys, _ = _table_findings(_write(tmp_path, name, render(GOOD_ROWS)))
    assert not keys


def test_one_cell_per_line_findings_name_the_cell_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "cells", one_per_line(ROWS))
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    _, found = _table_findings(path)
    total = next(f for f in found if f.rule == "total.column_sum")
    assert lines[total.location.line - 1] == "21.40"  # the printed total, not its row label
    assert "21.40" in {e.text for e in total.evidence}
    from auditor.extract import extract_csv

    rows = extract_csv(read_document(load(path))).splitlines()
    assert any(row.split(",")[1] == str(total.location.line) and "21.40" in row for row in rows)
    data = extract_data(read_document(load(path)))
    assert data["tables"][0]["rows"][0]["cell_lines"]["2"] == total.location.line


def test_extract_shows_layout_and_confidence(tmp_path: Path) -> None:
    for name, (render, layout) in LAYOUTS.items():
        data = extract_data(read_document(load(_write(tmp_path, name, render(ROWS)))))
        table = next(t for t in data["tables"] if t["layout"] == layout)
        assert table["sure"] == (table["confidence"] >= SURE_TABLE)
    data = extract_data(read_document(load(_write(tmp_path, "tab", tab(ROWS)))))
    assert [t["layout"] for t in data["tables"]] == ["tab"]
    assert data["tables"][0]["confidence"] == 1.0


def test_two_sided_one_cell_per_line_summary(tmp_path: Path) -> None:
    """收入 | 支出 with 项目/行次/金额 each side and a 栏次 row: rows pair up as a reader would."""
    cells = ["收入支出决算总表", "公开01表", "部门：青禾市示例服务中心", "金额单位：万元",
             "收入", "支出", "项目", "行次", "金额", "项目", "行次", "金额", "栏次", "1", "栏次", "2",
             "一、一般公共预算财政拨款收入", "1", "120.00", "一、一般公共服务支出", "31", "100.00",
             "二、上级补助收入", "2", "5.00", "二、教育支出", "32", "25.00",
             "本年收入合计", "3", "125.00", "本年支出合计", "33", "125.00"]
    path = _write(tmp_path, "summary", "\n\n".join(cells) + "\n")
    read = read_document(load(path))
    table = next(t for t in read.tables if t.layout == "one_cell_per_line")
    assert table.title == "收入支出决算总表"
    assert table.sides == 2 and table.confidence >= SURE_TABLE
    left = [r.label for r in table.rows if r.block == 0]
    assert left == ["一、一般公共预算财政拨款收入", "二、上级补助收入", "本年收入合计"]


def test_guessed_row_breaks_give_no_error(tmp_path: Path) -> None:
    """A row that lost a cell in a one-cell-per-line table: the row break is a guess, so the
    wrong total is reported as a warning, never an error."""
    rows = [ROWS[0], ["因公出国（境）费", "0.00"], *ROWS[2:]]
    path = _write(tmp_path, "ragged", one_per_line(rows))
    read = read_document(load(path))
    table = next(t for t in read.tables if t.layout == "one_cell_per_line")
    assert table.confidence < SURE_TABLE
    assert all(f.severity != "error" for f in audit_path(path).findings if f.location.table)


# A self-evaluation funds block, one cell per line, each ended by |: a section heading, then
# the header, whose first cell names the label column and carries the unit; the 说明 cell is
# merged down all rows, so only the first row prints it and the rows below are one cell short.
MERGED_REMARK = [
    "资金使用情况(20分)", "资金规模(元)", "期初计划", "调整计划", "实际支出", "支出进度", "分值", "评分", "说明",
    "合计", "520.00", "480.00", "456.00", "95.00%", "20", "19",
    "实际支出低于调整计划,主要是部分采购合同尚未结算,余款将于次年初按合同约定支付完毕。",
    "其中:本级拨款", "400.00", "380.00", "361.00", "95.00%", "/", "/",
    "自筹资金", "120.00", "100.00", "95.00", "95.00%", "/", "/",
]


def _by_name(table: Table, label: str) -> dict[str, str]:
    row = next(r for r in table.rows if r.label == label)
    names = {c.index: c.name for c in table.columns}
    return {names[c.column]: c.text for c in row.cells if c.column in names}


def test_merged_remark_keeps_the_header_in_place() -> None:
    """The first row, wider than the rows below by its remark, sets the header's width: the
    unit-carrying cell over the label column is a header cell, not the title, and every column
    name stays over its values (支出进度 over the percents, not over 实际支出)."""
    read = read_text("\n".join(c + " |" for c in MERGED_REMARK) + "\n\n" + PROSE + "\n")
    table = next(t for t in read.tables if t.layout == "one_cell_per_line")
    assert "资金规模" not in table.title
    assert _by_name(table, "合计") == {"资金规模(元)": "合计", "期初计划": "520.00", "调整计划": "480.00",
                                       "实际支出": "456.00", "支出进度": "95.00%", "分值": "20", "评分": "19",
                                       "说明": MERGED_REMARK[16]}
    assert _by_name(table, "自筹资金")["支出进度"] == "95.00%"
    assert _by_name(table, "其中:本级拨款")["实际支出"] == "361.00"
    assert [r.label for r in table.rows] == ["合计", "其中:本级拨款", "自筹资金"]


def test_title_above_a_full_header_stays_the_title() -> None:
    """A title line followed by a header that names the label column (项目 …): the first row's
    extra remark cell does not pull the title into the header."""
    for title in ("2025年示例中心专项资金执行情况表", "专项资金(万元)"):
        cells = [title, "项目", "预算数", "执行数",
                 "合计", "90.00", "90.00", "全年执行与预算一致,各项资金均已按合同约定拨付到位并完成验收。",
                 "设备购置", "60.00", "60.00", "维修改造", "30.00", "30.00"]
        read = read_text("\n".join(c + " |" for c in cells) + "\n\n" + PROSE + "\n")
        table = next(t for t in read.tables if t.layout == "one_cell_per_line")
        assert table.title and title.startswith(table.title), table.title  # (the unit line strips a bracket)
        assert _by_name(table, "合计") == {"项目": "合计", "预算数": "90.00", "执行数": "90.00"}
        assert _by_name(table, "维修改造") == {"项目": "维修改造", "预算数": "30.00", "执行数": "30.00"}


def test_prose_with_double_spaces_is_not_a_table(tmp_path: Path) -> None:
    text = "日期：2025-01-05  字体：大  中  小\n\n本中心2025年预算收入120万元，支出120万元。\n"
    assert not read_document(load(_write(tmp_path, "prose", text))).tables


def test_sheet_segments_split_titled_tables_and_prose() -> None:
    """A sheet with two titled tables, a merged header (blank covered cells), a unit line, a note
    and 说明 prose: two grids, the one-cell section row staying inside the first."""
    sheet = [
        ["2025年收入预算表", "", ""],
        ["单位：万元", "", ""],
        ["项目", "预算数", ""],
        ["", "本年", "上年"],
        ["一、财政拨款", "", ""],
        ["基本支出", "10", "9"],
        ["合计", "10", "9"],
        ["注：本表不含上年结转。", "", ""],
        ["", "", ""],
        ["说明：本中心无政府性基金收入。", "", ""],
        ["", "", ""],
        ["2025年支出预算表", "", ""],
        ["单位：万元", "", ""],
        ["项目", "金额", ""],
        ["公用经费", "4", ""],
    ]
    assert table_segments(sheet) == [(2, 6), (13, 14)]


GLUED = ("附件2青禾市2025年项目支出绩效目标表项目名称示例大楼运行保障项目预算成本构成金额测算依据"
         "2023年实际执行数2024年实际执行数物业管理费150依据合同148150绿化养护费60依据合同5860"
         "水电维修费300据实结算288.40296.15合计510494.40507.15绩效目标以服务对象满意为目标。")


def test_glued_cells_split_by_the_table_sums(tmp_path: Path) -> None:
    """Cells glued without separators: numbers are split where the columns add up (金额
    150 + 60 + 300 = 510; 2023: 148 + 58 + 288.40 = 494.40); the one column that does not
    (2024: 150 + 60 + 296.15 = 506.15, printed 507.15) is reported, as a warning only."""
    path = _write(tmp_path, "glued", GLUED + "\n")
    read = read_document(load(path))
    table = next(t for t in read.tables if t.layout == "glued")
    assert table.confidence < SURE_TABLE
    assert [c.name for c in table.columns if c.is_value] == ["金额", "2023年实际执行数", "2024年实际执行数"]
    keys, found = _table_findings(path)
    assert keys == Counter({("total.column_sum", "506.15", "507.15"): 1})
    assert all(f.severity == "warning" for f in found)


def test_glued_cells_quiet_when_consistent_or_ambiguous(tmp_path: Path) -> None:
    consistent = GLUED.replace("507.15", "506.15")
    keys, _ = _table_findings(_write(tmp_path, "consistent", consistent + "\n"))
    assert not keys
    # two columns that do not add up: no split is sure enough, no table
    broken = GLUED.replace("507.15", "517.15").replace("494.40", "484.40")
    read = read_document(load(_write(tmp_path, "broken", broken + "\n")))
    assert not [t for t in read.tables if t.layout == "glued"]


def test_no_error_whose_difference_is_zero(tmp_path: Path) -> None:
    """The engine's cap: an error-level finding whose difference prints as zero is a warning."""
    from auditor.engine import cap_unsure
    from auditor.model import Finding, Location

    read = read_document(load(_write(tmp_path, "tab", tab(ROWS))))
    zero = Finding(rule="total.column_sum", severity="error", location=Location(path="x", line=5), difference="-0.00")
    real = Finding(rule="total.column_sum", severity="error", location=Location(path="x", line=5), difference="0.80")
    cap_unsure(read, zero)
    cap_unsure(read, real)
    assert (zero.severity, real.severity) == ("warning", "error")


def test_random_cell_soup_never_breaks_the_reader() -> None:
    """Lines made of table words, numbers, | and space runs in any order: the layout finders
    return grids or nothing, never an exception (found a crash on a header with no label)."""
    import random

    from auditor.load.text import split_lines
    from auditor.read.tables import read_tables

    atoms = ["合计", "其中:财政拨款", "12.5", "0", "|", " | ", "100.00", "项目", "预算数", "", "  ",
             "\u3000", "栏次", "1", "收入", "支出", "行次", "单位:万元", "-", "/", "2021年", "执行数",
             "合计191191", "99.5%", "说明：无。", "(万元)", "保安服务费191依据招标文件191191"]
    rng = random.Random(7)
    for _ in range(400):
        lines = []
        for _ in range(rng.randint(1, 20)):
            sep = rng.choice([" ", "  ", "", " | ", "\u3000\u3000"])
            lines.append(sep.join(rng.choice(atoms) for _ in range(rng.randint(1, 12))))
        text = "\n".join(lines)
        if not text.strip():
            continue
        tables, used = read_tables(split_lines(text, "soup.txt"))
        assert all(t.rows is not None for t in tables) and all(isinstance(n, int) for n in used)
