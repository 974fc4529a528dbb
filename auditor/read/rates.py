"""Rate statements: every percentage the document prints, with the operands it was made from.

A rate is only worth recomputing when its operands are known, so this reader pairs each printed
rate with the printed amounts it derives from, and says where a denominator the sentence leaves
out was supplied by the domain (DOMAIN C29, C30, E46, E50, E51):

* **share** — "行政运行支出 7484.60 万元，占 86.6%": part / whole. The whole is printed in the
  clause ("占支出总计 8641.20 万元的 86.6%") or, when omitted, is the total the sentence opens with
  ("2020 年一般公共预算支出预算 8641.20 万元，主要用于以下方面：A X万元，占 p%；B …"), or, when
  the document states it nowhere, the sum of the items of a list whose shares of it add up to
  100% ("（一）A X 元，占支出总预算 p%。（二）B …"). Shares in one sentence form one enumeration
  (`group`).
* **change** — "与上年相比 … 减少 1004.7 万元，下降 10.41%": amount, current (the last amount
  before the comparison), previous (printed, or current ∓ amount), the direction word.
* **named** — 资金到位率 = 到位 / 预算; 资金投入率 = 投入 / 预算; 预算执行率 = 支出 / 到位 (支出 /
  预算 accepted too, the self-evaluation form 执行数 / 全年预算数); 完成率 = 完成 / 预算;
  成本节约率 = (预算 − 实际) / 预算 or 节约额 / 预算; also in grids such as "年初预算数 全年预算数
  全年执行数 执行率".
* **score_rate** — 得分率 = 得分 / 分值, from score sheets, from score grids printed as text
  ("一级指标 分值 得分 得分率 / 决策 18 16.8 93.33%") and from prose ("得分为 92.9 分，得分率
  92.90%", out of 100 points by DOMAIN §4.2 when the weight is not printed).

Rates printed without operands (a 满意率 from a survey) are not rate statements; a statement whose
operands cannot be found keeps `None` operands, and the rules count it as lacking operands.
No rule parses text: the rules in `checks/rate/operands.py` only read these statements.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from auditor.model import Column, Number, Paragraph, ReadDocument, ScoreSheet, Table
from auditor.numbers import find_amounts, format_decimal, normalize, parse_decimal, scale_of, to_base
from auditor.read.prose_facts import OverUnder, ProseText, Respective, prose_text

# --------------------------------------------------------------------------- the statement


@dataclass(frozen=True)
class Operand:
    """A printed number a rate is computed from, with the line it stands on and its label."""

    number: Number
    line: int
    label: str = ""
    context: bool = False  # found outside the rate's own paragraph (an earlier paragraph)

    @property
    def text(self) -> str:
        return self.number.text or str(self.number.value)


@dataclass
class RateStatement:
    """One printed rate and its operands.

    kind: "share" | "change" | "named" | "score_rate".
    formula: "ratio" (numerator / denominator), "complement" ((numerator − subtrahend) /
    denominator, 成本节约率) or "change" (amount / previous, previous = current ∓ amount when
    not printed). `rate` is None only for change statements whose checkable part is the amount or
    the direction word ("比上年 125 万元减少 27 万元", "0 万元，与上年持平").
    """

    kind: str
    label: str
    line: int
    rate: Number | None
    text: str = ""  # the clause as printed, for evidence and keys
    formula: str = "ratio"
    numerator: Operand | None = None
    denominator: Operand | None = None
    subtrahend: Operand | None = None
    alt_denominator: Operand | None = None  # a second accepted base (预算执行率: 支出 / 预算)
    amount: Operand | None = None
    current: Operand | None = None
    previous: Operand | None = None
    # a change printed after a 其中 part ("总预算 T 元，其中：…，项目支出 A 元，同比增加 D 元，增长 p%")
    # may be the change of the sentence's total: the total, a second accepted current value
    alt_current: Operand | None = None
    # the amount an item's paragraph opens with ("“…（项）”350.35万元。2023年…执行数为 A，2024年预算安排
    # B，比 2023 年增加 p%") when it differs from the sentence's current value B: a second printed
    # current value of the same item, which a finding names when p follows from it
    item_amount: Operand | None = None
    direction: str = ""  # 增加 / 减少 / 增长 / 下降 / 持平 / 无变化 … as printed
    rate_direction: str = ""  # the word in front of the percentage ("下降 10.41%")
    group: str = ""  # enumeration id: shares of one sentence
    group_whole: bool = False  # the enumeration claims to cover its whole
    implied: str = ""  # how a denominator the text omits was supplied ("" when printed)
    source: str = "prose"  # prose | grid | table | score_sheet
    whole_name: str = ""  # share: the whole named without its amount ("占本年支出合计的 99.91%")
    over: Operand | None = None  # completion: "决算数大于预算数 42.10 万元", spent − budget
    over_sign: int = 0  # +1 over the budget, −1 under it
    unresolved: str = ""  # the operand named but found nowhere in the document ("本年支出合计")
    concept: str = ""  # change: the lexicon concept of its subject ("sangong.total"), "" when unknown
    base: str = ""  # change: "budget" when compared with a budget ("与 2021 年度预算相比"), "" for the prior year
    base_year: int | None = None  # the year the comparison names, when printed

    @property
    def part(self) -> Operand | None:
        return self.numerator if self.kind == "share" else None

    @property
    def whole(self) -> Operand | None:
        return self.denominator if self.kind == "share" else None

    @property
    def operands(self) -> list[Operand]:
        found = [self.numerator, self.denominator, self.subtrahend, self.amount, self.current, self.previous]
        return [o for o in found if o is not None]

    @property
    def has_operands(self) -> bool:
        if self.kind == "change":
            return self.amount is not None and (self.previous is not None or self.current is not None) or (
                self.current is not None and self.previous is not None)
        return self.numerator is not None and self.denominator is not None


# The parts whose changes add up to a total's change (DOMAIN B14; the economic classes of 基本支出).
CHANGE_PARTS: dict[str, frozenset[str]] = {
    "sangong.total": frozenset({"sangong.abroad", "sangong.reception", "sangong.vehicle", "sangong.vehicle_run",
                                "sangong.vehicle_purchase"}),
    "expense.basic": frozenset({"expense.econ.301", "expense.econ.302", "expense.econ.303", "expense.econ.310"}),
}

# Each group must have a member among the parts found for them to make up the whole.
CHANGE_PARTS_REQUIRED: dict[str, tuple[frozenset[str], ...]] = {
    "sangong.total": (frozenset({"sangong.abroad"}), frozenset({"sangong.reception"}),
                      frozenset({"sangong.vehicle", "sangong.vehicle_run"})),
    "expense.basic": (frozenset({"expense.econ.301"}), frozenset({"expense.econ.302"}),
                      frozenset({"expense.econ.303"})),
}

UP_WORDS = ("增加", "增长", "上升", "提高", "上涨", "增多")
DOWN_WORDS = ("减少", "下降", "降低", "下调", "减小", "压减", "缩减")
FLAT_WORDS = ("持平", "无变化", "没有变化", "未发生变化", "不变", "无增减")
# The short forms of budget tables' prose: "较上年增 17.1 万元，增幅 17.18%", "减 0.04 万元".
UP_SHORT = ("增", "增幅", "涨幅")
DOWN_SHORT = ("减", "减幅", "降幅")


def direction_sign(word: str) -> int | None:
    if word in UP_WORDS or word in UP_SHORT:
        return 1
    if word in DOWN_WORDS or word in DOWN_SHORT:
        return -1
    if word in FLAT_WORDS:
        return 0
    return None


# Names under which reports print the execution rate of the project's whole funds, and the
# score rows that score it (DOMAIN §4.1, E46, E52).
_EXECUTION_LABEL = re.compile(r"^(?:年度资金总额\s*)?(?:预算|经费|资金|支出)?执行率$")
_POINTS_NAME = re.compile(r"(?:预算|资金)?执行率(?:得分)?$")


def is_execution_rate(label: str) -> bool:
    """Whether a named rate's label is the execution rate of the whole funds ("预算执行率")."""
    return bool(_EXECUTION_LABEL.match(label.replace(" ", "")))


