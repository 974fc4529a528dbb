"""Self-check of the bundled sample disclosures in datasets/, independent of the auditor.

The samples are fictional and written for the project; datasets/labels.yaml lists the mistakes
planted in them on purpose. This module parses the tab-separated tables and the prose with plain
Python (str.split on tabs, regular expressions, decimal.Decimal) and re-derives every identity
the samples are meant to satisfy. It proves that

(a) every identity holds except exactly the planted ones: each failing check is recorded as
    (rule id, line) and the set of failures must equal the set given by labels.yaml
    (each anomaly's own rule and line plus the consequences listed under `also`);
(b) each label's line really prints the value the label says.

So an accidental edit of a sample (a typo in a cell, a renumbered line) fails here first,
before it can confuse the auditor's own tests.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parent.parent / "datasets"
BUDGET = "budget_2024_sample.txt"
SELF_EVAL = "self_eval_2024_sample.txt"

CENT = Decimal("0.01")
WAN = Decimal(10000)
# A 万元 amount printed with 2 decimals stands for an interval of ±0.005 万元 = ±50 元.
HALF_CENT_IN_YUAN = Decimal(50)
HALF_CENT = Decimal("0.005")

UNIT_ROW = "示例市文化广电和旅游局机关"
FOOTER = re.compile(r"^第 (\d+) 页 共 (\d+) 页$")
TITLE = re.compile(r"^(?:\d{4} ?年.+表|.+预算项目绩效目标表)$")
NUM = r"(\d+(?:\.\d+)?)"

# 部门预算经济分类 -> 政府预算经济分类 for a 行政 unit (DOMAIN.md §2.4), with the names used.
ECON_MAP = {
    "30101": "50101", "30102": "50101", "30103": "50101", "30108": "50102", "30109": "50102",
    "30110": "50102", "30112": "50102", "30113": "50103", "30201": "50201", "30202": "50201",
    "30205": "50201", "30206": "50201", "30207": "50201", "30209": "50201", "30211": "50201",
    "30212": "50207", "30213": "50209", "30215": "50202", "30216": "50203", "30217": "50206",
    "30218": "50204", "30226": "50205", "30227": "50205", "30228": "50201", "30229": "50201",
    "30231": "50208", "30239": "50201", "30299": "50299", "30302": "50905", "30305": "50901",
    "31002": "50306", "31003": "50306",
}
ECON_NAMES = {
    "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "30201": "办公费", "30202": "印刷费", "30205": "水费", "30206": "电费", "30207": "邮电费",
    "30209": "物业管理费", "30211": "差旅费", "30212": "因公出国(境)费用", "30213": "维修(护)费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费", "30226": "劳务费",
    "30227": "委托业务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出", "30302": "退休费", "30305": "生活补助",
    "31002": "办公设备购置", "31003": "专用设备购置",
}
GOV_NAMES = {
    "50101": "工资奖金津补贴", "50102": "社会保障缴费", "50103": "住房公积金", "50201": "办公经费",
    "50202": "会议费", "50203": "培训费", "50204": "专用材料购置费", "50205": "委托业务费",
    "50206": "公务接待费", "50207": "因公出国(境)费用", "50208": "公务用车运行维护费", "50209": "维修(护)费",
    "50299": "其他商品和服务支出", "50306": "设备购置", "50901": "社会福利和救助", "50905": "离退休费",
}
FUNC_NAMES = {
    "207": "文化旅游体育与传媒支出", "20701": "文化和旅游", "2070101": "行政运行", "2070102": "一般行政管理事务",
    "2070109": "群众文化", "2070113": "旅游宣传", "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗", "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
}
# which economic column of the 基本支出 block an economic class may use
ECON_COLUMN = {"301": 0, "303": 1, "302": 2, "310": 3}
# procurement catalogue entries -> the economic item that pays for them
PROC_ECON = {"台式计算机": "31002", "打印设备": "31002", "投影仪": "31002", "便携式计算机": "31002",
             "执法记录仪": "31003", "移动执法终端": "31003", "文艺演出服务": "30227", "广告宣传服务": "30227"}
# 机关运行经费 items in the prose -> economic item
RUNNING_ITEMS = {
    "办公费": "30201", "水费": "30205", "电费": "30206", "邮电费": "30207", "物业管理费": "30209",
    "差旅费": "30211", "维修(护)费": "30213", "会议费": "30215", "培训费": "30216", "公务接待费": "30217",
    "工会经费": "30228", "福利费": "30229", "公务用车运行维护费": "30231", "其他交通费用": "30239",
    "其他商品和服务支出": "30299", "办公设备购置": "31002",
}


def amount(cell: str) -> Decimal:
    """A table cell as Decimal; blank and dash cells count as 0 (DOMAIN.md B13)."""
    text = cell.strip().replace(",", "")
    if text in ("", "—", "-"):
        return Decimal(0)
    return Decimal(text)


def round2(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return round2(part * 100 / whole)


def strip_suffix(name: str) -> str:
    """Drop the parenthetical qualifier of a 项 name and the _行政 tag of a 5xx name."""
    return re.sub(r"（[^（）]*）$", "", name).removesuffix("_行政")


class Audit:
    """One sample file, its lines, and the checks that failed on it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines = (DATA / name).read_text(encoding="utf-8").split("\n")
        # (rule, line) -> how many checks failed there; a second mistake on a line that already
        # holds a planted one must not hide behind it, so failures are counted, not just noted.
        self.failures: Counter[tuple[str, int]] = Counter()
        self.notes: list[str] = []

    def text(self, n: int) -> str:
        return self.lines[n - 1]

    def check(self, ok: bool, rule: str, line: int, detail: str) -> None:
        if not ok:
            self.failures[(rule, line)] += 1
            self.notes.append(f"{self.name}:{line} {rule}: {detail}")

    def equal(self, rule: str, line: int, actual: object, expected: object, what: str) -> None:
        self.check(actual == expected, rule, line, f"{what}: {actual} != {expected}")

    def near_yuan(self, line: int, printed_wan: Decimal, yuan: Decimal, what: str) -> None:
        """A prose 万元 amount (2 decimals) against a table amount in 元."""
        self.check(abs(printed_wan * WAN - yuan) <= HALF_CENT_IN_YUAN, "narrative.amount", line,
                   f"{what}: {printed_wan} 万元 vs {yuan} 元")

    def find(self, anchor: str, prose: bool = True) -> int:
        """The one line holding `anchor`; with prose=True, table rows and titles are passed over."""
        hits = [i + 1 for i, s in enumerate(self.lines)
                if anchor in s and not (prose and ("\t" in s or TITLE.match(s.strip())))]
        assert len(hits) == 1, f"{self.name}: anchor {anchor!r} found on lines {hits}"
        return hits[0]

    def grab(self, line: int, pattern: str, count: int = 1) -> list[Decimal]:
        m = re.search(pattern, self.text(line))
        assert m, f"{self.name}:{line}: {pattern!r} not found"
        return [Decimal(g) for g in m.groups()[:count]]

    def table(self, title: str, nth: int = 0, header: int = 2) -> list[tuple[int, list[str]]]:
        """Data rows (line, cells) of the nth table with this title, header rows skipped.

        A table runs until the next table title or a note line; blank lines and page footers
        inside it (a table split by a page break) are skipped.
        """
        starts = [i + 1 for i, s in enumerate(self.lines) if s.strip() == title]
        start = starts[nth]
        rows = []
        for n in range(start + 1, len(self.lines) + 1):
            s = self.lines[n - 1]
            if TITLE.match(s.strip()) or s.startswith(("备注：", "注：")):
                break
            if "\t" in s:
                rows.append((n, s.split("\t")))
        return rows[header:]


