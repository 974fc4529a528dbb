"""Code-hierarchy relations of the table reader (`_code_relations`): each coded row sums its
direct children (code + two digits), a code printed twice sums nothing, and a large table's
relations are found in one pass (the same ones a row-by-row rescan finds)."""

from __future__ import annotations

from auditor.load.text import split_lines
from auditor.read.tables import read_tables

HEAD = "某某支出表\n单位：元\n科目编码\t\t\t科目名称\t合计\n类\t款\t项\t\t\n\t\t\t合计\t{total}\n"


def _table(body: str, total: int):
    tables = read_tables(split_lines(HEAD.format(total=total) + body, "inline.txt"))[0]
    assert len(tables) == 1
    return tables[0]


def _code_sums(table) -> dict[str, list[str]]:
    rows = table.rows
    return {rows[r.total[0]].code: [rows[p[0]].code for p in r.parts] for r in table.relations if r.kind == "code"}


def test_each_code_sums_its_direct_children_only() -> None:
    body = ("201\t\t\t一般公共服务支出\t30\n201\t03\t\t政府办公厅\t30\n201\t03\t01\t行政运行\t10\n"
            "201\t03\t02\t一般行政管理事务\t20\n208\t\t\t社会保障和就业支出\t5\n208\t05\t\t行政事业单位养老支出\t5\n")
    sums = _code_sums(_table(body, 35))
    assert sums == {"201": ["20103"], "20103": ["2010301", "2010302"], "208": ["20805"]}


def test_a_code_printed_twice_sums_nothing() -> None:
    body = ("201\t\t\t一般公共服务支出\t30\n201\t03\t\t政府办公厅\t10\n201\t03\t\t政府办公厅\t20\n"
            "201\t03\t01\t行政运行\t10\n")
    sums = _code_sums(_table(body, 30))
    assert "20103" not in sums
    assert sums["201"] == ["20103", "20103"]


def test_a_large_hierarchy_has_every_rollup() -> None:
    lines = []
    for kuan in range(1, 41):
        lines.append(f"201\t{kuan:02d}\t\t款{kuan}\t30\n")
        lines += [f"201\t{kuan:02d}\t{xiang:02d}\t项{kuan}-{xiang}\t10\n" for xiang in range(1, 4)]
    body = "201\t\t\t一般公共服务支出\t1200\n" + "".join(lines)
    sums = _code_sums(_table(body, 1200))
    assert len(sums) == 41
    assert sums["201"] == [f"201{k:02d}" for k in range(1, 41)]
    assert sums["20140"] == ["2014001", "2014002", "2014003"]