def scores_execution(name: str) -> bool:
    """Whether a score row or indicator scores budget execution ("预算执行率得分")."""
    return bool(_POINTS_NAME.search(name))


# --------------------------------------------------------------------------- entry point


def read_rates(read: ReadDocument) -> list[RateStatement]:
    """All rate statements of a read document, in document order."""
    out: list[RateStatement] = []
    paragraphs = read.paragraphs
    prose = prose_text(paragraphs)
    money: dict[int, list[_Amount]] = {}  # a paragraph's amounts, read as its own and as the next one's previous
    for index, paragraph in enumerate(paragraphs):
        previous = index - 1 if index and paragraphs[index - 1].section == paragraph.section else None
        out.extend(_prose_rates(prose, paragraphs, index, previous, money))
    out.extend(_grid_rates(read))
    for table in read.tables:
        out.extend(_table_rates(table))
    for sheet in read.score_sheets:
        out.extend(_sheet_rates(sheet))
    out.sort(key=lambda s: s.line)
    return out


# --------------------------------------------------------------------------- prose helpers

_CLAUSE_BREAK = "，,。；;：:、（()）"
_NUM = r"\d[\d,]*(?:\.\d+)?"
_MONEY = ("万元", "元", "亿元")


@dataclass(frozen=True)
class _Amount:
    number: Number
    start: int
    end: int
    label: str


# the pieces a label in front of a number is trimmed of (asked for every number of every paragraph)
_DATE_OPENER = re.compile(r"^\s*(?:\d{4}\s*年(?:度)?|截至|截止|至)\s*")
_SPACES = re.compile(r"\s+")
_VERB_END = re.compile(r"(?:为|是|达到|达|共计|合计为|约)$")


def _label_before(text: str, start: int, limit: int = 24) -> str:
    """The words in front of a number back to the last clause break: "实际到位资金"."""
    lo = max(0, start - limit)
    piece = text[lo:start]
    cut = max(piece.rfind(ch) for ch in _CLAUSE_BREAK)
    if cut >= 0:
        piece = piece[cut + 1:]
    piece = _DATE_OPENER.sub("", piece)
    piece = _SPACES.sub("", piece)
    return _VERB_END.sub("", piece)


def _money(prose: ProseText, index: int) -> list[_Amount]:
    text = prose.texts[index]
    named = prose.subject_labels(index)  # "收、支总计各是 A,B 万元": each value named by its subject
    return [_Amount(t.number, t.start, t.end, named.get(t.start) or _label_before(text, t.start))
            for t in prose.by_paragraph[index] if t.is_money]


def _operand(paragraph: Paragraph, amount: _Amount, context: bool = False) -> Operand:
    return Operand(amount.number, paragraph.line_at(amount.start), amount.label, context)


def _prose_rates(prose: ProseText, paragraphs: list[Paragraph], index: int,
                 previous: int | None, amounts: dict[int, list[_Amount]]) -> Iterator[RateStatement]:
    """The rates of paragraph `index`; `amounts` holds the paragraphs' _money, made on first use
    (the lists are only read)."""
    paragraph, text = paragraphs[index], prose.texts[index]
    if "%" not in text and "率" not in text and not _COMPARE.search(text):
        return
    money = amounts.get(index)
    if money is None:
        money = amounts[index] = _money(prose, index)
    lists = prose.respectively(index)
    shares = "%" in text and ("占" in text or "比重" in text)  # the literals a _SHARE match holds
    for s_index, sentence in enumerate(prose.sentences_of(index)):
        s_start, s_end = sentence.start, sentence.end
        if shares:
            yield from _shares(paragraph, text, money, s_start, s_end, f"p{index}.s{s_index}")
        listed, read_words = _respective_changes(paragraph, text, money, s_start,
                                                 [r for r in lists if s_start <= r.start < s_end])
        yield from listed
        yield from _changes(paragraph, text, money, s_start, s_end, read_words)
    if previous is not None and previous not in amounts:
        amounts[previous] = _money(prose, previous)
    prev = (paragraphs[previous], prose.texts[previous], amounts[previous]) if previous is not None else None
    yield from _named(paragraph, text, money, prev, prose.over_under)


# --------------------------------------------------------------------------- shares

_SHARE = re.compile(rf"(?:占比|比重|占)(?P<mid>[^，。；;%\d]{{0,16}}?(?:(?P<whole>{_NUM})\s*(?P<wunit>亿元|万元|元)"
                    rf"[^，。；;%\d]{{0,6}}?)?)(?:为|是)?\s*(?P<rate>{_NUM})\s*%")
_WHOLE_SUBJECT = re.compile(r"\s*([^，,；;：:。%\d]*(?:\d{4}\s*年度?)?[^，,；;：:。%\d]{2,40}?)中\s*[，,：:]")
_TOTAL_WORDS = ("总计", "合计", "总额", "预算", "支出", "收入", "经费", "资金", "决算")
_COMPLEMENTS = ({"基本支出", "项目支出"}, {"人员经费", "公用经费"})


def _before_bracket(text: str, start: int, at: int) -> int:
    """Where the bracket that closes right before `at` (past spaces and commas) opens, or `at`."""
    i = at - 1
    while i >= start and text[i] in " ，,":
        i -= 1
    if i < start or text[i] not in "）)":
        return at
    depth = 0
    for j in range(i, start - 1, -1):
        if text[j] in "）)":
            depth += 1
        elif text[j] in "（(":
            depth -= 1
            if depth == 0:
                return j
    return at


