"""Exact parsing of printed numbers: amounts, percentages, scores and indicator targets.

Every parsed value keeps its printed precision (`Number.decimals`), so tolerance can be derived
from what was printed (DESIGN §6), never from an epsilon. Money is never a float.

Conventions (each is pinned by a test in ``tests/test_numbers.py``):

* Digits are ASCII ``0-9`` or full-width ``０-９`` only; other Unicode digits (Arabic-Indic,
  Devanagari, …) are not numbers in a Chinese disclosure and are rejected.
* Thousands separators must group by three (``86,412,027``); ``12,34`` is not a number.
* A bare digit string such as ``2010301`` *is* a number: whether it is a classification code or
  an amount is decided by the table reader from the column, not here.
* ``第11页`` (an ordinal) and ``12345平台`` (a number glued to a name) are not amounts.
* Several numbers in one cell (``100 100 100``) are not one amount.
* Blanks and dashes (``""``, ``-``, ``—``, ``/``, ``无``) are empty, not zero.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from auditor.model import Number, Target

# Full-width digits and punctuation seen in disclosures, folded to ASCII before parsing.
# Every mapping is one character to one character, so string offsets survive the fold.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "，": ",",
        "．": ".",
        "％": "%",
        "＋": "+",
        "－": "-",
        "−": "-",  # U+2212 MINUS SIGN
        "＝": "=",
        "﹦": "=",  # U+FE66 SMALL EQUALS SIGN, printed in 指标性质 cells
        "＞": ">",
        "＜": "<",
        "　": " ",
        "～": "~",
        "﹪": "%",
        "＆": "&",
        "＄": "$",
        "＼": "\\",
    }
)

EMPTY_MARKS = {"", "-", "—", "--", "——", "－", "/", "／", "无", "…", "……", "―", "――"}
# An indicator's "无" is a value (no complaints, no accidents), not a blank.
_EMPTY_TARGET = frozenset(EMPTY_MARKS - {"无"})

MONEY_UNITS = {"元": 0, "万元": 4, "亿元": 8, "万": 4, "亿": 8}
# Units that mark a count (数量 indicators), from DOMAIN §3.2; the catalog extends them.
COUNT_UNITS = (
    "人次", "万次", "万人次", "万人", "万件", "个", "次", "人", "份", "套", "台", "辆", "公里", "千米", "米",
    "平方米", "平方公里", "亩", "本", "家", "场", "件", "项", "期", "篇", "条", "批", "户", "所", "座",
    "处", "部", "册", "期", "名", "张", "组", "块", "株", "棵", "吨", "辆次", "班次", "课时", "学时",
)
TIME_UNITS = ("小时", "分钟", "工作日", "个工作日", "天", "日", "周", "个月", "月", "年", "秒")
SCORE_UNITS = ("分",)

# ASCII digits only: `\d` would also accept Arabic-Indic and other Unicode digits.
_D = "[0-9]"
# A number as printed: either properly grouped thousands or a plain run of digits, then decimals.
_UNSIGNED = rf"(?:{_D}{{1,3}}(?:,{_D}{{3}})+(?!{_D})|{_D}+)(?:\.{_D}+)?"


def translator(table: dict[int, str]) -> Callable[[str], str]:
    """`str.translate(table)` that first asks, in one regex scan, whether the text holds any
    character of the table: str.translate looks every character up in a dict, and most texts
    (CJK prose, ASCII cells) hold none of the characters it would fold."""
    marks = re.compile("[" + "".join(re.escape(chr(k)) for k in table) + "]")

    def fold(text: str) -> str:
        return text.translate(table) if marks.search(text) else text

    return fold


_fold_fullwidth = translator(_FULLWIDTH)


# Asked of the same cells by several readers (a document's cells repeat: 0.00, its row labels).
@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Fold full-width characters and strip; keeps CJK text as is."""
    # Every folded character is non-ASCII, so ASCII text (most cells) skips the per-character
    # table lookups of str.translate (20x faster on a cell like "8,641.20").
    if text.isascii():
        return text.strip()
    return _fold_fullwidth(text).strip()


_PLAIN = re.compile(rf"^([+-]?)\s*({_D}{{1,3}}(?:,{_D}{{3}})+|{_D}+)(?:\.({_D}+))?$")
_PRECISION = re.compile(rf"{_D}[0-9,]*\.({_D}+)")


def printed_precision(text: str) -> int:
    """Decimal places of the first number as printed: "8641.20" -> 2, "86,412,027" -> 0, "97.030%" -> 3."""
    m = _PRECISION.search(normalize(text))
    return len(m.group(1)) if m else 0