# ----------------------------------------------------------------------------------------------
# the budget sample
# ----------------------------------------------------------------------------------------------


def code(cells: list[str]) -> str:
    return "".join(c.strip() for c in cells[:3])


def expense_table(a: Audit, title: str, nth: int = 0) -> dict[str, object]:
    """Tables laid out as 科目编码(类/款/项) · 名称 · 合计 · 基本(5) · 项目(5)."""
    rows = a.table(title, nth)
    total = unit = None
    leaves: dict[str, tuple[int, list[Decimal]]] = {}
    parents: dict[str, tuple[int, list[Decimal]]] = {}
    for n, cells in rows:
        a.equal("parse.width", n, len(cells), 15, "cells in row")
        values = [amount(c) for c in cells[4:]]
        a.equal("total.row_sum", n, values[0], values[1] + values[6], "合计 = 基本支出 + 项目支出")
        a.equal("total.row_sum", n, values[1], sum(values[2:6]), "基本支出 小计 = Σ economic columns")
        a.equal("total.row_sum", n, values[6], sum(values[7:11]), "项目支出 小计 = Σ project types")
        c = code(cells)
        if cells[3] == "合计":
            total = (n, values)
        elif cells[3] == UNIT_ROW:
            unit = (n, values)
        elif len(c) == 7:
            leaves[c] = (n, values)
            a.equal("crosstable.code_name", n, strip_suffix(cells[3]), FUNC_NAMES[c], "function name")
        else:
            parents[c] = (n, values)
            a.equal("crosstable.code_name", n, cells[3], FUNC_NAMES[c], "function name")
    assert total and unit and leaves
    for j in range(11):
        a.equal("total.column_sum", total[0], total[1][j], sum(v[j] for _, v in leaves.values()),
                f"{title} column {j}: 合计 = Σ 项 rows")
        a.equal("total.column_sum", unit[0], unit[1][j], total[1][j], f"{title} column {j}: unit row = 合计")
    for c, (n, values) in parents.items():
        for j in range(11):
            a.equal("total.code_rollup", n, values[j],
                    sum(v[j] for k, (_, v) in leaves.items() if k.startswith(c)), f"{c} = Σ its 项")
    return {"total": total[1], "total_line": total[0], "leaves": leaves, "parents": parents}


def two_sided(a: Audit, title: str) -> dict[str, tuple[int, Decimal]]:
    """部门收支总体 / 财政拨款收支总体: left and right label -> (line, amount), checked as it is read."""
    rows = a.table(title)
    items: dict[str, tuple[int, Decimal]] = {}
    groups: dict[str, list[str]] = {}
    for side in (0, 2):
        parent = None
        for n, cells in rows:
            label = cells[side].strip()
            if not label:
                continue
            key = ("L:" if side == 0 else "R:") + label
            items[key] = (n, amount(cells[side + 1]))
            if re.match(r"^[一二三四五六]、", label):
                parent = key
                groups[parent] = []
            elif re.match(r"^\d、", label) and parent:
                groups[parent].append(key)
    for parent, kids in groups.items():
        if kids:
            n, v = items[parent]
            a.equal("total.column_sum", n, v, sum(items[k][1] for k in kids), f"{parent} = Σ its items")
    tops_left = [k for k in items if k.startswith("L:") and re.match(r"^L:[一二三四五六]、", k)]
    tops_right = [k for k in items if k.startswith("R:") and re.match(r"^R:[一二三四五六]、", k)]
    n, v = items["L:本年收入合计"]
    a.equal("total.column_sum", n, v, sum(items[k][1] for k in tops_left), "本年收入合计")
    n, v = items["R:本年支出合计"]
    a.equal("total.column_sum", n, v, sum(items[k][1] for k in tops_right), "本年支出合计")
    n, v = items["L:收入总计"]
    a.equal("total.column_sum", n, v, items["L:本年收入合计"][1] + items["L:上年结转"][1], "收入总计")
    n, v = items["R:支出总计"]
    a.equal("total.column_sum", n, v, items["R:本年支出合计"][1] + items["R:结转下年"][1], "支出总计")
    a.equal("total.row_sum", n, items["L:收入总计"][1], v, "收入总计 = 支出总计")
    return items