def _shares(paragraph: Paragraph, text: str, money: list[_Amount], s_start: int, s_end: int,
            group: str) -> Iterator[RateStatement]:
    found: list[RateStatement] = []
    sentence_money = [a for a in money if s_start <= a.start < s_end]
    first_share_at: int | None = None
    for m in _SHARE.finditer(text, s_start, s_end):
        if text[m.start():m.start() + 2] == "占用":
            continue
        parsed = parse_decimal(m.group("rate"))
        if parsed is None:
            continue
        if first_share_at is None:
            first_share_at = m.start()
        rate = Number(parsed[0], parsed[1], "%", m.group("rate") + "%")
        clause_start = max(text.rfind(ch, s_start, m.start()) for ch in "；;。") + 1
        clause_start = max(clause_start, s_start)
        # "财政拨款收入 500.12 万元（其中，一般公共预算 500.12 万元，…），占收入合计 96.35%": a share
        # right after a bracket is the share of the amount before the bracket
        subject_end = _before_bracket(text, clause_start, m.start())
        parts = [a for a in sentence_money if clause_start <= a.start < subject_end]
        part = _operand(paragraph, parts[-1]) if parts else None
        label = parts[-1].label if parts else _label_before(text, m.start())
        whole: Operand | None = None
        whole_name = ""
        if m.group("whole"):  # "占支出总计 8641.20 万元的 86.6%"
            w = next((a for a in sentence_money if a.start >= m.start() and a.end <= m.end()), None)
            if w is not None:
                named = re.sub(r"\s+", "", text[m.start("mid"):m.start("whole")])
                whole = Operand(w.number, paragraph.line_at(w.start), named or w.label)
        else:  # "占本年支出合计的 99.91%": the whole is named, its amount is stated elsewhere
            whole_name = re.sub(r"\s+|的$", "", m.group("mid") or "")
        found.append(RateStatement(
            kind="share", label=label, line=paragraph.line_at(m.start()), rate=rate,
            text=text[clause_start:m.end()].strip("，,；; "), numerator=part, denominator=whole,
            group=group, whole_name=whole_name,
        ))
    if not found:
        return
    # The whole a sentence opens with (DOMAIN C29): the first amount of the sentence, before the
    # first share's own part, labelled as a total, and no smaller than any part.
    opening = [a for a in sentence_money if first_share_at is not None and a.start < first_share_at]
    total = None
    if opening:
        first = opening[0]
        first_part = next((s.numerator for s in found if s.numerator is not None), None)
        is_part = first_part is not None and first_part.number is first.number
        if not is_part and any(w in first.label for w in _TOTAL_WORDS):
            total = first
    for statement in found:
        if statement.denominator is None and total is not None and (
                statement.numerator is None or statement.numerator.number.value <= total.number.value):
            statement.denominator = _operand(paragraph, total)
            statement.implied = "sentence_total"
    # Does the enumeration claim to cover its whole?
    labels = {s.label for s in found}
    covers = any(labels == pair for pair in _COMPLEMENTS) or "分别" in text[s_start:s_end]
    wholes = {s.denominator.number.value for s in found if s.denominator is not None}
    if not covers and len(found) > 1 and all(s.numerator for s in found) and len(wholes) == 1:
        # the parts add up to the whole within their printed precision (in 元)
        whole = next(s.denominator for s in found if s.denominator is not None)
        assert whole is not None
        parts = [s.numerator.number for s in found if s.numerator is not None]
        parts_sum = sum((to_base(n) for n in parts), Decimal(0))
        slack = sum((n.half_ulp * scale_of(n.unit) for n in parts), whole.number.half_ulp * scale_of(whole.number.unit))
        covers = abs(parts_sum - to_base(whole.number)) <= slack
    # "…“三公”经费支出决算中，A 万元，占 p%；…": the sentence names its whole before 中
    subject = _WHOLE_SUBJECT.match(text, s_start, s_end)
    for statement in found:
        statement.group_whole = covers and len(found) > 1
        if statement.denominator is None and not statement.whole_name and subject is not None:
            statement.whole_name = re.sub(r"\s+", "", subject.group(1))
        yield statement


# --------------------------------------------------------------------------- changes

_COMPARE = re.compile(
    r"(?:与|比|较|同)\s*(?:上年|上一年|去年|上年度|\d{4}\s*年(?:度)?)(?:同期)?(?:的)?(?:预算执行数|执行数|预算数|决算数|预算|决算)?"
    r"(?:[^，。；;\d]{0,8}?(?:相比|比较|对比))?|同比")
# A one-character 增 / 减 is a direction only right before its number ("增 17.1 万元", "减0.04").
_DIRECTION = re.compile("|".join(sorted(UP_WORDS + DOWN_WORDS + FLAT_WORDS, key=len, reverse=True))
                        + rf"|[增减](?=\s*{_NUM}\s*(?:亿元|万元|元|%))")
_GAP = re.compile(rf"(?:[\s了各共计约为()（）]|{_DIRECTION.pattern})*")
# a direction word ending where an amount starts (see _is_change_amount)
_CHANGE_AMOUNT = re.compile(rf"(?:{_DIRECTION.pattern})[\s了约为]*$")
_PCT_WORD = re.compile(r"(?:(增长|下降|上升|降低|增加|减少|提高|增|减)了?|增幅(?:为)?|降幅(?:为)?|减幅(?:为)?|"
                       r"涨幅(?:为)?|幅度(?:为)?)\s*$")
# A comparison marker repeated before the percentage of the same change ("同比增加 8.25 万元，
# 同比增长 2.8%"): the second marker continues the first statement.
_REPEAT = re.compile(r"[\s，,]*(?:同比|较上年|比上年)\s*$")


def _same_subject(label: str, subject: str) -> bool:
    """Whether an amount's label and a change's subject name the same quantity.

    "支出总计" and "收、支总计" share their head noun (总计); "基本支出比上年增加" does not name
    "项目支出".
    """
    a = re.sub(r"[\s、，,]|预算数?|决算数?|\d{4}年度?", "", label or "")
    b = re.sub(r"[\s、，,]|预算数?|决算数?|\d{4}年度?|比上年.*$", "", subject or "")
    if not a or not b or "比" in a:
        return False
    return a.endswith(b) or b.endswith(a) or (len(a) >= 2 and len(b) >= 2 and a[-2:] == b[-2:])


_YEAR = re.compile(r"(\d{4})\s*年")


def _clause_text(text: str, s_start: int, at: int) -> str:
    """The words in front of `at` back to the last clause break (at most the sentence)."""
    lo = max(text.rfind(ch, s_start, at) for ch in "，,；;：:")
    return text[max(lo + 1, s_start):at]


def _dated_base(text: str, s_start: int, compare: re.Match[str], before: list[_Amount]) -> tuple[_Amount, _Amount] | None:
    """(base, current) when the comparison names a year ("比 2023 年预算执行数") that one amount of
    the sentence is dated by and a later amount, of another year, is not."""
    named = _YEAR.search(compare.group(0))
    if named is None:
        return None
    year = named.group(1)
    bases = [a for a in before if year in _YEAR.findall(_clause_text(text, s_start, a.start))]
    if not bases:
        return None
    base = bases[-1]
    later = [a for a in before if a.start > base.start]
    if not later:
        return None
    now = later[-1]
    years = _YEAR.findall(_clause_text(text, s_start, now.start))
    if not years or year in years:
        return None  # the current amount must be dated by another year
    return base, now


def _item_named(text: str, s_start: int, stop: int, money: list[_Amount]) -> str:
    """The item a function-code sentence is about ("1.“行政运行（项）”科目"): the words before the
    sentence's first amount, or — when the sentence opens with the years ("2023 年当年预算执行数
    为 …") — before the paragraph's first amount; "" when neither names a classification item."""
    for start in (s_start, 0):
        first = next((a.start for a in money if a.start >= start), stop)
        head = re.split(r"[，,；;。]", text[start:min(first, stop)], maxsplit=1)[0].strip()
        if head and ("”" in head or head.endswith(("科目", "（项）", "(项)"))):
            return head[:48]
    return ""


def _clause_start(text: str, low: int, high: int) -> int:
    """Where the clause ending at `high` starts: after the last ，,；;。：: in text[low:high]
    (looked for backwards in growing windows, so a long sentence is not rescanned per clause)."""
    window = 64
    while True:
        start = max(low, high - window)
        piece = text[start:high]
        last = max(piece.rfind(sep) for sep in "，,；;。：:")
        if last >= 0:
            return start + last + 1
        if start == low:
            return low
        window *= 4


