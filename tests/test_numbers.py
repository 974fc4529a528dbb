"""Every printed form seen in the seeds, with its exact value, printed decimals and unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.numbers import (
    find_amounts,
    format_decimal,
    format_like,
    normalize,
    parse_amount,
    parse_decimal,
    parse_percent,
    parse_score,
    parse_target,
    printed_precision,
    scale_of,
    to_base,
)

D = Decimal

# --------------------------------------------------------------------------- amounts

# (printed, inherited unit, value, decimals, unit)
AMOUNTS = [
    ("86,412,027", "元", D("86412027"), 0, "元"),
    ("86,412,027", "", D("86412027"), 0, ""),
    ("8641.20万元", "", D("8641.20"), 2, "万元"),
    ("8641.20 万元", "", D("8641.20"), 2, "万元"),
    ("8641.20万元", "元", D("8641.20"), 2, "万元"),  # a printed unit wins over the table's
    ("1000000.00", "元", D("1000000.00"), 2, "元"),
    ("30 万", "", D("30"), 0, "万元"),
    ("30万", "元", D("30"), 0, "万元"),
    ("1.5亿", "", D("1.5"), 1, "亿元"),
    ("2.35亿元", "", D("2.35"), 2, "亿元"),
    ("248.19万元", "", D("248.19"), 2, "万元"),
    ("450元", "", D("450"), 0, "元"),
    ("-27", "元", D("-27"), 0, "元"),
    ("-27万元", "", D("-27"), 0, "万元"),
    ("- 27", "", D("-27"), 0, ""),
    ("+5", "", D("5"), 0, ""),
    ("0", "元", D("0"), 0, "元"),
    ("0.00", "万元", D("0.00"), 2, "万元"),
    ("1,234.5", "", D("1234.5"), 1, ""),
    ("321.55", "万元", D("321.55"), 2, "万元"),
    ("  4,622,700 ", "元", D("4622700"), 0, "元"),
    ("８６４１．２０万元", "", D("8641.20"), 2, "万元"),  # full-width digits and point
    ("８６，４１２，０２７", "元", D("86412027"), 0, "元"),  # full-width commas
    ("－２７", "", D("-27"), 0, ""),  # full-width minus
    ("−27", "", D("-27"), 0, ""),  # U+2212 minus sign
    # A bare code is still a number: telling codes from amounts is the table reader's job
    # (by column), not the number parser's.
    ("2010301", "", D("2010301"), 0, ""),
    ("083001", "", D("83001"), 0, ""),
]


@pytest.mark.parametrize(("text", "unit", "value", "decimals", "out_unit"), AMOUNTS)
def test_parse_amount(text: str, unit: str, value: Decimal, decimals: int, out_unit: str) -> None:
    n = parse_amount(text, unit)
    assert n is not None
    assert n.value == value
    assert isinstance(n.value, Decimal)
    assert n.decimals == decimals
    assert n.unit == out_unit
    assert n.text == text.strip()


NOT_AMOUNTS = [
    "", "   ", "-", "—", "--", "——", "－", "/", "／", "无", "…",  # blanks and dashes are empty, not 0
    "97.03%",  # a percentage
    "≥95%", "≤0.6万元",  # targets
    "第11页",  # an ordinal
    "12345平台",  # a number glued to a name
    "100 100 100",  # several numbers in one cell
    "12,34", "1,2345",  # bad grouping
    "1e5", "NaN", "Infinity", "inf",  # not printed forms
    ".5", "5.", "1.2.3",
    "٣", "१२",  # non-ASCII (Arabic-Indic, Devanagari) digits
    "3个", "24小时", "2023年", "2023年12月",
    "合计", "预算数", "<p>", "G30元山子",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_an_amount(text: str) -> None:
    assert parse_amount(text, "元") is None


# --------------------------------------------------------------------------- percents

PERCENTS = [
    ("97.03%", D("97.03"), 2),
    ("100.00%", D("100.00"), 2),
    ("97.50%", D("97.50"), 2),
    ("96%", D("96"), 0),
    ("0.01%", D("0.01"), 2),
    ("97.030%", D("97.030"), 3),
    ("９７．０３％", D("97.03"), 2),
    ("97.03 %", D("97.03"), 2),
    ("-5.2%", D("-5.2"), 1),
    ("86.6﹪", D("86.6"), 1),
]


@pytest.mark.parametrize(("text", "value", "decimals"), PERCENTS)
def test_parse_percent(text: str, value: Decimal, decimals: int) -> None:
    n = parse_percent(text)
    assert n is not None
    assert (n.value, n.decimals, n.unit) == (value, decimals, "%")


@pytest.mark.parametrize("text", ["97.03", "≥95%", "=100%", "平稳率96%", "", "—", "%", "12,34%", "٩٧%"])
def test_not_a_percent(text: str) -> None:
    assert parse_percent(text) is None


# --------------------------------------------------------------------------- printed precision

PRECISION = [
    ("8641.20", 2), ("8641.20万元", 2), ("86,412,027", 0), ("97.030%", 3), ("1000000.00", 2),
    ("97.03%", 2), ("100.00%", 2), ("≤0.01%", 2), ("≤0.6万元", 1), ("30 万", 0), ("1,234.5", 1),
    ("８６４１．２０万元", 2), ("９７．０３％", 2), ("-27", 0), ("", 0), ("及时", 0), ("5.", 0),
    ("0.5", 1), ("12.3456", 4),
]


@pytest.mark.parametrize(("text", "decimals"), PRECISION)
def test_printed_precision(text: str, decimals: int) -> None:
    assert printed_precision(text) == decimals


# --------------------------------------------------------------------------- decimals / scores


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", (D("0"), 0)), ("1,000", (D("1000"), 0)), ("1,000.50", (D("1000.50"), 2)),
        ("-0.05", (D("-0.05"), 2)), ("００７", (D("7"), 0)), ("1 000", None), ("1,00", None),
        ("", None), ("-", None), ("1.", None), ("1e3", None), ("١٢", None),
    ],
)
def test_parse_decimal(text: str, expected: tuple[Decimal, int] | None) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("16.8", D("16.8")), ("10分", D("10")), ("100分", D("100")), ("7.1", D("7.1")), ("１０分", D("10")),
     ("", None), ("—", None), ("满分", None), ("100 100 100", None)],
)
def test_parse_score(text: str, expected: Decimal | None) -> None:
    assert parse_score(text) == expected


# --------------------------------------------------------------------------- targets

# (printed, kind, op, value, decimals, unit, high value, high op, word)
TARGETS = [
    ("≥95%", "number", "≥", D("95"), 0, "%", None, "", ""),
    ("=100%", "number", "=", D("100"), 0, "%", None, "", ""),
    ("≥100%", "number", "≥", D("100"), 0, "%", None, "", ""),
    ("≥ 90%", "number", "≥", D("90"), 0, "%", None, "", ""),
    ("≤10%", "number", "≤", D("10"), 0, "%", None, "", ""),
    ("≤0.01%", "number", "≤", D("0.01"), 2, "%", None, "", ""),
    ("97.50%", "number", "", D("97.50"), 2, "%", None, "", ""),
    ("96%", "number", "", D("96"), 0, "%", None, "", ""),
    ("≤8天", "number", "≤", D("8"), 0, "天", None, "", ""),
    ("3个", "number", "", D("3"), 0, "个", None, "", ""),
    ("=1套", "number", "=", D("1"), 0, "套", None, "", ""),
    ("1 套", "number", "", D("1"), 0, "套", None, "", ""),
    ("12 次", "number", "", D("12"), 0, "次", None, "", ""),
    ("0 次", "number", "", D("0"), 0, "次", None, "", ""),
    ("24小时", "number", "", D("24"), 0, "小时", None, "", ""),
    ("≤0.6万元", "number", "≤", D("0.6"), 1, "万元", None, "", ""),
    ("≤450元", "number", "≤", D("450"), 0, "元", None, "", ""),
    ("20万元", "number", "", D("20"), 0, "万元", None, "", ""),
    ("等于5万", "number", "=", D("5"), 0, "万元", None, "", ""),
    ("≥95", "number", "≥", D("95"), 0, "", None, "", ""),
    ("≤0", "number", "≤", D("0"), 0, "", None, "", ""),
    ("-27", "number", "", D("-27"), 0, "", None, "", ""),
    ("≥95接通率", "number", "≥", D("95"), 0, "", None, "", "接通率"),
    ("平稳率96%", "number", "", D("96"), 0, "%", None, "", "平稳率"),
    ("$\\geq 95\\%$", "number", "≥", D("95"), 0, "%", None, "", ""),
    ("不低于95%", "number", "≥", D("95"), 0, "%", None, "", ""),
    ("90%以上", "number", "≥", D("90"), 0, "%", None, "", ""),
    ("8天以内", "number", "≤", D("8"), 0, "天", None, "", ""),
    ("20万次/年", "number", "", D("20"), 0, "万次/年", None, "", ""),
    ("5万人次", "number", "", D("5"), 0, "万人次", None, "", ""),
    ("10分", "number", "", D("10"), 0, "分", None, "", ""),
    ("９７．０３％", "number", "", D("97.03"), 2, "%", None, "", ""),
    ("≥80个&&≤120个", "range", "≥", D("80"), 0, "个", D("120"), "≤", ""),
    ("$\\geq 55 \\leq 72$", "range", "≥", D("55"), 0, "", D("72"), "≤", ""),
    ("$\\geq 1 \\leq 2$", "range", "≥", D("1"), 0, "", D("2"), "≤", ""),
    ("80-120个", "range", "≥", D("80"), 0, "个", D("120"), "≤", ""),
    ("80~120个", "range", "≥", D("80"), 0, "个", D("120"), "≤", ""),
]


@pytest.mark.parametrize(("text", "kind", "op", "value", "decimals", "unit", "high", "high_op", "word"), TARGETS)
def test_parse_target_numbers(text: str, kind: str, op: str, value: Decimal, decimals: int, unit: str,
                              high: Decimal | None, high_op: str, word: str) -> None:
    t = parse_target(text)
    assert t.kind == kind
    assert t.op == op
    assert t.number is not None
    assert (t.number.value, t.number.decimals, t.number.unit) == (value, decimals, unit)
    assert t.unit == unit
    assert t.word == word
    assert t.text == text.strip()
    if high is None:
        assert t.high is None
    else:
        assert t.high is not None and t.high.value == high
        assert t.high_op == high_op


# (printed, kind); the number must be None for all of these.
NON_NUMBER_TARGETS = [
    ("", "empty"), ("—", "empty"), ("-", "empty"), ("  ", "empty"), ("／", "empty"),
    ("2023年12月", "date"), ("2023年", "date"), ("2023年12月31日前", "date"), ("2023年12月底", "date"),
    ("2023-12-31", "date"), ("2020年6月底前完成", "date"),
    ("及时", "word"), ("满意", "word"), ("基本满意", "word"), ("有效提升", "word"), ("无", "word"),
    ("12月下旬完成配备工作", "word"),  # a number inside a phrase is not a target value
    ("第11页", "word"),  # an ordinal is not a quantity
    ("1、3500张 2、2家 3、5个", "text"),  # an enumeration
    ("1、3500张", "text"),
    ("100 100 100", "text"),
    ("国防公路等级持续上升，适应目前战备交通需要", "text"),
    ("12,34", "word"), ("1e5", "word"), (".5", "word"), ("٣", "word"),
]


@pytest.mark.parametrize(("text", "kind"), NON_NUMBER_TARGETS)
def test_parse_target_words(text: str, kind: str) -> None:
    t = parse_target(text)
    assert t.kind == kind
    assert t.number is None
    assert t.text == text.strip()


def test_target_keeps_printed_text_of_each_bound() -> None:
    t = parse_target("≥80个&&≤120个")
    assert t.number is not None and t.high is not None
    assert (t.number.text, t.high.text) == ("≥80个", "≤120个")
    assert parse_target("等于5万").number.text == "=5万"  # type: ignore[union-attr]


def test_number_glued_to_a_name_is_not_money() -> None:
    """"12345平台" may surface as a number with a word, never as an amount in 元/万元."""
    t = parse_target("12345平台")
    assert t.unit == ""
    assert t.word == "平台"


# --------------------------------------------------------------------------- prose


def test_find_amounts_prose() -> None:
    text = "2022年度项目预算资金248.19万元,全部为政府预算资金，占 86.6%，较上年-27万元。"
    found = [(m.number.value, m.number.decimals, m.number.unit, m.number.text) for m in find_amounts(text)]
    assert found == [
        (D("248.19"), 2, "万元", "248.19万元"),
        (D("86.6"), 1, "%", "86.6%"),
        (D("-27"), 0, "万元", "-27万元"),
    ]


def test_find_amounts_spans_index_the_original_text() -> None:
    text = "基本支出５０５２．３５万元，占９７．０３％"
    for m in find_amounts(text):
        assert text[m.start: m.end] == m.number.text
    assert [m.number.value for m in find_amounts(text)] == [D("5052.35"), D("97.03")]


@pytest.mark.parametrize(
    "text",
    ["G30元山子出入口", "第11页", "12345平台", "2023年12月", "1,2345万元", "共3项", "完成率高"],
)
def test_find_amounts_ignores(text: str) -> None:
    assert list(find_amounts(text)) == []


def test_find_amounts_thousands_and_space() -> None:
    [m] = list(find_amounts("收入总计 5,052.35 万元"))
    assert (m.number.value, m.number.decimals, m.number.text) == (D("5052.35"), 2, "5,052.35 万元")


def test_find_amounts_full_width_comma_is_punctuation() -> None:
    assert [m.number.value for m in find_amounts("共3，20万元")] == [D("20")]


# --------------------------------------------------------------------------- units and formatting


def test_to_base_and_scale() -> None:
    assert to_base(parse_amount("8641.20万元")) == D("86412000")  # type: ignore[arg-type]
    assert to_base(parse_amount("1.5亿元")) == D("150000000")  # type: ignore[arg-type]
    assert to_base(parse_amount("86,412,027", "元")) == D("86412027")  # type: ignore[arg-type]
    assert scale_of("万元") == D(10000)
    assert scale_of("%") == D(1)
    assert scale_of("个") == D(1)


@pytest.mark.parametrize(
    ("value", "decimals", "thousands", "expected"),
    [
        (D("86412027"), 0, True, "86,412,027"),
        (D("8641.2"), 2, False, "8641.20"),
        (D("0.005"), 2, False, "0.01"),  # half up, as documents round (not banker's rounding)
        (D("0.015"), 2, False, "0.02"),
        (D("2.5"), 0, False, "3"),
        (D("-2.5"), 0, False, "-3"),
        (D("-0.004"), 2, False, "0.00"),  # never "-0.00"
        (D("1E+3"), 0, True, "1,000"),
        (D("12345678901234567890123456789.5"), 2, False, "12345678901234567890123456789.50"),
        (D("7"), -1, False, "7"),
    ],
)
def test_format_decimal(value: Decimal, decimals: int, thousands: bool, expected: str) -> None:
    assert format_decimal(value, decimals, thousands) == expected


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-Infinity")])
def test_format_decimal_rejects_non_finite(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        format_decimal(bad, 2)


@pytest.mark.parametrize(
    ("value", "like", "expected"),
    [
        (D("8641.2"), "8641.20万元", "8641.20万元"),
        (D("86412050"), "86,412,027", "86,412,050"),
        (D("97.0345"), "97.03%", "97.03%"),
        (D("5"), "８６４１．２０万元", "5.00万元"),
    ],
)
def test_format_like(value: Decimal, like: str, expected: str) -> None:
    number = parse_amount(like) or parse_percent(like)
    assert number is not None
    assert format_like(value, number) == expected


def test_normalize_folds_full_width() -> None:
    assert normalize("　８６４１．２０％　") == "8641.20%"
    assert normalize("＞＝") == ">="


def test_translator_is_str_translate() -> None:
    """The fold that scans for its characters first gives str.translate's result on any text."""
    import random

    from auditor.numbers import _FULLWIDTH, translator

    fold = translator(_FULLWIDTH)
    rng = random.Random(3)
    pieces = ["１２", "，", "．", "％", "预算", "12.5", "－", "\u3000", "万元", "(", "～", " "]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert fold(text) == text.translate(_FULLWIDTH)
    assert fold("一般公共预算") == "一般公共预算"
    assert fold("８６４１．２０万元") == "8641.20万元"