def parse_decimal(text: str) -> tuple[Decimal, int] | None:
    """Parse a bare number with optional thousands separators: -> (value, decimals).

    Accepts an optional sign ("-27", "+5", "- 27") and full-width forms; rejects spaces inside
    the digits ("100 100"), bad grouping ("12,34"), exponents ("1e5"), a bare "." and
    non-ASCII digits.
    """
    m = _PLAIN.match(normalize(text))
    if not m:
        return None
    sign, whole, frac = m.groups()
    digits = whole.replace(",", "") + ("." + frac if frac else "")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    return (-value if sign == "-" else value), len(frac or "")


_AMOUNT = re.compile(rf"^([+-]?\s*{_UNSIGNED})\s*(亿元|万元|元|亿|万)?$")


def parse_amount(text: str, unit: str = "") -> Number | None:
    """A table cell or a prose amount: "86,412,027", "8641.20万元", "1000000.00".

    `unit` is the unit the cell inherits from its table ("元", "万元"); a printed unit wins
    ("万"/"亿" alone are read as 万元/亿元). Returns None for blanks and dashes, and for anything
    that is not a single amount ("100 100 100", "第11页", "12345平台", "97%").
    """
    s = normalize(text)
    if s.replace(" ", "") in EMPTY_MARKS:
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


_PERCENT = re.compile(rf"^([+-]?\s*{_UNSIGNED})\s*%$")


def parse_percent(text: str) -> Number | None:
    """"97.03%" -> Number(97.03, 2, "%"). A bare number is not a percentage; "≥95%" is a target."""
    m = _PERCENT.match(normalize(text))
    if not m:
        return None
    parsed = parse_decimal(m.group(1))
    if parsed is None:
        return None
    return Number(parsed[0], parsed[1], "%", text.strip())


def parse_score(text: str) -> Decimal | None:
    """A score or weight cell: "16.8", "10分", "100分" -> Decimal; None for blanks and text."""
    s = normalize(text).removesuffix("分").strip()
    parsed = parse_decimal(s)
    return parsed[0] if parsed else None


def to_base(number: Number) -> Decimal:
    """The value in base units: 元 for money, the printed value otherwise."""
    return number.value * scale_of(number.unit)


def scale_of(unit: str) -> Decimal:
    """How many base units one printed unit is: 万元 -> 10000, 亿元 -> 10^8, anything else -> 1."""
    return _power_of_ten(MONEY_UNITS.get(unit, 0))


@functools.cache
def _power_of_ten(exponent: int) -> Decimal:
    # Called for every interval and every amount: a Decimal is immutable, so one per exponent.
    return Decimal(10) ** exponent


def format_decimal(value: Decimal, decimals: int = 0, thousands: bool = True) -> str:
    """Render a Decimal as a document would print it: rounded half up, never "-0".

    Raises ValueError for NaN and infinities (they are never printed in a disclosure).
    """
    if not value.is_finite():
        raise ValueError(f"cannot format {value!r}")
    decimals = max(decimals, 0)
    with localcontext() as ctx:
        # Enough precision for any finite input: quantize must never raise InvalidOperation.
        ctx.prec = max(28, value.adjusted() + decimals + 3)
        v = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if v.is_zero():
        v = abs(v)
    return f"{v:,.{decimals}f}" if thousands else f"{v:.{decimals}f}"


def format_like(value: Decimal, like: Number) -> str:
    """Render `value` (in `like`'s unit) the way `like` was printed (separators, decimals, unit)."""
    thousands = "," in normalize(like.text)
    text = format_decimal(value, like.decimals, thousands)
    stripped = normalize(like.text)
    for suffix in ("亿元", "万元", "元", "%"):
        if stripped.endswith(suffix):
            return text + suffix
    return text


# --------------------------------------------------------------------------- targets

_LATEX_OPS = {
    r"\geqslant": "≥", r"\leqslant": "≤", r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤",
    r"\gt": ">", r"\lt": "<", r"\%": "%", r"\times": "×", r"\sim": "~",
}
_OPS = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "大于等于": "≥", "不低于": "≥",
        "不少于": "≥", "不小于": "≥", "至少": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
        "不多于": "≤", "不大于": "≤", "等于": "=", "大于": ">", "小于": "<", "==": "="}
# Words after a number that set its operator: "90%以上" is ≥ 90%, "8天以内" is ≤ 8 天.
_SUFFIX_OPS = (("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"),
               ("之内", "≤"), ("内", "≤"), ("左右", ""))