# labels of the amount a sentence opens with and then breaks down (其中 …)
_SENTENCE_TOTALS = ("总预算", "总计", "合计", "总额", "总收入", "总支出")


def _base_of(compare: re.Match[str]) -> tuple[str, int | None]:
    """(base, base year) of a comparison: "budget" when it compares with a budget ("与 2021 年度预算
    相比"), "" for the prior year; the year it names, when printed."""
    named = compare.group(0)
    year = re.search(r"\d{4}", named)
    return ("budget" if "预算" in named and not re.search(r"上年|上一年|去年", named) else "",
            int(year.group(0)) if year else None)


def _is_change_amount(text: str, amount: _Amount) -> bool:
    """An amount printed right after a direction word ("增加 1.05 万元") is a change, no level."""
    return _CHANGE_AMOUNT.search(text, max(0, amount.start - 12), amount.start) is not None


def _respective_changes(paragraph: Paragraph, text: str, money: list[_Amount], s_start: int,
                        lists: list[Respective]) -> tuple[list[RateStatement], set[int]]:
    """ "与 2021 年相比，收、支总计各减少 A、B 万元，各下降 p%、q%": one change for each subject, its
    amount and percentage the subject's own in the two lists, its current value the amount
    the paragraph states earlier under the subject's name ("收、支总计各是 C、D 万元"). Returns the
    statements and the offsets of the direction words read, which `_changes` leaves alone."""
    out: list[RateStatement] = []
    read_words: set[int] = set()
    for k, listed in enumerate(lists):
        if listed.is_level or direction_sign(listed.verb) is None or listed.values[0].number.unit == "%":
            continue
        compares = list(_COMPARE.finditer(text, s_start, listed.start))
        if not compares:
            continue
        compare = compares[-1]
        after = lists[k + 1] if k + 1 < len(lists) else None
        rates = after if (after is not None and after.names == listed.names and not after.is_level
                          and after.values[0].number.unit == "%" and direction_sign(after.verb) == direction_sign(listed.verb)
                          and re.fullmatch(r"[\s，,]*", text[listed.end:after.start])) else None
        base, base_year = _base_of(compare)
        for i, (name, value) in enumerate(zip(listed.names, listed.values, strict=True)):
            earlier = [a for a in money if a.end <= compare.start() and a.label == name]
            line = paragraph.line_at(value.start)
            out.append(RateStatement(
                kind="change", label=name, line=line,
                rate=rates.values[i].number if rates is not None else None,
                text=text[compare.start():(rates or listed).end].strip("，,；; "), formula="change",
                amount=Operand(value.number, line, f"{name}{listed.verb}"),
                current=_operand(paragraph, earlier[-1]) if earlier else None,
                direction=listed.verb, rate_direction=rates.verb if rates is not None else "",
                base=base, base_year=base_year,
            ))
        read_words.add(listed.verb_start)
        if rates is not None:
            read_words.add(rates.verb_start)
    return out, read_words


def _changes(paragraph: Paragraph, text: str, money: list[_Amount], s_start: int,
             s_end: int, read_words: set[int] | None = None) -> Iterator[RateStatement]:
    consumed = -1
    starts = [a.start for a in money]  # in text order (find_amounts): slices by bisection, not scans
    for compare in _COMPARE.finditer(text, s_start, s_end):
        if compare.start() < consumed:
            continue
        word = _DIRECTION.search(text, compare.end(), s_end)
        if word is None or word.start() - compare.end() > 24 or word.start() in (read_words or ()):
            continue  # a respectively list is read by `_respective_changes`
        next_compare = _COMPARE.search(text, word.end(), s_end)
        stop = next_compare.start() if next_compare else s_end
        if next_compare is not None:
            at = bisect_left(starts, word.end())
            follows = money[at] if at < len(money) and money[at].start < stop else None
            if follows is not None and _GAP.fullmatch(text[word.end():follows.start]) and \
                    _REPEAT.fullmatch(text[follows.end:next_compare.end()]):
                # "同比增加 8.25 万元，同比增长 2.8%": one change, its percentage after the repeated marker
                consumed = next_compare.end()
                after = _COMPARE.search(text, consumed, s_end)
                stop = after.start() if after else s_end
        before = money[bisect_left(starts, s_start):bisect_left(starts, compare.start())]
        subject = re.sub(r"[，,\s()（）]", "", text[compare.end():word.start()])
        subject = re.sub(r"(?:各|均|分别|共)$", "", subject)
        # "比上年 80.00 万元减少": the printed previous value is an operand, not a subject.
        subject = re.sub(rf"{_NUM}\s*(?:亿元|万元|元)", "", subject)
        if not subject:
            # "项目支出比上年增加 …": the subject stands in front of the comparison, in its clause.
            clause = text[_clause_start(text, s_start, compare.start()):compare.start()]
            subject = re.sub(r"^(?:与\S*?相比|同比|较上年)", "", clause.strip())
        # The current value is an earlier amount of the same subject; another clause's amount
        # (the previous change in an enumeration) is not it, nor is any change's amount
        # ("…比去年增加 1.05 万元，…；公务接待费…比去年增加 0.5 万元": 1.05 is no level).
        levels = [a for a in before if not _is_change_amount(text, a)]
        same = [a for a in levels if _same_subject(a.label, subject)] if subject else levels[-1:]
        current = _operand(paragraph, same[-1]) if same else None
        subject = subject or (before[-1].label if before else "")
        if current is None and subject:
            # "…收支预算 8641.20 万元。与 2019 年预算相比，一般公共预算收支预算减少 …"
            earlier = [a for a in money if a.start < compare.start() and a.label and (
                a.label.endswith(subject) or subject.endswith(a.label)) and not _is_change_amount(text, a)]
            current = _operand(paragraph, earlier[-1]) if earlier else None
        alt_current = item_amount = None
        if current is not None and before and before[0].number is not current.number and \
                any(w in before[0].label for w in _SENTENCE_TOTALS) and "其中" in text[before[0].end:compare.start()]:
            alt_current = _operand(paragraph, before[0])
        prior = money[bisect_left(starts, compare.start()):bisect_left(starts, word.start())]
        previous = _operand(paragraph, prior[-1]) if prior else None
        dated = _dated_base(text, s_start, compare, before) if previous is None else None
        if dated is not None:
            # "2023 年当年预算执行数为 A 万元，2024 年预算安排 B 万元，比 2023 年预算执行数增加 p%"
            base, now = dated
            previous, current = _operand(paragraph, base), _operand(paragraph, now)
            item = _item_named(text, s_start, compare.start(), money)
            if item:
                subject = item  # the item the sentence is about, not the role of its amounts
                opening = money[0] if money and money[0].start < s_start else None
                if opening is not None and opening.number.value != now.number.value:
                    item_amount = _operand(paragraph, opening)
        following = bisect_left(starts, word.end())
        amount_m = money[following] if following < len(money) and money[following].start < stop else None
        amount = None
        if amount_m is not None and _GAP.fullmatch(text[word.end():amount_m.start]):
            amount = _operand(paragraph, amount_m)
        rate = None
        rate_word = ""
        search_from = amount_m.end if amount is not None and amount_m is not None else word.end()
        for pct in find_amounts(text[search_from:stop]):
            if pct.number.unit != "%":
                continue
            lead = text[search_from:search_from + pct.start]
            if len(lead) > 16 or "占" in lead:
                break
            if consumed > search_from:
                lead = _REPEAT.sub("", text[search_from:consumed]) + text[consumed:search_from + pct.start]
            w = _PCT_WORD.search(lead)
            if w is None and lead.strip(" ，,了"):
                break
            rate = Number(pct.number.value, pct.number.decimals, "%", pct.number.text)
            rate_word = ((w.group(1) or w.group(0)) if w else "").rstrip("为了")
            break
        sign = direction_sign(word.group(0))
        # a flat statement without numbers ("较上年无增减") is kept: it is a part's change of 0
        checkable = rate is not None or (previous is not None and (amount is not None or current is not None)) or (
            sign == 0) or amount is not None
        if not checkable:
            continue
        base, base_year = _base_of(compare)
        yield RateStatement(
            kind="change", label=subject or (current.label if current else ""), line=paragraph.line_at(word.start()),
            rate=rate, text=text[max(s_start, compare.start() - 30):stop].strip("，,；; "), formula="change",
            amount=amount, current=current, previous=previous, direction=word.group(0), rate_direction=rate_word,
            alt_current=alt_current if previous is None else None, item_amount=item_amount,
            base=base, base_year=base_year,
        )


