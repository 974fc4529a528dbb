"""Intervals from printed precision (DESIGN §6, DOMAIN §1.5)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.model import Number
from auditor.numbers import parse_amount, parse_percent
from auditor.tolerance import (
    Interval,
    cell_interval,
    check_sum,
    exact,
    interval,
    sum_gap,
    total,
    truncation_interval,
)

D = Decimal


def amount(text: str, unit: str = "元") -> Number:
    n = parse_amount(text, unit)
    assert n is not None
    return n


def pct(text: str) -> Number:
    n = parse_percent(text)
    assert n is not None
    return n


@pytest.mark.parametrize(
    ("text", "unit", "lo", "hi"),
    [
        ("8641.20万元", "", D("86411950"), D("86412050")),
        ("8641.20 万元", "", D("86411950"), D("86412050")),
        ("８６４１．２０万元", "", D("86411950"), D("86412050")),
        ("30万元", "", D("295000"), D("305000")),  # d = 0: 5,000 元
        ("0.6万元", "", D("5500"), D("6500")),  # d = 1: 500 元
        ("8641.2012万元", "", D("86412011.5"), D("86412012.5")),  # d = 4: 0.5 元
        ("1.5亿元", "", D("145000000"), D("155000000")),
        ("86,412,027", "元", D("86412026.5"), D("86412027.5")),  # whole 元: ±0.5 (DESIGN §6)
        ("-27", "元", D("-27.5"), D("-26.5")),
        ("1000000.00", "元", D("999999.995"), D("1000000.005")),
        ("248.19", "万元", D("2481850"), D("2481950")),  # inherited unit
    ],
)
def test_interval_of_amounts(text: str, unit: str, lo: Decimal, hi: Decimal) -> None:
    assert interval(amount(text, unit)) == Interval(lo, hi)


def test_interval_in_printed_unit() -> None:
    assert interval(amount("8641.20万元"), base=False) == Interval(D("8641.195"), D("8641.205"))


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [("97.03%", D("97.025"), D("97.035")), ("96%", D("95.5"), D("96.5")), ("100.00%", D("99.995"), D("100.005"))],
)
def test_interval_of_percentages(text: str, lo: Decimal, hi: Decimal) -> None:
    assert interval(pct(text)) == Interval(lo, hi)


def test_bare_integer_count_is_exact() -> None:
    assert interval(Number(D(3), 0, "")) == exact(D(3))


def test_interval_bounds_are_decimal() -> None:
    i = interval(amount("8641.20万元"))
    assert isinstance(i.lo, Decimal) and isinstance(i.hi, Decimal)


@pytest.mark.parametrize(
    ("yuan", "meets"),
    [
        ("86,412,027", True),
        ("86,411,950", True),  # the boundaries are within rounding
        ("86,412,050", True),
        ("86,411,949", False),
        ("86,412,051", False),
    ],
)
def test_cross_unit_wanyuan_two_decimals_vs_yuan(yuan: str, meets: bool) -> None:
    """万元 with 2 decimals against an integer in 元: equal within 50 元 (DOMAIN §1.5)."""
    assert interval(amount("8641.20万元")).meets(interval(amount(yuan))) is meets


def test_cross_unit_gap_is_reported_in_yuan() -> None:
    wan = interval(amount("8641.20万元"))
    assert wan.gap(interval(amount("86,412,051"))) == D("0.5")
    assert wan.gap(interval(amount("86,411,900"))) == D("49.5")
    assert wan.gap(interval(amount("86,412,000"))) == D(0)


def test_whole_yuan_is_rounded_half_a_yuan() -> None:
    """DESIGN §6: a whole-元 amount is [x - 0.5, x + 0.5]; tables round 角分 away."""
    a = interval(amount("4,622,700"))
    assert a.meets(interval(amount("4,622,701")))  # within rounding of each other
    assert a.gap(interval(amount("4,622,702"))) == D(1)
    assert a.meets(interval(amount("4622700")))
    assert interval(amount("4,622,700.00")) == Interval(D("4622699.995"), D("4622700.005"))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20])
def test_sum_of_n_parts_widens_by_n_half_ulps(n: int) -> None:
    parts = [amount("1.00万元") for _ in range(n)]
    s = total(interval(p) for p in parts)
    assert s == Interval(D(10000 * n) - 50 * n, D(10000 * n) + 50 * n)


def test_sum_relation_tolerates_n_plus_one_half_ulps() -> None:
    """|Σ − T| ≤ 0.005·(n+1) 万元 passes; one 元 more fails (DOMAIN §1.5)."""
    parts = [amount(t) for t in ("100.00万元", "200.00万元", "300.00万元")]  # n = 3
    limit = D("0.005") * 4  # 0.02 万元 = 200 元
    ok = Number(D("600.00") + limit, 2, "万元", "600.02万元")
    assert sum_gap(ok, parts) == 0
    assert sum_gap(Number(D("600.03"), 2, "万元"), parts) == D(100)  # 0.01 万元 over the slack
    assert sum_gap(Number(D("599.97"), 2, "万元"), parts) == D(100)


def test_sum_gap_whole_yuan_table() -> None:
    """Two parts and a total rounded to 元: 1 元 apart is rounding, 3 元 is not (1.5 over the slack)."""
    whole = amount("1,446,866")
    assert sum_gap(whole, [amount("404,808"), amount("1,042,058")]) == 0
    assert sum_gap(whole, [amount("404,808"), amount("1,042,057")]) == 0  # 1 元: rounding
    assert sum_gap(whole, [amount("404,808"), amount("1,042,055")]) == D("1.5")


def test_sum_gap_mixed_units() -> None:
    """A 万元 total in prose against an 元 table: the total carries ±50 元, each 元 part ±0.5."""
    whole = amount("144.69万元")
    assert sum_gap(whole, [amount("404,808"), amount("1,042,058")]) == 0  # 1,446,866 within 1,446,850..950
    assert sum_gap(amount("144.68万元"), [amount("404,808"), amount("1,042,058")]) == D(15)


def test_interval_arithmetic() -> None:
    a, b = Interval(D(1), D(2)), Interval(D(10), D(20))
    assert a + b == Interval(D(11), D(22))
    assert b - a == Interval(D(8), D(19))
    assert a.gap(b) == D(8) and b.gap(a) == D(8)
    assert a.mid == D("1.5")
    assert a.contains(D(1)) and a.contains(D(2)) and not a.contains(D("2.01"))
    assert total([]) == exact(D(0))


# --------------------------------------------------------------------------- truncation


def test_truncation_interval_for_percentages() -> None:
    """97.03% is reachable by truncating 97.0399 but not by rounding it (DESIGN §6: info, not error)."""
    p = pct("97.03%")
    true_value = D("97.0399")
    assert not interval(p).contains(true_value)
    assert truncation_interval(p).contains(true_value)
    assert truncation_interval(p) == Interval(D("97.03"), D("97.04"))


def test_truncation_and_rounding_agree_below_the_half() -> None:
    p = pct("97.03%")
    for value in (D("97.03"), D("97.031"), D("97.0349")):
        assert interval(p).contains(value) and truncation_interval(p).contains(value)
    assert not truncation_interval(p).contains(D("97.029"))  # rounding reaches it, truncation does not
    assert interval(p).contains(D("97.029"))


def test_truncation_interval_negative_and_integer() -> None:
    assert truncation_interval(pct("-5.2%")) == Interval(D("-5.3"), D("-5.2"))
    assert truncation_interval(pct("96%")) == Interval(D(96), D(97))


def test_rate_recomputed_from_amounts() -> None:
    """Seed-2: 240.81 / 248.19 = 97.0264…% prints as 97.03% by rounding."""
    rate = D("240.81") / D("248.19") * 100
    assert interval(pct("97.03%")).contains(rate)
    assert not interval(pct("97.02%")).contains(rate)
    assert truncation_interval(pct("97.02%")).contains(rate)


# --------------------------------------------------------------------------- check_sum: the one sum evaluator


def _check(whole: Number, parts: list[Number], subitem: bool = False):
    return check_sum(interval(whole), [interval(p) for p in parts], subitem=subitem)


def test_check_sum_holds_within_half_a_unit_per_value_and_fails_just_beyond() -> None:
    """Two parts and a total in 元 with two decimals: 3 values × 0.005 = 0.015 元 of slack."""
    parts = [amount("10.00"), amount("20.00")]
    inside = _check(Number(D("30.01"), 2, "元", "30.01"), parts)
    assert inside.holds and inside.gap == 0
    beyond = _check(Number(D("30.02"), 2, "元", "30.02"), parts)  # 0.02 > 0.015
    assert not beyond.holds and beyond.gap == D("0.005")
    assert beyond.whole == Interval(D("30.015"), D("30.025")) and beyond.parts == Interval(D("29.99"), D("30.01"))


def test_check_sum_mixed_decimals_add_each_values_own_half_unit() -> None:
    """A total printed with one decimal (±0.05) and parts with two (±0.005 each)."""
    parts = [amount("1.23万元"), amount("2.34万元")]  # Σ 3.57 ± 0.01 万元
    assert _check(amount("3.6万元"), parts).holds  # [3.55, 3.65] meets [3.56, 3.58]
    far = _check(amount("3.7万元"), parts)  # [3.65, 3.75]: 0.07 万元 above 3.58
    assert not far.holds and far.gap == D(700)  # in 元


def test_check_sum_scales_units_to_yuan() -> None:
    """A 万元 whole against 元 parts: both sides in 元 before they are compared."""
    ok = _check(amount("1.00万元"), [amount("4,000"), amount("6,000")])
    assert ok.holds and ok.whole == Interval(D(9950), D(10050))
    off = _check(amount("1.02万元"), [amount("4,000"), amount("6,000")])
    assert off.gap == D(149)  # 10,150 − 10,001


def test_check_sum_subitem_may_be_less_never_more_than_the_whole() -> None:
    whole = amount("100.00万元")
    assert _check(whole, [amount("40.00万元")], subitem=True).holds
    assert _check(whole, [amount("100.01万元")], subitem=True).holds  # meets at the rounding edge
    over = _check(whole, [amount("100.02万元")], subitem=True)
    assert not over.holds and over.gap == D(100)


def test_cell_interval_takes_the_table_unit_for_a_bare_number() -> None:
    bare = Number(D(12), 0, "", "12")
    assert cell_interval(None, "万元") == exact(D(0))  # a blank cell is 0
    assert cell_interval(bare) == exact(D(12))  # no table unit: a count, exact
    assert cell_interval(bare, "万元") == Interval(D(115000), D(125000))
    assert cell_interval(amount("3元"), "万元") == Interval(D("2.5"), D("3.5"))  # its own unit wins