_SIGN = r"(?:(?<![^\s≥≤=<>~(（:：])[+-]\s*)?"  # a sign only at the start or after an operator/space
_TARGET_NUM = re.compile(rf"(≥|≤|=|>|<)?\s*({_SIGN}(?<![0-9.,]){_UNSIGNED})")
_DATE = re.compile(
    r"^(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?(?:上旬|中旬|下旬|底|前|底前|以前|之前|内|末)?"
    r"(?:完成)?$",
    re.ASCII,
)
_ISO_DATE = re.compile(r"^\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?(?:前|以前|之前)?$", re.ASCII)
_RANGE_JOINERS = {"", "&&", "&", "~", "-", "—", "至", "到", "——"}
_TRAILING_PUNCT = " .。,，;；:：!！"
_MAX_WORD = 6  # a label glued to a number ("接通率", "平稳率") is at most this long
_MAX_SHORT = 12  # a qualitative value ("及时", "基本满意") is at most this long; longer is "text"


# Longest first, so "大于等于" is replaced before "大于" and "等于" can see it.
_OPS_LONGEST_FIRST = sorted(_OPS.items(), key=lambda kv: -len(kv[0]))
# Whether a text holds any operator word at all: most cells (names, plain numbers) hold none.
_ANY_OP = re.compile("|".join(re.escape(word) for word, _ in _OPS_LONGEST_FIRST))
_WHITESPACE_RUN = re.compile(r"\s+")


def _clean_target(text: str) -> str:
    s = normalize(text)
    s = s.replace("$", "")
    if "\\" in s:
        for latex, op in _LATEX_OPS.items():
            s = s.replace(latex, op)
    if _ANY_OP.search(s):
        for word, op in _OPS_LONGEST_FIRST:
            s = s.replace(word, op)
    # A printable text without a double space has no whitespace run to collapse (every
    # whitespace character but the ASCII space is unprintable).
    if s.isprintable() and "  " not in s:
        return s.strip()
    return _WHITESPACE_RUN.sub(" ", s).strip()


_ALL_UNITS = sorted(
    {*MONEY_UNITS, *COUNT_UNITS, *TIME_UNITS, *SCORE_UNITS, "%"}, key=len, reverse=True
)
# An alternation tries its branches in order: the first (longest) unit the text starts with.
_UNIT_AT_START = re.compile("|".join(map(re.escape, _ALL_UNITS)))
_PER_PERIOD = re.compile(r"\s*/\s*(" + "|".join(map(re.escape, TIME_UNITS)) + ")")


def _split_unit(tail: str) -> tuple[str, str]:
    """Split the text after a number into (unit, rest): "个&&" -> ("个", "&&"), "万" -> ("万元", "")."""
    tail = tail.lstrip()
    if tail.startswith("万") and not any(tail.startswith(u) for u in COUNT_UNITS if u.startswith("万")):
        unit, rest = "万元", tail[2:] if tail.startswith("万元") else tail[1:]
    elif tail.startswith("亿") and not tail.startswith("亿元"):
        unit, rest = "亿元", tail[1:]
    else:
        known = _UNIT_AT_START.match(tail)
        unit = known.group() if known else ""
        rest = tail[len(unit):]
    # A rate such as "20万次/年" or "5次/月" keeps its period in the unit.
    per = _PER_PERIOD.match(rest) if unit else None
    if per:
        unit, rest = f"{unit}/{per.group(1)}", rest[per.end():]
    return unit, rest


def _unit_of(tail: str) -> str:
    """The unit at the start of `tail` ("" when none); kept for callers of the old helper."""
    unit, rest = _split_unit(tail)
    return unit or rest.strip()


def _word_or_text(raw: str, s: str) -> Target:
    return Target("word", raw, word=s) if len(s) <= _MAX_SHORT else Target("text", raw, word=s)