# --------------------------------------------------------------------------- named rates

_NAMED = re.compile(
    rf"(?P<name>资金到位率|到位率|资金投入率|投入率|预算执行率|经费执行率|资金执行率|支出执行率|执行率|实际完成率|"
    rf"预算完成率|完成率|成本节约率|资金节约率|节约率|得分率)\s*(?:为|是|达到|达|约为|约)?\s*"
    rf"(?P<rate>{_NUM})(?:\s*(?P<pct>%)|(?![\d.]|\s*(?:\d|万元|元|分|个|天|次)))"
)
_COMPLETION = re.compile(rf"完成(?:了)?(?:年初|全年|调整后)?预算(?:数)?的?\s*(?P<rate>{_NUM})\s*%")

_ROLES: dict[str, tuple[str, ...]] = {
    "arrived": ("到位", "实到", "到账"),
    "budget": ("预算", "计划投入", "计划资金", "批复", "计划成本", "安排"),
    "spent": ("支出", "使用", "执行数", "执行", "支付", "实际成本", "决算", "完成"),
    "invested": ("投入",),
    "saved": ("节约",),
}
_EXCLUDE: dict[str, tuple[str, ...]] = {
    "budget": ("执行", "支出", "使用", "到位", "节约", "投入资金", "决算", "完成"),
    "invested": ("计划投入",),
    "spent": ("年初预算", "预算数", "全年预算"),  # "支出年初预算数" is the budget, not what was spent
}


_BUDGET_NAMED = ("年初预算数", "年初预算", "全年预算数", "调整预算数", "调整后预算数")


def _role_of(label: str, role: str) -> bool:
    if role == "budget_named":
        # "财政拨款支出年初预算数 472.9 万元": a budget that names what it budgets
        return label.endswith(_BUDGET_NAMED) and not any(w in label for w in ("执行", "决算", "完成", "到位"))
    if not any(w in label for w in _ROLES[role]):
        return False
    return not any(w in label for w in _EXCLUDE.get(role, ()))


def _find(role: str, amounts: list[_Amount], before: int) -> _Amount | None:
    for amount in reversed([a for a in amounts if a.start < before]):
        if _role_of(amount.label, role):
            return amount
    return None


_SCORE = re.compile(rf"(?P<label>[^，。；;：:]{{0,12}}?)(?P<value>{_NUM})\s*分(?![值数类])")


def _named(paragraph: Paragraph, text: str, money: list[_Amount],
           prev: tuple[Paragraph, str, list[_Amount]] | None, over_under: list[OverUnder]) -> Iterator[RateStatement]:
    matches = [(m, m.group("name")) for m in _NAMED.finditer(text)]
    matches += [(m, "完成率") for m in _COMPLETION.finditer(text)]
    if not matches:  # most paragraphs: the previous one's rates are not needed
        return
    previous, prev_text, prev_money = prev if prev is not None else (None, "", [])
    # The paragraph before may supply an operand ("2022年度项目预算资金248.19万元。" then "实际到位
    # 资金 248.19 万元 … 资金到位率 100.00%"), unless it states the same rate itself: then its
    # amounts belong to that statement.
    prev_names = {m.group("name") for m in _NAMED.finditer(prev_text)}
    name = ""

    def lookup(role: str, before: int) -> Operand | None:
        hit = _find(role, money, before)
        if hit is not None:
            return _operand(paragraph, hit)
        if previous is not None and name not in prev_names:
            hit = _find(role, prev_money, len(prev_text))
            if hit is not None:
                return _operand(previous, hit, context=True)
        return None

    for m, name in sorted(matches, key=lambda pair: pair[0].start()):  # noqa: B007 - `lookup` reads it
        if re.search(r"(?:≥|≤|>|<|=|不低于|不高于|不少于|达到|以上)\s*$", text[max(0, m.start() - 4):m.start()]):
            continue
        if re.match(r"\s*(?:以上|以下)", text[m.end():]):
            continue  # a target ("执行率达到 90% 以上"), not a measured rate
        parsed = parse_decimal(m.group("rate"))
        if parsed is None:
            continue
        pct = "pct" in m.groupdict() and m.group("pct")
        rate_text = m.group("rate") + ("%" if pct or name == "完成率" and "预算" in m.group(0) else "")
        rate = Number(parsed[0], parsed[1], "%", rate_text)
        statement = RateStatement(kind="named", label=name, line=paragraph.line_at(m.start("rate")), rate=rate,
                                  text=text[max(0, m.start() - 40):m.end()].strip("，,；; "))
        at = m.start()
        if "到位" in name:
            # 到位 amount; "投入资金" stands for it where no 到位 amount is printed (seed 003).
            statement.numerator = lookup("arrived", at) or lookup("invested", at)
            statement.denominator = lookup("budget", at)
        elif "投入" in name:
            statement.numerator, statement.denominator = lookup("invested", at), lookup("budget", at)
        elif "执行" in name:
            statement.numerator = lookup("spent", at)
            arrived, budget = lookup("arrived", at), lookup("budget", at)
            statement.denominator = arrived or budget
            statement.alt_denominator = budget if arrived is not None else None
        elif "完成" in name:
            done = lookup("spent", at)
            statement.numerator = done if done is not None and any(w in done.label for w in ("完成", "决算", "支出", "执行")) else None
            budget = lookup("budget_named", at) or lookup("budget", at)
            if budget is not None and statement.numerator is not None and not _same_item(statement.numerator, budget):
                budget = None  # "公务接待费支出决算 …，完成年初预算的 100%" is not over the 三公 total's budget
            statement.denominator = budget
            _over_under(paragraph, text, m.end(), over_under, statement)
        elif "节约" in name:
            budget, saved = lookup("budget", at), lookup("saved", at)
            if saved is not None:
                statement.numerator, statement.denominator = saved, budget
            else:
                statement.formula = "complement"
                statement.numerator = statement.denominator = budget
                statement.subtrahend = lookup("spent", at)
        elif name == "得分率":
            statement.kind = "score_rate"
            _score_operands(paragraph, text, at, statement)
        yield statement


