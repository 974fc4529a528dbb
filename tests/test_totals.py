"""total.* rules on hand-built tables: each fires on a broken identity and stays quiet otherwise."""

from __future__ import annotations

from auditor.load.text import split_lines
from auditor.model import Cell, Column, ReadDocument, Relation, Row, Table
from auditor.numbers import parse_amount
from tests.harness import audit_text


def make_table(rows: list[tuple[str, list[str]]], relations: list[Relation], unit: str = "元",
               columns: list[str] | None = None, first_line: int = 1) -> tuple[ReadDocument, Table]:
    """A table whose rows start at `first_line`, backed by a document of the same lines."""
    names = columns or [f"c{i}" for i in range(len(rows[0][1]))]
    cols = [Column(index=i, name=n) for i, n in enumerate(names)]
    table_rows = []
    text_lines = [""] * (first_line - 1)
    for offset, (label, values) in enumerate(rows):
        line = first_line + offset
        cells = [Cell(text=v, column=i, number=parse_amount(v, unit)) for i, v in enumerate(values)]
        table_rows.append(Row(line=line, label=label, cells=cells,
                              kind="total" if label.startswith("合计") else "detail"))
        text_lines.append("\t".join([label, *values]))
    table = Table(title="测试表", kind="generic", unit=unit, unit_guessed=False, first_line=first_line,
                  last_line=first_line + len(rows) - 1, header_lines=[], columns=cols, rows=table_rows,
                  relations=relations)
    doc = split_lines("\n".join(text_lines) + "\n", "doc.txt")
    return ReadDocument(doc=doc, tables=[table]), table


def findings_for(read: ReadDocument, rule_id: str):
    return audit_text(read, rule=rule_id).findings_and_status


def test_row_sum_fires_on_a_row_that_does_not_add_up():
    read, _ = make_table([("行政运行", ["1,000", "600", "500"])],
                         [Relation(total=(0, 0), parts=[(0, 1), (0, 2)], kind="row")],
                         columns=["合计", "基本支出", "项目支出"])
    found, status = findings_for(read, "total.row_sum")
    assert status == "failed"
    assert len(found) == 1
    f = found[0]
    assert (f.actual, f.expected, f.difference) == ("1,000", "1,100", "-100")
    assert f.location.line == 1 and f.location.column == "合计" and f.location.row == "行政运行"
    assert f.evidence[0].text == "行政运行\t1,000\t600\t500"


def test_row_sum_quiet_when_it_adds_up_and_blank_counts_as_zero():
    read, _ = make_table([("行政运行", ["1,100", "600", "500", ""])],
                         [Relation(total=(0, 0), parts=[(0, 1), (0, 2), (0, 3)], kind="row")])
    found, status = findings_for(read, "total.row_sum")
    assert found == [] and status == "passed"


def test_wan_yuan_rounding_is_not_an_error():
    # 0.33 + 0.33 + 0.33 = 0.99 but the printed parts may each be up to 0.005 low: 1.00 is reachable.
    read, _ = make_table([("合计", ["1.00"]), ("甲", ["0.33"]), ("乙", ["0.33"]), ("丙", ["0.33"])],
                         [Relation(total=(0, 0), parts=[(1, 0), (2, 0), (3, 0)], kind="column")], unit="万元")
    found, status = findings_for(read, "total.column_sum")
    assert found == [] and status == "passed"


def test_wan_yuan_gap_beyond_rounding_is_an_error():
    read, _ = make_table([("合计", ["1.05"]), ("甲", ["0.33"]), ("乙", ["0.33"]), ("丙", ["0.33"])],
                         [Relation(total=(0, 0), parts=[(1, 0), (2, 0), (3, 0)], kind="column")], unit="万元")
    found, _ = findings_for(read, "total.column_sum")
    assert len(found) == 1 and found[0].actual == "1.05" and found[0].expected == "0.99"


def test_whole_yuan_must_add_up_within_rounding():
    """Whole-元 cells are rounded (±0.5 元, DESIGN §6): 1 元 off over two parts is rounding,
    3 元 is an error."""
    def fired(total: str) -> list:
        read, _ = make_table([("合计", [total]), ("甲", ["500"]), ("乙", ["500"])],
                             [Relation(total=(0, 0), parts=[(1, 0), (2, 0)], kind="column")])
        return findings_for(read, "total.column_sum")[0]

    assert fired("1,001") == []
    found = fired("1,003")
    assert len(found) == 1 and found[0].difference == "3"


def test_code_rollup_and_subitem():
    read, _ = make_table([("一般公共服务支出", ["900"]), ("政府办公厅", ["500"]), ("财政事务", ["500"]),
                          ("其中：专项", ["950"])],
                         [Relation(total=(0, 0), parts=[(1, 0), (2, 0)], kind="code"),
                          Relation(total=(0, 0), parts=[(3, 0)], kind="subitem")])
    rollup, _ = findings_for(read, "total.code_rollup")
    sub, _ = findings_for(read, "total.subitem_exceeds")
    assert len(rollup) == 1 and rollup[0].expected == "1000"  # the table prints no separators
    assert len(sub) == 1 and sub[0].expected == "950" and sub[0].actual == "900"


def test_subitem_quiet_when_part_fits():
    read, _ = make_table([("一般公共预算", ["1,000"]), ("其中：财政拨款", ["1,000"])],
                         [Relation(total=(0, 0), parts=[(1, 0)], kind="subitem")])
    found, status = findings_for(read, "total.subitem_exceeds")
    assert found == [] and status == "passed"


def test_more_than_six_parts_are_listed_by_their_first_six_and_counted():
    from auditor.engine import get_rule
    from auditor.messages import argument_problems

    read, _ = make_table([("行政运行", ["90"] + ["10"] * 8)],
                         [Relation(total=(0, 0), parts=[(0, i) for i in range(1, 9)], kind="row")])
    found, _ = findings_for(read, "total.row_sum")
    assert [(f.variant, f.args["parts"], f.args["count"]) for f in found] == [
        ("many_parts", "c1、c2、c3、c4、c5、c6", 8)]
    assert argument_problems("total.row_sum", found[0].args, found[0].variant) == []
    assert "而 c1、c2、c3、c4、c5、c6 等 8 项 之和为 80" in get_rule("total.row_sum").message("zh", found[0].args, "many_parts")
    few, _ = findings_for(make_table([("行政运行", ["90"] + ["10"] * 6)],
                                     [Relation(total=(0, 0), parts=[(0, i) for i in range(1, 7)], kind="row")])[0],
                          "total.row_sum")
    assert [(f.variant, f.args["parts"], "count" in f.args) for f in few] == [("", "c1、c2、c3、c4、c5、c6", False)]


def test_not_applicable_without_relations_and_insufficient_with_dangling_cells():
    read, _ = make_table([("甲", ["1"])], [])
    assert findings_for(read, "total.row_sum")[1] == "not_applicable"
    read, _ = make_table([("甲", ["1"])], [Relation(total=(0, 0), parts=[(5, 0)], kind="row")])
    assert findings_for(read, "total.row_sum")[1] == "insufficient_data"
