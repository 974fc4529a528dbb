"""The classification-path reader (auditor/read/class_paths.py)."""

from __future__ import annotations

from tests.harness import read_text


def paths(text: str) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    return [(p.line, p.names) for p in read_text(text).class_paths]


def test_a_three_level_path_with_a_bracketed_part_in_a_name():
    text = "1.“一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）行政运行（项）”科目 35.60 万元。\n"
    assert paths(text) == [(1, (("类", "一般公共服务支出"), ("款", "党委办公厅（室）及相关机构事务"),
                                ("项", "行政运行")))]


def test_two_levels_and_half_width_brackets():
    assert paths("“社会保障和就业支出(类)行政事业单位养老支出(款)”科目 12 万元。\n") == [
        (1, (("类", "社会保障和就业支出"), ("款", "行政事业单位养老支出")))]


def test_a_single_level_or_a_chain_out_of_order_is_no_path():
    assert paths("“行政运行（项）”科目 5 万元，主要用于机关运转。\n") == []
    assert paths("“行政运行（项）一般公共服务支出（类）”科目 5 万元。\n") == []


def test_two_paths_in_one_paragraph_are_two():
    text = ("“卫生健康支出（类）计划生育事务（款）计划生育服务（项）”科目 20 万元；"
            "“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”科目 15 万元。\n")
    assert [names[2][1] for _, names in paths(text)] == ["计划生育服务", "行政单位医疗"]
