"""Arithmetic the prose states itself: enumerations with their total, counts, price × quantity.

A 情况说明 section often spells out a sum: "共有编制 275 人，其中：行政编制 193 人，行政工勤 19 人，
事业编制 63 人", "运行经费安排 1648.86 万元，…其中：办公费 360.28 万元、…", "单价0.38万元，数量20个，
共计7.6万元", "部门预算项目 9 个 … 驻外办事处经费 116 万元、…". This reader recognises those
structures in `ReadDocument.paragraphs` (the reading copy: auditor.load.normalize) and returns
them as `Enumeration` objects; the rule `narrative.arithmetic` (checks/narrative/arithmetic.py) only
does the arithmetic.

How an enumeration is delimited (each choice is pinned by a test):

* A connector (其中 / 包括 / 主要包括 / 分别为 / 以下方面 / 如下 / 分项目情况为 / 主要项目) opens the
  parts; the total is the last amount before it in the same sentence (or, when the sentence has
  none, the paragraph's amount before it; for "如下" the paragraph's only amount: when the
  paragraph states several, the list after "具体情况如下" details them and has no total).
* Parts are the amounts after the connector with the total's kind of unit (money, or the same
  count word: 人, 辆, 个 …). Percentages, changes ("减少 27 万元"), thresholds ("50 万元以上")
  and amounts of another unit are skipped.
* Parts separated by "，" / "、" end at "；"; when the first two parts are separated by "；" the
  list runs on from clause to clause while each "；" clause holds an amount.
* "其中" after a part, or a bracket right after it ("一般公共预算 8641.20 万元（财政拨款 …）"), opens
  a nested enumeration whose total is that part; inside the bracket "；" and "。" separate its
  clauses, and the outer list resumes after the closing bracket.
* A connector that ends its paragraph (nothing but punctuation after it: "…其中：",
  "具体采购明细如下。") takes its parts from the
  numbered paragraphs that follow ("1. …", "2. …"): their price lines, or the amounts of their
  first sentence.
* A count followed by the names it counts, one by one ("设 9 个内设机构，分别为：办公室、…。",
  "直属事业单位 10 个，即 …"), is a "count" with the names in `items`; a list that ends with 等,
  holds numbers or "，", or is introduced by 包括 (which may name only some) is not counted, and a
  last name holding 和/及/与 may be two.
* A part named exactly like its total ("差值为 0.9 万元。其中：…，差值为 0 万元") is not a part: the
  clauses restate each item's attributes.
* "（一）按功能科目分类，包括 …" has no total of its own: it takes the first amount of the nearest
  earlier paragraph that is not such a sub-item (`total_from="context"`); "主要项目：…" takes the
  nearest earlier "项目支出" amount (`scope="main"`: a list of main projects may be partial).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.model import Number, Paragraph, ReadDocument
from auditor.numbers import COUNT_UNITS, find_amounts, parse_decimal
from auditor.read.facts import CATALOG, cut_unclosed_bracket
from auditor.yaml_files import read_yaml_file

MONEY = "money"

# Connectors, longest first. "以下方面" covers "主要用于以下方面："; "如下" covers "具体采购明细如下".
_CONNECTOR = re.compile(
    r"主要项目[：:]|分项目情况为|主要包括|其中|包括|分别为|分别是|具体为|以下方面|如下"
)
_LIST_CONNECTORS = ("如下", "分项目情况为")
_TRAILING_TOTAL = re.compile(r"(?:合计|共计|总计)\s*$")
_CHANGE = re.compile(r"增加|减少|增长|下降|降低|提高|上升|节约|节省|持平|相比|同比|比上年|比\s*\d{4}\s*年|较上年|较\s*\d{4}")
_THRESHOLD_AFTER = re.compile(r"^\s*(?:及)?(?:以上|以下|以内)")
_CLAUSE_BREAK = re.compile(r"[，。；：、,;:\n]")
_NUMBERED = re.compile(r"^\s*(?:\d+[.．、](?!\d)|[（(]\d+[)）]|[①-⑳])")
_SUBITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
_SENTENCE_END = "。！？"
_SEMI = "；;"
_OPEN = "（("
_CLOSE = "）)"
# the marks as one character class: a paragraph is scanned for them in C, not char by char
_PUNCT_MARK = re.compile("[" + re.escape(_SENTENCE_END + _SEMI + _OPEN + _CLOSE) + "]")

_COUNT_WORDS = tuple(sorted({u for u in COUNT_UNITS if u not in ("公里", "千米", "米", "平方米", "平方公里", "亩", "吨")},
                            key=len, reverse=True))
_COUNT = re.compile(
    r"(?<![0-9.,])([0-9]+)\s*(" + "|".join(map(re.escape, _COUNT_WORDS)) + r")(?![月年日天时])"
)
_PRICE = re.compile(
    r"单价\s*[:：为]?\s*(?P<price>[0-9]+(?:\.[0-9]+)?)\s*(?P<punit>万元|元)\s*[，,、；;\s]*"
    r"数量\s*[:：为]?\s*(?P<qty>[0-9]+(?:\.[0-9]+)?)\s*(?P<qunit>[^\d\s，,、；;。]{0,3}?)\s*[，,、；;\s]*"
    r"(?:共计|合计|金额|总价|小计|计)\s*[:：为]?\s*(?P<amount>[0-9]+(?:\.[0-9]+)?)\s*(?P<aunit>万元|元)"
)
_PRICE_QTY_FIRST = re.compile(
    r"数量\s*[:：为]?\s*(?P<qty>[0-9]+(?:\.[0-9]+)?)\s*(?P<qunit>[^\d\s，,、；;。]{0,3}?)\s*[，,、；;\s]*"
    r"单价\s*[:：为]?\s*(?P<price>[0-9]+(?:\.[0-9]+)?)\s*(?P<punit>万元|元)\s*[，,、；;\s]*"
    r"(?:共计|合计|金额|总价|小计|计)\s*[:：为]?\s*(?P<amount>[0-9]+(?:\.[0-9]+)?)\s*(?P<aunit>万元|元)"
)
_PROJECT_COUNT = re.compile(
    r"(?:项目(?:共有|共计|共)?\s*(?P<n1>[0-9]+)\s*个)|(?:共(?:有|计)?\s*(?P<n2>[0-9]+)\s*个(?:预算|绩效)?项目)"
)
# An amount of the project portfolio, not of one project: "年初批复预算8个项目 985 万元", "调整预算后
# 项目预算 861.46 万元", "实际到位资金 334.67 万元" (a count in the label, or a budget stage)
_PORTFOLIO = re.compile(r"\d+\s*个|批复预算|调整预算|调整后|到位资金|结转结余项目")
_MONTHLY = re.compile(
    r"(?:每月|月均|按月|每人每月)[^，。；0-9]{0,8}?(?P<m>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<mu>万元|元)"
    r"[^。；]{0,20}?(?:全年|每年|一年|年度合计|年合计)[^，。；0-9]{0,8}?(?P<y>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<yu>万元|元)"
)
_FORMULA = re.compile(
    r"(?<![0-9.])(?P<total>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[^\d\s(（，。；、]{0,4}?)\s*[（(]\s*"
    r"(?P<expr>[0-9]+(?:\.[0-9]+)?(?:\s*[+＋]\s*[0-9]+(?:\.[0-9]+)?)+)\s*[)）]"
)
_TOTAL_WORDS = re.compile(r"合计|共计|总计|涉及|项目支出|总额|总体")


@dataclass(frozen=True)
class Term:
    """One printed number of an enumeration: its label, value, source line and paragraph offset."""

    label: str
    number: Number
    line: int
    paragraph: int  # index into ReadDocument.paragraphs
    start: int  # offset in the paragraph text

    @property
    def unit_class(self) -> str:
        return MONEY if self.number.unit in ("元", "万元", "亿元") else self.number.unit


@dataclass
class Enumeration:
    """A piece of prose arithmetic.

    kind: "sum" (the parts add up to the total), "count" (the number of listed items equals the
    stated count `total`), "product" (parts = [unit price, quantity], total = the line amount),
    "monthly" (parts = [monthly amount], total = the yearly amount, yearly = 12 × monthly).
    `total` is None only when no total could be found (such enumerations are not returned).
    `total_from` is "same" when the total is printed in the same paragraph, "context" when it was
    taken from an earlier paragraph. `scope` is "main" for a list of 主要项目 (may be partial).
    `nested_in` names the part of an enclosing enumeration this one breaks down, if any.
    """

    kind: str
    total: Term
    parts: list[Term]
    connector: str
    paragraph: int
    line: int
    total_from: str = "same"
    scope: str = "full"
    text: str = ""  # the sentence as printed (for keys and messages), trimmed
    nested_in: str = ""
    items: list[str] = field(default_factory=list)  # count: the names of the listed items
    # count of names ("设9个内设机构，分别为：A、B…"): the most items the list may name, when its
    # last item may join two names with 和/及/与 ("A、B和C" names 2 or 3); 0 when exact
    listed_max: int = 0


# --------------------------------------------------------------------------- tokens


@dataclass
class _Tok:
    kind: str  # "amount" | "conn" | "semi" | "stop" | "open" | "close"
    start: int
    end: int
    term: Term | None = None
    word: str = ""


# the pieces a label in front of an amount is trimmed of (asked for every amount of every paragraph)
_YEAR_WORD = re.compile(r"\d{4}\s*年度?")
_ITEM_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、])\s*")
_LIST_OPENER = re.compile(r"^(?:其中|包括|主要包括|分别为)")
_LIST_OPENERS = ("其中", "包括", "主要包括", "分别为")
_CLAUSE_MARK = re.compile(r"[，。；：,;:]")
_PROJECT_SPENDING_LABEL = re.compile(r"项目支出(预算)?(为|是|共|共计|合计|安排)?$")


def _label_before(text: str, start: int) -> str:
    window = text[max(0, start - 40): start]
    parts = _CLAUSE_BREAK.split(window)
    label = parts[-1] if parts else window
    label = cut_unclosed_bracket(label)
    # a heading run into the sentence ("…情况说明2020 年一般公共预算…"): keep what follows the year
    # (a label without 年 splits into itself)
    tail = (_YEAR_WORD.split(label)[-1] if "年" in label else label).strip()
    label = tail or label
    label = _ITEM_NUMBER.sub("", label)
    if label.startswith(_LIST_OPENERS):  # the one opener _LIST_OPENER removes (none is another's prefix)
        label = _LIST_OPENER.sub("", label)
    return label.strip()


def _is_change(text: str, start: int) -> bool:
    window = text[max(0, start - 16): start]
    clause = _CLAUSE_MARK.split(window)[-1]
    return bool(_CHANGE.search(clause))


def _amount_terms(text: str, index: int, paragraph: Paragraph) -> list[Term]:
    """Money and count amounts of a paragraph (not percentages, changes or thresholds)."""
    key = (id(paragraph), index, text)
    cached = _TERMS_CACHE.get(key)
    if cached is not None and cached[0] is paragraph:
        return list(cached[1])
    terms = _find_terms(text, index, paragraph)
    _TERMS_CACHE[key] = (paragraph, terms)
    return list(terms)


_TERMS_CACHE: dict[tuple[int, int, str], tuple[Paragraph, list[Term]]] = {}


def _find_terms(text: str, index: int, paragraph: Paragraph) -> list[Term]:
    found: list[tuple[int, int, Number]] = []
    for m in find_amounts(text):
        if m.number.unit == "%":
            continue
        found.append((m.start, m.end, m.number))
    money_spans = [(s, e) for s, e, _ in found]
    for m in _COUNT.finditer(text):
        if any(s <= m.start() < e for s, e in money_spans):
            continue
        value = parse_decimal(m.group(1))
        if value is None:
            continue
        found.append((m.start(), m.end(), Number(value[0], value[1], m.group(2), m.group(0))))
    terms = []
    for start, end, number in sorted(found, key=lambda f: f[0]):
        if _THRESHOLD_AFTER.match(text[end:end + 4]) or _is_change(text, start):
            continue
        terms.append(Term(_label_before(text, start), number, paragraph.line_at(start), index, start))
    return terms


def _tokens(text: str, terms: list[Term]) -> list[_Tok]:
    toks: list[_Tok] = [_Tok("amount", t.start, t.start + len(t.number.text), term=t) for t in terms]
    covered: set[int] = set()
    for t in toks:
        covered.update(range(t.start, t.end))
    for m in _CONNECTOR.finditer(text):
        if m.start() in covered:
            continue
        toks.append(_Tok("conn", m.start(), m.end(), word=m.group(0).rstrip("：:")))
    for mark in _PUNCT_MARK.finditer(text):
        i, ch = mark.start(), mark.group(0)
        if i in covered:
            continue
        if ch in _SEMI:
            toks.append(_Tok("semi", i, i + 1))
        elif ch in _SENTENCE_END:
            toks.append(_Tok("stop", i, i + 1))
        elif ch in _OPEN:
            toks.append(_Tok("open", i, i + 1))
        elif ch in _CLOSE:
            toks.append(_Tok("close", i, i + 1))
    toks.sort(key=lambda t: (t.start, t.kind != "amount"))
    return _drop_empty_brackets(toks)


def _drop_empty_brackets(toks: list[_Tok]) -> list[_Tok]:
    """Brackets with no amount inside ("维修(护)费", "（一）") are part of a label: drop them."""
    keep = [True] * len(toks)
    stack: list[int] = []
    # amounts[k]: the amounts among toks[:k], so that "any amount between j and i" is one
    # subtraction; opened[k]: whether a bracket is open at toks[k] (a close with none open is dropped)
    amounts = [0] * (len(toks) + 1)
    opened = [False] * len(toks)
    depth = 0
    for i, t in enumerate(toks):
        kind = t.kind
        amounts[i + 1] = amounts[i] + (kind == "amount")
        opened[i] = depth > 0
        if kind == "open":
            depth += 1
            stack.append(i)
        elif kind == "close":
            depth = max(0, depth - 1)
            if stack:
                j = stack.pop()
                if amounts[i] == amounts[j + 1]:
                    keep[i] = keep[j] = False
    for j in stack:  # unbalanced opening bracket: ignore
        keep[j] = False
    return [t for t, k, o in zip(toks, keep, opened, strict=True) if k and not (t.kind == "close" and not o)]


# --------------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, read: ReadDocument, index: int, text: str, toks: list[_Tok]) -> None:
        self.read = read
        self.index = index
        self.text = text
        self.toks = toks
        self.found: list[Enumeration] = []

    def compatible(self, term: Term, cls: str | None) -> bool:
        return cls is None or term.unit_class == cls

    def clause_has_amount(self, i: int, cls: str | None) -> bool:
        """Whether the "；" clause starting at token i holds an amount of the class."""
        depth = 0
        while i < len(self.toks):
            t = self.toks[i]
            if t.kind in ("semi", "stop") and depth == 0:
                return False
            if t.kind == "open":
                depth += 1
            elif t.kind == "close":
                depth -= 1
                if depth < 0:  # the bracket around the list closes: no further clause
                    return False
            elif t.kind == "amount" and depth == 0 and t.term and self.compatible(t.term, cls):
                return True
            i += 1
        return False

    def skip_bracket(self, i: int) -> int:
        depth = 0
        while i < len(self.toks):
            if self.toks[i].kind == "open":
                depth += 1
            elif self.toks[i].kind == "close":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i

    def parts(self, i: int, cls: str | None, connector: str, nested_in: str = "",
              in_bracket: bool = False) -> tuple[list[Term], int, str | None]:
        """Parse the parts from token i; returns (parts, index after them, unit class)."""
        items: list[Term] = []
        mode: str | None = None
        while i < len(self.toks):
            t = self.toks[i]
            if t.kind == "stop" and not in_bracket:
                break
            if t.kind == "close":
                break
            # inside a bracket, "；" and "。" separate the bracket's own clauses ("（A 100 万元，比上年增加
            # 0 万元；B 400 万元，…。）"): the list runs on while each clause holds an amount
            if t.kind == "semi" or (t.kind == "stop" and in_bracket):
                if not items or mode == "comma":
                    break
                if not self.clause_has_amount(i + 1, cls):
                    if in_bracket:
                        i += 1
                        continue
                    break
                mode = "semi"
                i += 1
                continue
            if t.kind == "amount" and t.term is not None:
                if not self.compatible(t.term, cls):
                    i += 1
                    continue
                cls = cls or t.term.unit_class
                if len(items) == 1 and mode is None:
                    mode = "comma"
                items.append(t.term)
                i += 1
                continue
            if t.kind == "conn":
                if items:
                    i = self.nested(i, items[-1], cls)
                    continue
                i += 1
                continue
            if t.kind == "open":
                if items and self.adjacent(items[-1], t):
                    sub, _, _ = self.parts(i + 1, cls, "（", nested_in=items[-1].label, in_bracket=True)
                    self.add("sum", items[-1], sub, "（", nested_in=items[-1].label)
                    i = self.skip_bracket(i)  # whatever the bracket holds, the outer list resumes after it
                    continue
                i = self.skip_bracket(i)
                continue
            i += 1
        return items, i, cls

    def adjacent(self, term: Term, tok: _Tok) -> bool:
        between = self.text[term.start + len(term.number.text): tok.start]
        return not between.strip(" ，,")

    def nested(self, i: int, whole: Term, cls: str | None) -> int:
        conn = self.toks[i]
        sub, end, sub_cls = self.parts(i + 1, whole.unit_class, conn.word, nested_in=whole.label)
        if sub:
            self.add("sum", whole, sub, conn.word, nested_in=whole.label)
        elif self.ends_paragraph(i):
            self.list_from_following(whole, conn.word)
        return end

    def ends_paragraph(self, i: int) -> bool:
        """Whether the connector at token i is the last word of its paragraph ("…其中：",
        "具体情况如下。"): only then do the numbered paragraphs after it list its parts. A connector
        followed by more words ("（包括实行公务员管理的事业单位）开支的…") is not a list opener."""
        return not self.text[self.toks[i].end:].strip(" ：:。，,；;.\n")

    def add(self, kind: str, total: Term, parts: list[Term], connector: str, *, total_from: str = "same",
            scope: str = "full", nested_in: str = "") -> None:
        if not parts or total is None:
            return
        if len(parts) == 1 and parts[0] is total:
            return
        if total.label and any(p.label == total.label for p in parts):
            # "支出 0 万元，年初预算为 0 万元，差值为 0 万元" after "差值为 0.9 万元。其中：": the clause
            # restates the attributes of each item; a part cannot bear its whole's own name
            return
        self.found.append(Enumeration(kind, total, parts, connector, self.index, total.line if total_from == "same"
                                      else parts[0].line, total_from, scope, self.sentence(parts[0].start),
                                      nested_in))

    def sentence(self, offset: int) -> str:
        starts = [self.text.rfind(ch, 0, offset) for ch in _SENTENCE_END]
        begin = max(starts) + 1
        ends = [e for e in (self.text.find(ch, offset) for ch in _SENTENCE_END) if e >= 0]
        end = min(ends) + 1 if ends else len(self.text)
        return self.text[begin:end].strip()[:160]

    def total_before(self, i: int, cls: str | None, whole_paragraph: bool) -> Term | None:
        """The total of a connector at token i: the last amount before it in the sentence (same
        bracket depth), or in the paragraph when `whole_paragraph`."""
        candidates = []
        depth = 0
        for k in range(i - 1, -1, -1):
            t = self.toks[k]
            if t.kind == "close":
                depth += 1
            elif t.kind == "open":
                depth = max(0, depth - 1)
            elif t.kind == "stop" and not whole_paragraph and depth == 0:
                break
            elif t.kind == "amount" and depth == 0 and t.term and self.compatible(t.term, cls):
                candidates.append(t.term)
        if not candidates:
            return None
        return candidates[0]

    def heading_total(self, i: int, cls: str | None = None) -> Term | None:
        """The total a list connector with no amount in its own sentence ("具体情况如下：") refers to:
        the paragraph's one amount before it. When the paragraph states several ("因公出国费 0 元，
        占 0%；公务用车费 18,204.36 元，…。具体情况如下："), the list that follows details those
        items one by one, and none of them is its total."""
        candidates = []
        for k in range(i - 1, -1, -1):
            t = self.toks[k]
            if t.kind == "amount" and t.term and self.compatible(t.term, cls):
                candidates.append(t.term)
        return candidates[0] if len(candidates) == 1 else None

    def run(self) -> None:
        i = 0
        while i < len(self.toks):
            t = self.toks[i]
            if t.kind != "conn":
                i += 1
                continue
            if t.word.startswith("主要项目"):
                items, end, _ = self.parts(i + 1, MONEY, t.word)
                total = _project_total(self.read, self.index, self.toks, i)
                if total is not None and items:
                    self.add("sum", total, items, "主要项目", total_from="context" if total.paragraph != self.index
                             else "same", scope="main")
                i = max(end, i + 1)
                continue
            same = self.total_before(i, None, whole_paragraph=False)
            cls = same.unit_class if same else None
            items, end, cls = self.parts(i + 1, cls, t.word)
            if items:
                total = same
                total_from = "same"
                if total is None and t.word in _LIST_CONNECTORS:
                    total = self.heading_total(i, cls)
                elif total is None:
                    total = self.total_before(i, cls, whole_paragraph=True)
                if total is None and t.word == "包括" and _SUBITEM.match(self.text):
                    total = _context_total(self.read, self.index, cls)
                    total_from = "context"
                if total is not None:
                    self.add("sum", total, items, t.word, total_from=total_from)
            elif self.ends_paragraph(i):
                total = same or self.heading_total(i)
                if total is not None:
                    self.list_from_following(total, t.word)
            i = max(end, i + 1)

    def list_from_following(self, total: Term, connector: str) -> None:
        """Parts listed in the numbered paragraphs after this one ("1. …", "2. …")."""
        parts: list[Term] = []
        paragraphs = self.read.paragraphs
        k = self.index + 1
        while k < len(paragraphs) and _NUMBERED.match(paragraphs[k].text):
            p = paragraphs[k]
            price = _price_lines(p, k)
            if price:
                parts.extend(e.total for e in price if e.total.unit_class == total.unit_class)
            else:
                first_end = min([e for e in (p.text.find(ch) for ch in _SENTENCE_END) if e >= 0] or [len(p.text)])
                parts.extend(t for t in _amount_terms(p.text, k, p)
                             if t.start < first_end and t.unit_class == total.unit_class)
            k += 1
        if len(parts) >= 2:
            self.add("sum", total, parts, connector)


def _context_total(read: ReadDocument, index: int, cls: str | None) -> Term | None:
    """For "（一）按…分类，包括 …": the first amount of the nearest earlier paragraph that is not a
    sub-item; None when a heading (a paragraph without amounts) comes first."""
    for k in range(index - 1, max(-1, index - 6), -1):
        p = read.paragraphs[k]
        if _SUBITEM.match(p.text):
            continue
        terms = [t for t in _amount_terms(p.text, k, p) if cls is None or t.unit_class == cls]
        return terms[0] if terms else None
    return None


def _project_total(read: ReadDocument, index: int, toks: list[_Tok], i: int) -> Term | None:
    """The nearest 项目支出 amount before token i of paragraph `index` (this or earlier paragraphs)."""
    for k in range(index, -1, -1):
        p = read.paragraphs[k]
        terms = _amount_terms(p.text, k, p)
        if k == index:
            terms = [t for t in terms if t.start < toks[i].start]
        for t in reversed(terms):
            if t.unit_class == MONEY and _PROJECT_SPENDING_LABEL.search(t.label):
                return t
    return None


def _price_lines(p: Paragraph, index: int) -> list[Enumeration]:
    out = []
    for pattern in (_PRICE, _PRICE_QTY_FIRST):
        for m in pattern.finditer(p.text):
            values = {}
            for name, unit_name in (("price", "punit"), ("amount", "aunit")):
                parsed = parse_decimal(m.group(name))
                if parsed is None:
                    break
                values[name] = Number(parsed[0], parsed[1], m.group(unit_name), m.group(name) + m.group(unit_name))
            qty = parse_decimal(m.group("qty"))
            if len(values) < 2 or qty is None:
                continue
            qunit = m.group("qunit") or ""
            label = _label_before(p.text, m.start()) or p.text[: m.start()].strip(" ，,")
            label = re.sub(r"^\s*\d+[.．、]\s*", "", label)
            price = Term(label, values["price"], p.line_at(m.start("price")), index, m.start("price"))
            quantity = Term(label, Number(qty[0], qty[1], qunit, m.group("qty") + qunit), p.line_at(m.start("qty")),
                            index, m.start("qty"))
            amount = Term(label, values["amount"], p.line_at(m.start("amount")), index, m.start("amount"))
            out.append(Enumeration("product", amount, [price, quantity], "单价×数量", index, amount.line,
                                   text=p.text[m.start(): m.end()]))
    return out


def _monthly(p: Paragraph, index: int) -> list[Enumeration]:
    out = []
    for m in _MONTHLY.finditer(p.text):
        terms = []
        for name, unit_name in (("m", "mu"), ("y", "yu")):
            parsed = parse_decimal(m.group(name))
            if parsed is None:
                break
            text = m.group(name) + m.group(unit_name)
            terms.append(Term(_label_before(p.text, m.start(name)), Number(parsed[0], parsed[1], m.group(unit_name), text),
                              p.line_at(m.start(name)), index, m.start(name)))
        if len(terms) == 2:
            out.append(Enumeration("monthly", terms[1], [terms[0]], "每月×12", index, terms[1].line,
                                   text=p.text[m.start(): m.end()]))
    return out


def _formulas(p: Paragraph, index: int) -> list[Enumeration]:
    """"共计 1394 平方公里(652+742)": a total with its own sum in brackets."""
    out = []
    for m in _FORMULA.finditer(p.text):
        unit = m.group("unit")
        parsed = parse_decimal(m.group("total"))
        if parsed is None:
            continue
        label = _label_before(p.text, m.start())
        total = Term(label, Number(parsed[0], parsed[1], unit, m.group("total") + unit), p.line_at(m.start()), index,
                     m.start())
        parts = []
        offset = m.start("expr")
        for piece in re.finditer(r"[0-9]+(?:\.[0-9]+)?", m.group("expr")):
            value = parse_decimal(piece.group(0))
            if value is not None:
                parts.append(Term(label, Number(value[0], value[1], unit, piece.group(0)),
                                  p.line_at(offset + piece.start()), index, offset + piece.start()))
        out.append(Enumeration("sum", total, parts, "+", index, total.line, text=p.text[m.start(): m.end()]))
    return out


def _project_counts(read: ReadDocument, p: Paragraph, index: int) -> list[Enumeration]:
    """"项目 9 个 … A 116 万元、B 30 万元 …": the stated count against the projects listed after it
    in the same paragraph (amounts labelled 合计/项目支出/涉及 … are totals, not projects)."""
    out = []
    for m in _PROJECT_COUNT.finditer(p.text):
        n = m.group("n1") or m.group("n2")
        parsed = parse_decimal(n)
        if parsed is None:
            continue
        items = [t for t in _amount_terms(p.text, index, p)
                 if t.start > m.end() and t.unit_class == MONEY and t.label and not _TOTAL_WORDS.search(t.label)
                 and not _PORTFOLIO.search(t.label)]
        if len(items) < 2 and parsed[0] >= 2:
            continue  # no list to count
        count = Term("项目个数", Number(parsed[0], 0, "个", m.group(0)), p.line_at(m.start()), index, m.start())
        e = Enumeration("count", count, items, "项目个数", index, count.line, text=p.text[m.start(): m.end()])
        e.items = [t.label for t in items]
        out.append(e)
        # the listed projects add up to 项目支出 (printed here or earlier)
        total = _project_total(read, index, [_Tok("conn", len(p.text), len(p.text))], 0)
        if total is not None and len(items) >= 2:
            same = total.paragraph == index
            out.append(Enumeration("sum", total, items, "项目个数", index, items[0].line,
                                   "same" if same else "context", "full", e.text))
    return out


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# "设9个内设机构，分别为：…" / "直属事业单位10个，即…": a count, what it counts, then a connector
# that announces the names one by one (not 包括, which may name only some)
_NAMED_COUNT = re.compile(
    r"(?<![0-9.,])(?P<n>[0-9]{1,3}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>个|家|所|名|位|项|处|类|支|座|条)"
    r"(?P<noun>[\u4e00-\u9fff]{0,12}?)\s*(?:[，,]\s*)?(?:(?:分别为|分别是|即|具体为)\s*[:：]?|[:：])\s*"
)
_NAME_END = re.compile(r"[。；;！？!?\n]")
# the words one of which every _NAMED_COUNT match holds (its connector or colon)
_NAMED_COUNT_LITERALS = re.compile(r"分别为|分别是|即|具体为|[:：]")
_JOINED = re.compile(r"[和及与]|以及")


def _chinese_count(text: str) -> int | None:
    """"9" -> 9, "十二" -> 12, "二十" -> 20; None for anything else."""
    if text.isdigit():
        return int(text)
    if text in _CN_DIGITS:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if "十" not in text or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _split_names(segment: str) -> list[str] | None:
    """The names of a "、" list, or None when the segment is not a plain list of names: it holds
    numbers or "，" (clauses, not names), ends with 等 (a partial list), or a name is too short or
    too long to be one."""
    if re.search(r"[0-9０-９，,]", segment):
        return None
    names: list[str] = []
    depth, current = 0, ""
    for ch in segment:
        if ch in "（(《“":
            depth += 1
        elif ch in "）)》”":
            depth -= 1
        if ch == "、" and depth == 0:
            names.append(current.strip())
            current = ""
        else:
            current += ch
    names.append(current.strip())
    if len(names) < 2 or names[-1].endswith(("等", "等等")) or any(not 2 <= len(n) <= 30 for n in names):
        return None
    return names


def _named_counts(p: Paragraph, index: int) -> list[Enumeration]:
    """"设 9 个内设机构，分别为：办公室、…、项目服务股。": the stated count against the names listed
    right after it, up to the end of the sentence (or "；")."""
    out = []
    for m in _NAMED_COUNT.finditer(p.text):
        n = _chinese_count(m.group("n"))
        if n is None or n < 2:
            continue
        end = _NAME_END.search(p.text, m.end())
        names = _split_names(p.text[m.end(): end.start() if end else len(p.text)])
        if names is None:
            continue
        joined = 1 if _JOINED.search(names[-1]) else 0
        label = m.group("noun") or _label_before(p.text, m.start()) or m.group("unit")
        count = Term(label, Number(Decimal(n), 0, m.group("unit"),
                                                                 p.text[m.start("n"): m.end("unit")]),
                     p.line_at(m.start()), index, m.start())
        e = Enumeration("count", count, [], "分别为", index, count.line,
                        text=p.text[m.start(): end.start() if end else len(p.text)][:160])
        e.items = names
        e.listed_max = len(names) + joined
        out.append(e)
    return out


def read_enumerations(read: ReadDocument) -> list[Enumeration]:
    """Every piece of prose arithmetic of the document (see the module docstring)."""
    found: list[Enumeration] = []
    _TERMS_CACHE.clear()
    for index, p in enumerate(read.paragraphs):
        text = p.text
        # Each form is looked for only in a paragraph holding the literals its pattern cannot
        # match without (most paragraphs hold none of them).
        prices = _price_lines(p, index) if "单价" in text and "数量" in text else []
        found.extend(prices)
        if "每月" in text or "月均" in text or "按月" in text:
            found.extend(_monthly(p, index))
        if "+" in text or "＋" in text:
            found.extend(_formulas(p, index))
        counts = _project_counts(read, p, index) if "个" in text else []
        found.extend(counts)
        if _NAMED_COUNT_LITERALS.search(text):
            found.extend(_named_counts(p, index))
        terms = _amount_terms(text, index, p)
        if prices:  # the numbers of a price line are not an enumeration of their own
            spans = [(min(t.start for t in (e.total, *e.parts)),
                      max(t.start + len(t.number.text) for t in (e.total, *e.parts))) for e in prices]
            terms = [t for t in terms if not any(s <= t.start < end for s, end in spans)]
        # without a connector there is no token the parser acts on: its tokens are not needed
        parser = _Parser(read, index, text, _tokens(text, terms) if _CONNECTOR.search(text) else [])
        parser.run()
        enumerations = parser.found
        if enumerations and counts:
            # A project list already checked as "项目个数" sum is not repeated.
            count_parts = {tuple(t.start for t in e.parts) for e in counts if e.kind == "sum"}
            enumerations = [e for e in enumerations if tuple(t.start for t in e.parts) not in count_parts]
        found.extend(enumerations)
        if "合计" in text or "共计" in text or "总计" in text:  # what _TRAILING_TOTAL needs
            found.extend(_trailing_totals(parser, terms, enumerations))
    _TERMS_CACHE.clear()
    return [e for e in _dedupe(found) if not _overlapping_headcount(e)]


@functools.cache
def _headcount_groups() -> tuple[dict[str, str], tuple[str, ...]]:
    """(word -> its split group, subset words) of checks/catalog/headcounts.yaml."""
    data = read_yaml_file(CATALOG / "headcounts.yaml") or {}
    splits = {word: group for group, words in (data.get("splits") or {}).items() for word in words}
    return splits, tuple(data.get("subsets") or ())


def _overlapping_headcount(e: Enumeration) -> bool:
    """A 其中 list of people in overlapping groups (checks/catalog/headcounts.yaml) is no sum; a
    lone part stays (it is still at most its whole)."""
    if e.kind != "sum" or len(e.parts) < 2 or e.total.unit_class not in ("人", "名"):
        return False
    splits, subsets = _headcount_groups()
    if any(w in part.label for part in e.parts for w in subsets):
        return True
    groups = {next((g for w, g in splits.items() if w in part.label), "") for part in e.parts}
    return len(groups) > 1


def _trailing_totals(parser: _Parser, terms: list[Term], known: list[Enumeration]) -> list[Enumeration]:
    """"A 10 万元、B 20 万元，合计 30 万元": parts first, the total after 合计/共计/总计."""
    out = []
    used = {t.start for e in known for t in (e.total, *e.parts)}
    text = parser.text
    for k, term in enumerate(terms):
        if term.start in used or not _TRAILING_TOTAL.search(text[max(0, term.start - 6): term.start]):
            continue
        sentence_start = max(text.rfind(ch, 0, term.start) for ch in _SENTENCE_END + _SEMI) + 1
        parts = [t for t in terms[:k] if t.start >= sentence_start and t.unit_class == term.unit_class
                 and t.start not in used]
        if len(parts) >= 2 and not _CONNECTOR.search(text[sentence_start: term.start]):
            out.append(Enumeration("sum", term, parts, "合计", parser.index, term.line,
                                   text=parser.sentence(term.start)))
    return out


def _dedupe(found: list[Enumeration]) -> list[Enumeration]:
    seen: set[tuple] = set()
    out = []
    for e in found:
        key = (e.kind, e.paragraph, e.total.start, e.total.paragraph, tuple((t.paragraph, t.start) for t in e.parts))
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out