def econ_table(a: Audit) -> dict[str, tuple[int, list[Decimal]]]:
    """一般公共预算支出情况表 by the two economic classifications (the second table of that title)."""
    rows = a.table("2024年一般公共预算支出情况表", nth=1)
    out: dict[str, tuple[int, list[Decimal]]] = {}
    total = None
    lost = 0
    for n, cells in rows:
        if len(cells) == 16:
            # The row lost one of its two blank project-type cells (债务项目, 基本建设项目).
            cells = cells[:14] + [""] + cells[14:]
            lost += 1
            a.check(cells[14] == cells[15] == "", "parse.width", n, "the lost cell must be a blank one")
        a.equal("parse.width", n, len(cells), 17, "cells in row")
        values = [amount(c) for c in cells[6:]]
        a.equal("total.row_sum", n, values[0], values[1] + values[6], "合计 = 基本支出 + 项目支出")
        a.equal("total.row_sum", n, values[1], sum(values[2:6]), "基本支出 小计")
        a.equal("total.row_sum", n, values[6], sum(values[7:11]), "项目支出 小计")
        if cells[5] == "合计":
            total = (n, values)
            continue
        dept, gov = cells[0] + cells[1], cells[3] + cells[4]
        a.equal("crosstable.classification", n, gov, ECON_MAP.get(dept), f"{dept} -> 5xx for a 行政 unit")
        a.equal("crosstable.code_name", n, cells[2], ECON_NAMES.get(dept), f"{dept} name")
        a.equal("crosstable.code_name", n, strip_suffix(cells[5]), GOV_NAMES.get(gov), f"{gov} name")
        column = ECON_COLUMN[dept[:3]]
        a.check(all(v == 0 for j, v in enumerate(values[2:6]) if j != column), "crosstable.classification", n,
                f"{dept} has basic money outside its economic column")
        out[dept] = (n, values)
    a.equal("parse.lost_cell", 0, lost, 1, "rows that lost an empty cell")
    assert total
    for j in range(11):
        a.equal("total.column_sum", total[0], total[1][j], sum(v[j] for _, v in out.values()), f"econ column {j}")
    out["合计"] = total
    return out


