"""Synthetic disclosures with planted anomalies and their labels (a project tool; the auditor
never imports it).

    python datasets/generate.py --seed 7 --count 300 --out DIR [--rows N]
                                [--kinds budget,self_eval,evaluation,targets]

Every document is written in the layouts of the seeds (tab-separated tables as PDF extraction
gives them, prose amounts in 万元 with 2 decimals, "第 N 页 共 M 页" footers) with a vocabulary of
its own: the departments, projects and people are invented. A document is consistent by
construction: tables are built from whole-元 amounts and every total, share, year-on-year change,
score and grade is derived from them, so rounding alone never breaks an identity. Then at most two
anomalies of the kinds a real document shows are planted (some documents stay clean), and each
document ships `NAME.labels.json`:

    [{"family": "total", "rule": "total.row_sum", "line": 265, "printed": "1,362,784",
      "correct": "1,326,784", "kind": "digit_swap", "also": [{"rule": ..., "line": ...}]}]

`line` is the 1-based line holding the planted value; `also` lists other findings the same
wrong value legitimately causes. The output is a pure function of (seed, index, kinds, rows):
the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
WAN = Decimal(10000)
KINDS = ("budget", "self_eval", "evaluation", "targets")

# ----------------------------------------------------------------------------------------------
# vocabulary (invented for this project)

CITIES = ["云梧市", "禾丰市", "澜石市", "棠溪市", "墨川市", "柳岸市", "青屿市", "松陵市", "桐川市", "芷江湾市"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = ["文澜", "思远", "清扬", "可欣", "立诚", "晓彤", "明哲", "若溪", "嘉禾", "致远", "书瑶", "启航", "静宜", "宇澄"]

# department: name, 款 code, 款 name, "其他" 项 name, project themes
DEPARTMENTS = [
    ("人民政府办公室", "20103", "政府办公厅（室）及相关机构事务", "其他政府办公厅（室）及相关机构事务支出",
     ["政务信息", "督查督办", "应急值守"]),
    ("统计局", "20105", "统计信息事务", "其他统计信息事务支出", ["统计调查", "统计普查", "数据质量"]),
    ("审计局", "20108", "审计事务", "其他审计事务支出", ["审计实施", "审计信息化", "审计整改"]),
    ("档案馆", "20126", "档案事务", "其他档案事务支出", ["档案数字化", "档案保护", "档案编研"]),
    ("发展和改革委员会", "20104", "发展与改革事务", "其他发展与改革事务支出", ["规划编制", "价格监测", "项目评审"]),
    ("财政局", "20106", "财政事务", "其他财政事务支出", ["预算绩效", "财政监督", "国库集中支付"]),
    ("市场监督管理局", "20138", "市场监督管理事务", "其他市场监督管理事务", ["食品抽检", "计量检定", "市场执法"]),
]
PROJECT_SUFFIX = ["工作经费", "专项经费", "能力建设经费", "业务经费", "保障经费"]

# economic items (部门预算经济分类) -> (name, 政府预算经济分类 code for a 行政 unit, its name)
ECON = {
    "30101": ("基本工资", "50101", "工资奖金津补贴"), "30102": ("津贴补贴", "50101", "工资奖金津补贴"),
    "30103": ("奖金", "50101", "工资奖金津补贴"), "30108": ("机关事业单位基本养老保险缴费", "50102", "社会保障缴费"),
    "30109": ("职业年金缴费", "50102", "社会保障缴费"), "30110": ("职工基本医疗保险缴费", "50102", "社会保障缴费"),
    "30112": ("其他社会保障缴费", "50102", "社会保障缴费"), "30113": ("住房公积金", "50103", "住房公积金"),
    "30201": ("办公费", "50201", "办公经费"), "30202": ("印刷费", "50201", "办公经费"),
    "30205": ("水费", "50201", "办公经费"), "30206": ("电费", "50201", "办公经费"),
    "30207": ("邮电费", "50201", "办公经费"), "30209": ("物业管理费", "50201", "办公经费"),
    "30211": ("差旅费", "50201", "办公经费"), "30212": ("因公出国(境)费用", "50207", "因公出国(境)费用"),
    "30213": ("维修(护)费", "50209", "维修(护)费"), "30215": ("会议费", "50202", "会议费"),
    "30216": ("培训费", "50203", "培训费"), "30217": ("公务接待费", "50206", "公务接待费"),
    "30218": ("专用材料费", "50204", "专用材料购置费"), "30226": ("劳务费", "50205", "委托业务费"),
    "30227": ("委托业务费", "50205", "委托业务费"), "30228": ("工会经费", "50201", "办公经费"),
    "30229": ("福利费", "50201", "办公经费"), "30231": ("公务用车运行维护费", "50208", "公务用车运行维护费"),
    "30239": ("其他交通费用", "50201", "办公经费"), "30299": ("其他商品和服务支出", "50299", "其他商品和服务支出"),
    "30302": ("退休费", "50905", "离退休费"), "30305": ("生活补助", "50901", "社会福利和救助"),
    "31002": ("办公设备购置", "50306", "设备购置"), "31003": ("专用设备购置", "50306", "设备购置"),
}
GOV_CLASS = {"501": "机关工资福利支出", "502": "机关商品和服务支出", "503": "机关资本性支出（一）",
             "509": "对个人和家庭的补助"}
BASIC_PUBLIC = ["30201", "30205", "30206", "30207", "30209", "30211", "30213", "30215", "30216", "30217",
                "30228", "30229", "30231", "30239", "30299"]
PROJECT_ITEMS = ["30202", "30211", "30226", "30227", "30218", "31002", "31003", "30216"]
# economic class -> column of the 基本支出 block (工资福利, 对个人和家庭, 商品服务, 资本性)
BASIC_COL = {"301": 0, "303": 1, "302": 2, "310": 3}
PROJECT_TYPES = ["社会事业和经济发展项目", "债务项目", "基本建设项目", "其他项目"]
# procurement catalogue entries by the economic item that pays for them: (name, unit, unit price 元)
PURCHASES = {
    "31002": [("台式计算机", "台", 5200), ("打印设备", "台", 2400), ("投影仪", "台", 9800), ("便携式计算机", "台", 7600),
              ("复印机", "台", 18500), ("碎纸机", "台", 1500)],
    "31003": [("数据采集终端", "台", 3800), ("移动执法终端", "台", 4300), ("专用检测仪", "台", 26000)],
    "30227": [("信息系统运维服务", "项", 0), ("第三方评估服务", "项", 0), ("宣传推广服务", "项", 0)],
}
FUNC_FIXED = {  # 项 code -> (类, 类 name, 款, 款 name, 项 name)
    "2080501": ("208", "社会保障和就业支出", "20805", "行政事业单位养老支出", "行政单位离退休"),
    "2080505": ("208", "社会保障和就业支出", "20805", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"),
    "2080506": ("208", "社会保障和就业支出", "20805", "行政事业单位养老支出", "机关事业单位职业年金缴费支出"),
    "2101101": ("210", "卫生健康支出", "21011", "行政事业单位医疗", "行政单位医疗"),
    "2210201": ("221", "住房保障支出", "22102", "住房改革支出", "住房公积金"),
    "2050803": ("205", "教育支出", "20508", "进修及培训", "培训支出"),
}


def rnd(rng: random.Random, low: int, high: int, step: int = 1) -> int:
    return rng.randrange(low // step, high // step + 1) * step


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def yuan(n: int) -> str:
    return f"{n:,}"


def wan_dec(n: int) -> Decimal:
    return (Decimal(n) / WAN).quantize(CENT, ROUND_HALF_UP)


def wan(n: int) -> str:
    return "0" if n == 0 else f"{wan_dec(n)}"


def pct(part: int | Decimal, whole: int | Decimal, truncate: bool = False) -> str:
    value = Decimal(part) * 100 / Decimal(whole)
    return f"{value.quantize(CENT, ROUND_DOWN if truncate else ROUND_HALF_UP)}%"


def one(x: Decimal) -> Decimal:
    return x.quantize(TENTH, ROUND_HALF_UP)


def fmt_score(x: Decimal) -> str:
    text = f"{one(x)}"
    return text[:-2] if text.endswith(".0") else text


def digit_swap(text: str, rng: random.Random) -> str | None:
    """Swap two adjacent different digits (keeps separators); None when impossible."""
    spots = [i for i in range(len(text) - 1) if text[i].isdigit() and text[i + 1].isdigit() and text[i] != text[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def drop_digit(text: str, rng: random.Random) -> str | None:
    """Drop one digit of a 元 amount and regroup the thousands separators."""
    digits = text.replace(",", "")
    if len(digits) < 4 or not digits.isdigit():
        return None
    i = rng.randrange(1, len(digits))
    return yuan(int(digits[:i] + digits[i + 1:]))


# ----------------------------------------------------------------------------------------------
# text with marked spans


@dataclass
class Mark:
    line: int  # 0-based index into Text.lines
    start: int
    end: int


@dataclass
class Text:
    """Lines of a document, with named spans so that an anomaly can rewrite one printed value."""

    lines: list[str] = field(default_factory=list)
    marks: dict[str, Mark] = field(default_factory=dict)

    def add(self, text: str = "") -> int:
        self.lines.append(text)
        return len(self.lines)

    def gap(self, text: str) -> int:
        """A paragraph followed by a blank line (the PDF-extraction rhythm of the seeds)."""
        n = self.add(text)
        self.add()
        return n

    def row(self, cells: list[str], keys: dict[int, str] | None = None) -> int:
        n = self.add("\t".join(cells))
        offset = 0
        for i, cell in enumerate(cells):
            if keys and i in keys:
                self.marks[keys[i]] = Mark(n - 1, offset, offset + len(cell))
            offset += len(cell) + 1
        return n

    def para(self, *parts: str | tuple[str, str], blank: bool = True) -> int:
        """A prose line from plain pieces and (key, text) pieces whose spans are marked."""
        text = ""
        spans: list[tuple[str, int, int]] = []
        for part in parts:
            if isinstance(part, tuple):
                spans.append((part[0], len(text), len(text) + len(part[1])))
                text += part[1]
            else:
                text += part
        n = self.add(text)
        for key, start, end in spans:
            self.marks[key] = Mark(n - 1, start, end)
        if blank:
            self.add()
        return n

    def get(self, key: str) -> str:
        m = self.marks[key]
        return self.lines[m.line][m.start:m.end]

    def line(self, key: str) -> int:
        return self.marks[key].line + 1

    def set(self, key: str, new: str) -> None:
        m = self.marks[key]
        old = self.lines[m.line]
        self.lines[m.line] = old[:m.start] + new + old[m.end:]
        delta = len(new) - (m.end - m.start)
        for other in self.marks.values():
            if other.line == m.line and other.start >= m.end and other is not m:
                other.start += delta
                other.end += delta
        m.end += delta

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Label:
    family: str
    rule: str
    line: int
    printed: str
    correct: str
    kind: str
    also: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"family": self.family, "rule": self.rule, "line": self.line, "printed": self.printed,
                "correct": self.correct, "kind": self.kind, "also": self.also}


class Skip(Exception):
    """This anomaly cannot be planted in this document (e.g. no digits to swap)."""


# ----------------------------------------------------------------------------------------------
# budget model


@dataclass
class Project:
    name: str
    func: str  # 7-digit function code
    ptype: int  # index into PROJECT_TYPES
    items: dict[str, int]  # economic code -> 元
    lines: dict[str, list[tuple[str, str, int, int]]] = field(default_factory=dict)  # purchases by econ code
    prior: int = 0
    leader: str = ""
    contact: str = ""
    theme: str = ""

    @property
    def total(self) -> int:
        return sum(self.items.values())


@dataclass
class Budget:
    year: int
    city: str
    dept: str
    kuan: str
    kuan_name: str
    other_name: str
    unit_code: str
    staff: int
    retired: int
    basic: dict[str, int]  # econ code -> basic amount
    projects: list[Project]
    prior_basic: int
    prior_project: int
    sangong_prior: dict[str, int]
    running_prior: int

    @property
    def org(self) -> str:
        return self.city + self.dept

    @property
    def unit(self) -> str:
        return self.org + "机关"

    def project_items(self) -> dict[str, list[int]]:
        """econ code -> amounts by project type."""
        out: dict[str, list[int]] = {}
        for p in self.projects:
            for code, amount in p.items.items():
                out.setdefault(code, [0, 0, 0, 0])[p.ptype] += amount
        return out

    def func_names(self) -> dict[str, tuple[str, str, str, str, str]]:
        lei = self.kuan[:3]
        names = dict(FUNC_FIXED)
        base = (lei, "一般公共服务支出", self.kuan, self.kuan_name)
        names[self.kuan + "01"] = (*base, "行政运行")
        names[self.kuan + "02"] = (*base, "一般行政管理事务")
        names[self.kuan + "99"] = (*base, self.other_name)
        return names

    def func_rows(self) -> dict[str, list[int]]:
        """项 code -> [工资, 个人, 商品, 资本, 项目 by type ×4] (basic spread as DOMAIN §2.3 cross-links)."""
        rows: dict[str, list[int]] = {}

        def put(code: str, col: int, amount: int) -> None:
            if amount:
                rows.setdefault(code, [0] * 8)[col] += amount

        b = self.basic
        run = self.kuan + "01"
        for code in ("30101", "30102", "30103", "30112"):
            put(run, 0, b.get(code, 0))
        put("2080505", 0, b.get("30108", 0))
        put("2080506", 0, b.get("30109", 0))
        put("2101101", 0, b.get("30110", 0))
        put("2210201", 0, b.get("30113", 0))
        put("2080501", 1, b.get("30302", 0))
        put(run, 1, b.get("30305", 0))
        for code in BASIC_PUBLIC:
            put(run, 2, b.get(code, 0))
        put(run, 3, b.get("31002", 0))
        for p in self.projects:
            put(p.func, 4 + p.ptype, p.total)
        return dict(sorted(rows.items()))

    @property
    def basic_total(self) -> int:
        return sum(self.basic.values())

    @property
    def project_total(self) -> int:
        return sum(p.total for p in self.projects)

    @property
    def total(self) -> int:
        return self.basic_total + self.project_total

    def class_sum(self, prefix: str, basic_only: bool = True) -> int:
        out = sum(v for k, v in self.basic.items() if k.startswith(prefix))
        if not basic_only:
            out += sum(v for p in self.projects for k, v in p.items.items() if k.startswith(prefix))
        return out

    def econ_total(self, code: str) -> int:
        return self.basic.get(code, 0) + sum(p.items.get(code, 0) for p in self.projects)

    def sangong(self) -> dict[str, int]:
        return {"abroad": self.econ_total("30212"), "reception": self.econ_total("30217"),
                "car_run": self.econ_total("30231"), "car_buy": 0}

    @property
    def personnel(self) -> int:
        return self.class_sum("301") + self.class_sum("303")

    @property
    def public(self) -> int:
        return self.class_sum("302") + self.class_sum("310")


def make_budget(rng: random.Random, rows: int | None) -> Budget:
    year = rng.choice([2021, 2022, 2023, 2024, 2025])
    dept, kuan, kuan_name, other, themes = rng.choice(DEPARTMENTS)
    city = rng.choice(CITIES)
    staff = rng.randint(18, 140)
    retired = rng.randint(4, staff // 2 + 5)
    wage = staff * rnd(rng, 52000, 76000, 10)
    basic = {
        "30101": wage, "30102": staff * rnd(rng, 60000, 90000, 10), "30103": staff * rnd(rng, 4000, 8000, 10),
    }
    base = basic["30101"] + basic["30102"] + basic["30103"]
    basic["30108"] = base * 16 // 100
    basic["30109"] = base * 8 // 100
    basic["30110"] = base * rng.randint(80, 100) // 1000
    basic["30112"] = base * rng.randint(4, 9) // 1000
    basic["30113"] = base * 12 // 100
    basic["30302"] = retired * rnd(rng, 18000, 30000, 10)
    if rng.random() < 0.6:
        basic["30305"] = retired * rnd(rng, 500, 1200, 10)
    for code in BASIC_PUBLIC:
        if code in ("30231",):
            basic[code] = rnd(rng, 40000, 260000, 1000)
        elif code == "30217":
            basic[code] = rnd(rng, 10000, 80000, 1000)
        elif rng.random() < 0.85:
            basic[code] = staff * rnd(rng, 300, 9000, 100)
    if rng.random() < 0.7:
        basic["31002"] = rnd(rng, 20000, 200000, 500)

    n_projects = rng.randint(2, 5) if rows is None else max(2, min(rows // 45, 400))
    lines_per_purchase = 1 if rows is None else max(1, (rows - 110 - 22 * n_projects) // max(1, n_projects * 2))
    projects: list[Project] = []
    used: set[str] = set()
    for i in range(n_projects):
        theme = themes[i % len(themes)] if i < len(themes) else themes[i % len(themes)] + f"{i // len(themes) + 1}期"
        name = theme + rng.choice(PROJECT_SUFFIX)
        while name in used:
            name = theme + rng.choice(PROJECT_SUFFIX) + f"（{len(used) + 1}）"
        used.add(name)
        func = rng.choice([kuan + "02", kuan + "02", kuan + "99", "2050803"])
        ptype = 0 if rng.random() < 0.75 else 3
        picks = rng.sample(PROJECT_ITEMS, rng.randint(2, 4))
        if i == 0 and rng.random() < 0.6:
            picks.append("30212")
        items: dict[str, int] = {}
        purchases: dict[str, list[tuple[str, str, int, int]]] = {}
        for code in picks:
            if code in PURCHASES:
                lines: list[tuple[str, str, int, int]] = []
                for _ in range(lines_per_purchase if code != "30227" else max(1, lines_per_purchase // 4)):
                    what, unit, price = rng.choice(PURCHASES[code])
                    if price == 0:
                        qty, price = 1, rnd(rng, 100000, 900000, 1000)
                    else:
                        qty = rng.randint(1, 40)
                    lines.append((what, unit, qty, price))
                purchases[code] = lines
                items[code] = sum(q * p for _, _, q, p in lines)
            elif code == "30212":
                items[code] = rnd(rng, 60000, 240000, 1000)
            else:
                items[code] = rnd(rng, 20000, 600000, 1000)
        total = sum(items.values())
        prior = 0 if rng.random() < 0.2 else rnd(rng, total * 8 // 10, total * 12 // 10, 1000)
        projects.append(Project(name, func, ptype, items, purchases, prior, person(rng), person(rng), theme))
    b = Budget(year, city, dept, kuan, kuan_name, other, f"{rng.randint(100, 699):03d}{rng.randint(1, 9):03d}",
               staff, retired, basic, projects, 0, 0, {}, 0)
    b.prior_basic = b.basic_total - rnd(rng, -b.basic_total // 12, b.basic_total // 10, 100)
    b.prior_project = max(10000, b.project_total - rnd(rng, -b.project_total // 6, b.project_total // 5, 100))
    sg = b.sangong()
    b.sangong_prior = {k: (0 if v == 0 and rng.random() < 0.5 else max(0, v + rnd(rng, -20000, 30000, 1000)))
                       for k, v in sg.items()}
    b.sangong_prior["car_buy"] = 0
    b.running_prior = b.public + rnd(rng, -b.public // 10, b.public // 8, 100)
    return b


# ----------------------------------------------------------------------------------------------
# budget rendering


def change_phrase(t: Text, key: str, current: int, prior: int, subject: str = "比上年") -> list[str | tuple[str, str]]:
    """'比上年增加 A 万元，增长 p%' / '与上年持平' with marked amount, direction and rate."""
    if current == prior:
        return ["与上年持平"]
    diff = current - prior
    up = diff > 0
    parts: list[str | tuple[str, str]] = [subject, (f"{key}.dir", "增加" if up else "减少"), " ",
                                          (f"{key}.amount", wan(abs(diff))), " 万元"]
    if prior:
        parts += ["，", (f"{key}.dir2", "增长" if up else "下降"), " ", (f"{key}.pct", pct(abs(diff), prior))]
    return parts


def render_budget(b: Budget, rng: random.Random) -> Text:
    t = Text()
    y = b.year
    t.add()
    t.add()
    t.gap(f"{y} 年{b.org} 部门预算")
    t.gap("目 录")
    t.gap("第一部分 部门基本情况")
    t.gap(f"第二部分 {y} 年部门预算公开情况说明")
    t.gap("第三部分 名词解释")
    t.gap("第四部分 附表")
    t.add()
    t.gap("第 1 页 共 16 页")
    t.gap("第一部分 部门基本情况")
    t.gap("一、部门主要职责")
    duties = [f"（一）贯彻执行{b.kuan_name.removesuffix('事务')}工作的方针政策，拟订本市相关工作规划并组织实施。",
              "（二）负责本部门职责范围内的业务管理和监督检查，推进工作制度建设。",
              "（三）完成市委、市政府交办的其他任务。"]
    for i, duty in enumerate(duties):
        t.para(("duty" if i == 2 else f"duty{i}", duty))
    t.gap("二、人员构成情况")
    t.para(f"部门机关人员共有编制 {b.staff + rng.randint(0, 6)} 人；在职人员 {b.staff} 人，离退休人员 {b.retired} 人。")
    t.gap(f"第二部分 {y} 年部门预算公开情况说明")
    total, basic, proj = b.total, b.basic_total, b.project_total
    prior_total = b.prior_basic + b.prior_project
    t.gap("一、收支预算总体情况说明")
    t.para(f"{y} 年收入总计 ", ("p.total", wan(total)), " 万元，支出总计 ", ("p.total2", wan(total)),
           " 万元，与上年预算相比，收、支总计各", *change_phrase(t, "yoy.total", total, prior_total, ""),
           "。主要原因：业务工作任务调整，部分项目支出相应变化。")
    t.gap("二、收入预算说明")
    t.para(f"{y} 年收入预算 {wan(total)} 万元，其中：一般公共预算 {wan(total)} 万元（财政拨款 {wan(total)} 万元），"
           "政府性基金收入 0 万元，国有资本经营收入 0 万元。一般公共预算收入占收入预算的 100.00%。")
    t.gap("三、支出预算说明")
    t.para(f"{y} 年支出预算 {wan(total)} 万元，其中：基本支出 ", ("p.basic", wan(basic)), " 万元，占 ",
           ("share.basic", pct(basic, total)), "；项目支出 ", ("p.project", wan(proj)), " 万元，占 ",
           ("share.project", pct(proj, total)), "。")
    frows = b.func_rows()
    names = b.func_names()
    lei_amounts: dict[str, int] = {}
    for code, vals in frows.items():
        lei_amounts[code[:3]] = lei_amounts.get(code[:3], 0) + sum(vals)
    lei_names = {code[:3]: names[code][1] for code in frows}
    parts: list[str | tuple[str, str]] = ["（一）按功能科目分类，包括"]
    for i, (lei, amount) in enumerate(lei_amounts.items()):
        parts += ["、" if i else "", (f"func.{lei}.name", lei_names[lei]), " ", (f"func.{lei}", wan(amount)), " 万元"]
    t.para(*parts, "。")
    econ_basic = [("工资福利支出", b.class_sum("301")), ("商品和服务支出", b.class_sum("302")),
                  ("对个人和家庭的补助支出", b.class_sum("303")), ("资本性支出", b.class_sum("310"))]
    t.para(f"（二）按支出用途分类，包括基本支出 {wan(basic)} 万元，其中："
           + "，".join(f"{n} {wan(v)} 万元" for n, v in econ_basic) + f"；项目支出 {wan(proj)} 万元。")
    listed = b.projects[:8]
    if len(b.projects) <= 8:
        t.para("（三）主要项目：" + "、".join(f"{p.name} {wan(p.total)} 万元" for p in listed) + "。")
    t.gap("四、预算收支增减变化情况说明")
    t.gap("（一）财政拨款收入支出预算总体情况说明")
    t.para(f"{y} 年一般公共预算收支预算 {wan(total)} 万元，政府性基金收支预算 0 万元。与 {y - 1} 年预算相比，基本支出",
           *change_phrase(t, "yoy.basic", basic, b.prior_basic), "，主要原因是人员经费标准调整；项目支出",
           *change_phrase(t, "yoy.project", proj, b.prior_project), "，主要原因是项目安排变化。")
    t.gap("（二）一般公共预算支出预算情况说明")
    parts = [f"{y} 年一般公共预算支出预算 {wan(total)} 万元，主要用于以下方面："]
    for i, (lei, amount) in enumerate(lei_amounts.items()):
        parts += ["；" if i else "", f"{lei_names[lei]} ", (f"func2.{lei}", wan(amount)), " 万元，占 ",
                  (f"share.func.{lei}", pct(amount, total))]
    t.para(*parts, "。")
    t.gap("（三）一般公共预算基本支出预算情况说明")
    t.para(f"{y} 年一般公共预算基本支出预算 {wan(basic)} 万元，其中：人员经费 ", ("p.personnel", wan(b.personnel)),
           " 万元，主要包括基本工资、津贴补贴、奖金、社会保障缴费、住房公积金和退休费；公用经费 ",
           ("p.public", wan(b.public)), " 万元，主要包括办公费、水电费、差旅费、会议费、培训费和公务用车运行维护费。")
    t.add()
    t.gap("第 3 页 共 16 页")
    t.gap("（四）政府性基金支出预算情况说明")
    t.gap(f"{y} 年政府性基金支出预算 0 万元，本部门没有政府性基金收入，也没有使用政府性基金安排的支出。")
    t.gap("（五）“三公”经费支出预算情况说明")
    sg, sgp = b.sangong(), b.sangong_prior
    sg_total, sgp_total = sum(sg.values()), sum(sgp.values())
    t.para(f"{y} 年“三公”经费预算 ", ("sg.total", wan(sg_total)), " 万元，", *change_phrase(t, "yoy.sg", sg_total, sgp_total),
           "。其中：")
    items = [("abroad", "1. 因公出国（境）费 ", "主要原因是出访计划调整。"),
             ("car_run", "2. 公务用车购置费 0 万元；公务用车运行维护费 ", "主要原因是严控车辆使用。"),
             ("reception", "3. 公务接待费 ", "主要原因是严格执行接待标准。")]
    for key, lead, why in items:
        t.para(lead, (f"sg.{key}", wan(sg[key])), " 万元，", *change_phrase(t, f"yoy.sg.{key}", sg[key], sgp[key]),
               "，" + why if sg[key] != sgp[key] else "。")
    t.gap("五、机关运行经费安排情况说明")
    running = [(ECON[c][0], v) for c, v in sorted(b.basic.items()) if c[:3] in ("302", "310")]
    t.para(f"{y} 年机关运行经费安排 ", ("p.running", wan(b.public)), " 万元，主要用于保障机关正常办公运转，其中："
           + "、".join(f"{n} {wan(v)} 万元" for n, v in running) + "。",
           *change_phrase(t, "yoy.running", b.public, b.running_prior), "，主要原因是压减一般性支出。")
    t.gap("六、政府采购情况说明")
    goods = sum(q * p for pr in b.projects for c, ls in pr.lines.items() if c != "30227" for _, _, q, p in ls)
    service = sum(q * p for pr in b.projects for c, ls in pr.lines.items() if c == "30227" for _, _, q, p in ls)
    proc = goods + service
    reserved = proc * 40 // 100
    # A budget with no procurement has no reserved share to state (its percentage would be 0 / 0).
    reserved_phrase: list[str | tuple[str, str]] = (
        ["面向中小企业预留采购份额 ", wan(reserved), " 万元，占政府采购预算的 ", ("share.reserved", pct(reserved, proc)), "。"]
        if proc else ["无面向中小企业预留的采购份额。"])
    t.para(f"{y} 年政府采购预算 ", ("p.proc", wan(proc)), " 万元，其中：货物类 ", ("p.goods", wan(goods)),
           " 万元，工程类 0 万元，服务类 ", ("p.service", wan(service)), " 万元。", *reserved_phrase)
    t.gap("七、国有资产占用情况说明")
    t.para(f"截至 {y - 1} 年 12 月 31 日，本部门共有车辆 {rng.randint(1, 6)} 辆，单位价值 50 万元以上通用设备 0 台（套）。")
    t.gap("八、预算绩效目标等预算绩效情况说明")
    t.para(f"{y} 年本部门实行绩效目标管理的预算项目 {len(b.projects)} 个，涉及项目支出 ", ("p.project2", wan(proj)),
           " 万元，各项目均按要求编制了绩效目标，绩效目标表见附表。")
    t.gap("九、空表情况说明")
    t.gap("1. 政府性基金预算支出情况表。本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表为空表。")
    t.gap("2. 国有资本经营预算支出情况表。本部门没有国有资本经营预算收入，也没有使用国有资本经营预算安排的支出，故本表为空表。")
    t.gap("第三部分 名词解释")
    t.gap("一、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。")
    t.gap("二、项目支出：指在基本支出之外，为完成特定行政工作任务或事业发展目标而发生的支出。")
    t.add()
    t.gap("第 5 页 共 16 页")
    render_budget_tables(t, b, frows, names)
    for p in b.projects:
        render_henan_target(t, b, p, rng)
    t.add()
    t.gap("第 16 页 共 16 页")
    return t


HEAD_A = ["科目编码", "", "", "单位（科目名称）", "合计", "基本支出", "", "", "", "", "项目支出", "", "", "", ""]
HEAD_B = ["类", "款", "项", "", "", "小计", "工资福利支出", "对个人和家庭的补助支出", "商品服务支出", "资本性支出",
          "小计", *PROJECT_TYPES]


def spread(vals: list[int]) -> list[int]:
    """[合计, 基本小计, 4 basic, 项目小计, 4 project] from [4 basic, 4 project]."""
    basic, project = vals[:4], vals[4:]
    return [sum(vals), sum(basic), *basic, sum(project), *project]


def two_sided(t: Text, b: Budget, title: str, prefix: str, full: bool) -> None:
    y = b.year
    t.gap(f"{y}年{title}")
    t.gap("单位：元")
    t.row(["收入", "", "支出", ""])
    t.row(["项目", "金额", "项目", "金额"])
    ex = [b.class_sum("301"), b.class_sum("303"), b.class_sum("302"), b.class_sum("310")]
    ptypes = [sum(p.total for p in b.projects if p.ptype == k) for k in range(4)]
    left = [("一、一般公共预算", b.total), ("1、财政拨款", b.total), ("2、专项收入", None), ("3、行政事业性收费收入", None),
            ("4、国有资源资产有偿使用收入", None), ("5、其他一般公共预算收入", None), ("二、政府性基金预算", None),
            ("三、国有资本经营预算", None)]
    if full:
        left += [("四、财政专户管理的非税收入", None), ("五、其他各项收入", None), ("六、上级转移支付", None)]
    else:
        left += [("", None), ("", None)]
    right = [("一、基本支出", b.basic_total), ("1、工资福利支出", ex[0]), ("2、对个人和家庭的补助支出", ex[1]),
             ("3、商品服务支出", ex[2]), ("4、资本性支出", ex[3]), ("二、项目支出", b.project_total),
             *[(f"{k + 1}、{n}", ptypes[k] or None) for k, n in enumerate(PROJECT_TYPES)], ("", None)]
    for i, ((ln, lv), (rn, rv)) in enumerate(zip(left, right, strict=False)):
        if not ln and not rn:
            continue
        t.row([ln, yuan(lv) if lv else "", rn, yuan(rv) if rv else ""], {1: f"{prefix}.L{i}", 3: f"{prefix}.R{i}"})
    t.row(["本年收入合计", yuan(b.total), "本年支出合计", yuan(b.total)], {1: f"{prefix}.inc", 3: f"{prefix}.exp"})
    t.row(["上年结转", "", "结转下年", ""])
    t.row(["收入总计", yuan(b.total), "支出总计", yuan(b.total)], {1: f"{prefix}.inctot", 3: f"{prefix}.exptot"})
    t.add()


def render_budget_tables(t: Text, b: Budget, frows: dict[str, list[int]], names: dict[str, tuple[str, ...]]) -> None:
    y = b.year
    two_sided(t, b, "部门收支总体情况表", "t1", True)
    # T2 income
    t.gap(f"{y}年部门收入总体情况表")
    t.gap("单位：元")
    t.row(["科目编码", "", "", "单位（科目名称）", "合计", "一般公共预算", "", "政府性基金预算", "国有资本经营预算",
           "财政专户管理的非税收入", "其他各项收入", "上级转移支付"])
    t.row(["类", "款", "项", "", "", "小计", "其中：财政拨款", "", "", "", "", ""])
    tot = yuan(b.total)
    t.row(["", "", "", "合计", tot, tot, tot, "", "", "", "", ""], {4: "t2.total"})
    t.row(["", "", "", b.unit, tot, tot, tot, "", "", "", "", ""])
    for code, vals in frows.items():
        a = yuan(sum(vals))
        t.row([code[:3], code[3:5], code[5:], names[code][4], a, a, a, "", "", "", "", ""], {4: f"t2.{code}"})
    t.add()
    t.add()
    t.gap("第 6 页 共 16 页")
    # T3 expenditure
    t.gap(f"{y}年部门支出总体情况表")
    t.gap("单位：元")
    t.row(HEAD_A)
    t.row(HEAD_B)
    totals = [sum(col) for col in zip(*frows.values(), strict=True)]
    tot_cells = [yuan(v) for v in spread(totals)]
    t.row(["", "", "", "合计", *tot_cells], {4 + i: f"t3.total.{i}" for i in range(11)})
    t.row(["", "", "", b.unit, *tot_cells], {4 + i: f"t3.unit.{i}" for i in range(11)})
    for code, vals in frows.items():
        t.row([code[:3], code[3:5], code[5:], names[code][4], *[yuan(v) for v in spread(vals)]],
              {4 + i: f"t3.{code}.{i}" for i in range(11)})
    t.add()
    two_sided(t, b, "财政拨款收支总体情况表", "t4", False)
    t.add()
    t.gap("第 7 页 共 16 页")
    # T5 by function with 类/款/项 rows
    t.gap(f"{y}年一般公共预算支出情况表")
    t.gap("单位：元")
    t.row(HEAD_A)
    t.row(HEAD_B)
    t.row(["", "", "", "合计", *tot_cells], {4 + i: f"t5.total.{i}" for i in range(11)})
    t.row(["", "", "", b.unit, *tot_cells])
    by_lei: dict[str, dict[str, list[str]]] = {}
    for code in frows:
        by_lei.setdefault(code[:3], {}).setdefault(code[:5], []).append(code)
    for lei, kuans in by_lei.items():
        lei_vals = [sum(col) for col in zip(*(frows[c] for ks in kuans.values() for c in ks), strict=True)]
        t.row([lei, "", "", names[next(iter(kuans.values()))[0]][1], *[yuan(v) for v in spread(lei_vals)]],
              {4 + i: f"t5.{lei}.{i}" for i in range(11)})
        for kuan, codes in kuans.items():
            kvals = [sum(col) for col in zip(*(frows[c] for c in codes), strict=True)]
            t.row([lei, kuan[3:], "", names[codes[0]][3], *[yuan(v) for v in spread(kvals)]],
                  {4 + i: f"t5.{kuan}.{i}" for i in range(11)})
            for code in codes:
                t.row([lei, kuan[3:], code[5:], names[code][4], *[yuan(v) for v in spread(frows[code])]],
                      {3: f"t5.{code}.name", **{4 + i: f"t5.{code}.{i}" for i in range(11)}})
    t.add()
    # T5b by the two economic classifications
    t.gap(f"{y}年一般公共预算支出情况表")
    t.gap("单位：元")
    t.row(["部门预算经济分类", "", "", "政府预算经济分类", "", "", "合计", "基本支出", "", "", "", "", "项目支出", "", "", "", ""])
    t.row(["类", "款", "科目名称", "类", "款", "科目名称", "", *HEAD_B[5:]])
    t.row(["", "", "", "", "", "合计", *tot_cells], {6 + i: f"t5b.total.{i}" for i in range(11)})
    pitems = b.project_items()
    for code in sorted(set(b.basic) | set(pitems)):
        name, gov, gov_name = ECON[code]
        vals = [0] * 8
        vals[BASIC_COL[code[:3]]] = b.basic.get(code, 0)
        vals[4:] = pitems.get(code, [0, 0, 0, 0])
        suffix = "_行政" if gov[:3] in ("501", "502", "503") else ""
        t.row([code[:3], code[3:], name, gov[:3], gov[3:], gov_name + suffix, *[yuan(v) for v in spread(vals)]],
              {6 + i: f"t5b.{code}.{i}" for i in range(11)})
    t.add()
    t.add()
    t.gap("第 8 页 共 16 页")
    # T6 basic
    t.gap(f"{y} 年一般公共预算基本支出情况表")
    t.gap("单位：元")
    t.row(["部门预算经济分类", "", "", "一般公共预算", ""])
    t.row(["类", "款", "科目名称", "小计", "其中：财政拨款"])
    bt = yuan(b.basic_total)
    t.row(["", "", "合计", bt, bt], {3: "t6.total.0", 4: "t6.total.1"})
    for code, amount in sorted(b.basic.items()):
        t.row([code[:3], code[3:], ECON[code][0], yuan(amount), yuan(amount)], {3: f"t6.{code}.0", 4: f"t6.{code}.1"})
    t.add()
    # T7 三公
    sg, sgp = b.sangong(), b.sangong_prior
    t.gap(f"{y} 年一般公共预算“三公”经费支出情况表")
    t.gap("单位：元")
    t.row(["项 目", f"{y - 1}年预算数", f"{y}年预算数"])
    t.row(["合 计", yuan(sum(sgp.values())), yuan(sum(sg.values()))], {1: "t7.total.0", 2: "t7.total.1"})
    t.row(["1、因公出国（境）费用", yuan(sgp["abroad"]), yuan(sg["abroad"])], {1: "t7.abroad.0", 2: "t7.abroad.1"})
    t.row(["2、公务接待费", yuan(sgp["reception"]), yuan(sg["reception"])], {1: "t7.reception.0", 2: "t7.reception.1"})
    car_p, car = sgp["car_run"] + sgp["car_buy"], sg["car_run"] + sg["car_buy"]
    t.row(["3、公务用车购置及运行费", yuan(car_p), yuan(car)], {1: "t7.car.0", 2: "t7.car.1"})
    t.row(["其中：（1）公务用车运行维护费", yuan(sgp["car_run"]), yuan(sg["car_run"])], {1: "t7.run.0", 2: "t7.run.1"})
    t.row(["（2）公务用车购置费", "0", "0"])
    t.add()
    t.gap("注：“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。")
    for title, what in (("政府性基金预算支出情况表", "政府性基金"), ("国有资本经营预算支出情况表", "国有资本经营预算")):
        t.gap(f"{y} 年{title}")
        t.gap("单位：元")
        t.row(HEAD_A)
        t.row(HEAD_B)
        t.add()
        t.gap(f"备注：本部门没有{what}收入，也没有使用{what}安排的支出，故本表无数据。")
    t.add()
    t.gap("第 10 页 共 16 页")
    # 政府采购
    t.gap(f"{y} 年政府采购预算表")
    t.gap("单位:元")
    t.row(["项 目", "", "", "单位名称", "采购项目", "采购目录", "规格", "计量单位", "采购数量", "金额"])
    t.row(["科目代码", "", "", "", "", "", "", "", "", ""])
    t.row(["类", "款", "项", "", "", "", "", "", "", ""])
    plines = [(p, code, ln) for p in b.projects for code, lns in p.lines.items() for ln in lns]
    qty = sum(ln[2] for _, _, ln in plines)
    amount = sum(ln[2] * ln[3] for _, _, ln in plines)
    t.row(["", "", "", "合计", "", "", "", "", str(qty), yuan(amount)], {8: "t8.qty", 9: "t8.total"})
    for k, (p, code, (what, unit, q, price)) in enumerate(plines):
        t.row([p.func[:3], p.func[3:5], p.func[5:], b.unit, ECON[code][0], what, "", unit, str(q), yuan(q * price)],
              {9: f"t8.line{k}"})
    t.add()
    t.add()
    t.gap("第 11 页 共 16 页")


def render_henan_target(t: Text, b: Budget, p: Project, rng: random.Random, indicators=None) -> None:
    """预算项目绩效目标表 in the Henan tab layout (seeds 000/001), amounts in 元 with 2 decimals."""
    y = b.year
    t.gap(f"{b.unit}预算项目绩效目标表")
    t.gap(f"({y}年)")
    t.row(["项目名称", p.name, "", ""])
    t.row(["单位编码", b.unit_code, "资金用途", "业务类"])
    t.row(["项目负责人", p.leader, "联系人", p.contact])
    t.row(["开始时间", f"{y}-01-01", "结束时间", f"{y}-12-31"])
    t.row(["项目总金额", f"{p.total}.00", "项目本年度金额", f"{p.total}.00"])
    t.row(["上年度项目总金额", f"{p.prior}.00", "项目上年度金额", f"{p.prior}.00"])
    t.row(["项目概况", f"围绕{p.theme}工作开展相关业务，保障年度任务按计划完成。", "", ""])
    t.row(["项目构成", "", "", ""])
    t.row(["经济科目名称", "预算金额（元）", "", ""])
    for code, amount in p.items.items():
        t.row([ECON[code][0], f"{amount}.00", "", ""])
    t.row(["备注", "", "", ""])
    t.add()
    t.row(["项目绩效目标", "", "", ""])
    t.row(["年度绩效目标", f"按计划完成{p.theme}年度任务，服务对象满意度不低于90%。", "", ""])
    t.row(["一级指标", "二级指标", "三级指标", "目标值"])
    rows = indicators if indicators is not None else henan_indicators(p, y, rng)
    last = ("", "")
    for i, (lv1, lv2, name, value) in enumerate(rows):
        shown1 = lv1 if lv1 != last[0] else ""
        shown2 = lv2 if (lv1, lv2) != last else ""
        t.row([shown1, shown2, name, value], {2: f"ind.{p.name}.{i}", 3: f"indv.{p.name}.{i}"})
        last = (lv1, lv2)
    t.add()


def henan_indicators(p: Project, y: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    cost = wan_dec(p.total)
    return [
        ("投入与目标管理", "投入管理", "预算执行率", "=100%"),
        ("投入与目标管理", "财务管理", "资金使用规范性", "合规"),
        ("产出目标", "数量", f"{p.theme}任务完成数", f"≥{rng.randint(4, 40)}项"),
        ("产出目标", "数量", f"{p.theme}覆盖单位数", f"≥{rng.randint(5, 60)}个"),
        ("产出目标", "质量", f"{p.theme}成果验收合格率", "=100%"),
        ("产出目标", "时效", "任务完成时间", f"{y}年{rng.randint(10, 12)}月底前"),
        ("产出目标", "成本", "项目总成本", f"≤{cost.normalize():f}万元"),
        ("效果目标", "社会效益", f"{p.theme}工作规范化水平", "明显提升"),
        ("效果目标", "满意度", "服务对象满意度", f"≥{rng.choice([85, 90, 95])}%"),
        ("影响力目标", "长效管理", f"{p.theme}管理制度", "健全"),
    ]


# ----------------------------------------------------------------------------------------------
# budget anomalies (text level: rewrite one printed value)


def _t3_cell(t: Text, b: Budget, rng: random.Random, cols: tuple[int, ...]) -> tuple[str, str, int]:
    frows = b.func_rows()
    cands = [(code, c) for code in frows for c in cols if t.get(f"t3.{code}.{c}") not in ("0", "")
             and len(t.get(f"t3.{code}.{c}")) >= 5]
    if not cands:
        raise Skip
    code, col = rng.choice(cands)
    return code, f"t3.{code}.{col}", col


def a_digit_swap(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    code, key, col = _t3_cell(t, b, rng, (2, 3, 4, 5, 7, 10))
    old = t.get(key)
    new = digit_swap(old, rng)
    if new is None:
        raise Skip
    t.set(key, new)
    return [Label("total", "total.row_sum", t.line(key), new, old, "digit_swap",
                  [{"rule": "total.column_sum", "line": t.line(f"t3.total.{col}")},
                   {"rule": "total.column_sum", "line": t.line(f"t3.unit.{col}")},
                   {"rule": "crosstable.same_quantity", "line": t.line(f"t5.{code}.{col}")}])]


def a_dropped_digit(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    code, key, col = _t3_cell(t, b, rng, (2, 4, 5, 7))
    old = t.get(key)
    new = drop_digit(old, rng)
    if new is None:
        raise Skip
    t.set(key, new)
    return [Label("total", "total.row_sum", t.line(key), new, old, "dropped_digit",
                  [{"rule": "total.column_sum", "line": t.line(f"t3.total.{col}")},
                   {"rule": "crosstable.same_quantity", "line": t.line(f"t5.{code}.{col}")}])]


def a_wrong_column(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """Money printed one column to the right (工资福利 -> 对个人和家庭): the row still adds up."""
    frows = b.func_rows()
    cands = [c for c, v in frows.items() if v[0] and not v[1]]
    if not cands:
        raise Skip
    code = rng.choice(cands)
    old = t.get(f"t3.{code}.2")
    t.set(f"t3.{code}.2", "0")
    t.set(f"t3.{code}.3", old)
    return [Label("total", "total.column_sum", t.line(f"t3.{code}.3"), old, "0", "wrong_column",
                  [{"rule": "total.column_sum", "line": t.line("t3.total.2")},
                   {"rule": "total.column_sum", "line": t.line("t3.total.3")},
                   {"rule": "crosstable.same_quantity", "line": t.line(f"t5.{code}.3")},
                   {"rule": "crosstable.classification", "line": t.line(f"t3.{code}.3")}])]


def a_rollup(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """A 款 row printed consistently across its columns but different from the sum of its 项."""
    frows = b.func_rows()
    kuans = {}
    for code, vals in frows.items():
        kuans.setdefault(code[:5], []).append(vals)
    cands = [k for k, rows in kuans.items() if len(rows) >= 2 and sum(1 for v in spread(
        [sum(c) for c in zip(*rows, strict=True)]) if v) == 3]
    if not cands:
        raise Skip
    kuan = rng.choice(cands)
    old = t.get(f"t5.{kuan}.0")
    new = digit_swap(old, rng)
    if new is None:
        raise Skip
    for i in range(11):
        if t.get(f"t5.{kuan}.{i}") == old:
            t.set(f"t5.{kuan}.{i}", new)
    return [Label("total", "total.code_rollup", t.line(f"t5.{kuan}.0"), new, old, "rollup", [])]


def a_sangong(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """The vehicle subtotal of the prior-year 三公 column below its own 其中 item (digit swap)."""
    key = "t7.car.0"
    old = t.get(key)
    new = digit_swap(old, rng)
    if new is None or int(new.replace(",", "")) >= int(old.replace(",", "")):
        raise Skip
    t.set(key, new)
    return [Label("total", "total.subitem_exceeds", t.line(key), new, old, "sangong_subtotal",
                  [{"rule": "total.column_sum", "line": t.line("t7.total.0")},
                   {"rule": "total.column_sum", "line": t.line(key)}])]


def a_crosstable(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """A 基本支出表 row and its total both moved by the same amount: the table adds up, the tables disagree."""
    code = rng.choice([c for c in sorted(b.basic) if b.basic[c] >= 10000])
    delta = rng.choice([1000, 9000, 10000, 90000])
    new = yuan(b.basic[code] + delta)
    old = t.get(f"t6.{code}.0")
    for col in (0, 1):
        t.set(f"t6.{code}.{col}", new)
        t.set(f"t6.total.{col}", yuan(b.basic_total + delta))
    return [Label("crosstable", "crosstable.same_quantity", t.line(f"t6.{code}.0"), new, old, "crosstable",
                  [{"rule": "crosstable.same_quantity", "line": t.line("t6.total.0")}])]


def a_code_name(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    swaps = [("2080505", "2080506"), ("2101101", "2210201")]
    code, other = rng.choice(swaps)
    key = f"t5.{code}.name"
    old = t.get(key)
    new = b.func_names()[other][4]
    t.set(key, new)
    return [Label("crosstable", "crosstable.code_name", t.line(key), new, old, "code_name", [])]


def a_narrative_amount(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    keys = [k for k in t.marks if k.startswith("func.") and not k.endswith(".name")]
    key = rng.choice(keys)
    old = t.get(key)
    new = digit_swap(old, rng)
    if new is None:
        raise Skip
    t.set(key, new)
    return [Label("narrative", "narrative.amount", t.line(key), new, old, "prose_amount",
                  [{"rule": "narrative.arithmetic", "line": t.line(key)}])]


def a_narrative_label(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """The prose names a 类 by one of its 项 while quoting the 类 amount."""
    frows = b.func_rows()
    names = b.func_names()
    leis = sorted({c[:3] for c in frows})
    rng.shuffle(leis)
    for lei in leis:
        codes = [c for c in frows if c[:3] == lei]
        if len(codes) >= 2:
            key = f"func.{lei}.name"
            old = t.get(key)
            new = names[codes[0]][4]
            t.set(key, new)
            return [Label("narrative", "narrative.label", t.line(key), new, old, "wrong_level_label", [])]
    raise Skip


def a_share(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    keys = [k for k in t.marks if k.startswith("share.func.") or k in ("share.basic", "share.project")]
    key = rng.choice(keys)
    old = t.get(key)
    new = digit_swap(old, rng)
    if new is None:
        raise Skip
    t.set(key, new)
    return [Label("rate", "rate.recompute", t.line(key), new, old, "share", [
        {"rule": "rate.change", "line": t.line(key)}])]


def a_yoy(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    keys = [k for k in t.marks if k.startswith("yoy.") and k.endswith(".pct")]
    if not keys:
        raise Skip
    key = rng.choice(keys)
    old = t.get(key)
    new = digit_swap(old, rng)
    if new is None:
        raise Skip
    t.set(key, new)
    return [Label("rate", "rate.change", t.line(key), new, old, "yoy_rate", [])]


def a_direction(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    keys = [k for k in t.marks if k.startswith("yoy.") and k.endswith(".dir")]
    if not keys:
        raise Skip
    key = rng.choice(keys)
    old = t.get(key)
    new = "减少" if old == "增加" else "增加"
    t.set(key, new)
    return [Label("rate", "rate.change", t.line(key), new, old, "direction_word", [
        {"rule": "narrative.amount", "line": t.line(key)}])]


def a_truncated(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    """A share printed truncated instead of rounded (an info remark, not an error)."""
    total = b.total
    frows = b.func_rows()
    lei_amounts: dict[str, int] = {}
    for code, vals in frows.items():
        lei_amounts[code[:3]] = lei_amounts.get(code[:3], 0) + sum(vals)
    cands = [lei for lei, a in lei_amounts.items() if pct(a, total) != pct(a, total, truncate=True)]
    if not cands:
        raise Skip
    lei = rng.choice(cands)
    key = f"share.func.{lei}"
    old = t.get(key)
    new = pct(lei_amounts[lei], total, truncate=True)
    t.set(key, new)
    return [Label("rate", "rate.rounding", t.line(key), new, old, "truncated_rate", [])]


def a_repeated(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    keys = [k for k in t.marks if k.startswith("yoy.") and k.endswith(".dir")]
    if not keys:
        raise Skip
    key = rng.choice(keys)
    old = t.get(key)
    t.set(key, old + old)
    return [Label("text", "text.repeated_word", t.line(key), old + old, old, "repeated_word", [])]


def a_residue(t: Text, b: Budget, rng: random.Random) -> list[Label]:
    old = t.get("duty")
    new = rng.choice(["（三）完成XX交办的其他任务。", "（三）待填写。", "（三）负责{单位}交办的其他任务。"])
    t.set("duty", new)
    return [Label("text", "text.template_residue", t.line("duty"), new, old, "template_residue", [])]


BUDGET_ANOMALIES: dict[str, Callable[[Text, Budget, random.Random], list[Label]]] = {
    "digit_swap": a_digit_swap, "dropped_digit": a_dropped_digit, "wrong_column": a_wrong_column,
    "rollup": a_rollup, "sangong_subtotal": a_sangong, "crosstable": a_crosstable, "code_name": a_code_name,
    "prose_amount": a_narrative_amount, "wrong_level_label": a_narrative_label, "share": a_share,
    "yoy_rate": a_yoy, "direction_word": a_direction, "truncated_rate": a_truncated,
    "repeated_word": a_repeated, "template_residue": a_residue,
}


# ----------------------------------------------------------------------------------------------
# self-evaluation (seed 003 layout)


@dataclass
class Ind:
    lv1: str
    lv2: str
    name: str
    op: str  # ≥ ≤ = or "" (qualitative / date)
    target: Decimal | str
    unit: str
    actual: Decimal | str
    weight: int
    score: Decimal = Decimal(0)
    reason: str = ""

    def target_text(self) -> str:
        if isinstance(self.target, str):
            return self.target
        return f"{self.op}{self.target.normalize():f}{self.unit}"

    def actual_text(self) -> str:
        if isinstance(self.actual, str):
            return self.actual
        return f"{self.actual.normalize():f}{self.unit}"

    def met(self) -> bool:
        if isinstance(self.target, str) or isinstance(self.actual, str):
            return True
        if self.op == "≥":
            return self.actual >= self.target
        if self.op == "≤":
            return self.actual <= self.target
        return self.actual == self.target

    def fair(self) -> Decimal:
        """Full weight when met, else the proportional rule (DOMAIN §4.1)."""
        if self.met():
            return Decimal(self.weight)
        assert isinstance(self.actual, Decimal) and isinstance(self.target, Decimal)
        ratio = self.actual / self.target if self.op != "≤" else self.target / self.actual
        # rounded down: a missed target never rounds up to full marks
        return (Decimal(self.weight) * min(Decimal(1), ratio)).quantize(TENTH, ROUND_DOWN)


@dataclass
class SelfEval:
    year: int
    org: str
    project: str
    theme: str
    budget: int  # 元, multiple of 100 (2-decimal 万元)
    spent: int
    inds: list[Ind]
    claim_override: str | None = None
    year_slip: bool = False
    residue: str | None = None
    repeated: bool = False
    rate_text: str | None = None

    def exec_score(self) -> Decimal:
        return one(Decimal(10) * min(Decimal(1), Decimal(self.spent) / Decimal(self.budget)))

    def total(self) -> Decimal:
        return self.exec_score() + sum((i.score for i in self.inds), Decimal(0))


def make_self_eval(rng: random.Random) -> SelfEval:
    year = rng.choice([2021, 2022, 2023, 2024])
    dept, _, _, _, themes = rng.choice(DEPARTMENTS)
    theme = rng.choice(themes)
    org = rng.choice(CITIES) + dept
    budget = rnd(rng, 200000, 3000000, 100)
    spent = budget if rng.random() < 0.6 else budget - rnd(rng, 100, budget // 20, 100)
    y = year
    pool = [
        ("产出指标", "数量指标", f"{theme}任务完成数", "≥", Decimal(rng.randint(6, 60)), "项"),
        ("产出指标", "数量指标", f"{theme}覆盖单位数", "≥", Decimal(rng.randint(5, 40)), "个"),
        ("产出指标", "数量指标", "业务培训人次", "≥", Decimal(rng.randrange(100, 900, 10)), "人次"),
        ("产出指标", "质量指标", "成果验收合格率", "=", Decimal(100), "%"),
        ("产出指标", "质量指标", "差错发生次数", "=", Decimal(0), "次"),
        ("产出指标", "时效指标", "任务完成时间", "", f"{y}年{rng.randint(10, 11)}月底前", ""),
        ("产出指标", "成本指标", "单项任务平均成本", "≤", Decimal(rng.randrange(50, 400)) / 100, "万元"),
    ]
    picks = pool[:2] + rng.sample(pool[2:], rng.randint(2, 4))
    picks.sort(key=lambda p: ["数量指标", "质量指标", "时效指标", "成本指标"].index(p[1]))
    benefit = [("效益指标", "社会效益指标", f"{theme}服务覆盖率", "≥", Decimal(rng.choice([60, 70, 80])), "%"),
               ("效益指标", "社会效益指标", f"{theme}工作规范化水平", "", "明显提升", ""),
               ("效益指标", "可持续影响指标", f"{theme}长效机制", "", "健全", "")]
    sat = [("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", Decimal(rng.choice([85, 90])), "%")]
    if rng.random() < 0.5:
        sat.append(("满意度指标", "服务对象满意度指标", "基层单位满意度", "≥", Decimal(85), "%"))
    groups = [(picks, 50), (benefit, 30), (sat, 10)]
    inds: list[Ind] = []
    for group, weight in groups:
        ws = [weight // len(group)] * len(group)
        ws[0] += weight - sum(ws)
        for (lv1, lv2, name, op, target, unit), w in zip(group, ws, strict=True):
            if isinstance(target, str):
                actual: Decimal | str = target if "月底前" not in target else f"{y}年{target[5:-3]}月{rng.randint(10, 28)}日"
            elif op == "≥":
                actual = target + rng.choice([0, 0, 1, 2, 5]) if unit != "%" else min(Decimal(100), target + rng.randint(0, 8))
            elif op == "≤":
                actual = (target * Decimal(rng.choice([80, 90, 95, 100])) / 100).quantize(CENT)
            else:
                actual = target
            inds.append(Ind(lv1, lv2, name, op, target, unit, actual, w))
    # some documents miss a target honestly: proportional score and a reason
    if rng.random() < 0.35:
        cands = [i for i in inds if i.op == "≥" and i.unit != "%"]
        if cands:
            ind = rng.choice(cands)
            assert isinstance(ind.target, Decimal)
            ind.actual = (ind.target * Decimal(rng.choice([80, 85, 90])) / 100).quantize(Decimal(1))
            if ind.met():
                ind.actual = ind.target - 1
            ind.reason = "受工作安排调整影响，部分任务顺延。下一年度提前统筹安排。"
    for ind in inds:
        ind.score = ind.fair()
    return SelfEval(year, org, f"{theme}{rng.choice(PROJECT_SUFFIX)}", theme, budget, spent, inds)


def render_self_eval(s: SelfEval) -> Text:
    t = Text()
    y = s.year
    t.add()
    t.add()
    t.gap(s.org)
    t.gap(f"{s.org} {y}年度{s.project} 项目支出绩效自评报告")
    t.gap("一、项目基本情况")
    t.gap("（一）项目概况")
    t.para(f"{s.project}是市财政安排我单位的 {y} 年市级项目资金，年初预算 {wan(s.budget)} 万元，全年预算 {wan(s.budget)} 万元，"
           f"资金全部为当年财政拨款。项目主要用于开展{s.theme}相关工作。")
    t.gap("（二）项目绩效目标")
    t.para(f"按计划完成{s.theme}年度任务，服务对象满意度不低于 90%。")
    t.gap("二、绩效目标完成情况分析")
    t.gap("（一）资金投入情况分析")
    t.para(f"1. 项目资金到位情况分析。当年预算资金 {wan(s.budget)} 万元，到位 {wan(s.budget)} 万元，资金到位率 100%。")
    rate = s.rate_text or pct(s.spent, s.budget)
    t.para("2. 项目资金执行情况分析。截至 ", ("year", f"{y - 1 if s.year_slip else y}"), " 年 12 月 31 日，项目支出 ",
           wan(s.spent), " 万元，预算执行率 ", ("rate.prose", rate), "。")
    t.para("3. 项目资金管理情况分析。项目资金实行专账核算，资金使用", ("rep", "规范规范" if s.repeated else "规范"), "，未发现挤占、挪用等问题。")
    t.gap("（二）总体绩效目标完成情况分析")
    t.para(f"全年{s.theme}工作按计划推进，主要任务均已落实。")
    t.add()
    t.gap("第 2 页 共 4 页")
    t.gap("（三）绩效指标完成情况分析")
    t.gap("项目资金执行情况如下表所示：")
    t.row(["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    b, e = wan(s.budget), wan(s.spent)
    t.row(["年度资金总额", b, b, e, "10", s.rate_text or pct(s.spent, s.budget), fmt_score(s.exec_score())],
          {5: "rate.table"})
    t.row(["其中：当年财政拨款", b, b, e, "—", "—", "—"])
    t.row(["上年结转资金", "0.00", "0.00", "0.00", "—", "—", "—"])
    t.row(["其他资金", "0.00", "0.00", "0.00", "—", "—", "—"])
    t.add()
    t.gap("绩效指标完成情况如下表所示：")
    t.row(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "未完成原因及改进措施"])
    weights = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    last = ("", "")
    for k, ind in enumerate(s.inds):
        lv1 = f"{ind.lv1} ({weights[ind.lv1]}分)" if ind.lv1 != last[0] else ""
        lv2 = ind.lv2 if (ind.lv1, ind.lv2) != last else ""
        t.row([lv1, lv2, ind.name, ind.target_text(), ind.actual_text(), str(ind.weight), fmt_score(ind.score), ind.reason],
              {6: f"ind{k}.score", 4: f"ind{k}.actual"})
        last = (ind.lv1, ind.lv2)
    total = s.total()
    t.row(["总分（预算执行率得分+绩效指标得分）", "", "", "", "", "100", fmt_score(total), ""])
    t.add()
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    t.para(f"经自评，本项目预算执行率得分 {fmt_score(s.exec_score())} 分，绩效指标得分 "
           f"{fmt_score(total - s.exec_score())} 分，总分 {fmt_score(total)} 分，自评等级为“{grade}”。")
    t.gap("三、偏离绩效目标的原因和下一步改进措施")
    missed = [i for i in s.inds if not i.met()] or s.spent < s.budget
    claim = s.claim_override or ("部分指标未达到年度目标，原因及改进措施见上表。下一步将加强统筹，确保任务按期完成。" if missed
                                 else "本项目未偏离绩效目标。下一步将继续加强项目管理，提高资金使用效益。")
    t.para(("claim", claim))
    t.gap("四、绩效自评结果拟应用和公开情况")
    t.gap("自评结果将作为下一年度项目预算安排的重要参考，并按规定向社会公开。")
    t.gap("五、其他需要说明的问题")
    t.para(("other", s.residue or "无。"))
    t.gap(s.org)
    t.gap(f"{y + 1}年3月{rnd(random.Random(s.project), 5, 28)}日")
    t.add()
    t.gap("第 4 页 共 4 页")
    return t


def plant_self_eval(s: SelfEval, kind: str, rng: random.Random) -> Callable[[Text], list[Label]]:
    """Mutate the model; return a function that labels the rendered text."""
    met_numeric = [k for k, i in enumerate(s.inds) if i.met() and isinstance(i.target, Decimal) and i.op in ("≥", "=")
                   and i.target > 0]
    if kind == "missed_full_marks":
        if not met_numeric:
            raise Skip
        k = rng.choice(met_numeric)
        ind = s.inds[k]
        assert isinstance(ind.target, Decimal)
        step = Decimal(1) if ind.unit != "%" else Decimal("2.5")
        ind.actual = ind.target - step * rng.randint(1, 3)
        claim_free = all(i.met() for j, i in enumerate(s.inds) if j != k) and s.spent == s.budget
        if claim_free:
            s.claim_override = "本项目未偏离绩效目标。下一步将继续加强项目管理，提高资金使用效益。"
        return lambda t: [Label("score", "score.target_missed_full_marks", t.line(f"ind{k}.score"), str(ind.weight),
                                fmt_score(ind.fair()), kind,
                                [{"rule": "score.claim", "line": t.line("claim")}] + (
                                    [{"rule": "score.partial_credit", "line": t.line(f"ind{k}.score")}]))]
    if kind in ("over_weight", "met_deducted"):
        if not met_numeric:
            raise Skip
        k = rng.choice(met_numeric)
        ind = s.inds[k]
        ind.score = Decimal(ind.weight + 1) if kind == "over_weight" else Decimal(ind.weight) - Decimal(rng.choice([1, 2]))
        rule = "score.over_weight" if kind == "over_weight" else "score.target_met_deducted"
        return lambda t: [Label("score", rule, t.line(f"ind{k}.score"), fmt_score(ind.score), str(ind.weight), kind,
                                [{"rule": "score.missing_reason", "line": t.line(f"ind{k}.score")},
                                 {"rule": "score.partial_credit", "line": t.line(f"ind{k}.score")}])]
    if kind == "false_claim":
        cands = [k for k, i in enumerate(s.inds) if i.op == "≥" and i.unit != "%" and i.met()]
        if not cands or any(not i.met() for i in s.inds):
            raise Skip
        k = rng.choice(cands)
        ind = s.inds[k]
        assert isinstance(ind.target, Decimal)
        ind.actual = ind.target - 1
        ind.reason = "受工作安排调整影响，部分任务顺延。下一年度提前统筹安排。"
        ind.score = ind.fair()
        s.claim_override = "本项目未偏离绩效目标，各项指标全面完成。"
        return lambda t: [Label("score", "score.claim", t.line("claim"), "未偏离绩效目标", "", kind, [])]
    if kind == "wrong_year":
        s.year_slip = True
        return lambda t: [Label("date", "date.year_mismatch", t.line("year"), str(s.year - 1), str(s.year), kind, [])]
    if kind == "repeated_word":
        s.repeated = True
        return lambda t: [Label("text", "text.repeated_word", t.line("rep"), "规范规范", "规范", kind, [])]
    if kind == "template_residue":
        s.residue = rng.choice(["待填写。", "XX", "（请填写其他需要说明的问题）"])
        return lambda t: [Label("text", "text.template_residue", t.line("other"), s.residue or "", "无。", kind, [])]
    if kind == "exec_rate":
        if s.spent == s.budget:
            raise Skip
        good = pct(s.spent, s.budget)
        bad = digit_swap(good, rng)
        if bad is None or bad == good:
            raise Skip
        s.rate_text = bad
        return lambda t: [Label("rate", "rate.recompute", t.line("rate.table"), bad, good, kind,
                                [{"rule": "rate.recompute", "line": t.line("rate.prose")}])]
    raise ValueError(kind)


SELF_EVAL_ANOMALIES = ["missed_full_marks", "over_weight", "met_deducted", "false_claim", "wrong_year",
                       "repeated_word", "template_residue", "exec_rate"]


# ----------------------------------------------------------------------------------------------
# evaluation report with a score sheet (seed 002 分值表 / 打分表 layout)

EVAL_FRAME = [
    ("决策", [("项目立项", ["立项依据充分性", "立项程序规范性"]), ("绩效目标", ["绩效目标合理性", "绩效指标明确性"]),
            ("资金投入", ["预算编制科学性", "资金分配合理性"])]),
    ("过程", [("资金管理", ["资金到位率", "预算执行率", "资金使用合规性"]), ("组织实施", ["管理制度健全性", "制度执行有效性"])]),
    ("产出", [("产出数量", ["实际完成率"]), ("产出质量", ["质量达标率"]), ("产出时效", ["完成及时性"]),
            ("产出成本", ["成本节约率"])]),
    ("效益", [("项目效益", ["社会效益", "经济效益", "可持续影响", "满意度"])]),
]
REASONS = ["部分指标未细化量化", "个别任务完成滞后", "档案资料不够完整", "部分产出未达计划", "制度执行记录不全"]


@dataclass
class EvalRow:
    lv1: str
    lv2: str
    name: str
    weight: int
    deduct: Decimal
    reason: str = ""

    @property
    def score(self) -> Decimal:
        return max(Decimal(0), Decimal(self.weight) - self.deduct)


@dataclass
class Evaluation:
    year: int
    org: str
    project: str
    budget: int
    spent: int
    rows: list[EvalRow]
    lv1_weights: dict[str, int]
    summary_override: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # lv1 -> (weight, score, rate)
    grade_override: str | None = None
    rate_override: str | None = None

    def lv1_score(self, lv1: str) -> Decimal:
        return sum((r.score for r in self.rows if r.lv1 == lv1), Decimal(0))

    def total(self) -> Decimal:
        return sum((r.score for r in self.rows), Decimal(0))


def make_evaluation(rng: random.Random) -> Evaluation:
    year = rng.choice([2021, 2022, 2023])
    dept, _, _, _, themes = rng.choice(DEPARTMENTS)
    org = rng.choice(CITIES) + dept
    project = rng.choice(themes) + rng.choice(PROJECT_SUFFIX)
    w = {"决策": rng.randint(15, 20), "过程": rng.randint(15, 20), "产出": rng.randint(30, 40)}
    w["效益"] = 100 - sum(w.values())
    rows: list[EvalRow] = []
    for lv1, subs in EVAL_FRAME:
        names = [(lv2, n) for lv2, ns in subs for n in ns]
        ws = [w[lv1] // len(names)] * len(names)
        for i in range(w[lv1] - sum(ws)):
            ws[i] += 1
        for (lv2, name), weight in zip(names, ws, strict=True):
            deduct = Decimal(0)
            reason = ""
            if rng.random() < 0.25:
                deduct = Decimal(rng.randint(1, max(1, weight * 4))) / 10
                deduct = min(deduct, Decimal(weight))
                reason = rng.choice(REASONS)
            rows.append(EvalRow(lv1, lv2, name, weight, deduct, reason))
    budget = rnd(rng, 500000, 5000000, 100)
    spent = budget - rnd(rng, 0, budget // 15, 100)
    return Evaluation(year, org, project, budget, spent, rows, w)


def grade_of(x: Decimal) -> str:
    return "优" if x >= 90 else "良" if x >= 80 else "中" if x >= 60 else "差"


def render_evaluation(e: Evaluation) -> Text:
    t = Text()
    y = e.year
    t.add()
    t.add()
    t.gap(f"{e.org}{y}年{e.project}项目")
    t.gap("绩效评价报告")
    t.gap("一、基本情况")
    rate = e.rate_override or pct(e.spent, e.budget)
    t.para(f"{y} 年项目预算资金 {wan(e.budget)} 万元，实际到位资金 {wan(e.budget)} 万元，实际支出 {wan(e.spent)} 万元，"
           "预算执行率 ", ("rate", rate), "。")
    n2 = len({(r.lv1, r.lv2) for r in e.rows})
    t.para(f"本次评价共设置四个一级指标，对应的 {n2} 个二级指标，按照其指标特性分解为 {len(e.rows)} 个三级指标。")
    t.gap("本次评价采用百分制，最终得分情况将评价标准分为四个等级：")
    t.gap("总分在 90（含）-100 分为“优”；")
    t.gap("总分在 80（含）-90 分为“良”；")
    t.gap("总分在 60（含）-80 分为“中”；")
    t.gap("总分在 60 分以下为“差”。")
    total = e.total()
    t.gap("二、综合评价情况及评价结论")
    t.para(f"本次项目绩效评价得分为 {fmt_score(total)} 分，得分率 {pct(total, 100)}，根据评价等级标准，本项目绩效等级为“",
           ("grade", e.grade_override or grade_of(total)), "”。")
    t.gap("绩效评价分值表")
    t.gap("一级指标 分值 得分 得分率")
    for lv1, _ in EVAL_FRAME:
        s = e.lv1_score(lv1)
        wt, sc, rt = e.summary_override.get(lv1, (str(e.lv1_weights[lv1]), f"{one(s)}", pct(s, e.lv1_weights[lv1])))
        t.para(("sum." + lv1, f"{lv1} {wt} {sc} {rt}"))
    t.gap(f"综合绩效 100 {one(total)} {pct(total, 100)}")
    t.gap("三、绩效评价指标分析")
    for lv1, _ in EVAL_FRAME:
        s = e.lv1_score(lv1)
        t.gap(f"{lv1}指标。该指标共设分值为 {e.lv1_weights[lv1]} 分，评价得分 {fmt_score(s)} 分。")
    t.gap("四、主要经验及做法、存在的问题及原因分析")
    t.gap("项目实施单位按计划推进各项工作，但部分指标仍有提升空间。")
    t.add()
    t.gap(f"附：{e.org}{y}年{e.project}项目绩效评价打分表")
    t.add(" 一级指标 分值 二级指标 分值 三级指标 分值 扣分 得分 扣分原因 指标解释 指标说明")
    t.add()
    seen1, seen2 = "", ""
    for k, r in enumerate(e.rows):
        if r.lv1 != seen1:
            t.add(f"{r.lv1} {e.lv1_weights[r.lv1]}")
            t.add()
            seen1 = r.lv1
        if (r.lv1, r.lv2) != (seen1, seen2):
            w2 = sum(x.weight for x in e.rows if (x.lv1, x.lv2) == (r.lv1, r.lv2))
            t.add(f"{r.lv2} {w2}")
            t.add()
            seen2 = r.lv2
        nums = f"{r.weight} {fmt_score(r.deduct)} {fmt_score(r.score)} {r.reason}" if r.deduct else f"{r.weight} {r.weight}"
        t.para((f"row{k}", f"{r.name} {nums}".rstrip()))
    d = sum((r.deduct for r in e.rows), Decimal(0))
    t.para(("total", f"整体评价 100 100 100 {fmt_score(d)} {fmt_score(total)}"))
    return t


def plant_evaluation(e: Evaluation, kind: str, rng: random.Random) -> Callable[[Text], list[Label]]:
    if kind == "lv1_sum":
        lv1 = rng.choice([x for x, _ in EVAL_FRAME])
        s = e.lv1_score(lv1)
        bad = s + Decimal(rng.choice([1, 2, -1])) if s > 2 else s + 1
        if bad > e.lv1_weights[lv1]:
            bad = s - 1
        e.summary_override[lv1] = (str(e.lv1_weights[lv1]), f"{one(bad)}", pct(bad, e.lv1_weights[lv1]))
        return lambda t: [Label("score", "score.sum", t.line("sum." + lv1), f"{one(bad)}", f"{one(s)}", kind, [])]
    if kind == "weights_off":
        lv1 = rng.choice([x for x, _ in EVAL_FRAME])
        s = e.lv1_score(lv1)
        wbad = e.lv1_weights[lv1] + rng.choice([2, 5])
        e.summary_override[lv1] = (str(wbad), f"{one(s)}", pct(s, wbad))
        return lambda t: [Label("score", "score.sum", t.line("sum." + lv1), str(wbad), str(e.lv1_weights[lv1]), kind, [])]
    if kind == "grade":
        good = grade_of(e.total())
        bad = {"优": "良", "良": "优", "中": "良", "差": "中"}[good]
        e.grade_override = bad
        return lambda t: [Label("score", "score.grade_band", t.line("grade"), bad, good, kind, [])]
    if kind == "exec_rate":
        good = pct(e.spent, e.budget)
        bad = digit_swap(good, rng)
        if bad is None or bad == good:
            raise Skip
        e.rate_override = bad
        return lambda t: [Label("rate", "rate.recompute", t.line("rate"), bad, good, kind, [])]
    if kind == "deduct_over":
        k = rng.randrange(len(e.rows))
        r = e.rows[k]
        r.deduct = Decimal(r.weight) + 1
        r.reason = r.reason or rng.choice(REASONS)
        return lambda t: [Label("score", "score.over_weight", t.line(f"row{k}"), str(r.deduct), str(r.weight), kind,
                                [{"rule": "score.sum", "line": t.line(f"row{k}")},
                                 {"rule": "score.sum", "line": t.line("total")}])]
    raise ValueError(kind)


EVAL_ANOMALIES = ["lv1_sum", "weights_off", "grade", "exec_rate", "deduct_over"]


# ----------------------------------------------------------------------------------------------
# project target tables: Henan tab layout (seed 001) and the 财预〔2021〕101号 wide layout (seed 004)


def make_targets(rng: random.Random, rows: int | None) -> tuple[Budget, str]:
    b = make_budget(rng, rows)
    return b, rng.choice(["henan", "mof2021"])


MOF_INDICATORS = [
    ("成本指标", "经济成本指标", "项目总成本", None, "总成本"),
    ("成本指标", "社会成本指标", "", "", ""),
    ("成本指标", "生态环境成本指标", "", "", ""),
    ("产出指标", "数量指标", "{theme}任务完成数", "{n}项", "完成年度任务"),
    ("产出指标", "质量指标", "成果验收合格率", "100%", "验收合格"),
    ("产出指标", "时效指标", "任务完成时间", "{y}年12月", "按计划完成"),
    ("效益指标", "社会效益指标", "{theme}服务水平", "持续提升", "服务能力"),
    ("效益指标", "可持续影响指标", "{theme}长效机制", "健全", "制度保障"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "满意度调查"),
]


def mof_rows(b: Budget, p: Project, rng: random.Random) -> list[list[str]]:
    """Indicator rows of one project: [一级, 二级, 三级, 指标值, 指标值内容, 分值]."""
    out = []
    scored = [r for r in MOF_INDICATORS if r[2]]
    weights = [100 // len(scored)] * len(scored)
    weights[0] += 100 - sum(weights)
    wi = iter(weights)
    for lv1, lv2, name, value, content in MOF_INDICATORS:
        if not name:
            out.append([lv1, lv2, "", "", "", ""])
            continue
        v = f"{wan_dec(p.total).normalize():f}万元" if value is None else value
        v = v.format(theme=p.theme, n=rng.randint(4, 30), y=b.year)
        out.append([lv1, lv2, name.format(theme=p.theme), v, content, f"{next(wi)}分"])
    return out


def render_targets(b: Budget, layout: str, rng: random.Random, plant: str | None) -> tuple[Text, list[Label]]:
    t = Text()
    labels: list[Label] = []
    t.add()
    t.add()
    if layout == "henan":
        for k, p in enumerate(b.projects):
            inds = henan_indicators(p, b.year, rng)
            mark = None
            if plant and k == 0:
                if plant == "duplicate":
                    i = rng.randrange(2, len(inds) - 1)
                    inds.insert(i + 1, inds[i])
                    mark = ("indicator", "indicator.duplicate", i + 1, inds[i][2], "")
                elif plant == "category":
                    i = next(j for j, r in enumerate(inds) if r[1] == "满意度")
                    row = inds.pop(i)
                    inds.insert(2, ("产出目标", "数量", row[2], row[3]))
                    mark = ("indicator", "indicator.category", 2, row[2], "满意度")
                elif plant == "cost":
                    i = next(j for j, r in enumerate(inds) if r[2] == "项目总成本")
                    good = inds[i][3]
                    bad = f"≤{(wan_dec(p.total) * 2).normalize():f}万元"
                    inds[i] = (*inds[i][:3], bad)
                    mark = ("indicator", "indicator.cost_mismatch", i, bad, good)
            render_henan_target(t, b, p, rng, inds)
            if mark:
                fam, rule, i, printed, correct = mark
                labels.append(Label(fam, rule, t.line(f"ind.{p.name}.{i}"), printed, correct, plant or "", []))
        return t, labels
    # mof2021 wide layout
    t.gap("项目支出绩效目标表")
    t.gap(f"单位：{b.org}")
    t.gap("金额单位：万元")
    t.row(["单位代码", "单位（专项）名称", "资金总额", "实施期绩效目标", "年度绩效目标", "绩效指标", "", "", "", "", "", "", "", ""])
    t.row(["", "", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评（扣分标准）", "度量单位",
           "指标值类型", ""])
    totals = wan_dec(b.project_total)
    shown_total = f"{totals}"
    if plant == "total":
        bad = digit_swap(shown_total, rng)
        if bad is None:
            raise Skip
        shown_total = bad
    t.row(["", "合计：", shown_total, "单位数：", "1", "项目个数：", str(len(b.projects)), "", "", "", "", "", "", ""],
          {2: "mof.total"})
    if plant == "total":
        labels.append(Label("total", "total.column_sum", t.line("mof.total"), shown_total, f"{totals}", plant, []))
    t.row([b.unit_code, b.org, f"{totals}", "", "", "", "", "", "", "", "", "", "", ""])
    for k, p in enumerate(b.projects):
        rows = mof_rows(b, p, rng)
        mark = None
        if plant and k == 0:
            if plant == "value_swapped":
                i = 3
                rows[i][3], rows[i][4] = rows[i][4], rows[i][3]
                mark = ("indicator", "indicator.value_swapped", i, rows[i][3], rows[i][4])
            elif plant == "indicator_weights":
                i = 4
                rows[i][5] = f"{int(rows[i][5][:-1]) + rng.choice([5, 10])}分"
                mark = ("indicator", "indicator.weight_sum", i, rows[i][5], "")
            elif plant == "duplicate":
                rows.insert(5, list(rows[4]))
                mark = ("indicator", "indicator.duplicate", 5, rows[5][2], "")
        goal = f"按计划完成{p.theme}年度任务，保障工作正常开展。"
        for i, r in enumerate(rows):
            lead = [b.unit_code, p.name, f"{wan_dec(p.total)}", goal, goal] if i == 0 else ["", "", "", "", ""]
            t.row([*lead, *r[:5], r[5], "", "", ""], {7: f"mof.{k}.{i}"})
        if mark:
            fam, rule, i, printed, correct = mark
            labels.append(Label(fam, rule, t.line(f"mof.{k}.{i}"), printed, correct, plant or "", []))
    return t, labels


TARGET_ANOMALIES = {"henan": ["duplicate", "category", "cost"], "mof2021": ["value_swapped", "indicator_weights", "duplicate",
                                                                           "total"]}


# ----------------------------------------------------------------------------------------------
# documents



def _plant_and_render(model: Any, anomalies: list[str], plant: Callable[..., Callable[[Any], list[Label]]],
                      render: Callable[[Any], Any], n_anomalies: int, rng: random.Random) -> tuple[Any, list[Label]]:
    """Plant at most one anomaly of the list (tried in random order) into a score-sheet model,
    render it, and let each planted anomaly label the rendered lines."""
    finishers = []
    for name in rng.sample(anomalies, len(anomalies)):
        if len(finishers) >= min(n_anomalies, 1):
            break
        try:
            finishers.append(plant(model, name, rng))
        except Skip:
            continue
    t = render(model)
    labels: list[Label] = []
    for finish in finishers:
        labels += finish(t)
    return t, labels

def make_document(seed: int, index: int, kinds: list[str], rows: int | None = None,
                  clean: bool = False) -> tuple[str, str, list[Label]]:
    """(file name, text, labels) of document `index` for `seed`; deterministic. With `clean`, the
    same document without its anomalies."""
    rng = random.Random(f"auditor-generator:{seed}:{index}:{rows}")
    kind = kinds[index % len(kinds)]
    n_anomalies = rng.choices([0, 1, 2], weights=[2, 6, 2])[0]
    if clean:
        n_anomalies = 0
    labels: list[Label] = []
    if kind == "budget":
        b = make_budget(rng, rows)
        t = render_budget(b, rng)
        choices = rng.sample(sorted(BUDGET_ANOMALIES), len(BUDGET_ANOMALIES))
        used_lines: set[int] = set()
        for name in choices:
            if len(labels) >= n_anomalies:
                break
            snapshot = (list(t.lines), {k: Mark(m.line, m.start, m.end) for k, m in t.marks.items()})
            try:
                new = BUDGET_ANOMALIES[name](t, b, rng)
            except Skip:
                continue
            if any(lb.line in used_lines for lb in new):
                t.lines, t.marks = snapshot
                continue
            used_lines.update(lb.line for lb in new)
            labels += new
        return f"{index:04d}_budget_{b.year}.txt", t.render(), labels
    if kind == "self_eval":
        s = make_self_eval(rng)
        t, labels = _plant_and_render(s, SELF_EVAL_ANOMALIES, plant_self_eval, render_self_eval, n_anomalies, rng)
        return f"{index:04d}_self_eval_{s.year}.txt", t.render(), labels
    if kind == "evaluation":
        e = make_evaluation(rng)
        t, labels = _plant_and_render(e, EVAL_ANOMALIES, plant_evaluation, render_evaluation, n_anomalies, rng)
        return f"{index:04d}_evaluation_{e.year}.txt", t.render(), labels
    b, layout = make_targets(rng, rows)
    plant = rng.choice(TARGET_ANOMALIES[layout]) if n_anomalies else None
    try:
        t, labels = render_targets(b, layout, random.Random(f"{seed}:{index}:t"), plant)
    except Skip:
        t, labels = render_targets(b, layout, random.Random(f"{seed}:{index}:t"), None)
    return f"{index:04d}_targets_{layout}_{b.year}.txt", t.render(), labels


def generate(out: Path, seed: int, count: int, kinds: list[str], rows: int | None = None,
             clean: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        name, text, labels = make_document(seed, i, kinds, rows, clean)
        path = out / name
        path.write_text(text, encoding="utf-8")
        (out / (path.stem + ".labels.json")).write_text(
            json.dumps([lb.to_json() for lb in labels], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=None, help="approximate number of table rows per document")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ",".join(KINDS))
    parser.add_argument("--clean", action="store_true", help="plant no anomalies")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        parser.error(f"unknown kind(s): {', '.join(bad)}")
    files = generate(args.out, args.seed, args.count, kinds, args.rows, args.clean)
    print(f"wrote {len(files)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
