"""Exact parsing of printed numbers: amounts, percentages, scores and indicator targets.

Every parsed value keeps its printed precision (`Number.decimals`), so tolerance can be derived
from what was printed (DESIGN §6), never from an epsilon. Money is never a float.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from auditor.model import Number, Target

# Full-width digits and punctuation seen in disclosures, folded to ASCII before parsing.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "，": ",",
        "．": ".",
        "％": "%",
        "＋": "+",
        "－": "-",
        "＝": "=",
        "＞": ">",
        "＜": "<",
        "　": " ",
        "～": "~",
        "﹪": "%",
    }
)

EMPTY_MARKS = {"", "-", "—", "--", "——", "－", "/", "／", "无", "…", "……"}

MONEY_UNITS = {"元": 0, "万元": 4, "亿元": 8, "万": 4, "亿": 8}
# Units that mark a count (数量 indicators), from DOMAIN §3.2; the catalog extends them.
COUNT_UNITS = (
    "人次", "万次", "万人次", "万人", "万件", "个", "次", "人", "份", "套", "台", "辆", "公里", "千米", "米",
    "平方米", "平方公里", "亩", "本", "家", "场", "件", "项", "期", "篇", "条", "批", "户", "所", "座",
    "处", "部", "册", "期", "名", "张", "组", "块", "株", "棵", "吨", "辆次", "班次", "课时", "学时",
)
TIME_UNITS = ("小时", "分钟", "工作日", "个工作日", "天", "日", "周", "个月", "月", "年", "秒")


def normalize(text: str) -> str:
    """Fold full-width characters and strip; keeps CJK text as is."""
    return text.translate(_FULLWIDTH).strip()


_PLAIN = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def printed_precision(text: str) -> int:
    """Decimal places as printed: "8641.20" -> 2, "86,412,027" -> 0, "97.030%" -> 3."""
    m = re.search(r"\d(?:[\d,]*)\.(\d+)", normalize(text))
    return len(m.group(1)) if m else 0


def parse_decimal(text: str) -> tuple[Decimal, int] | None:
    """Parse a bare number with optional thousands separators: -> (value, decimals)."""
    s = normalize(text).replace(" ", "")
    m = _PLAIN.match(s)
    if not m:
        return None
    sign, whole, frac = m.groups()
    digits = whole.replace(",", "") + ("." + frac if frac else "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    return (-value if sign == "-" else value), len(frac or "")


_AMOUNT = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|亿|万)?$")


def parse_amount(text: str, unit: str = "") -> Number | None:
    """A table cell or a prose amount: "86,412,027", "8641.20万元", "1000000.00".

    `unit` is the unit the cell inherits from its table ("元", "万元"); a printed unit wins.
    Returns None for blanks and dashes, and for anything that is not a single amount.
    """
    s = normalize(text).replace(" ", "")
    if s in EMPTY_MARKS:
        return None
    m = _AMOUNT.match(s)
    if not m:
        return None
    parsed = parse_decimal(m.group(1))
    if parsed is None:
        return None
    value, decimals = parsed
    printed_unit = m.group(2) or ""
    if printed_unit in ("万", "亿"):
        printed_unit += "元"
    return Number(value, decimals, printed_unit or unit, text.strip())


_PERCENT = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*%$")


def parse_percent(text: str) -> Number | None:
    """"97.03%" -> Number(97.03, 2, "%"). A bare number is not a percentage."""
    s = normalize(text).replace(" ", "")
    m = _PERCENT.match(s)
    if not m:
        return None
    parsed = parse_decimal(m.group(1))
    if parsed is None:
        return None
    return Number(parsed[0], parsed[1], "%", text.strip())


def parse_score(text: str) -> Decimal | None:
    """A score or weight cell: "16.8", "10分", "100分" -> Decimal."""
    s = normalize(text).replace(" ", "")
    s = s.removesuffix("分")
    parsed = parse_decimal(s)
    return parsed[0] if parsed else None


def to_base(number: Number) -> Decimal:
    """The value in base units: 元 for money, the printed value otherwise."""
    return number.value * (Decimal(10) ** MONEY_UNITS.get(number.unit, 0))


def scale_of(unit: str) -> Decimal:
    return Decimal(10) ** MONEY_UNITS.get(unit, 0)


def format_decimal(value: Decimal, decimals: int = 0, thousands: bool = True) -> str:
    """Render a Decimal as a document would print it."""
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    v = value.quantize(q)
    return f"{v:,.{decimals}f}" if thousands else f"{v:.{decimals}f}"


def format_like(value: Decimal, like: Number) -> str:
    """Render `value` (in `like`'s unit) the way `like` was printed (separators, decimals, unit)."""
    thousands = "," in like.text
    text = format_decimal(value, like.decimals, thousands)
    stripped = normalize(like.text)
    for suffix in ("亿元", "万元", "元", "%"):
        if stripped.endswith(suffix):
            return text + suffix
    return text


# --------------------------------------------------------------------------- targets

_LATEX_OPS = {
    r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤", r"\gt": ">", r"\lt": "<", r"\%": "%",
    r"\times": "×",
}
_OPS = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "＞＝": "≥", "＜＝": "≤", "大于等于": "≥", "不低于": "≥",
        "不少于": "≥", "不小于": "≥", "至少": "≥", "以上": "", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
        "不多于": "≤", "不大于": "≤", "等于": "=", "大于": ">", "小于": "<"}