_ROLE_SUFFIX = re.compile(r"(?:支出)?(?:年初预算数|年初预算|全年预算数|调整后预算数|调整预算数|预算数|预算|决算数|决算|执行数)$")


def _same_item(spent: Operand, budget: Operand) -> bool:
    """Whether a completion rate's amount spent and its budget can be of one item: not when both
    name items of one family that differ (公务接待费 against the 三公 total)."""
    from auditor.read.facts import concept_of

    def item(label: str) -> str:
        return concept_of(_ROLE_SUFFIX.sub("", re.sub(r"^度", "", label)))[0]

    a, b = item(spent.label), item(budget.label)
    return not (a and b and a != b and a.split(".")[0] == b.split(".")[0])


def _over_under(paragraph: Paragraph, text: str, at: int, over_under: list[OverUnder],
                statement: RateStatement) -> None:
    """ "完成年初预算 100%，决算数大于预算数 42.10 万元": the over/under amount of the same
    sentence; with the amount spent and no printed budget, the budget is spent ∓ the difference."""
    end = min(i for i in (text.find("。", at), len(text)) if i >= 0)
    found = next((o for o in over_under if o.line in paragraph.lines and at <= o.start < end
                  and text[o.start:o.end] == o.words), None)
    if found is None:
        return
    statement.over = Operand(found.amount, found.line, found.words)
    statement.over_sign = found.sign
    spent = statement.numerator
    if statement.denominator is not None or spent is None:
        return
    budget = to_base(spent.number) - found.sign * to_base(found.amount)
    if budget <= 0:
        return
    decimals = min(spent.number.decimals, found.amount.decimals)
    shown = format_decimal(budget / scale_of(spent.number.unit), decimals, False)
    number = Number(budget / scale_of(spent.number.unit), decimals, spent.number.unit, shown + spent.number.unit)
    statement.denominator = Operand(number, found.line, f"{spent.label} {'−' if found.sign > 0 else '+'} {found.amount.text}")
    statement.implied = "over_under"


def _score_operands(paragraph: Paragraph, text: str, at: int, statement: RateStatement) -> None:
    scores = [m for m in _SCORE.finditer(text, max(0, at - 80), at)]
    score = next((m for m in reversed(scores) if "得分" in m.group("label") or "得" in m.group("label")), None)
    weight = next((m for m in reversed(scores) if any(w in m.group("label") for w in ("分值", "满分", "总分值"))), None)
    if score is None:
        return
    s_parsed = parse_decimal(score.group("value"))
    if s_parsed is None:
        return
    statement.numerator = Operand(Number(s_parsed[0], s_parsed[1], "分", score.group("value") + "分"),
                                  paragraph.line_at(score.start("value")), re.sub(r"\s+", "", score.group("label")))
    if weight is not None:
        w_parsed = parse_decimal(weight.group("value"))
        if w_parsed is not None:
            statement.denominator = Operand(Number(w_parsed[0], w_parsed[1], "分", weight.group("value") + "分"),
                                            paragraph.line_at(weight.start("value")), "分值")
            return
    if any(w in statement.numerator.label for w in ("评价得分", "总得分", "综合得分", "自评得分", "得分为", "总分")):
        # The whole evaluation is scored out of 100 points (DOMAIN §4.2, 财预〔2020〕10号).
        statement.denominator = Operand(Number(Decimal(100), 0, "分", "100分"), statement.numerator.line, "满分")
        statement.implied = "full_marks_100"


# --------------------------------------------------------------------------- grids and tables

# Column roles by header word: the rate column, and the numerator/denominator it is computed from.
_GRID_RATES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    # rate header word, numerator header words, denominator header words (first found wins), kind
    ("得分率", ("得分",), ("分值", "权重", "满分"), "score_rate"),
    ("执行率", ("全年执行数", "执行数", "决算数", "支出数", "实际支出"), ("全年预算数", "调整后预算数", "预算数"), "named"),
    ("到位率", ("到位数", "实际到位", "到位资金"), ("全年预算数", "预算数", "计划数"), "named"),
    ("完成率", ("决算数", "完成数", "执行数", "实际数"), ("全年预算数", "年初预算数", "预算数", "计划数"), "named"),
)
_ROW = re.compile(rf"^(?P<label>[^\d%]*?)\s*(?P<nums>(?:-?{_NUM}%?\s+)*-?{_NUM}%?)\s*$")


def _header_roles(names: list[str]) -> tuple[int, int, int, str, str] | None:
    """(rate, numerator, denominator column positions, rate label, kind) for a header."""
    for rate_word, nums, dens, kind in _GRID_RATES:
        rate_at = next((i for i, n in enumerate(names) if n.endswith(rate_word) or n == rate_word), None)
        if rate_at is None:
            continue
        num_at = next((i for w in nums for i, n in enumerate(names) if i != rate_at and w in n and not n.endswith("率")),
                      None)
        den_at = next((i for w in dens for i, n in enumerate(names) if i not in (rate_at, num_at) and w in n
                       and not n.endswith("率")), None)
        if num_at is not None and den_at is not None:
            return rate_at, num_at, den_at, names[rate_at], kind
    return None


def _number(text: str, unit: str) -> Number | None:
    s = normalize(text)
    pct = s.endswith("%")
    parsed = parse_decimal(s.rstrip("%"))
    if parsed is None:
        return None
    return Number(parsed[0], parsed[1], "%" if pct else unit, text.strip())


def _grid_rates(read: ReadDocument) -> Iterator[RateStatement]:
    """Grids printed as space-separated text (PDF extraction): a header line naming a rate
    column and its operand columns, then rows of numbers aligned on the right."""
    lines = sorted({n for p in read.paragraphs for n in p.lines})
    header: tuple[list[str], tuple[int, int, int, str, str], int] | None = None
    misses = 0
    pending_label: list[str] = []
    grid = 0
    for number in lines:
        source = read.doc.line(number)
        if source is None:
            continue
        if header is None and "率" not in source.text:
            # no header yet, and no rate word for one (every _GRID_RATES word ends in 率, which
            # normalize neither folds nor makes): the line changes nothing
            continue
        text = normalize(source.text)
        if not text:
            continue
        names = text.split()
        roles = _header_roles(names) if len(names) >= 3 and not re.search(r"\d", text) else None
        if roles is not None:
            header, misses, pending_label, grid = (names, roles, number), 0, [], grid + 1
            continue
        if header is None:
            continue
        names_h, (rate_at, num_at, den_at, rate_label, kind), _ = header
        row = _ROW.match(text)
        values = row.group("nums").split() if row else []
        if row and values and values[-1].endswith("%"):
            # align from the right: the last value is the last header column
            offset = len(names_h) - len(values)
            def at(col: int, values: list[str] = values, offset: int = offset) -> str | None:
                i = col - offset
                return values[i] if 0 <= i < len(values) else None
            rate_t, num_t, den_t = at(rate_at), at(num_at), at(den_at)
            label = (row.group("label").strip() or "".join(pending_label)).rstrip("：:")
            pending_label = []
            misses = 0
            if rate_t is None or not rate_t.endswith("%"):
                continue
            unit = "分" if kind == "score_rate" else ""
            rate = _number(rate_t, "%")
            num = _number(num_t, unit) if num_t else None
            den = _number(den_t, unit) if den_t else None
            if rate is None:
                continue
            yield RateStatement(
                kind=kind, label=f"{label} {rate_label}".strip(), line=number, rate=rate, text=text,
                numerator=Operand(num, number, names_h[num_at]) if num else None,
                denominator=Operand(den, number, names_h[den_at]) if den else None,
                source="grid", group=f"grid{grid}",
            )
            continue
        misses += 1
        if re.search(r"\d", text) or len(text) > 30 or misses > 8:
            header, pending_label = None, []
        else:
            pending_label.append(text)