def audit_budget() -> Audit:
    a = Audit(BUDGET)
    t1 = two_sided(a, "2024年部门收支总体情况表")
    t4 = two_sided(a, "2024年财政拨款收支总体情况表")

    # T2 收入总体
    t2_rows = a.table("2024年部门收入总体情况表")
    t2_leaves: dict[str, tuple[int, list[Decimal]]] = {}
    t2_total = None
    for n, cells in t2_rows:
        a.equal("parse.width", n, len(cells), 12, "cells in row")
        v = [amount(c) for c in cells[4:]]
        a.equal("total.row_sum", n, v[0], v[1] + sum(v[3:]), "合计 = 一般公共预算 + other sources")
        a.check(v[2] <= v[1], "total.subitem_exceeds", n, "其中：财政拨款 > 一般公共预算 小计")
        if cells[3] == "合计":
            t2_total = (n, v)
        elif cells[3] == UNIT_ROW:
            a.equal("total.column_sum", n, v, t2_total[1] if t2_total else None, "unit row = 合计")
        else:
            t2_leaves[code(cells)] = (n, v)
            a.equal("crosstable.code_name", n, strip_suffix(cells[3]), FUNC_NAMES[code(cells)], "function name")
    assert t2_total
    for j in range(8):
        a.equal("total.column_sum", t2_total[0], t2_total[1][j], sum(v[j] for _, v in t2_leaves.values()),
                f"收入总体 column {j}")

    t3 = expense_table(a, "2024年部门支出总体情况表")
    t5 = expense_table(a, "2024年一般公共预算支出情况表", nth=0)
    t5b = econ_table(a)

    # T1 / T4 against T2, T3, T5 (B6, B7, B8)
    exp_cols = {"R:一、基本支出": 1, "R:1、工资福利支出": 2, "R:2、对个人和家庭的补助支出": 3, "R:3、商品服务支出": 4,
                "R:4、资本性支出": 5, "R:二、项目支出": 6, "R:1、社会事业和经济发展项目": 7, "R:2、债务项目": 8,
                "R:3、基本建设项目": 9, "R:4、其他项目": 10, "R:本年支出合计": 0}
    for label, j in exp_cols.items():
        n, v = t1[label]
        a.equal("crosstable.same_quantity", n, v, t3["total"][j], f"收支总体 {label} = 支出总体 合计 row")
        n4, v4 = t4[label]
        a.equal("crosstable.same_quantity", n4, v4, t5["total"][j], f"财政拨款收支总体 {label} = 一般公共预算支出")
    for label, j in {"L:一、一般公共预算": 1, "L:1、财政拨款": 2, "L:本年收入合计": 0}.items():
        n, v = t1[label]
        a.equal("crosstable.same_quantity", n, v, t2_total[1][j], f"收支总体 {label} = 收入总体 合计 row")
    for key in t4:
        if key in t1:
            a.equal("crosstable.same_quantity", t4[key][0], t4[key][1], t1[key][1], f"财政拨款 {key} = 收支总体")

    # T3 vs T5 (B9) and T2 vs T3 (B12): same leaves, same amounts
    assert set(t3["leaves"]) == set(t5["leaves"]) == set(t2_leaves)
    for c, (n, v) in t3["leaves"].items():
        for j in range(11):
            a.equal("crosstable.same_quantity", n, v[j], t5["leaves"][c][1][j], f"{c} column {j}: 支出总体 vs 一般公共预算")
        a.equal("crosstable.same_quantity", t2_leaves[c][0], t2_leaves[c][1][0], v[0], f"{c}: 收入 = 支出")
    # T5 by function vs T5 by economic classification (BUD_FUNC_ECON_TOTALS)
    a.equal("crosstable.same_quantity", t5b["合计"][0], t5b["合计"][1], t5["total"], "two views of 一般公共预算支出")

    # T6 基本支出 (B10) and 人员/公用 (B4)
    t6_rows = a.table("2024 年一般公共预算基本支出情况表")
    t6: dict[str, tuple[int, Decimal]] = {}
    t6_total = None
    for n, cells in t6_rows:
        a.equal("total.row_sum", n, amount(cells[4]), amount(cells[3]), "其中：财政拨款 = 小计")
        if cells[2] == "合计":
            t6_total = (n, amount(cells[3]))
        else:
            dept = cells[0] + cells[1]
            t6[dept] = (n, amount(cells[3]))
            a.equal("crosstable.code_name", n, cells[2], ECON_NAMES.get(dept), f"{dept} name")
            a.equal("crosstable.same_quantity", n, amount(cells[3]), t5b[dept][1][1], f"{dept} basic = econ table")
    assert t6_total
    a.equal("total.column_sum", t6_total[0], t6_total[1], sum(v for _, v in t6.values()), "基本支出 合计")
    a.equal("crosstable.same_quantity", t6_total[0], t6_total[1], t5["total"][1], "基本支出 = 一般公共预算 基本")
    basic_codes = {c for c, (_, v) in t5b.items() if c != "合计" and v[1]}
    a.equal("crosstable.same_quantity", t6_total[0], basic_codes, set(t6), "every basic economic item is in T6")
    person = sum(v for c, (_, v) in t6.items() if c[:3] in ("301", "303"))
    public = sum(v for c, (_, v) in t6.items() if c[:3] in ("302", "310"))

    # function <-> economic cross-links (DOMAIN §2.3)
    for econ, func in {"30108": "2080505", "30109": "2080506", "30110": "2101101", "30113": "2210201",
                       "30302": "2080501"}.items():
        n, v = t5["leaves"][func]
        a.equal("crosstable.same_quantity", n, v[0], t5b[econ][1][0], f"{func} = {econ}")

    # T7 三公 (B13, B14)
    t7 = {cells[0].strip(): (n, [amount(c) for c in cells[1:]]) for n, cells in a.table(
        "2024 年一般公共预算“三公”经费支出情况表", header=1)}
    total_n, total_v = t7["合 计"]
    car_n, car_v = t7["3、公务用车购置及运行费"]
    abroad, reception = t7["1、因公出国（境）费用"][1], t7["2、公务接待费"][1]
    run, buy = t7["其中：（1）公务用车运行维护费"][1], t7["（2）公务用车购置费"][1]
    for y in range(2):
        a.equal("total.column_sum", total_n, total_v[y], abroad[y] + reception[y] + car_v[y], f"三公 合计, column {y}")
        a.equal("total.column_sum", car_n, car_v[y], run[y] + buy[y], f"车 = 购置 + 运行, column {y}")
        a.check(run[y] <= car_v[y] and buy[y] <= car_v[y], "total.subitem_exceeds", car_n, f"其中 > 小计, column {y}")
    a.equal("crosstable.same_quantity", t7["1、因公出国（境）费用"][0], abroad[1], t5b["30212"][1][0], "出国 = 30212")
    a.equal("crosstable.same_quantity", t7["2、公务接待费"][0], reception[1], t5b["30217"][1][0], "接待 = 30217")
    a.equal("crosstable.same_quantity", t7["其中：（1）公务用车运行维护费"][0], run[1], t5b["30231"][1][0], "运行 = 30231")
    a.equal("crosstable.same_quantity", t7["（2）公务用车购置费"][0], buy[1],
            sum(t5b[c][1][0] for c in ("31013", "30913") if c in t5b), "购置 = 31013 + 30913")

    # empty tables with a note (B19)
    for title in ("2024 年政府性基金预算支出情况表", "2024 年国有资本经营预算支出情况表"):
        start = a.find(title, prose=False)
        assert a.table(title) == []
        a.check(any(a.text(n).startswith("备注：") for n in range(start, start + 9)), "table.empty_note", start, title)
        a.check(any(title[6:] in s and "空表" in s for s in a.lines), "table.empty_note", start, "空表情况说明")

    # procurement table (B16) against the economic table
    proc = a.table("2024 年政府采购预算表", header=3)
    proc_total = proc[0]
    items = proc[1:]
    a.equal("total.column_sum", proc_total[0], amount(proc_total[1][9]), sum(amount(c[9]) for _, c in items), "采购金额")
    a.equal("total.column_sum", proc_total[0], amount(proc_total[1][8]), sum(amount(c[8]) for _, c in items), "采购数量")
    by_econ: Counter[str] = Counter()
    for _, cells in items:
        by_econ[PROC_ECON[cells[5]]] += amount(cells[9])
    for econ, total in by_econ.items():
        a.equal("crosstable.same_quantity", t5b[econ][0], total, t5b[econ][1][0], f"采购 {econ}")

    # project performance tables (B17, PERF_AMOUNT_LINKS)
    projects: dict[str, Decimal] = {}
    project_parts: Counter[str] = Counter()
    for i in range(len([s for s in a.lines if s == f"{UNIT_ROW}预算项目绩效目标表"])):
        rows = a.table(f"{UNIT_ROW}预算项目绩效目标表", nth=i, header=0)
        fields = {cells[0]: (n, cells) for n, cells in rows}
        name = fields["项目名称"][1][1]
        n_amt, amt_cells = fields["项目总金额"]
        whole, this_year = amount(amt_cells[1]), amount(amt_cells[3])
        a.check(this_year <= whole, "total.subitem_exceeds", n_amt, "本年度金额 > 项目总金额")
        heads = [cells[0] for _, cells in rows]
        parts = rows[heads.index("经济科目名称") + 1: heads.index("备注")]
        a.equal("total.column_sum", n_amt, this_year, sum(amount(c[1]) for _, c in parts), f"{name} 项目构成")
        for _, c in parts:
            project_parts[c[0]] += amount(c[1])
        for n, cells in rows:
            if cells[2] == "项目总成本":
                a.check(amount(cells[3].lstrip("≤")[:-2]) * WAN <= this_year, "indicator.cost_mismatch", n, name)
        projects[name] = this_year
    a.equal("crosstable.same_quantity", t1["R:二、项目支出"][0], sum(projects.values()), t1["R:二、项目支出"][1],
            "Σ projects = 项目支出")
    a.equal("crosstable.same_quantity", t5["total_line"], sorted(projects.values()),
            sorted(v[6] for _, v in t5["leaves"].values() if v[6]), "project amounts = function rows")
    for econ, (n, v) in t5b.items():
        if econ != "合计" and v[6]:
            a.equal("crosstable.same_quantity", n, v[6], project_parts[ECON_NAMES[econ]], f"项目构成 {econ}")
    a.equal("crosstable.same_quantity", 0, sum(project_parts.values()), t5b["合计"][1][6], "Σ 项目构成")

    # ------------------------------- prose vs tables -------------------------------------
    total = t3["total"][0]
    basic, proj = t5["total"][1], t5["total"][6]
    classes = {name: t5["parents"][c][1][0] for c, name in
               (("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("221", "住房保障支出"))}

    n = a.find("年收入总计")
    inc, exp, change, rate = a.grab(n, rf"收入总计 {NUM} 万元，支出总计 {NUM} 万元.*?增加 {NUM} 万元，增长 {NUM}%", 4)
    a.near_yuan(n, inc, total, "收入总计")
    a.near_yuan(n, exp, total, "支出总计")
    a.check(abs(round2(change * 100 / (inc - change)) - rate) <= CENT, "rate.change", n, f"{rate}% vs {change}/{inc - change}")

    n = a.find("年收入预算")
    for label, value in (("收入预算", total), ("一般公共预算", total), ("财政拨款", total)):
        a.near_yuan(n, a.grab(n, rf"{label} {NUM} 万元")[0], value, label)
    for label in ("专项收入", "行政事业性收费收入", "政府性基金收入", "国有资本经营收入"):
        a.near_yuan(n, a.grab(n, rf"{label} {NUM} 万元")[0], Decimal(0), label)
    a.equal("rate.recompute", n, a.grab(n, rf"占收入预算的 {NUM}%")[0], pct(t2_total[1][1], t2_total[1][0]), "收入占比")

    n = a.find("年支出预算")
    a.near_yuan(n, a.grab(n, rf"支出预算 {NUM} 万元")[0], total, "支出预算")
    for label, value in (("基本支出", basic), ("项目支出", proj)):
        wan, share = a.grab(n, rf"{label} {NUM} 万元，占 {NUM}%", 2)
        a.near_yuan(n, wan, value, label)
        a.equal("rate.recompute", n, share, pct(value, total), f"{label} 占比")

    def enumeration(line: int, parts: dict[str, Decimal], whole_label: str, whole_line: int, whole_pattern: str) -> None:
        printed = {label: a.grab(line, rf"{label} {NUM} 万元")[0] for label in parts}
        for label, value in parts.items():
            a.near_yuan(line, printed[label], value, label)
        whole = a.grab(whole_line, whole_pattern)[0]
        a.check(abs(sum(printed.values()) - whole) <= HALF_CENT * (len(parts) + 1), "narrative.arithmetic", line,
                f"Σ {list(printed)} = {sum(printed.values())} vs {whole_label} {whole}")

    n = a.find("（一）按功能科目分类")
    enumeration(n, classes, "支出预算", a.find("年支出预算"), rf"支出预算 {NUM} 万元")
    n = a.find("（二）按支出用途分类")
    econ_parts = {"工资福利支出": t5["total"][2], "商品和服务支出": t5["total"][4],
                  "对个人和家庭的补助支出": t5["total"][3], "资本性支出": t5["total"][5]}
    enumeration(n, econ_parts, "基本支出", n, rf"基本支出 {NUM} 万元")
    a.near_yuan(n, a.grab(n, rf"项目支出 {NUM} 万元")[0], proj, "项目支出")

    n = a.find("（三）主要项目")
    listed = dict(re.findall(r"([\u4e00-\u9fff]+经费) (\d+\.\d+) 万元", a.text(n)))
    a.equal("narrative.amount", n, set(listed), set(projects), "project names")
    for name, wan in listed.items():
        a.near_yuan(n, Decimal(wan), projects[name], name)

    n = a.find("基本支出比上年增加")
    for label, value in (("一般公共预算收支预算", total),):
        a.near_yuan(n, a.grab(n, rf"{label} {NUM} 万元")[0], value, label)
    for label, value in (("基本支出", basic), ("项目支出", proj)):
        change, rate = a.grab(n, rf"{label}比上年增加 {NUM} 万元，增长 {NUM}%", 2)
        current = round2(value / WAN)
        a.check(abs(round2(change * 100 / (current - change)) - rate) <= CENT, "rate.change", n, f"{label} {rate}%")

    n = a.find("主要用于以下方面")
    a.near_yuan(n, a.grab(n, rf"一般公共预算支出预算 {NUM} 万元")[0], t5["total"][0], "一般公共预算支出")
    for label, value in classes.items():
        wan, share = a.grab(n, rf"{label} {NUM} 万元，\s*占 {NUM}%", 2)
        a.near_yuan(n, wan, value, label)
        a.equal("rate.recompute", n, share, pct(value, t5["total"][0]), f"{label} 占比")

    n = a.find("年一般公共预算基本支出预算")
    a.near_yuan(n, a.grab(n, rf"基本支出预算 {NUM} 万元")[0], t6_total[1], "基本支出")
    enumeration(n, {"人员经费": person, "公用经费": public}, "基本支出", n, rf"基本支出预算 {NUM} 万元")

    # 三公 prose (SANGONG_NARRATIVE)
    n = a.find("年“三公”经费预算")
    wan, change, rate = a.grab(n, rf"经费预算 {NUM} 万元，比上年预算减少(?:减少)? {NUM} 万元，下降 {NUM}%", 3)
    a.near_yuan(n, wan, total_v[1], "三公 合计")
    a.near_yuan(n, change, total_v[0] - total_v[1], "三公 减少额")
    a.equal("rate.change", n, rate, pct(total_v[0] - total_v[1], total_v[0]), "三公 下降率")
    for anchor, label, row in (("1. 因公出国（境）费", "因公出国（境）费", abroad),
                               ("2. 公务用车购置费", "公务用车运行维护费", run),
                               ("3. 公务接待费", "公务接待费", reception)):
        n = a.find(anchor)
        wan = a.grab(n, rf"{label} {NUM} 万元")[0]
        change, rate = a.grab(n, rf"{label} {NUM} 万元.*?比上年减少 {NUM} 万元，下降 {NUM}%", 3)[1:]
        a.near_yuan(n, wan, row[1], label)
        a.near_yuan(n, change, row[0] - row[1], f"{label} 减少额")
        a.equal("rate.change", n, rate, pct(row[0] - row[1], row[0]), f"{label} 下降率")
    n = a.find("2. 公务用车购置费")
    a.near_yuan(n, a.grab(n, rf"公务用车购置费 {NUM} 万元")[0], buy[1], "公务用车购置费")
    a.check(buy[0] == buy[1], "narrative.amount", n, "购置费 与上年持平")

    # 机关运行经费 (B15)
    n = a.find("年机关运行经费安排")
    running = a.grab(n, rf"机关运行经费安排 {NUM} 万元")[0]
    a.near_yuan(n, running, public, "机关运行经费 = 公用经费")
    listed = {k: Decimal(v) for k, v in re.findall(r"、?([\u4e00-\u9fff()（）]+) (\d+\.\d+) 万元", a.text(n).split("其中：")[1])
              if k in RUNNING_ITEMS}
    a.equal("narrative.amount", n, set(listed), set(RUNNING_ITEMS), "itemised 运行经费")
    for label, wan in listed.items():
        a.near_yuan(n, wan, t6[RUNNING_ITEMS[label]][1], label)
    a.check(abs(sum(listed.values()) - running) <= HALF_CENT * (len(listed) + 1), "narrative.arithmetic", n, "Σ items")
    change, rate = a.grab(n, rf"比上年减少 {NUM} 万元，下降 {NUM}%", 2)
    a.check(abs(round2(change * 100 / (running + change)) - rate) <= CENT, "rate.change", n, "运行经费 下降率")

    # 政府采购 prose (GOV_PROC_SUMS)
    n = a.find("年政府采购预算")
    goods = sum(amount(c[9]) for _, c in items if PROC_ECON[c[5]] != "30227")
    services = sum(amount(c[9]) for _, c in items if PROC_ECON[c[5]] == "30227")
    proc_sum = amount(proc_total[1][9])
    a.near_yuan(n, a.grab(n, rf"政府采购预算 {NUM} 万元")[0], proc_sum, "政府采购预算")
    a.near_yuan(n, a.grab(n, rf"货物类 {NUM} 万元")[0], goods, "货物")
    a.near_yuan(n, a.grab(n, rf"工程类 {NUM} 万元")[0], Decimal(0), "工程")
    a.near_yuan(n, a.grab(n, rf"服务类 {NUM} 万元")[0], services, "服务")
    sme, share = a.grab(n, rf"预留采购份额 {NUM} 万元，占政府采购预算的 {NUM}%", 2)
    a.equal("rate.recompute", n, share, pct(sme * WAN, proc_sum), "中小企业预留占比")
    for i, (_, cells) in enumerate(items, 1):
        name = cells[5] if cells[4].endswith("购置") else cells[4]
        n = a.find(f"{i}. {name}，单价")
        price, qty, line_total = a.grab(n, rf"单价{NUM}万元，数量{NUM}[台项]，共计{NUM}万元", 3)
        a.equal("narrative.arithmetic", n, round2(price * qty), line_total, "单价 × 数量")
        a.near_yuan(n, line_total, amount(cells[9]), "采购明细")
        a.equal("narrative.amount", n, qty, amount(cells[8]), "数量")

    # counts (NARR_PERSON_VEHICLE_COUNTS) and the performance section (NARR_PROJECT_LIST)
    n = a.find("共有编制")
    staff, admin, worker = a.grab(n, rf"编制 {NUM} 人，其中：行政编制 {NUM} 人，机关工勤编制 {NUM} 人", 3)
    a.equal("narrative.arithmetic", n, staff, admin + worker, "编制")
    n1 = a.find("部门机关现有车辆")
    cars1 = a.grab(n1, rf"车辆 {NUM} 辆，其中：一般公务用车 {NUM} 辆、执法执勤用车 {NUM} 辆", 3)
    a.equal("narrative.arithmetic", n1, cars1[0], sum(cars1[1:]), "车辆")
    n2 = a.find("本部门共有车辆")
    cars2 = a.grab(n2, rf"车辆 {NUM} 辆，其中：一般公务用车 {NUM} 辆、执法执勤用车 {NUM} 辆、特种专业技术用车 {NUM} 辆、"
                   rf"其他用车 {NUM} 辆", 5)
    a.equal("narrative.arithmetic", n2, cars2[0], sum(cars2[1:]), "车辆")
    a.equal("narrative.amount", n2, cars2[:3], cars1, "车辆 in two sections")
    n = a.find("实行绩效目标管理的预算项目")
    count, wan = a.grab(n, rf"预算项目 {NUM} 个，涉及项目支出 {NUM} 万元", 2)
    a.equal("narrative.amount", n, int(count), len(projects), "number of project tables")
    a.near_yuan(n, wan, proj, "项目支出")
    for name, wan in re.findall(r"([\u4e00-\u9fff]+经费) (\d+\.\d+) 万元", a.text(n)):
        a.near_yuan(n, Decimal(wan), projects[name], name)

    # contents: tables listed = tables found (REQUIRED_TABLES)
    first_footer = next(i for i, s in enumerate(a.lines) if FOOTER.match(s.strip()))
    listed_tables = [s.split(". ", 1)[1] for s in a.lines[:first_footer] if re.match(r"^\d+\. ", s)]
    a.equal("table.contents", 1, len(listed_tables), 11, "tables in 目录")
    for t in listed_tables:
        a.check(any(s.strip().endswith(t) and TITLE.match(s.strip()) for s in a.lines), "table.contents", 1, t)

    text_checks(a)
    return a


# ----------------------------------------------------------------------------------------------
# the self-evaluation sample
# ----------------------------------------------------------------------------------------------


def parse_target(text: str) -> tuple[str, Decimal] | None:
    m = re.match(r"^([≥≤=])?(\d+(?:\.\d+)?)", text)
    if not m:
        return None
    return (m.group(1) or "=", Decimal(m.group(2)))


def audit_self_eval() -> Audit:
    a = Audit(SELF_EVAL)
    # funds block (SELF_FUNDS_TABLE)
    start = a.find("项目资金（万元）", prose=False)
    funds = {}
    for n in range(start + 1, start + 5):
        cells = a.text(n).split("\t")
        funds[cells[0]] = (n, cells)
    n, cells = funds["年度资金总额"]
    for j in (1, 2, 3):
        a.equal("total.column_sum", n, amount(cells[j]),
                sum(amount(c[j]) for k, (_, c) in funds.items() if k != "年度资金总额"), f"资金 column {j}")
    rate = pct(amount(cells[3]), amount(cells[2]))
    a.equal("rate.recompute", n, Decimal(cells[5].rstrip("%")), rate, "执行率")
    exec_score = Decimal(cells[6])
    a.equal("score.sum", n, exec_score, round2(Decimal(cells[4]) * min(rate, Decimal(100)) / 100), "执行率得分")

    # indicator table (SELF_SCORE_BOUNDS, SELF_SCORE_VS_ACHIEVEMENT, PERF_WEIGHTS_SUM)
    start = a.find("一级指标\t二级指标\t三级指标\t年度指标值", prose=False)
    level1_weight: dict[str, Decimal] = {}
    level1_sum: Counter[str] = Counter()
    missed: list[int] = []
    scores = Decimal(0)
    weights = Decimal(0)
    level1 = ""
    total_row = None
    for n in range(start + 1, len(a.lines) + 1):
        s = a.text(n)
        if not s.strip():
            continue
        if "\t" not in s:
            break
        cells = s.split("\t")
        if cells[0].startswith("总分"):
            total_row = (n, cells)
            continue
        if cells[0]:
            level1 = cells[0]
            level1_weight[level1] = Decimal(re.search(r"\((\d+)分\)", level1).group(1))
        target, actual, weight, score, reason = cells[3], cells[4], Decimal(cells[5]), Decimal(cells[6]), cells[7]
        level1_sum[level1] += weight
        weights += weight
        scores += score
        a.check(Decimal(0) <= score <= weight, "score.over_weight", n, f"得分 {score} > 分值 {weight}")
        parsed_target, parsed_actual = parse_target(target), parse_target(actual)
        if m := re.fullmatch(r"(\d{4})年(\d{1,2})月底前", target):
            done = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", actual)
            met = bool(done) and (int(done.group(1)), int(done.group(2))) <= (int(m.group(1)), int(m.group(2)))
        elif parsed_target and parsed_actual:
            op, goal = parsed_target
            value = parsed_actual[1]
            met = {"≥": value >= goal, "≤": value <= goal, "=": value == goal}[op]
        else:
            met = target == actual
        if met:
            a.check(score >= weight, "score.target_met_deducted", n, "target met but points deducted")
        else:
            missed.append(n)
            a.check(score < weight, "score.target_missed_full_marks", n, f"{actual} misses {target}, full marks")
            if score < weight:
                expected = weight * min(Decimal(1), parsed_actual[1] / parsed_target[1])
                a.check(abs(score - expected) <= weight / 10, "score.proportional", n, f"{score} vs {expected}")
                a.check(bool(reason.strip()), "score.reason", n, "missed target without a reason")
    for level1, weight in level1_weight.items():
        a.equal("indicator.weight_sum", start, level1_sum[level1], weight, f"{level1} weights")
    assert total_row
    n, cells = total_row
    a.equal("indicator.weight_sum", n, weights + Decimal(funds["年度资金总额"][1][4]), Decimal(cells[5]), "分值 total")
    total = Decimal(cells[6])
    a.equal("score.sum", n, total, exec_score + scores, "总分 = 执行率得分 + Σ 得分")

    n = a.find("经自评")
    exec_printed, ind_printed, total_printed = a.grab(n, rf"执行率得分 {NUM} 分，绩效指标得分 {NUM} 分，总分 {NUM} 分", 3)
    a.equal("score.sum", n, (exec_printed, ind_printed, total_printed), (exec_score, scores, total), "prose scores")
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    a.check(f"“{grade}”" in a.text(n), "score.grade_band", n, grade)

    # claims vs table (SELF_CLAIMS_VS_TABLE)
    for n, s in enumerate(a.lines, 1):
        if re.search(r"未偏离|全面完成|暂无偏差|均已完成", s):
            a.check(not missed and rate >= 100, "score.claim", n, f"claim while lines {missed} missed")
    text_checks(a)
    return a


# ----------------------------------------------------------------------------------------------
# both files
# ----------------------------------------------------------------------------------------------


def text_checks(a: Audit) -> None:
    pages = []
    for n, s in enumerate(a.lines, 1):
        for m in re.finditer(r"([\u4e00-\u9fff]{2})\1", s):
            a.check(False, "text.repeated_word", n, m.group(0))
        m = FOOTER.match(s.strip())
        if m:
            pages.append((n, int(m.group(1)), int(m.group(2))))
        a.check(not re.search(r"XX|××|待填写|请填写|\{单位\}", s), "text.template_residue", n, s[:20])
        for year in re.findall(r"(20\d\d)\s*年", s):
            # the fiscal year 2024, the year before (comparisons, 截至 dates) and the year after
            # (a self-evaluation is signed in the following year)
            a.check(year in ("2023", "2024", "2025"), "date.year_mismatch", n, year)
    assert pages, f"{a.name}: no page footers"
    numbers = [p for _, p, _ in pages]
    a.check(numbers == sorted(set(numbers)) and len({t for *_, t in pages}) == 1 and numbers[-1] == pages[-1][2],
            "parse.footer", pages[0][0], f"footers {pages}")


@cache
def audited() -> dict[str, Audit]:
    return {BUDGET: audit_budget(), SELF_EVAL: audit_self_eval()}


@cache
def labels() -> list[dict]:
    return yaml.safe_load((DATA / "labels.yaml").read_text(encoding="utf-8"))["anomalies"]


def expected_failures(name: str) -> Counter[tuple[str, int]]:
    """Each planted anomaly fails its own check once, plus once per consequence under `also`."""
    out: Counter[tuple[str, int]] = Counter()
    for label in labels():
        if label["file"] == name:
            out[(label["rule"], label["line"])] += 1
            out.update((extra["rule"], extra["line"]) for extra in label.get("also", []))
    return out


@pytest.mark.parametrize("name", [BUDGET, SELF_EVAL])
def test_identities_hold_except_the_planted_ones(name: str) -> None:
    audit = audited()[name]
    expected = expected_failures(name)
    unexpected = sorted((audit.failures - expected).items())
    missing = sorted((expected - audit.failures).items())
    notes = "\n".join(audit.notes)
    assert not unexpected, f"checks failed that no label explains: {unexpected}\n{notes}"
    assert not missing, f"labelled anomalies that the checks did not see: {missing}\n{notes}"


def test_labels_point_at_the_printed_values() -> None:
    seen_ids = set()
    for label in labels():
        assert label["id"] not in seen_ids
        seen_ids.add(label["id"])
        lines = (DATA / label["file"]).read_text(encoding="utf-8").split("\n")
        text = lines[label["line"] - 1]
        assert str(label["printed"]) in text.split("\t") or str(label["printed"]) in text, (label["id"], text)
        assert str(label["printed"]) != str(label["correct"])
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", label["rule"])


def test_planted_counts() -> None:
    per_file = Counter(label["file"] for label in labels())
    assert 3 <= per_file[BUDGET] <= 6
    assert per_file[SELF_EVAL] == 3
    assert set(per_file) == {BUDGET, SELF_EVAL}


def test_layout_conventions_of_the_seeds_are_present() -> None:
    """The sample keeps the layout quirks the readers must cope with."""
    text = (DATA / BUDGET).read_text(encoding="utf-8")
    lines = text.split("\n")
    assert "单位：元" in text and "单位:元" in text
    assert any(s.count("\t") and "<p>" in s for s in lines), "a cell wrapped in <p> tags"
    # the economic table is split by a page break: a footer between two of its data rows
    footer_lines = [i for i, s in enumerate(lines) if FOOTER.match(s.strip())]
    assert any(lines[i - 2].startswith("302\t") and lines[i + 2].startswith("302\t") for i in footer_lines)
    # code columns are split 类 / 款 / 项
    assert any(s.startswith("207\t01\t01\t") for s in lines)
    # a hard-wrapped prose sentence with a blank line in the middle
    assert any(s.endswith("政府预算") and lines[i + 2].startswith("经济分类") for i, s in enumerate(lines[:-2]))