_NUM = r"[+-]?\d[\d,]*(?:\.\d+)?"
_TARGET_NUM = re.compile(rf"(≥|≤|=|>|<)?\s*({_NUM})\s*(%|[^\d\s≥≤=<>&~～\-—]{{0,6}})")
_DATE = re.compile(r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?(?:底|前|底前|以前|之前|内|末)?$")


def _clean_target(text: str) -> str:
    s = normalize(text)
    s = s.replace("$", "")
    for latex, op in _LATEX_OPS.items():
        s = s.replace(latex, op)
    for word, op in sorted(_OPS.items(), key=lambda kv: -len(kv[0])):
        if word in ("以上",):
            continue
        s = s.replace(word, op)
    s = re.sub(r"\s+", " ", s).strip()
    return s


def _unit_of(tail: str) -> str:
    tail = tail.strip()
    if not tail:
        return ""
    if tail.startswith("%"):
        return "%"
    for unit in ("亿元", "万元", "元"):
        if tail.startswith(unit):
            return unit
    if tail.startswith("万") and not any(tail.startswith(u) for u in ("万次", "万人", "万件", "万人次")):
        return "万元"
    for unit in sorted(COUNT_UNITS + TIME_UNITS, key=len, reverse=True):
        if tail.startswith(unit):
            return unit
    return tail


def parse_target(text: str) -> Target:
    """Parse an indicator target or actual value.

    Forms seen in the seeds: "≥95%", "=100%", "≤8天", "≥80个&&≤120个", "$\\geq 55 \\leq 72$",
    "≥95接通率" (a number with a word instead of a unit), "3个", "24小时", "2023年12月",
    "等于5万", "1 套", "及时", "" (empty).
    """
    raw = text.strip()
    if not raw or normalize(raw) in EMPTY_MARKS - {"无"}:
        return Target("empty", raw)
    s = _clean_target(raw)
    date = _DATE.match(s.replace(" ", ""))
    if date:
        return Target("date", raw, word=s)
    matches = list(_TARGET_NUM.finditer(s))
    if not matches:
        return Target("word", raw, word=s) if len(s) <= 12 else Target("text", raw, word=s)
    # Free text that merely contains numbers ("1、3500张 2、2家 …") is text, not a target.
    if len(matches) > 2 or re.search(r"\d、", s):
        return Target("text", raw, word=s)
    first = matches[0]
    covered = sum(m.end() - m.start() for m in matches)
    leftover = re.sub(r"[\s&~～至到\-—]", "", s[: first.start()] + "".join(
        s[a.end(): b.start()] for a, b in zip(matches, matches[1:], strict=False)
    ) + s[matches[-1].end():])
    if leftover and len(leftover) > 4 and covered < len(s) / 2:
        return Target("text", raw, word=s)
    parsed = parse_decimal(first.group(2))
    if parsed is None:
        return Target("text", raw, word=s)
    unit = _unit_of(first.group(3))
    op = first.group(1) or ""
    if not op and ("以上" in s or "及以上" in s):
        op = "≥"
    if not op and "以下" in s:
        op = "≤"
    number = Number(parsed[0], parsed[1], unit, first.group(0).strip())
    if len(matches) == 2:
        second = matches[1]
        parsed2 = parse_decimal(second.group(2))
        if parsed2 is not None:
            unit2 = _unit_of(second.group(3)) or unit
            unit = unit or unit2
            high = Number(parsed2[0], parsed2[1], unit2, second.group(0).strip())
            low = Number(number.value, number.decimals, unit, number.text)
            return Target("range", raw, op=op or "≥", number=low, high=high, high_op=second.group(1) or "≤",
                          unit=unit)
    word = "" if unit in ("%", "") or unit in COUNT_UNITS or unit in TIME_UNITS or unit in MONEY_UNITS else unit
    return Target("number", raw, op=op, number=number, unit=unit, word=word)


# --------------------------------------------------------------------------- prose scanning


@dataclass(frozen=True)
class Mention:
    """A number found in running text, with its span and unit."""

    number: Number
    start: int
    end: int


_PROSE_AMOUNT = re.compile(rf"(?<![\d.])({_NUM})\s*(亿元|万元|元|%)")


def find_amounts(text: str) -> Iterator[Mention]:
    """Amounts and percentages with an explicit unit in prose: "5052.35 万元", "占 86.6%"."""
    norm = text.translate(_FULLWIDTH)
    for m in _PROSE_AMOUNT.finditer(norm):
        parsed = parse_decimal(m.group(1))
        if parsed is None:
            continue
        yield Mention(Number(parsed[0], parsed[1], m.group(2), m.group(0)), m.start(), m.end())