def _column_names(columns: list[Column]) -> list[str]:
    return [c.name or (c.path[-1] if c.path else "") for c in columns]


def _table_rates(table: Table) -> Iterator[RateStatement]:
    columns = [c for c in table.columns if c.is_value]
    roles = _header_roles(_column_names(columns))
    if roles is None:
        return
    rate_at, num_at, den_at, rate_label, kind = roles
    unit = "分" if kind == "score_rate" else table.unit
    for row in table.rows:
        if row.kind in ("header", "note"):
            continue
        rate_cell = row.cell(columns[rate_at].index)
        if rate_cell is None or rate_cell.blank:
            continue
        # the cell must print a percent: a bare number under a 率 header is a column the reader
        # misplaced (a spanning header taken for the title shifts every name one column left)
        rate = _number(rate_cell.text, "")
        if rate is None or rate.unit != "%":
            continue
        operands = []
        for at in (num_at, den_at):
            cell = row.cell(columns[at].index)
            number = (cell.number or _number(cell.text, unit)) if cell is not None and not cell.blank else None
            operands.append(Operand(number, row.line, columns[at].name) if number is not None else None)
        yield RateStatement(kind=kind, label=f"{row.label} {rate_label}".strip(), line=row.line, rate=rate,
                            text=row.label, numerator=operands[0], denominator=operands[1], source="table",
                            group=f"table:{table.name}")


def _points(value: Decimal) -> Number:
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Number(value, decimals, "分", f"{value}分")


def _sheet_rates(sheet: ScoreSheet) -> Iterator[RateStatement]:
    for row in sheet.rows:
        if row.rate is None:
            continue
        yield RateStatement(
            kind="score_rate", label=f"{row.name} 得分率", line=row.line, rate=row.rate, text=row.name,
            numerator=Operand(_points(row.score), row.line, "得分") if row.score is not None else None,
            denominator=Operand(_points(row.weight), row.line, "分值") if row.weight is not None else None,
            source="score_sheet", group=f"sheet:{sheet.title}",
        )




# --------------------------------------------------------------------------- operands across the document


def resolve_operands(read: ReadDocument) -> None:
    """Operands a prose rate names but its sentence does not print, found by concept and scope
    anywhere in the document's prose (tables second): the whole named by a share ("占本年支出合计
    的 99.91%") and the current value of a change whose subject is stated in another sentence
    ("“三公”经费预算总额为 2.7 万元。…预算数比上年减少 0.05 万元，减幅 0.01%").

    An operand is taken only when every statement of that concept and scope agrees on its value
    (a document that states two values gives no operand); what stays unfound is named in
    `RateStatement.unresolved`, which the rules report as insufficient data.
    """
    from auditor.read.facts import concept_of, read_facts  # the facts reader needs the lexicon

    facts = read_facts(read.paragraphs)
    levels = [f for f in facts if f.level and f.concept and f.number.unit in _MONEY and not _PRIOR_WORDS.search(f.label)]
    levels += _carried(facts)
    tables = [o for o in read.observations if o.source == "table" and o.bound == "equal" and o.derived == ""]
    by_place = {(f.line, f.number.text): f for f in read_facts(read.paragraphs)}
    for statement in read.rates:
        if statement.source != "prose":
            continue
        if statement.kind == "change":
            current = statement.current
            fact = by_place.get((current.line, current.number.text)) if current is not None and not current.context \
                else None
            statement.concept = (fact.concept if fact is not None else "") or _item_concept(
                fact.label if fact is not None else statement.label)
            if fact is not None and fact.concept and fact.label.endswith(statement.label) and \
                    len(statement.label) < len(fact.label):
                statement.label = fact.label  # "（境）费用": the subject's name was cut at its bracket
        if statement.kind == "share" and statement.denominator is None and statement.whole_name:
            concept, scope = _name_concept(statement.whole_name)
            part = statement.numerator
            if not concept or part is None or concept == concept_of(part.label)[0]:
                continue
            found = _one_value(levels, tables, concept, scope, statement.line, stage_of(statement.whole_name))
            if found is None:
                statement.unresolved = statement.whole_name
            elif to_base(found.number) >= to_base(part.number):
                statement.denominator = found
                statement.implied = "named_whole"
        elif (statement.kind == "change" and statement.current is None and statement.previous is None
              and statement.amount is not None and statement.rate is not None and statement.label):
            concept, scope, _ = concept_of(statement.label)
            if not concept:
                continue
            found = _one_value(levels, tables, concept, scope, statement.line)
            if found is None:
                statement.unresolved = statement.label
            else:
                statement.current = found
                statement.implied = "named_current"
        if (statement.kind == "change" and statement.base == "budget" and statement.previous is None
                and statement.current is not None and statement.concept
                and (statement.base_year is None or statement.base_year == read.year)):
            # "公务接待费支出 5.21 万元，与 2021 年度预算相比 …" in the 2021 决算: the base is this
            # year's budget of the item, printed in the table's 预算数 column
            budget = _budget_cell(read, statement.concept)
            if budget is None:
                statement.unresolved = f"{statement.label} 预算数"
            else:
                statement.previous = budget
                statement.implied = "same_year_budget"
    _complement_wholes(read.rates)
    _listed_wholes(read.rates)


# Parts that together are their whole: a share of each, of one named whole, fixes the whole.
_COMPLEMENT_CONCEPTS = frozenset({"expense.basic", "expense.project"})


def _complement_wholes(statements: list[RateStatement]) -> None:
    """ "基本支出 A 元，占一般公共预算支出的 p%" … "项目支出 B 元，占一般公共预算支出的 q%": when
    the whole is stated nowhere, it is A + B (基本支出 and 项目支出 make up an expenditure)."""
    from auditor.read.facts import concept_of

    groups: dict[str, list[tuple[str, RateStatement]]] = {}
    for statement in statements:
        if statement.unresolved and statement.kind == "share" and statement.numerator is not None:
            concept = concept_of(_NUMBERING.sub("", statement.numerator.label))[0]
            groups.setdefault(statement.whole_name, []).append((concept, statement))
    for members in groups.values():
        concepts = [c for c, _ in members]
        if len(members) != 2 or set(concepts) != _COMPLEMENT_CONCEPTS:
            continue
        parts = [s.numerator.number for _, s in members if s.numerator is not None]
        unit = parts[0].unit
        value = sum((to_base(n) for n in parts), Decimal(0)) / scale_of(unit)
        decimals = min(n.decimals for n in parts)
        number = Number(value, decimals, unit, format_decimal(value, max(n.decimals for n in parts), False) + unit)
        for _, statement in members:
            statement.denominator = Operand(number, members[0][1].line, f"{statement.whole_name}（基本支出 + 项目支出）",
                                            context=True)
            statement.implied = "complement_sum"
            statement.unresolved = ""