# Indicator tables repeat the same few values ("≥95%", "=100%", "及时") in every project, and the
# readers parse each cell more than once; a Target is frozen, so one parse serves them all.
@functools.lru_cache(maxsize=8192)
def parse_target(text: str) -> Target:
    """Parse an indicator target or actual value.

    Forms seen in the seeds: "≥95%", "=100%", "≤8天", "≥80个&&≤120个", "$\\geq 55 \\leq 72$",
    "≥95接通率" (a number with a word instead of a unit: unit "", word "接通率"), "平稳率96%"
    (word before the number), "3个", "24小时", "2023年12月", "等于5万" (5 万元), "1 套", "及时",
    "12月下旬完成配备工作" (a word: the number is only part of a phrase), "1、3500张 2、2家"
    (free text), "" (empty). Never raises.
    """
    raw = text.strip()
    if not raw or normalize(raw).replace(" ", "") in _EMPTY_TARGET:
        return Target("empty", raw)
    s = _clean_target(raw)
    compact = s.replace(" ", "")
    if _DATE.match(compact) or _ISO_DATE.match(compact):
        return Target("date", raw, word=s)
    matches = list(_TARGET_NUM.finditer(s))
    if not matches:
        return _word_or_text(raw, s)
    # Free text that merely contains numbers ("1、3500张 2、2家 …") is text, not a target.
    if len(matches) > 2 or re.search(r"[0-9]\s*、", s):
        return Target("text", raw, word=s)
    prefix = s[: matches[0].start()].strip()
    if prefix.endswith("第"):  # an ordinal ("第11页", "第3季度") is not a quantity
        return _word_or_text(raw, s)
    pieces = []  # (op, (value, decimals), unit, rest, printed text) per match
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(s)
        tail = s[m.end(): end]
        unit, rest = _split_unit(tail)
        parsed = parse_decimal(m.group(2))
        if parsed is None:
            return Target("text", raw, word=s)
        printed = s[m.start(): m.end() + len(tail) - len(rest)].strip()
        pieces.append((m.group(1) or "", parsed, unit, rest.strip(), printed))

    if len(pieces) == 2:
        (op1, p1, u1, between, t1), (op2, p2, u2, suffix, t2) = pieces
        if prefix or between not in _RANGE_JOINERS or suffix.strip(_TRAILING_PUNCT):
            return _word_or_text(raw, s)
        unit = u1 or u2
        low = Number(p1[0], p1[1], unit, t1)
        high = Number(p2[0], p2[1], u2 or unit, t2)
        return Target("range", raw, op=op1 or "≥", number=low, high=high, high_op=op2 or "≤", unit=unit)

    op, parsed, unit, rest, printed = pieces[0]
    rest = rest.strip(_TRAILING_PUNCT)
    for word, suffix_op in _SUFFIX_OPS:
        if rest == word:
            rest = ""
            op = op or suffix_op
            break
    if prefix and rest:
        return _word_or_text(raw, s)
    word = prefix or rest
    if len(word) > _MAX_WORD or re.search(r"[0-9≥≤=<>]", word):
        # "12月下旬完成配备工作": the number is part of a phrase, not a target.
        return _word_or_text(raw, s)
    number = Number(parsed[0], parsed[1], unit, printed)
    return Target("number", raw, op=op, number=number, unit=unit, word=word)


# --------------------------------------------------------------------------- prose scanning


@dataclass(frozen=True, slots=True)
class Mention:
    """A number found in running text, with its span and unit."""

    number: Number
    start: int
    end: int


# Prose keeps the full-width comma "，" as clause punctuation: "共3，20万元" is not 3,20.
_PROSE_FOLD = {k: v for k, v in _FULLWIDTH.items() if k != ord("，")}
_fold_prose = translator(_PROSE_FOLD)
# Not preceded by a digit, a decimal point, a grouping comma after a digit, or a Latin letter
# (so "G30元山子出入口" — a road name — is not 30 元, and "1,2345万元" yields nothing).
_PROSE_AMOUNT = re.compile(rf"(?<![0-9.A-Za-z])(?<![0-9],)([-+]?{_UNSIGNED})\s*(亿元|万元|元|%)")


def find_amounts(text: str) -> Iterator[Mention]:
    """Amounts and percentages with an explicit unit in prose: "5052.35 万元", "占 86.6%".

    Spans index into `text` as given (the full-width fold maps one character to one), and
    `Number.text` is the source text of the span. A number glued to a Latin letter ("G30元")
    or continuing a badly grouped number is skipped rather than misread.
    """
    return iter(_amounts_in(text))


# Readers and rules scan the same paragraphs again (about five times each): the mentions of a text
# are kept (they are frozen), for the last few thousand texts — a document's worth and more.
@functools.lru_cache(maxsize=4096)
def _amounts_in(text: str) -> tuple[Mention, ...]:
    out: list[Mention] = []
    norm = _fold_prose(text)
    for m in _PROSE_AMOUNT.finditer(norm):
        parsed = parse_decimal(m.group(1))
        if parsed is None:  # pragma: no cover - the regex admits only well-formed numbers
            continue
        out.append(Mention(Number(parsed[0], parsed[1], m.group(2), text[m.start(): m.end()]), m.start(), m.end()))
    return tuple(out)