def _sum_operand(parts: list[Operand], label: str) -> Operand:
    """The sum of printed amounts, in the unit of the first, printed to the finest of their
    precisions and read to the coarsest; its line is the first part's."""
    unit = parts[0].number.unit
    value = sum((to_base(p.number) for p in parts), Decimal(0)) / scale_of(unit)
    decimals = min(p.number.decimals for p in parts)
    shown = format_decimal(value, max(p.number.decimals for p in parts), False) + unit
    return Operand(Number(value, decimals, unit, shown), parts[0].line, label)


_LIST_MAX = 64  # items of one listed whole at most (the scan from each share stays bounded)


def _listed_wholes(statements: list[RateStatement]) -> None:
    """ "（一）A 类 X 元，占支出总预算 p%。（二）B 类 Y 元，占支出总预算 q%。…": consecutive shares of
    one named whole whose amount is stated nowhere, each with its part, whose printed shares add up
    to 100% within their printed precision, list that whole item by item: it is the sum of their
    parts. The longest such run from each share is taken; a share of another whole, or one without
    its part, ends a run."""
    shares = [s for s in statements if s.kind == "share" and s.source == "prose"]
    runs: list[list[RateStatement]] = []
    for statement in shares:
        part, rate = statement.numerator, statement.rate
        listed = (statement.denominator is None and bool(statement.whole_name) and rate is not None
                  and part is not None and part.number.unit in _MONEY)
        if not listed:
            runs.append([])
        elif runs and runs[-1] and runs[-1][0].whole_name == statement.whole_name:
            runs[-1].append(statement)
        else:
            runs.append([statement])
    hundred = Decimal(100)
    for run in runs:
        i = 0
        while i < len(run) - 1:
            total, slack, end = Decimal(0), Decimal(0), None
            for j in range(i, min(len(run), i + _LIST_MAX)):
                rate = run[j].rate
                assert rate is not None
                total += rate.value
                slack += rate.half_ulp
                if total > hundred + slack:
                    break
                if j > i and abs(total - hundred) <= slack:
                    end = j
            if end is None:
                i += 1
                continue
            members = run[i:end + 1]
            parts = [s.numerator for s in members if s.numerator is not None]
            whole = _sum_operand(parts, f"{members[0].whole_name}，即所列各项之和")
            for statement in members:
                statement.denominator = whole
                statement.implied = "listed_sum"
                statement.unresolved = ""
            i = end + 1


def _budget_cell(read: ReadDocument, concept: str) -> Operand | None:
    """The budget of a concept the tables print as actual: the 预算数 cell of the row of its
    table observation ("因公出国（境）费 | 预算数 20 | 决算数 0"); None unless exactly one."""
    found: list[Operand] = []
    for obs in read.observations:
        if obs.source != "table" or obs.concept != concept or obs.derived or not 0 <= obs.table_index < len(read.tables):
            continue
        table = read.tables[obs.table_index]
        budget_columns = [c for c in table.columns if c.is_value and "预算" in (c.name or "")
                          and not any(w in (c.name or "") for w in ("决算", "执行", "上年"))]
        row = next((r for r in table.rows if r.line == obs.line), None)
        if row is None or len(budget_columns) != 1:
            continue
        cell = row.cell(budget_columns[0].index)
        if cell is None or cell.number is None:
            continue
        unit = cell.number.unit or table.unit or "元"
        number = Number(cell.number.value, cell.number.decimals, unit,
                        cell.number.text if cell.number.text.endswith("元") else f"{cell.number.text}{unit}")
        found.append(Operand(number, row.line, f"{table.title}「{row.label}」{budget_columns[0].name}", context=True))
    values = {(o.number.value, o.number.unit) for o in found}
    return found[0] if len(values) == 1 else None


def _item_concept(label: str) -> str:
    """The concept of a change's subject: "(二)公务用车购置及运行费支出预算" is 公务用车购置及运行费."""
    from auditor.read.facts import concept_of

    core = _NUMBERING.sub("", label)
    for candidate in (core, _ROLE_SUFFIX.sub("", core), re.sub(r"(?:支出)?(?:预算|决算)?(?:数)?$", "", core)):
        concept = concept_of(candidate)[0]
        if concept:
            return concept
    return ""


_NUMBERING = re.compile(r"^\s*(?:\d+[.、．]|[（(]?[一二三四五六七八九十\d]+[）)、])\s*")
_PRIOR_WORDS = re.compile(r"上年|上一年|去年|同期|比|较")


def _name_concept(name: str) -> tuple[str, str]:
    """(concept, scope word) of a named whole; a department's name in front of the year
    ("示例县文化馆2020年度一般公共预算…") is not part of it."""
    from auditor.read.facts import concept_of

    concept, scope, _ = concept_of(name)
    if not concept:
        dated = list(_YEAR.finditer(name))
        if dated:
            concept, scope, _ = concept_of(re.sub(r"^度", "", name[dated[-1].end():]))
    return concept, scope


_ROLE_ONLY = re.compile(r"^(?:支出|收入)?(?:决算|预算)数?(?:为|是)?$")


def stage_of(label: str) -> str:
    """ "final" for a 决算 amount, "budget" for a 预算 amount ("一般公共预算" is a scope, not a
    stage), "" when the label says neither."""
    bare = re.sub(r"一般公共预算|预算单位|部门预算", "", label)
    if "决算" in bare:
        return "final"
    return "budget" if "预算" in bare else ""


def _carried(facts: list) -> list:
    """ "“三公”经费支出预算为 18 万元，支出决算为 4.35 万元": an amount labelled only by its role
    is the same item as the amount before it in the sentence, at another stage."""
    from dataclasses import replace

    out = []
    for before, fact in zip(facts, facts[1:], strict=False):
        if (fact.concept or not _ROLE_ONLY.match(fact.label) or not before.concept or before.paragraph != fact.paragraph
                or before.line != fact.line or not before.level or stage_of(before.label) == stage_of(fact.label)):
            continue
        out.append(replace(fact, concept=before.concept, scope=before.scope, label=f"{before.core}（{fact.label}）"))
    return out


def _one_value(levels: list, tables: list, concept: str, scope: str, line: int, stage: str = "") -> Operand | None:
    """The one value the document states for (concept, scope) at a stage (决算 / 预算, when the
    name says): prose first, then printed table cells; None when nothing is stated or the
    statements disagree."""
    from auditor.tolerance import interval as iv_of

    # a name without a scope word may be stated with one ("财政拨款“三公”经费预算总额"): every
    # statement of the concept must then agree
    prose = [f for f in levels if f.concept == concept and (f.scope == scope or not scope) and f.line != line
             and (not stage or stage_of(f.label) in (stage, ""))]
    if prose:
        intervals = [iv_of(f.number) for f in prose]
        if all(a.meets(b) for a in intervals for b in intervals):
            best = min(prose, key=lambda f: (f.line > line, abs(f.line - line)))
            return Operand(best.number, best.line, best.label, context=True)
        return None
    cells = [o for o in tables if o.concept == concept and (not scope or o.scope in ("", "general", "fiscal"))
             and (not stage or stage_of(o.column) in (stage, ""))]
    if cells and not scope:
        intervals = [o.interval() for o in cells]
        if all(a.meets(b) for a in intervals for b in intervals):
            best = cells[0]
            return Operand(Number(best.number.value, best.number.decimals, best.unit, best.number.text),
                           best.line, best.row or best.label, context=True)
    return None
